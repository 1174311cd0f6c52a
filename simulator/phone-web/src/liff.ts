/**
 * The LIFF overlay: a LIFF URI opens the app's endpoint inside the phone (full screen on a phone)
 * with the current citizen's ID token, the LIFF ID and the citizen's LINE language in the fragment
 * (liff-url.ts). "✕ 閉じる" or the page's `liff.closeWindow()` (a postMessage) closes it; the page's
 * `liff.sendMessages()` (a postMessage too, liff-messages.ts) sends as the citizen into this chat.
 */
import { simApi } from './api';
import { sendMessage } from './chat';
import { byId, h } from '../../../web-shared/dom';
import { liffMessageBodies, requestIdOf, type LiffSendAnswer } from './liff-messages';
import { liffFrameUrl, type LiffTarget } from './liff-url';
import { canTalk, currentCitizen, state } from './state';
import { setStatus } from './status';

let opener: HTMLElement | null = null;
let frame: HTMLIFrameElement | null = null;
/** The LIFF app's origin (its endpoint's): only a page of the app may send messages as the citizen. */
let frameOrigin = '';
/** The citizen whose chat the LIFF app was opened from: messages go there, or nowhere. */
let openedFor: string | null = null;
let sending = false;

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
    // allow="geolocation": LINE lets a LIFF app ask for the device's position (the place picker's 現在地).
    frame = h('iframe', { id: 'liff-frame', title: 'LIFF アプリ', allow: 'geolocation', src: liffFrameUrl(target, idToken, currentCitizen()?.language) });
    frameOrigin = new URL(target.url, location.href).origin;
    openedFor = userId;
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
  frameOrigin = '';
  openedFor = null;
  opener?.focus({ preventScroll: true });
  opener = null;
}

/**
 * liff.sendMessages(): every message checked first (at most 5, text and location), then sent one by
 * one as the citizen through the composer's path (the webhook's answer in the status line). A page
 * that gave an `id` gets the outcome back, as the SDK's promise resolves or rejects in LINE.
 */
async function sendFromLiff(source: MessageEventSource, data: { id?: unknown; messages?: unknown }): Promise<void> {
  const id = requestIdOf(data);
  const origin = frameOrigin;
  const answer = (error?: string) => {
    if (!id) return;
    const message: LiffSendAnswer = error ? { type: 'liff.sendMessages.result', id, ok: false, error } : { type: 'liff.sendMessages.result', id, ok: true };
    try {
      (source as Window).postMessage(message, origin);
    } catch {
      // the page has gone
    }
  };
  const refuse = (error: string) => {
    setStatus(error, true);
    answer(error);
  };
  const request = liffMessageBodies(data.messages);
  if (!request.ok) return refuse(request.error);
  if (!openedFor || state.current !== openedFor || !canTalk(currentCitizen()))
    return refuse('liff.sendMessages: このトークには送れません（友だちでない、ブロック中、または別の市民を表示中）');
  if (sending) return refuse('liff.sendMessages: 前の送信が終わっていません');
  sending = true;
  try {
    for (const body of request.bodies) {
      if (!(await sendMessage(body))) return answer('liff.sendMessages: 送信できませんでした');
    }
    answer();
  } finally {
    sending = false;
  }
}

export function initLiff(): void {
  byId('liff-close').addEventListener('click', closeLiff);
  // liff.closeWindow() and liff.sendMessages() inside the overlay: the LIFF page posts these to its parent.
  window.addEventListener('message', (e: MessageEvent) => {
    const data = e.data as { type?: unknown; id?: unknown; messages?: unknown } | null;
    if (!frame || e.source !== frame.contentWindow || !e.source) return;
    if (data?.type === 'liff.closeWindow') closeLiff();
    else if (data?.type === 'liff.sendMessages') {
      if (e.origin === frameOrigin) void sendFromLiff(e.source, data);
      else setStatus(`liff.sendMessages: LIFF アプリ以外のページ（${e.origin}）からは送れません`, true);
    }
  });
}
