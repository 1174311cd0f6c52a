/**
 * The citizen API's shapes (docs/forms-api.md) are the server's own: the form as `localizeForm`
 * (functions/forms/form.ts) builds it, texts already in the requested language, and the answer of
 * `openForm` (functions/forms/views.ts `OpenedForm`). `text()` still accepts an {ja, en, …}
 * object, falling back to Japanese.
 */
import type { Lang } from '../../functions/shared/languages';
import type { Answers, Choice as ServerChoice, I18nText, LocalizedChoice, LocalizedForm, LocalizedItem } from '../../functions/forms/form';

export type { AnswerValue, Answers, LocalizedItem as Item } from '../../functions/forms/form';
export type { OpenedForm as FormAnswer } from '../../functions/forms/views';

export function text(value: string | I18nText | undefined, lang: Lang): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return value[lang] || value.ja || '';
}

/** An item or choice with the `retired` flag it would carry if the server left it in. */
type MaybeRetired<T> = T & Partial<Pick<ServerChoice, 'retired'>>;

/** The form as the page would get it if the server left retired items and choices in. */
export type ReceivedForm = Omit<LocalizedForm, 'items'> & {
  items: MaybeRetired<Omit<LocalizedItem, 'choices'> & { choices?: MaybeRetired<LocalizedChoice>[] }>[];
};

/** Items and choices a citizen sees (retired ones hidden, in case the server left them in). */
export function visibleItems(form: ReceivedForm): LocalizedItem[] {
  return form.items.filter((i) => !i.retired).map((i) => (i.choices ? { ...i, choices: i.choices.filter((c) => !c.retired) } : i));
}

/**
 * The saved answers that still fit the current items: a retired choice or a value of the wrong
 * shape is dropped (the citizen picks again) instead of being sent back and refused.
 */
export function prefill(items: LocalizedItem[], saved: Answers | undefined): Answers {
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
