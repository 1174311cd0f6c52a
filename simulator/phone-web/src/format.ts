/** Pure helpers (no DOM): labels, times, URL checks, the status line's wording. Unit-tested. */
import type { WebhookResult } from '../../views';

/** LINE's app languages a citizen can be created with (the citizen's `language`). */
export const LANGS: Readonly<Record<string, string>> = {
  ja: '日本語',
  en: 'English',
  ko: '한국어',
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
  th: 'ไทย',
  vi: 'Tiếng Việt',
  pt: 'Português',
  es: 'Español',
  id: 'Bahasa Indonesia',
  tl: 'Tagalog',
  ne: 'नेपाली',
};

export const languageName = (code: string): string => LANGS[code] ?? code;

export function webhookText(w: WebhookResult | undefined | null): string {
  if (!w) return '';
  if (w.status === null || w.status === undefined) return `Webhook: 未送信/失敗 (${w.error || '不明'})`;
  return `Webhook 応答: ${w.status}${w.ok ? ' (OK)' : ' (エラー)'} ${w.durationMs}ms`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** The timeline's day separator, as LINE shows it: 今日 / 昨日 / 2026/05/01(金). */
export function dayLabel(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const key = (x: Date) => `${x.getFullYear()}-${x.getMonth()}-${x.getDate()}`;
  const today = new Date(now);
  const yesterday = new Date(now);
  yesterday.setDate(today.getDate() - 1);
  if (key(d) === key(today)) return '今日';
  if (key(d) === key(yesterday)) return '昨日';
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())}(${WEEKDAYS[d.getDay()]})`;
}

export function sameDay(a: number, b: number): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

/** Only http(s) or same-origin paths go into src attributes (no javascript:, no data: from messages). */
export function safeUrl(u: unknown): string {
  if (typeof u !== 'string') return '';
  return /^(https?:\/\/|\/(?!\/))/i.test(u) ? u : '';
}

/** URLs a tap may open in a new tab (LINE opens them in its browser). */
export function isExternalUrl(u: unknown): u is string {
  return typeof u === 'string' && /^(https?:|mailto:)/i.test(u);
}

/** The first character of a name, for the avatar (a whole emoji or kanji, not half of it). */
export function initial(name: string | undefined): string {
  return Array.from(name?.trim() || '?')[0] ?? '?';
}

/** The `#citizen=U…` deep link (opens that citizen's chat), or undefined. */
export function citizenFromHash(hash: string): string | undefined {
  return /(?:^#|&)citizen=(U[0-9a-f]{32})(?:&|$)/.exec(hash)?.[1];
}

/** Percent of `part` in `whole`, for areas placed over images (imagemap, rich menu). */
export function percent(part: unknown, whole: number): string {
  const n = typeof part === 'number' && Number.isFinite(part) ? part : 0;
  return `${(100 * n) / (whole || 1)}%`;
}

/** Stickers a citizen can send: LINE's basic set (package 446), shown as faces (no sticker images offline). */
export const STICKERS: ReadonlyArray<{ packageId: string; stickerId: string; face: string; name: string }> = [
  { packageId: '446', stickerId: '1988', face: '(^_^)/', name: 'こんにちは' },
  { packageId: '446', stickerId: '1989', face: '(*^▽^*)', name: 'うれしい' },
  { packageId: '446', stickerId: '1990', face: 'm(_ _)m', name: 'ありがとう' },
  { packageId: '446', stickerId: '1991', face: '(T_T)', name: 'かなしい' },
  { packageId: '446', stickerId: '1992', face: '(・o・)', name: 'びっくり' },
  { packageId: '446', stickerId: '1993', face: 'OK!', name: 'OK' },
  { packageId: '446', stickerId: '1994', face: '(>_<)', name: 'こまった' },
  { packageId: '446', stickerId: '1995', face: '(-_-)zzz', name: 'おやすみ' },
];

/** The face shown for a sticker: its face when it is one of STICKERS, else a generic one. */
export function stickerFace(packageId: unknown, stickerId: unknown): string {
  return STICKERS.find((s) => s.packageId === String(packageId) && s.stickerId === String(stickerId))?.face ?? '(^_^)';
}
