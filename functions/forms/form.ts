/**
 * Forms (surveys and the citizen profile), docs/forms-api.md. Items keep a stable `itemId`
 * across versions and are never deleted: a removed item or choice is kept as `retired`, so
 * answers given to it survive and the CSV export still has its column.
 */
import { ulid } from 'ulid';
import type { Lang } from '../shared/languages';
import { CHOICE_TYPES, DEFAULT_MEDIA, MEDIA_TYPES, type AttributeName, type Charset, type ItemType, type MediaRules } from './vocabulary';

export { ATTRIBUTES, CHARSETS, CHOICE_TYPES, DEFAULT_MEDIA, ITEM_TYPES, MEDIA_TYPES } from './vocabulary';
export type { AttributeName, Charset, ItemType, MediaRules } from './vocabulary';

export type I18nText = { ja: string } & Partial<Record<Exclude<Lang, 'ja'>, string>>;

export interface Choice {
  choiceId: string;
  label: I18nText;
  retired?: boolean;
}

export interface TextRules {
  multiline?: boolean;
  minLength?: number;
  maxLength?: number;
  charset?: Charset;
  pattern?: string;
  patternHint?: I18nText;
}

export interface Item {
  itemId: string;
  type: ItemType;
  label: I18nText;
  help?: I18nText;
  required: boolean;
  retired: boolean;
  choices?: Choice[];
  text?: TextRules;
  media?: MediaRules;
  attribute?: AttributeName;
}

export interface Consent {
  text?: I18nText;
  links: { label: I18nText; url: string }[];
}

export type FormKind = 'profile' | 'survey';
export type FormStatus = 'draft' | 'published' | 'unpublished';

export interface Form {
  formId: string;
  kind: FormKind;
  title: I18nText;
  description?: I18nText;
  status: FormStatus;
  opensAt?: string;
  closesAt?: string;
  consent?: Consent;
  version: number;
  items: Item[];
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  /**
   * The items' input patterns shown safe against catastrophic backtracking when this version was
   * saved (functions/shared/pattern-safety.ts): answering runs these without checking them again.
   */
  checkedPatterns?: string[];
}

export type AnswerValue = string | string[];
export type Answers = Record<string, AnswerValue>;

export interface FormResponse {
  responseId: string;
  formId: string;
  version: number;
  userId: string;
  /** From LINE (the verified ID token / the friend record), never from the browser. */
  displayName: string;
  answers: Answers;
  lang: Lang;
  consentedAt?: string;
  submittedAt: string;
}

export interface Upload {
  uploadId: string;
  userId: string;
  formId: string;
  itemId: string;
  contentType: string;
  bytes: number;
  blobKey: string;
  createdAt: string;
}

/** The text in `lang`, Japanese when that translation is missing. */
export function resolveText(text: I18nText | undefined, lang: Lang): string | undefined {
  if (!text) return undefined;
  return (lang !== 'ja' ? text[lang] : undefined) || text.ja;
}

export const newItemId = () => `i_${ulid().toLowerCase()}`;
export const newChoiceId = () => `c_${ulid().toLowerCase()}`;

/** What staff send for an item: ids optional for new items/choices. */
export interface ItemInput extends Omit<Item, 'itemId' | 'retired' | 'choices'> {
  itemId?: string;
  retired?: boolean;
  choices?: (Omit<Choice, 'choiceId'> & { choiceId?: string })[];
}

export interface FormInput {
  title: I18nText;
  description?: I18nText;
  opensAt?: string;
  closesAt?: string;
  consent?: Consent;
  items: ItemInput[];
}

/**
 * The items of the next version: the sent items in their order (new ones get ids), then every
 * earlier item the staff left out, kept as retired. Choices likewise. An item's type cannot
 * change (its answers would no longer fit); the caller checks that with `typeChanges`.
 */
export function mergeItems(previous: Item[], sent: ItemInput[], keepNewIds = false): Item[] {
  const before = new Map(previous.map((i) => [i.itemId, i]));
  const seen = new Set<string>();
  const next: Item[] = sent.map((input) => {
    const old = input.itemId ? before.get(input.itemId) : undefined;
    const itemId = old ? old.itemId : keepNewIds && input.itemId ? input.itemId : newItemId();
    seen.add(itemId);
    const item: Item = {
      itemId,
      type: input.type,
      label: input.label,
      required: input.required,
      retired: input.retired ?? false,
      ...(input.help ? { help: input.help } : {}),
      ...(input.attribute ? { attribute: input.attribute } : {}),
    };
    if (CHOICE_TYPES.has(input.type)) item.choices = mergeChoices(old?.choices ?? [], input.choices ?? [], keepNewIds);
    if (input.type === 'text') item.text = input.text ?? {};
    if (MEDIA_TYPES.has(input.type)) item.media = input.media ?? DEFAULT_MEDIA[input.type as 'image' | 'video'];
    return item;
  });
  for (const old of previous) if (!seen.has(old.itemId)) next.push({ ...old, retired: true });
  return next;
}

function mergeChoices(previous: Choice[], sent: NonNullable<ItemInput['choices']>, keepNewIds: boolean): Choice[] {
  const before = new Map(previous.map((c) => [c.choiceId, c]));
  const seen = new Set<string>();
  const next: Choice[] = sent.map((c) => {
    const choiceId = c.choiceId && (before.has(c.choiceId) || keepNewIds) ? c.choiceId : newChoiceId();
    seen.add(choiceId);
    return { choiceId, label: c.label, ...(c.retired ? { retired: true } : {}) };
  });
  for (const old of previous) if (!seen.has(old.choiceId)) next.push({ ...old, retired: true });
  return next;
}

