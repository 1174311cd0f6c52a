/**
 * The rich menu at the bottom of the chat: its chat bar (tap to fold or unfold) and the menu,
 * the image with tappable areas, or labelled areas when no image was uploaded.
 */
import type { Actor } from './actor';
import { simApi } from './api';
import { byId, clear, h } from '../../../web-shared/dom';
import { percent } from './format';
import { state } from './state';
import type { PhoneRichMenu } from './line-json';

let actor: Actor;
let menu: PhoneRichMenu | null = null;
let loadSeq = 0;

export function initRichMenu(a: Actor): void {
  actor = a;
}

function render(): void {
  // The timeline gets shorter or taller: whoever read the newest message keeps seeing it.
  const timeline = byId('messages');
  const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 80;
  draw();
  if (atBottom) timeline.scrollTop = timeline.scrollHeight;
}

function draw(): void {
  const box = byId('richmenu');
  clear(box);
  const rm = menu;
  if (!rm || !state.current) return;
  box.append(
    h(
      'button',
      { type: 'button', class: 'bar', 'aria-expanded': state.richMenuOpen ? 'true' : 'false', on: { click: () => setRichMenuOpen(!state.richMenuOpen) } },
      `${rm.chatBarText || 'メニュー'} ${state.richMenuOpen ? '▼' : '▲'}`,
    ),
  );
  if (!state.richMenuOpen) return;
  const w = rm.size?.width || 2500;
  const hgt = rm.size?.height || 1686;
  const panel = h('div', { class: `menu${rm.imageUrl ? '' : ' noimg'}`, role: 'group', 'aria-label': rm.name || 'リッチメニュー' });
  panel.style.aspectRatio = `${w} / ${hgt}`;
  // The image URL is the simulator's own (/sim/richmenus/<id>/image).
  if (rm.imageUrl?.startsWith('/sim/')) panel.append(h('img', { src: rm.imageUrl, alt: '' }));
  for (const area of rm.areas ?? []) {
    const b = area.bounds ?? {};
    const a = area.action;
    const label = a?.label ?? a?.text ?? a?.data ?? '';
    const btn = h(
      'button',
      {
        type: 'button',
        class: 'area',
        title: a?.label ?? a?.text ?? a?.uri ?? a?.data ?? '',
        'aria-label': label || 'メニューの領域',
        on: { click: () => actor.act(a) },
      },
      rm.imageUrl ? '' : label,
    );
    btn.style.left = percent(b.x, w);
    btn.style.top = percent(b.y, hgt);
    btn.style.width = percent(b.width, w);
    btn.style.height = percent(b.height, hgt);
    panel.append(btn);
  }
  box.append(panel);
}

export function setRichMenuOpen(open: boolean): void {
  if (state.richMenuOpen === open) return;
  state.richMenuOpen = open;
  render();
}

/** The effective menu of the current citizen (their own link, else the default one). */
export async function loadRichMenu(): Promise<void> {
  const userId = state.current;
  const seq = ++loadSeq;
  if (!userId) {
    menu = null;
    render();
    return;
  }
  try {
    const rm = await simApi.richMenu(userId);
    if (seq !== loadSeq) return;
    menu = rm;
  } catch {
    if (seq !== loadSeq) return;
    menu = null;
  }
  render();
}
