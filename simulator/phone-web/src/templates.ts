/** Template messages (buttons, confirm, carousel, image carousel) and imagemaps. */
import type { Actor } from './actor';
import { h, tapButton } from '../../../web-shared/dom';
import { percent, safeUrl } from './format';
import type { Action, LineMessage, Template, TemplateColumn } from './line-json';

const labelOf = (a: Action | undefined): string => a?.label ?? a?.text ?? 'ボタン';

function actionButton(action: Action, actor: Actor): HTMLButtonElement {
  return tapButton('card-action', labelOf(action), () => actor.act(action));
}

function templateCard(col: TemplateColumn, ratio: string | undefined, size: string | undefined, actor: Actor): HTMLElement {
  const card = h('div', { class: 'card' });
  if (col.thumbnailImageUrl) {
    const img = h('img', { class: `thumb${ratio === 'square' ? ' square' : ''}`, src: safeUrl(col.thumbnailImageUrl), alt: '', loading: 'lazy' });
    img.style.objectFit = size === 'contain' ? 'contain' : 'cover';
    if (col.imageBackgroundColor && /^#[0-9a-fA-F]{3,8}$/.test(col.imageBackgroundColor)) img.style.backgroundColor = col.imageBackgroundColor;
    card.append(img);
  }
  if (col.title) card.append(h('div', { class: 'ctitle' }, col.title));
  card.append(h('div', { class: 'ctext' }, col.text ?? ''));
  const defaultAction = col.defaultAction;
  if (defaultAction) {
    card.classList.add('clickable');
    card.addEventListener('click', () => actor.act(defaultAction));
  }
  card.append(
    h(
      'div',
      { class: 'actions' },
      (col.actions ?? []).map((a) => actionButton(a, actor)),
    ),
  );
  return card;
}

export function renderTemplate(t: Template, actor: Actor): HTMLElement {
  switch (t.type) {
    case 'buttons':
      return templateCard(t, t.imageAspectRatio, t.imageSize, actor);
    case 'confirm':
      return h(
        'div',
        { class: 'card' },
        h('div', { class: 'ctext' }, t.text ?? ''),
        h(
          'div',
          { class: 'actions confirm' },
          (t.actions ?? []).map((a) => actionButton(a, actor)),
        ),
      );
    case 'carousel':
      return h(
        'div',
        { class: 'hscroll', role: 'group', 'aria-label': 'カルーセル' },
        (t.columns ?? []).map((c) => templateCard(c, t.imageAspectRatio, t.imageSize, actor)),
      );
    case 'image_carousel':
      return h(
        'div',
        { class: 'hscroll', role: 'group', 'aria-label': 'カルーセル' },
        (t.columns ?? []).map((c) =>
          h('div', { class: 'img-col' }, h('img', { src: safeUrl(c.imageUrl), alt: '', loading: 'lazy' }), c.action ? actionButton(c.action, actor) : null),
        ),
      );
    default:
      return h('div', { class: 'bubble' }, '[テンプレート]');
  }
}

/** The image (its 700 px rendition, as LINE picks by width) with tappable areas over it. */
export function renderImagemap(m: LineMessage, actor: Actor): HTMLElement {
  const base = safeUrl(m.baseUrl);
  const wrap = h('div', { class: 'imagemap' }, h('img', { src: base ? `${base}/700` : '', alt: m.altText ?? '' }));
  const bw = m.baseSize?.width || 1040;
  const bh = m.baseSize?.height || 1040;
  wrap.style.aspectRatio = `${bw} / ${bh}`;
  for (const act of m.actions ?? []) {
    const ar = act.area ?? {};
    const label = act.label ?? act.text ?? act.linkUri ?? '';
    const area = tapButton('area', '', () => {
      if (act.type === 'uri') actor.act({ type: 'uri', uri: act.linkUri ?? '' });
      else if (act.type === 'message') actor.act({ type: 'message', text: act.text ?? '' });
    });
    area.title = label;
    area.setAttribute('aria-label', label || 'イメージマップの領域');
    area.style.left = percent(ar.x, bw);
    area.style.top = percent(ar.y, bh);
    area.style.width = percent(ar.width, bw);
    area.style.height = percent(ar.height, bh);
    wrap.append(area);
  }
  return h('div', {}, wrap, h('div', { class: 'alt' }, m.altText ?? ''));
}
