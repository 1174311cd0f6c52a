/**
 * Client-side checks that mirror the server's (required, choices, length, charset, pattern, date,
 * media type and size) so citizens see mistakes before sending. The server stays the authority:
 * its `fields` messages replace these after a submit. Pure (unit-tested); messages are i18n keys.
 */
import { textMaxLength } from '../../functions/forms/vocabulary';
import type { AnswerValue, Answers, Item } from './model';

export interface Problem {
  key: 'required' | 'choice' | 'tooShort' | 'tooLong' | 'alphanumeric' | 'numeric' | 'pattern' | 'date' | 'fileType' | 'fileSize';
  params?: Record<string, string | number>;
}

const ALNUM = /^[A-Za-z0-9]*$/;
const DIGITS = /^[0-9]*$/;

/** Counts characters as people do (a kanji or an emoji is one), not UTF-16 units. */
export function charCount(s: string): number {
  return Array.from(s).length;
}

/** Full-width ASCII (ＡＢＣ１２３, from Japanese keyboards) to half-width, for alphanumeric/numeric items. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export function isEmpty(v: AnswerValue | undefined): boolean {
  return v === undefined || (Array.isArray(v) ? v.length === 0 : v.trim() === '');
}

export function isValidDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Whole-value match, as the HTML `pattern` attribute does; a pattern the browser cannot compile is left to the server. */
export function matchesPattern(value: string, pattern: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(value);
  } catch {
    return true;
  }
}

export function checkItem(item: Item, value: AnswerValue | undefined): Problem | undefined {
  if (isEmpty(value)) return item.required ? { key: 'required' } : undefined;
  const v = value as AnswerValue;
  const choiceIds = new Set((item.choices ?? []).map((c) => c.choiceId));
  switch (item.type) {
    case 'single':
    case 'dropdown':
      return typeof v === 'string' && choiceIds.has(v) ? undefined : { key: 'choice' };
    case 'multiple':
      return Array.isArray(v) && v.every((x) => choiceIds.has(x)) ? undefined : { key: 'choice' };
    case 'date':
      return typeof v === 'string' && isValidDate(v) ? undefined : { key: 'date' };
    case 'text': {
      if (typeof v !== 'string') return { key: 'required' };
      const s = v.trim();
      const rules = item.text ?? {};
      const n = charCount(s);
      if (rules.minLength !== undefined && n < rules.minLength) return { key: 'tooShort', params: { min: rules.minLength } };
      const max = textMaxLength(rules);
      if (n > max) return { key: 'tooLong', params: { max } };
      if (rules.charset === 'alphanumeric' && !ALNUM.test(s)) return { key: 'alphanumeric' };
      if (rules.charset === 'numeric' && !DIGITS.test(s)) return { key: 'numeric' };
      if (rules.pattern && !matchesPattern(s, rules.pattern)) return { key: 'pattern' };
      return undefined;
    }
    case 'image':
    case 'video':
      return undefined; // an uploadId the server issued; checked there
    default:
      return undefined;
  }
}

/** Every problem of the whole form, keyed by itemId (empty object = nothing to fix). */
export function checkForm(items: Item[], answers: Answers): Record<string, Problem> {
  const out: Record<string, Problem> = {};
  for (const item of items) {
    const p = checkItem(item, answers[item.itemId]);
    if (p) out[item.itemId] = p;
  }
  return out;
}

/** Before uploading: the item's `media` limits (type as declared by the file; the server checks magic bytes). */
export function checkFile(item: Item, file: { type: string; size: number }): Problem | undefined {
  const media = item.media;
  if (!media) return undefined;
  if (media.types.length && !media.types.includes(file.type)) return { key: 'fileType' };
  if (file.size > media.maxBytes) return { key: 'fileSize', params: { max: formatBytes(media.maxBytes) } };
  return undefined;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** `inputmode` / `pattern` / `autocomplete` hints for a text item's keyboard. */
export function textInputHints(item: Item): { inputMode?: string; pattern?: string; autocapitalize?: string } {
  const rules = item.text ?? {};
  if (rules.charset === 'numeric') return { inputMode: 'numeric', pattern: rules.pattern ?? '[0-9]*' };
  if (rules.charset === 'alphanumeric') return { inputMode: 'latin', pattern: rules.pattern ?? '[A-Za-z0-9]*', autocapitalize: 'off' };
  return rules.pattern ? { pattern: rules.pattern } : {};
}

/** The body of POST …/responses: only answered items, trimmed text. */
export function answersToSend(items: Item[], answers: Answers): Answers {
  const out: Answers = {};
  for (const item of items) {
    const v = answers[item.itemId];
    if (isEmpty(v)) continue;
    out[item.itemId] = typeof v === 'string' && item.type === 'text' ? v.trim() : (v as AnswerValue);
  }
  return out;
}