/** Item ids whose type the staff tried to change (refused: earlier answers would not fit). */
export function typeChanges(previous: Item[], sent: ItemInput[]): string[] {
  const before = new Map(previous.map((i) => [i.itemId, i]));
  return sent.filter((i) => i.itemId && before.has(i.itemId) && before.get(i.itemId)!.type !== i.type).map((i) => i.itemId!);
}

/** A new draft (version 1). */
export function newForm(input: FormInput & { kind: FormKind; by: string; now: Date; formId?: string; status?: FormStatus }): Form {
  const at = input.now.toISOString();
  return {
    formId: input.formId ?? ulid(input.now.getTime()),
    kind: input.kind,
    title: input.title,
    ...(input.description ? { description: input.description } : {}),
    status: input.status ?? 'draft',
    ...(input.opensAt ? { opensAt: input.opensAt } : {}),
    ...(input.closesAt ? { closesAt: input.closesAt } : {}),
    ...(input.consent ? { consent: input.consent } : {}),
    version: 1,
    // Ids given for a new form are kept (the standard profile form has fixed ids).
    items: mergeItems([], input.items, true),
    createdAt: at,
    updatedAt: at,
    updatedBy: input.by,
  };
}

/** The next version of a form after a staff save: version + 1, items merged. */
export function editForm(form: Form, input: FormInput, by: string, now: Date): Form {
  const { description: _d, opensAt: _o, closesAt: _c, consent: _k, ...kept } = form;
  return {
    ...kept,
    title: input.title,
    ...(input.description ? { description: input.description } : {}),
    ...(input.opensAt ? { opensAt: input.opensAt } : {}),
    ...(input.closesAt ? { closesAt: input.closesAt } : {}),
    ...(input.consent ? { consent: input.consent } : {}),
    items: mergeItems(form.items, input.items),
    version: form.version + 1,
    updatedAt: now.toISOString(),
    updatedBy: by,
  };
}

/** True when citizens may answer now: published and inside the optional window. */
export function isOpen(form: Form, now: Date): boolean {
  if (form.status !== 'published') return false;
  if (form.opensAt && Date.parse(form.opensAt) > now.getTime()) return false;
  if (form.closesAt && Date.parse(form.closesAt) <= now.getTime()) return false;
  return true;
}

/** A choice as a citizen sees it: its label in one language. */
export interface LocalizedChoice {
  choiceId: string;
  label: string;
}

/** An item as a citizen sees it: texts in one language, retired choices left out. */
export interface LocalizedItem {
  itemId: string;
  type: ItemType;
  label: string;
  help?: string;
  required: boolean;
  choices?: LocalizedChoice[];
  text?: Omit<TextRules, 'patternHint'> & { patternHint?: string };
  media?: MediaRules;
}

/** The form as a citizen sees it (the LIFF page's `form`, docs/forms-api.md). */
export interface LocalizedForm {
  formId: string;
  kind: FormKind;
  version: number;
  title: string;
  description?: string;
  opensAt?: string;
  closesAt?: string;
  consent?: { text?: string; links: { label: string; url: string }[] };
  /** Current items only (retired ones are left out). */
  items: LocalizedItem[];
}

/** The form as a citizen sees it: texts in one language, retired items and choices hidden. */
export function localizeForm(form: Form, lang: Lang): LocalizedForm {
  return {
    formId: form.formId,
    kind: form.kind,
    version: form.version,
    title: resolveText(form.title, lang)!,
    ...(form.description ? { description: resolveText(form.description, lang) } : {}),
    ...(form.opensAt ? { opensAt: form.opensAt } : {}),
    ...(form.closesAt ? { closesAt: form.closesAt } : {}),
    ...(form.consent
      ? { consent: { text: resolveText(form.consent.text, lang), links: form.consent.links.map((l) => ({ label: resolveText(l.label, lang)!, url: l.url })) } }
      : {}),
    items: form.items
      .filter((i) => !i.retired)
      .map((i) => ({
        itemId: i.itemId,
        type: i.type,
        label: resolveText(i.label, lang)!,
        ...(i.help ? { help: resolveText(i.help, lang) } : {}),
        required: i.required,
        ...(i.choices ? { choices: i.choices.filter((c) => !c.retired).map((c) => ({ choiceId: c.choiceId, label: resolveText(c.label, lang)! })) } : {}),
        ...(i.text ? { text: { ...i.text, patternHint: resolveText(i.text.patternHint, lang) } } : {}),
        ...(i.media ? { media: i.media } : {}),
      })),
  };
}

/** Friend attributes from a profile answer: mapped items' choice ids (explicit mapping, survives edits). */
export function attributesFrom(form: Form, answers: Answers): Partial<Record<AttributeName, string | string[]>> {
  const attributes: Partial<Record<AttributeName, string | string[]>> = {};
  for (const item of form.items) {
    if (!item.attribute || item.retired) continue;
    const value = answers[item.itemId];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    attributes[item.attribute] = value;
  }
  return attributes;
}

/** A short picture of a form for the audit log (no answers, nothing personal). */
export function formAuditSnapshot(form: Form): Record<string, unknown> {
  return {
    title: form.title.ja,
    status: form.status,
    version: form.version,
    items: form.items.map((i) => `${i.label.ja}${i.retired ? '（廃止）' : ''}`),
  };
}
