/**
 * Flex messages: bubble and carousel; box (vertical/horizontal/baseline, spacing, margin, padding,
 * flex, background, border, corner radius, offsets), text (size/weight/color/wrap/align/spans),
 * image (size, aspect), icon, button (primary/secondary/link), separator, spacer, filler, video's
 * alternative content; header/hero/body/footer with their styles. Texts are text nodes.
 */
import { h, tapButton } from '../../../web-shared/dom';
import { safeUrl } from './format';
import type { Actor } from './actor';
import type { Action, FlexNode } from './line-json';

const SPACING: Record<string, string> = { none: '0px', xs: '2px', sm: '4px', md: '8px', lg: '12px', xl: '16px', xxl: '20px' };
const TEXT_SIZE: Record<string, string> = {
  xxs: '10px',
  xs: '11px',
  sm: '13px',
  md: '14px',
  lg: '16px',
  xl: '18px',
  xxl: '21px',
  '3xl': '25px',
  '4xl': '30px',
  '5xl': '38px',
};
const IMG_SIZE: Record<string, string> = {
  xxs: '40px',
  xs: '60px',
  sm: '80px',
  md: '100px',
  lg: '120px',
  xl: '140px',
  xxl: '160px',
  '3xl': '180px',
  '4xl': '200px',
  '5xl': '220px',
  full: '100%',
};
const BORDER_WIDTH: Record<string, string> = { none: '0', light: '0.5px', normal: '1px', medium: '2px', 'semi-bold': '3px', bold: '4px' };
const GRAVITY: Record<string, string> = { top: 'flex-start', center: 'center', bottom: 'flex-end' };
const BUBBLE_SIZES = new Set(['nano', 'micro', 'kilo', 'mega', 'giga']);
const SECTIONS = ['header', 'hero', 'body', 'footer'] as const;

/** A LINE keyword (xs, md…) or a CSS length as given ("12px", "10%"). */
const sp = (v: string | undefined): string | undefined => (v === undefined ? undefined : (SPACING[v] ?? v));
const cssLength = (v: unknown): string | undefined => (typeof v === 'string' && /^-?\d+(\.\d+)?(px|%)$/.test(v) ? v : undefined);
const cssColor = (v: unknown): string | undefined => (typeof v === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(v) ? v : undefined);
const lengthOrKeyword = (v: string | undefined, table: Record<string, string>): string | undefined =>
  v === undefined ? undefined : (table[v] ?? cssLength(v));

export function renderFlexContainer(c: FlexNode, actor: Actor): HTMLElement {
  if (c.type === 'carousel') {
    const row = h('div', { class: 'hscroll', role: 'group', 'aria-label': 'カルーセル' });
    for (const b of Array.isArray(c.contents) ? c.contents : []) row.append(renderBubble(b, actor));
    return row;
  }
  return renderBubble(c, actor);
}

function renderBubble(b: FlexNode, actor: Actor): HTMLElement {
  const size = b.size && BUBBLE_SIZES.has(b.size) ? b.size : 'mega';
  const node = h('div', { class: `fx-bubble ${size}` });
  for (const part of SECTIONS) {
    const comp = b[part];
    if (!comp) continue;
    const section = h('div', { class: `fx-section fx-${part}` });
    const st = b.styles?.[part] ?? {};
    const bg = cssColor(st.backgroundColor);
    if (bg) section.style.backgroundColor = bg;
    if (st.separator) section.style.borderTop = `1px solid ${cssColor(st.separatorColor) ?? '#e5e7eb'}`;
    if (part !== 'hero' && comp.type === 'box' && !comp.paddingAll) section.style.padding = part === 'footer' ? '10px' : '14px';
    section.append(renderComponent(comp, 'vertical', actor));
    node.append(section);
  }
  return withAction(node, b.action, actor);
}

function withAction<T extends HTMLElement>(node: T, action: Action | undefined, actor: Actor): T {
  if (!action) return node;
  node.classList.add('clickable');
  node.setAttribute('role', 'button');
  node.tabIndex = 0;
  if (action.label) node.setAttribute('aria-label', action.label);
  const run = (e: Event) => {
    e.stopPropagation();
    actor.act(action);
  };
  node.addEventListener('click', run);
  node.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      run(e);
    }
  });
  return node;
}

