/** Forms (surveys and the citizen profile): calls of docs/forms-api.md, staff side, with the server's own shapes. */
import type { z } from 'zod';
import type { Lang } from '../../../functions/shared/languages';
import type { I18nText } from '../../../functions/forms/form';
import type { createFormBody, updateFormBody } from '../../../functions/forms/schemas';
import type { CitizenAnswer, FormListAnswer, ResponseRowPage, ResponseSummary, StaffFormAnswer } from '../../../functions/forms/views';
import { API_BASE, downloadCsv, request } from './client';

export type {
  AnswerValue,
  AttributeName as Attribute,
  Charset,
  Choice,
  Consent,
  FormKind,
  FormStatus,
  I18nText,
  Item,
  ItemType,
} from '../../../functions/forms/form';
export type { CitizenAnswer, CitizenResponse, FormSummary, ResponseRow, ResponseSummary } from '../../../functions/forms/views';

/** A form as the console gets it: with its editor's display name and, when configured, the city's LIFF ID. */
export type Form = StaffFormAnswer;

/** PUT /forms/:formId's body: the whole form and the version it was read at. */
export type FormChange = z.input<typeof updateFormBody>;

const f = (formId: string) => `/forms/${encodeURIComponent(formId)}`;

export const listForms = () => request<FormListAnswer>('GET', '/forms');
export const createForm = (input: Pick<z.input<typeof createFormBody>, 'kind' | 'title'>) =>
  request<Form>('POST', '/forms', { body: { ...input, items: [] } satisfies z.input<typeof createFormBody> });
export const getForm = (formId: string) => request<Form>('GET', f(formId));
export const saveForm = (formId: string, change: FormChange) => request<Form>('PUT', f(formId), { body: change });
export const publishForm = (formId: string) => request<Form>('POST', `${f(formId)}/publish`);
export const unpublishForm = (formId: string) => request<Form>('POST', `${f(formId)}/unpublish`);
export const getSummary = (formId: string) => request<ResponseSummary>('GET', `${f(formId)}/summary`);
export const listResponses = (formId: string, cursor?: string) => request<ResponseRowPage>('GET', `${f(formId)}/responses`, { query: { cursor } });
export const uploadUrl = (uploadId: string) => `${API_BASE}/uploads/${encodeURIComponent(uploadId)}`;

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
