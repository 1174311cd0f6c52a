/**
 * The LIFF overlay: a LIFF URI opens the app's endpoint inside the phone (full screen on a phone)
 * with the current citizen's ID token, the LIFF ID and the citizen's LINE language in the fragment
 * (liff-url.ts). "✕ 閉じる" or the page's `liff.closeWindow()` (a postMessage) closes it.
 */
import { simApi } from './api';
import { byId, h } from '../../../web-shared/dom';
import { liffFrameUrl, type LiffTarget } from './liff-url';
import { currentCitizen, state } from './state';
import { setStatus } from './status';

let opener: HTMLElement | null = null;
let frame: HTMLIFrameElement | null = null;

export async function openLiff(target: LiffTarget): Promise<void> {
  const userId = state.current;
  if (!userId) return;
  try {
    const { idToken } = await simApi.liffToken(userId);
    if (userId !== state.current) return;
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    byId('liff-title').textContent = `LIFF ${target.liffId} — ${target.url}`;
    // A new frame for each app opened: its first page adds no entry to the browser's history, so
    // "back" still leads from the chat to the list; closing removes it with whatever it navigated.
    frame?.remove();
    frame = h('iframe', { id: 'liff-frame', title: 'LIFF アプリ', src: liffFrameUrl(target, idToken, currentCitizen()?.language) });
    byId('liff-overlay').append(frame);
    byId('liff-overlay').hidden = false;
    byId('liff-close').focus();
  } catch (e) {
    setStatus(`LIFFを開けませんでした: ${(e as Error).message}`, true);
  }
}

export function closeLiff(): void {
  const overlay = byId('liff-overlay');
  if (overlay.hidden) return;
  overlay.hidden = true;
  frame?.remove();
  frame = null;
  opener?.focus({ preventScroll: true });
  opener = null;
}

export function initLiff(): void {
  byId('liff-close').addEventListener('click', closeLiff);
  // liff.closeWindow() inside the overlay: the LIFF page posts this message to its parent.
  window.addEventListener('message', (e: MessageEvent) => {
    const data = e.data as { type?: unknown } | null;
    if (frame && e.source === frame.contentWindow && data?.type === 'liff.closeWindow') closeLiff();
  });
}
