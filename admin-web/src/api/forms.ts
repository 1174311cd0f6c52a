/** Forms (surveys and the citizen profile): shapes and calls of docs/forms-api.md, staff side. */
import type { Lang } from '../../../functions/shared/languages';
import { API_BASE, downloadCsv, request } from './client';


export type I18nText = { ja: string } & Partial<Record<Exclude<Lang, 'ja'>, string>>;

export type FormKind = 'profile' | 'survey';
export type FormStatus = 'draft' | 'published' | 'unpublished';
export type ItemType = 'single' | 'multiple' | 'dropdown' | 'text' | 'date' | 'image' | 'video';
export type Attribute = 'district' | 'ageBand' | 'gender' | 'categories';
export type Charset = 'any' | 'alphanumeric' | 'numeric';

export interface Choice {
  choiceId: string;
  label: I18nText;
  retired?: boolean;
}

export interface Item {
  itemId: string;
  type: ItemType;
  label: I18nText;
  help?: I18nText;
  required: boolean;
  retired: boolean;
  choices?: Choice[];
  text?: { multiline?: boolean; minLength?: number; maxLength?: number; charset?: Charset; pattern?: string; patternHint?: I18nText };
  media?: { maxBytes: number; types: string[] };
  attribute?: Attribute;
}

export interface Consent {
  text?: I18nText;
  links: { label: I18nText; url: string }[];
}

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
  /** The display name of `updatedBy`. */
  updatedByName?: string;
  /** Not in the contract yet: shown as https://liff.line.me/<liffId>/forms/<formId> when the server sends it. */
  liffId?: string;
}

export type FormSummary = Pick<Form, 'formId' | 'kind' | 'title' | 'status' | 'opensAt' | 'closesAt' | 'updatedAt'> &
  Partial<Pick<Form, 'version' | 'liffId'>> & { responseCount: number };

export interface FormChange {
  title: I18nText;
  description?: I18nText;
  opensAt?: string;
  closesAt?: string;
  consent?: Consent;
  items: Item[];
  expectedVersion: number;
}

export interface ResponseSummary {
  responseCount: number;
  items: { itemId: string; counts: Record<string, number> }[];
}

export type AnswerValue = string | string[] | null | undefined;

export interface FormResponse {
  userId: string;
  displayName?: string | null;
  submittedAt: string;
  version: number;
  lang: Lang | string;
  answers: Record<string, AnswerValue>;
}

export interface ResponsePage {
  items: FormResponse[];
  nextCursor?: string | null;
  liffId?: string;
}

const f = (formId: string) => `/forms/${encodeURIComponent(formId)}`;

export const listForms = (): Promise<{ items: FormSummary[]; liffId?: string }> => request('GET', '/forms');
export const createForm = (input: { kind: FormKind; title: I18nText }) => request<Form>('POST', '/forms', { body: { ...input, items: [] } });
export const getForm = (formId: string) => request<Form>('GET', f(formId));
export const saveForm = (formId: string, change: FormChange) => request<Form>('PUT', f(formId), { body: change });
export const publishForm = (formId: string) => request<Form>('POST', `${f(formId)}/publish`);
export const unpublishForm = (formId: string) => request<Form>('POST', `${f(formId)}/unpublish`);
export const getSummary = (formId: string) => request<ResponseSummary>('GET', `${f(formId)}/summary`);
export const listResponses = (formId: string, cursor?: string) => request<ResponsePage>('GET', `${f(formId)}/responses`, { query: { cursor } });
export const uploadUrl = (uploadId: string) => `${API_BASE}/uploads/${encodeURIComponent(uploadId)}`;

export interface CitizenAnswer {
  latest: FormResponse & { consentedAt?: string };
  /** Earlier answers of the same citizen, newest first. */
  earlier: (FormResponse & { consentedAt?: string })[];
}
export const getCitizenAnswer = (formId: string, userId: string) => request<CitizenAnswer>('GET', `${f(formId)}/responses/${encodeURIComponent(userId)}`);

/** responses.csv downloaded as a file, bytes unchanged (errors shown as messages). */
export const downloadResponsesCsv = (formId: string) => downloadCsv(`${f(formId)}/responses.csv`, {}, 'responses.csv');

/** Text in one language, or Japanese when that language has none (what the citizen sees). */
export function resolve(text: I18nText | undefined, lang: Lang): string {
  if (!text) return '';
  const v = text[lang as keyof I18nText];
  return v && v.trim() ? v : text.ja;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID for new items and choices (their IDs key the answers, so they are fixed at creation). */
export function newId(): string {
  let t = Date.now();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rand = '';
  for (const b of bytes) rand += CROCKFORD[b % 32];
  return time + rand;
}