function applyBoxCommon(node: HTMLElement, c: FlexNode): void {
  const s = node.style;
  const bg = cssColor(c.backgroundColor);
  if (bg) s.backgroundColor = bg;
  const border = cssColor(c.borderColor);
  if (border) s.borderColor = border;
  const bw = lengthOrKeyword(c.borderWidth, BORDER_WIDTH);
  if (bw) {
    s.borderStyle = 'solid';
    s.borderWidth = bw;
  }
  const radius = lengthOrKeyword(c.cornerRadius, SPACING);
  if (radius) s.borderRadius = radius;
  const pad = (v: string | undefined) => lengthOrKeyword(v, SPACING);
  if (pad(c.paddingAll)) s.padding = pad(c.paddingAll)!;
  if (pad(c.paddingTop)) s.paddingTop = pad(c.paddingTop)!;
  if (pad(c.paddingBottom)) s.paddingBottom = pad(c.paddingBottom)!;
  if (pad(c.paddingStart)) s.paddingLeft = pad(c.paddingStart)!;
  if (pad(c.paddingEnd)) s.paddingRight = pad(c.paddingEnd)!;
  if (cssLength(c.width)) s.width = cssLength(c.width)!;
  if (cssLength(c.height)) s.height = cssLength(c.height)!;
  if (cssLength(c.maxWidth)) s.maxWidth = cssLength(c.maxWidth)!;
  if (cssLength(c.maxHeight)) s.maxHeight = cssLength(c.maxHeight)!;
  const off = (v: string | undefined) => lengthOrKeyword(v, SPACING);
  if (c.position === 'absolute') {
    s.position = 'absolute';
    if (off(c.offsetTop)) s.top = off(c.offsetTop)!;
    if (off(c.offsetBottom)) s.bottom = off(c.offsetBottom)!;
    if (off(c.offsetStart)) s.left = off(c.offsetStart)!;
    if (off(c.offsetEnd)) s.right = off(c.offsetEnd)!;
  } else {
    if (off(c.offsetTop)) {
      s.position = 'relative';
      s.top = off(c.offsetTop)!;
    }
    if (off(c.offsetStart)) {
      s.position = 'relative';
      s.left = off(c.offsetStart)!;
    }
  }
}

function applyFlexChild(node: HTMLElement, c: FlexNode, parentLayout: string, index: number, parentSpacing: string | undefined): void {
  const horizontal = parentLayout === 'horizontal' || parentLayout === 'baseline';
  const f = typeof c.flex === 'number' ? c.flex : horizontal ? 1 : 0;
  if (c.type !== 'separator' && c.type !== 'filler') node.style.flex = f === 0 ? '0 0 auto' : `${f} 1 0px`;
  const margin = c.margin !== undefined ? sp(c.margin) : parentSpacing;
  if (margin && index > 0 && cssLength(margin)) {
    if (horizontal) node.style.marginLeft = margin;
    else node.style.marginTop = margin;
  }
  if (c.gravity && horizontal && GRAVITY[c.gravity]) node.style.alignSelf = GRAVITY[c.gravity]!;
}

function applyTextStyle(node: HTMLElement, c: FlexNode): void {
  const size = lengthOrKeyword(c.size, TEXT_SIZE);
  if (size) node.style.fontSize = size;
  if (c.weight === 'bold') node.style.fontWeight = '700';
  const color = cssColor(c.color);
  if (color) node.style.color = color;
  if (c.style === 'italic') node.style.fontStyle = 'italic';
  if (c.decoration === 'underline' || c.decoration === 'line-through') node.style.textDecoration = c.decoration;
}

