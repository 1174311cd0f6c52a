/**
 * The chat screen: header (back, who you are, block), the timeline, quick replies and the
 * composer (text; behind "＋" images, camera, location, sticker). Showing the conversation marks the
 * account's messages opened, as reading a chat does on LINE (POST /sim/opens).
 */
import type { Actor } from './actor';
import { simApi } from './api';
import { askLocation, askSticker } from './dialogs';
import { byId, clear } from '../../../web-shared/dom';
import { languageName, webhookText } from './format';
import { chatVisible, isNarrow } from './layout';
import { setRichMenuOpen } from './richmenu';
import { canTalk, currentCitizen, state } from './state';
import { setStatus } from './status';
import { ACCOUNT_NAME, renderQuickReply, renderTimeline } from './timeline';
import type { CitizenMessageBody } from '../../views';

let actor: Actor;
/** What the timeline shows now: a new message or another citizen scrolls to the newest. */
let shown = { userId: null as string | null, count: 0 };

export function renderHeader(): void {
  const c = currentCitizen();
  byId('chat-name').textContent = ACCOUNT_NAME;
  byId('chat-as').textContent = c ? `あなた: ${c.displayName}（${languageName(c.language)}）` : '市民が選択されていません';
  const blockBtn = byId<HTMLButtonElement>('block-btn');
  blockBtn.hidden = !c;
  blockBtn.textContent = c && (c.blocked || !c.following) ? (c.blocked ? 'ブロック解除' : '友だち追加') : 'ブロック';
  blockBtn.classList.toggle('primary', !!c && !canTalk(c));
  const usable = canTalk(c);
  for (const id of ['text-input', 'send-btn', 'attach-btn']) byId<HTMLTextAreaElement | HTMLButtonElement>(id).disabled = !usable;
  if (!usable) showAttachments(false);
  const notice = byId('chat-notice');
  notice.hidden = !c || usable;
  notice.textContent = !c
    ? ''
    : c.blocked
      ? 'このアカウントをブロックしています。「ブロック解除」でまた話せます。'
      : 'まだ友だちではありません。「友だち追加」で話せます。';
}

export function showAttachments(show: boolean): void {
  byId('attach-panel').hidden = !show;
  byId('attach-btn').setAttribute('aria-expanded', String(show));
}

function nearBottom(box: HTMLElement): boolean {
  return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
}

function scrollToBottom(box: HTMLElement): void {
  box.scrollTop = box.scrollHeight;
  requestAnimationFrame(() => (box.scrollTop = box.scrollHeight));
  // Images change the height once they load.
  for (const img of box.querySelectorAll('img')) {
    if (!img.complete) img.addEventListener('load', () => (box.scrollTop = box.scrollHeight), { once: true });
  }
}

export function renderConversation(opts: { forceScroll?: boolean } = {}): void {
  const box = byId('messages');
  const stick = opts.forceScroll || nearBottom(box) || shown.userId !== state.current || shown.count !== state.conv.length;
  shown = { userId: state.current, count: state.conv.length };
  const keep = box.scrollTop;
  const hint = !state.current
    ? isNarrow()
      ? '一覧から市民を選ぶか、\n新しい市民を追加してください。'
      : '左の一覧から市民を選ぶか、\n新しい市民を追加してください。'
    : 'まだメッセージはありません。\n下の入力欄から話しかけてみましょう。';
  renderTimeline(box, state.current ? state.conv : [], hint, actor);
  const last = state.conv[state.conv.length - 1];
  renderQuickReply(byId('quick-replies'), state.current && last?.from === 'account' ? last.message?.quickReply?.items : undefined, actor);
  if (stick) scrollToBottom(box);
  else box.scrollTop = keep;
}

/** Reading the chat: the account's messages count as opened in LINE's statistics. */
export function markOpenedIfShown(): void {
  const userId = state.current;
  if (!userId || !chatVisible() || !state.conv.some((i) => i.from === 'account')) return;
  simApi.markOpened(userId).catch(() => undefined);
}

export async function loadConversation(opts: { forceScroll?: boolean } = {}): Promise<void> {
  const userId = state.current;
  if (!userId) {
    state.conv = [];
    renderConversation();
    return;
  }
  const seq = ++state.loadSeq;
  try {
    const items = await simApi.conversation(userId);
    if (seq !== state.loadSeq || userId !== state.current) return;
    state.conv = items;
    renderConversation(opts);
    markOpenedIfShown();
  } catch (e) {
    if (userId === state.current) setStatus(`会話を読み込めませんでした: ${(e as Error).message}`, true);
  }
}

/**
 * The citizen sends something: the webhook's answer goes to the status line. True once the message
 * is in the chat (whatever the webhook answered), as LINE has it once sent.
 */
