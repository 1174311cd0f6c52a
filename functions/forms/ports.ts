/** Ports of the forms capability (DynamoDB adapter: functions/adapters/aws/form-store.ts). */
import type { AttributeName, Form, FormResponse, Upload } from './form';

export interface ResponsePage {
  items: FormResponse[];
  nextCursor?: string;
}

export interface SubmitWrite {
  response: FormResponse;
  /** Profile form: the friend's new attributes (written in the same transaction). */
  attributes?: Partial<Record<AttributeName, string | string[]>>;
}

export interface FormRepository {
  get(formId: string): Promise<Form | null>;
  /** Newest first. */
  list(): Promise<Form[]>;
  /** Stores a new form and its version snapshot; 'exists' when the id is taken. */
  create(form: Form): Promise<'created' | 'exists'>;
  /** Stores the form if its stored version is still `expectedVersion`; snapshot when the version changed. */
  save(form: Form, expectedVersion: number): Promise<'saved' | 'conflict'>;
  /** The standard profile form's id, if created. */
  profileFormId(): Promise<string | null>;
  /** Creates the profile form and its pointer once (conditional): 'exists' when one was created before. */
  createProfile(form: Form): Promise<'created' | 'exists'>;
}

export interface ResponseRepository {
  /** Latest response count (one per citizen). */
  count(formId: string): Promise<number>;
  latest(formId: string, userId: string): Promise<FormResponse | null>;
  /**
   * One transaction: latest response put, history put, and the friend's attributes when given
   * (only if the friend exists). Nothing is written when any part fails.
   */
  submit(write: SubmitWrite): Promise<void>;
  /** Latest responses, one page; the cursor is opaque. Throws on a cursor it did not issue. */
  page(formId: string, cursor: string | undefined, limit: number): Promise<ResponsePage>;
  /** Every latest response, page by page (memory stays flat). */
  scan(formId: string): AsyncIterable<FormResponse[]>;
  /** Earlier responses of one citizen, oldest first. */
  history(formId: string, userId: string): Promise<FormResponse[]>;
}

export interface UploadRepository {
  put(upload: Upload): Promise<void>;
  get(uploadId: string): Promise<Upload | null>;
}
