/**
 * Answer validation per item type (docs/forms-api.md). Returns the cleaned answers or one
 * localized message per invalid item; the caller stores nothing unless there are no messages.
 */
import { anchoredPattern, isSafePattern } from '../shared/pattern-safety';
import { type Answers, type Form, type Item, type Upload } from './form';
import { type Lang } from '../shared/languages';
import { message } from './messages';
import { textMaxLength } from './vocabulary';

export interface AnswerCheckContext {
  userId: string;
  lang: Lang;
  /** Looks up an upload's metadata (null when unknown). */
  upload(uploadId: string): Promise<Upload | null>;
}

export interface AnswerCheck {
  answers: Answers;
  fields: Record<string, string>;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** True for a real calendar date written yyyy-mm-dd. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * 1. Refuse answers to items the form never had.
 * 2. For each current (not retired) item: required check, then the type's rules.
 * 3. Consent when the form has a consent block.
 */
export async function checkAnswers(form: Form, input: { answers: Record<string, unknown>; consent?: unknown }, ctx: AnswerCheckContext): Promise<AnswerCheck> {
  const fields: Record<string, string> = {};
  const answers: Answers = {};
  const byId = new Map(form.items.map((i) => [i.itemId, i]));
  for (const itemId of Object.keys(input.answers)) {
    if (!byId.has(itemId)) fields[itemId] = message('unknownItem', ctx.lang);
  }
  for (const item of form.items) {
    // Retired items are not shown any more: an answer sent to one (an old page) is ignored.
    if (item.retired) continue;
    const raw = input.answers[item.itemId];
    if (isEmpty(raw)) {
      if (item.required) fields[item.itemId] = message('required', ctx.lang);
      continue;
    }
    const result = await checkItem(item, raw, ctx, form.checkedPatterns);
    if (typeof result === 'object' && 'error' in result) fields[item.itemId] = result.error;
    else answers[item.itemId] = result;
  }
  if (form.consent && input.consent !== true) fields.consent = message('consentRequired', ctx.lang);
  return { answers, fields };
}

async function checkItem(item: Item, raw: unknown, ctx: AnswerCheckContext, checked?: string[]): Promise<string | string[] | { error: string }> {
  const { lang } = ctx;
  const fail = (key: Parameters<typeof message>[0], n?: number) => ({ error: message(key, lang, n) });
  const liveChoice = (id: unknown) => typeof id === 'string' && (item.choices ?? []).some((c) => c.choiceId === id && !c.retired);
  switch (item.type) {
    case 'single':
    case 'dropdown':
      if (typeof raw !== 'string') return fail('wrongValue');
      return liveChoice(raw) ? raw : fail('invalidChoice');
    case 'multiple': {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) return fail('wrongValue');
      const unique = [...new Set(raw as string[])];
      return unique.every(liveChoice) ? unique : fail('invalidChoice');
    }
    case 'text': {
      if (typeof raw !== 'string') return fail('wrongValue');
      const rules = item.text ?? {};
      const value = rules.multiline ? raw.replace(/\r\n/g, '\n').trim() : raw.trim();
      const length = [...value].length;
      const max = textMaxLength(rules);
      if (length === 0) return item.required ? fail('required') : value;
      if (!rules.multiline && /[\r\n]/.test(value)) return fail('wrongValue');
      if (rules.minLength !== undefined && length < rules.minLength) return fail('tooShort', rules.minLength);
      if (length > max) return fail('tooLong', max);
      if (rules.charset === 'alphanumeric' && !/^[A-Za-z0-9]+$/.test(value)) return fail('alphanumeric');
      if (rules.charset === 'numeric' && !/^[0-9]+$/.test(value)) return fail('numeric');
      // Only a pattern shown safe against catastrophic backtracking is ever run on an answer: one
      // checked when the form was saved, or (a form saved before the check) checked now; one found
      // unsafe is not applied (the length cap still is).
      if (
        rules.pattern &&
        (checked?.includes(rules.pattern) || (await isSafePattern(rules.pattern, max))) &&
        !new RegExp(anchoredPattern(rules.pattern), 'u').test(value)
      ) {
        const hint = rules.patternHint ? (rules.patternHint[lang] ?? rules.patternHint.ja) : undefined;
        return { error: hint ? `${message('pattern', lang)}（${hint}）` : message('pattern', lang) };
      }
      return value;
    }
    case 'date':
      if (typeof raw !== 'string') return fail('wrongValue');
      return isIsoDate(raw) ? raw : fail('date');
    case 'image':
    case 'video': {
      if (typeof raw !== 'string' || raw.length > 64) return fail('wrongValue');
      const upload = await ctx.upload(raw);
      if (!upload || upload.userId !== ctx.userId || upload.itemId !== item.itemId) return fail('upload');
      return raw;
    }
  }
}