function renderComponent(c: FlexNode, parentLayout: string, actor: Actor): HTMLElement {
  switch (c.type) {
    case 'box': {
      const layout = c.layout ?? 'vertical';
      const node = h('div', { class: 'fx-box' });
      node.style.flexDirection = layout === 'vertical' ? 'column' : 'row';
      if (layout === 'baseline') node.style.alignItems = 'baseline';
      if (c.justifyContent) node.style.justifyContent = c.justifyContent;
      if (c.alignItems) node.style.alignItems = c.alignItems;
      applyBoxCommon(node, c);
      const spacing = sp(c.spacing);
      (Array.isArray(c.contents) ? c.contents : []).forEach((child, i) => {
        const cn = renderComponent(child, layout, actor);
        applyFlexChild(cn, child, layout, i, spacing);
        node.append(cn);
      });
      return withAction(node, c.action, actor);
    }
    case 'text': {
      const t = h('div', { class: `fx-text ${c.wrap ? 'wrap' : 'nowrap'}` });
      if (Array.isArray(c.contents) && c.contents.length > 0) {
        for (const s of c.contents) {
          const span = h('span', {}, s.text ?? '');
          applyTextStyle(span, s);
          t.append(span);
        }
      } else {
        t.textContent = c.text ?? '';
      }
      applyTextStyle(t, c);
      if (c.align) t.style.textAlign = c.align === 'start' ? 'left' : c.align === 'end' ? 'right' : 'center';
      const lineSpacing = cssLength(c.lineSpacing);
      if (lineSpacing) t.style.lineHeight = `calc(1.4em + ${lineSpacing})`;
      if (c.wrap && typeof c.maxLines === 'number' && c.maxLines > 0) {
        t.classList.add('clamp');
        t.style.setProperty('-webkit-line-clamp', String(c.maxLines));
      }
      return withAction(t, c.action, actor);
    }
    case 'image': {
      const wrap = h('div', { class: 'fx-box' });
      wrap.style.justifyContent = c.align === 'start' ? 'flex-start' : c.align === 'end' ? 'flex-end' : 'center';
      const img = h('img', { class: 'fx-image', src: safeUrl(c.url), alt: '', loading: 'lazy' });
      img.style.width = lengthOrKeyword(c.size ?? 'md', IMG_SIZE) ?? '100px';
      if (c.aspectRatio && /^\d+(\.\d+)?:\d+(\.\d+)?$/.test(c.aspectRatio)) img.style.aspectRatio = c.aspectRatio.replace(':', ' / ');
      img.style.objectFit = c.aspectMode === 'cover' ? 'cover' : 'contain';
      const bg = cssColor(c.backgroundColor);
      if (bg) img.style.backgroundColor = bg;
      wrap.append(img);
      return withAction(wrap, c.action, actor);
    }
    case 'icon': {
      const icon = h('img', { class: 'fx-icon', src: safeUrl(c.url), alt: '' });
      const size = lengthOrKeyword(c.size, TEXT_SIZE);
      if (size) {
        icon.style.width = size;
        icon.style.height = size;
      }
      return icon;
    }
    case 'button': {
      const style = c.style === 'primary' || c.style === 'secondary' ? c.style : 'link';
      const label = c.action?.label ?? c.action?.text ?? 'ボタン';
      const b = tapButton(`fx-button ${style}${c.height === 'sm' ? ' sm' : ''}`, label, () => actor.act(c.action));
      const color = cssColor(c.color);
      if (color) {
        if (style === 'link') b.style.color = color;
        else b.style.backgroundColor = color;
      }
      return b;
    }
    case 'separator': {
      const hr = h('hr', { class: `fx-separator${parentLayout === 'horizontal' || parentLayout === 'baseline' ? ' vertical' : ''}` });
      const color = cssColor(c.color);
      if (color) hr.style.borderColor = color;
      return hr;
    }
    case 'spacer': {
      const size = sp(c.size) ?? '8px';
      const s = h('div', { class: 'fx-spacer' });
      if (cssLength(size)) {
        s.style.flex = `0 0 ${size}`;
        s.style.minHeight = size;
      }
      return s;
    }
    case 'filler': {
      const f = h('div', { class: 'fx-filler' });
      f.style.flex = String(typeof c.flex === 'number' ? c.flex : 1);
      return f;
    }
    case 'video':
      return c.altContent ? renderComponent(c.altContent, parentLayout, actor) : h('div', { class: 'fx-text' }, '[動画]');
    case 'span':
      return h('span', {}, c.text ?? '');
    default:
      return h('div', { class: 'fx-text' });
  }
}