export async function sendMessage(body: CitizenMessageBody): Promise<boolean> {
  const userId = state.current;
  if (!userId) return false;
  setStatus('送信中…');
  try {
    const r = await simApi.send(userId, body);
    setStatus(webhookText(r.webhook), !r.webhook?.ok);
    await loadConversation({ forceScroll: true });
    return true;
  } catch (e) {
    setStatus(`送信できませんでした: ${(e as Error).message}`, true);
    return false;
  }
}

async function sendSticker(): Promise<void> {
  const sticker = await askSticker();
  if (sticker) await sendMessage({ type: 'sticker', ...sticker });
}

export async function sendLocation(): Promise<void> {
  const location = await askLocation();
  if (location) await sendMessage({ type: 'location', ...location });
}

/** Images one pick may send as a set (the control API's limit for `type: 'images'`). */
const MAX_IMAGE_SET = 20;

/**
 * The image picker (the camera on a phone when `camera`). As in LINE, several images may be chosen
 * at once: one is sent as an image, several as one set (each an image message with the set's
 * imageSet). The camera takes one picture.
 */
export function pickImage(camera = false): void {
  const input = byId<HTMLInputElement>('image-input');
  if (camera) input.setAttribute('capture', 'environment');
  else input.removeAttribute('capture');
  input.multiple = !camera;
  input.click();
}

async function sendImages(files: File[]): Promise<void> {
  if (files.length > MAX_IMAGE_SET) {
    setStatus(`一度に送れる画像は${MAX_IMAGE_SET}枚までです（${files.length}枚選ばれました）`, true);
    return;
  }
  let images: { contentBase64: string; contentType: string }[];
  try {
    images = await Promise.all(files.map(async (f) => ({ contentBase64: await readAsBase64(f), contentType: f.type || 'image/jpeg' })));
  } catch (e) {
    setStatus(`画像を読み込めませんでした: ${(e as Error).message}`, true);
    return;
  }
  await sendMessage(images.length === 1 ? { type: 'image', ...images[0]! } : { type: 'images', images });
}

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const s = String(reader.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

async function toggleBlock(): Promise<void> {
  const c = currentCitizen();
  if (!c) return;
  const block = canTalk(c);
  try {
    const r = block ? await simApi.block(c.userId) : await simApi.unblock(c.userId);
    state.known.set(r.citizen.userId, { ...r.citizen, blocked: block, following: block ? r.citizen.following : true });
    setStatus(
      `${block ? 'ブロックしました。' : c.blocked ? 'ブロックを解除しました。' : '友だち追加しました。'}${webhookText(r.webhook)}`,
      !!r.webhook && !r.webhook.ok,
    );
    renderHeader();
  } catch (e) {
    setStatus((e as Error).message, true);
  }
}

export function initChat(a: Actor, hooks: { onBack: () => void }): void {
  actor = a;
  byId('back-btn').addEventListener('click', hooks.onBack);
  byId('block-btn').addEventListener('click', () => void toggleBlock());
  // Several lines, as LINE's box: Enter sends (as LINE for PC), Shift+Enter starts a new line; the
  // box grows to five lines. An IME's Enter that confirms a conversion sends nothing.
  const input = byId<HTMLTextAreaElement>('text-input');
  const fit = () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 132)}px`;
  };
  const composer = byId<HTMLFormElement>('composer');
  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    fit();
    void sendMessage({ type: 'text', text });
  });
  input.addEventListener('input', fit);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      composer.requestSubmit();
    }
  });
  // On a phone the keyboard needs the room: typing folds the rich menu away, as LINE switches.
  input.addEventListener('focus', () => {
    showAttachments(false);
    if (isNarrow()) setRichMenuOpen(false);
  });
  // "＋": what else a citizen can send, as LINE's attachment menu.
  byId('attach-btn').addEventListener('click', () => showAttachments(byId('attach-panel').hidden));
  const attachment = (id: string, fn: () => void) =>
    byId(id).addEventListener('click', () => {
      showAttachments(false);
      fn();
    });
  attachment('image-btn', () => pickImage(false));
  attachment('camera-btn', () => pickImage(true));
  attachment('location-btn', () => void sendLocation());
  attachment('sticker-btn', () => void sendSticker());
  const fileInput = byId<HTMLInputElement>('image-input');
  fileInput.addEventListener('change', () => {
    const files = [...(fileInput.files ?? [])];
    fileInput.value = '';
    if (files.length > 0) void sendImages(files);
  });
  document.addEventListener('visibilitychange', markOpenedIfShown);
  // Whoever reads the newest message keeps it in view when the timeline gets shorter (a phone's
  // keyboard, the rich menu, a smaller window), as LINE does.
  const box = byId('messages');
  let following = true;
  box.addEventListener('scroll', () => (following = nearBottom(box)), { passive: true });
  new ResizeObserver(() => {
    if (following) box.scrollTop = box.scrollHeight;
  }).observe(box);
  clear(byId('messages'));
  renderHeader();
  renderConversation();
}
