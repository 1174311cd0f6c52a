/**
 * What the forms API answers (docs/forms-api.md): the JSON the staff console and the LIFF pages
 * read. The use cases are declared to return these types, so the compiler checks the server sends
 * them, and admin-web / liff-web import them. Type-only imports of vocabulary modules only: the
 * browsers' type-check must never load a server-only package or Node's types through this file.
 */
import type { AttributeName, Answers, Form, FormResponse, LocalizedForm, Upload } from './form';
import type { WithNames } from '../staff/directory';

// ---- staff (admin API, function `surveys`) ---------------------------------------------------

/** One form of the list (`listForms`): no items, with the number of citizens who answered. */
export type FormSummary = Pick<Form, 'formId' | 'kind' | 'title' | 'status' | 'version' | 'opensAt' | 'closesAt' | 'updatedAt' | 'updatedBy'> & {
  responseCount: number;
};

/**
 * The city's LIFF app, which functions/admin/form-routes.ts adds to its answers when configured
 * (the console shows form addresses as https://liff.line.me/<liffId>/forms/<formId>).
 */
export interface WithLiffId {
  liffId?: string;
}

/** GET /forms. */
export type FormListAnswer = WithNames<{ items: FormSummary[] }> & WithLiffId;

/** GET and PUT /forms/:formId, POST …/publish and …/unpublish; POST /forms answers it without `liffId`. */
export type StaffFormAnswer = WithNames<Form> & WithLiffId;

/** GET /forms/:formId/summary (`summarize`): latest answers counted per choice. */
export interface ResponseSummary {
  responseCount: number;
  items: { itemId: string; counts: Record<string, number> }[];
}

/** One citizen's latest answer as the list shows it. */
export type ResponseRow = Pick<FormResponse, 'userId' | 'displayName' | 'submittedAt' | 'version' | 'lang' | 'answers'>;

/** GET /forms/:formId/responses (`listResponses`). */
export interface ResponseRowPage {
  items: ResponseRow[];
  nextCursor?: string;
}

/** One answer of a citizen, with when they agreed to the consent text. */
export type CitizenResponse = ResponseRow & Pick<FormResponse, 'consentedAt'>;

/** GET /forms/:formId/responses/:userId (`citizenAnswer`). */
export interface CitizenAnswer {
  latest: CitizenResponse;
  /** Earlier answers of the same citizen, newest first. */
  earlier: CitizenResponse[];
}

/** A friend attribute as the profile form defines it (labels in Japanese, for staff). */
export interface AttributeDefinition {
  label: string;
  itemId: string;
  multiple: boolean;
  choices: { choiceId: string; label: string; retired: boolean }[];
}

/** GET /attributes (`attributeDefinitions`). */
export interface AttributeDefinitions {
  formId: string | null;
  attributes: Partial<Record<AttributeName, AttributeDefinition>>;
}

// ---- citizens (LIFF API, functions/liff/api.ts) ----------------------------------------------

/** GET /api/liff/forms/:formId (`openForm`): the form in one language and the citizen's latest answers. */
export interface OpenedForm {
  form: LocalizedForm;
  /** The latest answers to current items, when the citizen answered before. */
  answers?: Answers;
  submittedAt?: string;
  /** Not accepting answers now (unpublished, or outside its period). */
  closed: boolean;
}

/** POST /api/liff/forms/:formId/responses (`submitResponse`). */
export interface SubmittedAnswer {
  responseId: string;
  version: number;
}

/**
 * POST /api/liff/uploads/intents (`createUploadIntent`): the upload's id and the signed PUT for
 * exactly this type and size (the store's `UploadTarget`, functions/ports/blob-store.ts — that port
 * module is server-only, so the fields are named here and checked against it where the use case returns them).
 */
export interface UploadIntentAnswer {
  uploadId: string;
  url: string;
  method: 'PUT';
  /** Headers the request must carry exactly (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: string;
}

/** POST /api/liff/uploads/:uploadId/complete (`completeUpload`): what the server found the bytes to be. */
export type UploadedFile = Pick<Upload, 'uploadId' | 'contentType' | 'bytes'>;

/** GET /api/liff/uploads/:uploadId in AWS: a short-lived signed link (locally the bytes themselves). */
export interface UploadLink {
  url: string;
}

/** Every refusal of the LIFF API: a code, a message in the citizen's language, per-item messages. */
export interface LiffErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}
