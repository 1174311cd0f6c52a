/**
 * The citizen API's shapes (docs/forms-api.md) as the page sees them: texts already resolved to
 * the requested language. `text()` still accepts an {ja, en, …} object, falling back to Japanese,
 * so the page works whichever way the server resolves them.
 */
import type { Lang } from '../../functions/shared/languages';

export type I18nText = string | ({ ja: string } & Partial<Record<string, string>>);

export type ItemType = 'single' | 'multiple' | 'dropdown' | 'text' | 'date' | 'image' | 'video';

export interface Choice {
  choiceId: string;
  label: I18nText;
  retired?: boolean;
}

export interface TextRules {
  multiline?: boolean;
  minLength?: number;
  maxLength?: number;
  charset?: 'any' | 'alphanumeric' | 'numeric';
  pattern?: string;
  patternHint?: I18nText;
}

export interface Item {
  itemId: string;
  type: ItemType;
  label: I18nText;
  help?: I18nText;
  required: boolean;
  retired?: boolean;
  choices?: Choice[];
  text?: TextRules;
  media?: { maxBytes: number; types: string[] };
}

export interface LiffForm {
  formId: string;
  kind?: 'profile' | 'survey';
  title: I18nText;
  description?: I18nText;
  opensAt?: string;
  closesAt?: string;
  consent?: { text?: I18nText; links: { label: I18nText; url: string }[] };
  version?: number;
  items: Item[];
}

export type AnswerValue = string | string[];
export type Answers = Record<string, AnswerValue>;

export interface FormAnswer {
  form: LiffForm;
  answers?: Answers;
  closed: boolean;
}

export function text(value: I18nText | undefined, lang: Lang): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return value[lang] || value.ja || '';
}

/** Items and choices a citizen sees (retired ones hidden, in case the server left them in). */
export function visibleItems(form: LiffForm): Item[] {
  return form.items
    .filter((i) => !i.retired)
    .map((i) => (i.choices ? { ...i, choices: i.choices.filter((c) => !c.retired) } : i));
}

/**
 * The saved answers that still fit the current items: a retired choice or a value of the wrong
 * shape is dropped (the citizen picks again) instead of being sent back and refused.
 */
export function prefill(items: Item[], saved: Answers | undefined): Answers {
  const out: Answers = {};
  if (!saved) return out;
  for (const item of items) {
    const v = saved[item.itemId];
    if (v === undefined || v === null) continue;
    const ids = new Set((item.choices ?? []).map((c) => c.choiceId));
    switch (item.type) {
      case 'single':
      case 'dropdown':
        if (typeof v === 'string' && ids.has(v)) out[item.itemId] = v;
        break;
      case 'multiple':
        if (Array.isArray(v)) {
          const kept = v.filter((x) => typeof x === 'string' && ids.has(x));
          if (kept.length) out[item.itemId] = kept;
        }
        break;
      default:
        if (typeof v === 'string' && v !== '') out[item.itemId] = v;
    }
  }
  return out;
}
