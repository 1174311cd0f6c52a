/** In-memory fakes of the forms ports (same contracts as functions/adapters/aws/form-store.ts). */
import type { Readable } from 'node:stream';
import type { Form, FormResponse, Upload } from '../../functions/forms/form';
import type { FormRepository, ResponsePage, ResponseRepository, SubmitWrite, UploadRepository } from '../../functions/forms/ports';
import type { BlobStore } from '../../functions/ports/blob-store';
import { InvalidIdTokenError, type IdTokenVerifier, type VerifiedIdToken } from '../../functions/ports/id-token-verifier';

export class MemoryForms implements FormRepository, ResponseRepository {
  forms = new Map<string, Form>();
  versions = new Map<string, Form>();
  latestByKey = new Map<string, FormResponse>();
  historyList: FormResponse[] = [];
  friendAttributes = new Map<string, unknown>();
  /** Users who are friends (attributes are written only for them). */
  friends = new Set<string>();
  profileId: string | null = null;
  failNextSubmit = false;

  async get(formId: string) {
    const f = this.forms.get(formId);
    return f ? structuredClone(f) : null;
  }
  async list() {
    return [...this.forms.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((f) => structuredClone(f));
  }
  async create(form: Form) {
    if (this.forms.has(form.formId)) return 'exists' as const;
    this.forms.set(form.formId, structuredClone(form));
    this.versions.set(`${form.formId}#${form.version}`, structuredClone(form));
    return 'created' as const;
  }
  async save(form: Form, expectedVersion: number) {
    const old = this.forms.get(form.formId);
    if (!old || old.version !== expectedVersion) return 'conflict' as const;
    this.forms.set(form.formId, structuredClone(form));
    this.versions.set(`${form.formId}#${form.version}`, structuredClone(form));
    return 'saved' as const;
  }
  async profileFormId() {
    return this.profileId;
  }
  async createProfile(form: Form) {
    if (this.profileId) return 'exists' as const;
    this.profileId = form.formId;
    return this.create(form);
  }
  async count(formId: string) {
    return [...this.latestByKey.values()].filter((r) => r.formId === formId).length;
  }
  async latest(formId: string, userId: string) {
    const r = this.latestByKey.get(`${formId}#${userId}`);
    return r ? structuredClone(r) : null;
  }
  async submit(write: SubmitWrite) {
    if (this.failNextSubmit) {
      this.failNextSubmit = false;
      throw new Error('transaction cancelled');
    }
    const r = structuredClone(write.response);
    this.latestByKey.set(`${r.formId}#${r.userId}`, r);
    this.historyList.push(structuredClone(r));
    if (write.attributes && this.friends.has(r.userId)) this.friendAttributes.set(r.userId, structuredClone(write.attributes));
  }
  private sorted(formId: string) {
    return [...this.latestByKey.values()].filter((r) => r.formId === formId).sort((a, b) => a.userId.localeCompare(b.userId));
  }
  /** Newest first, as the console lists them (the store's GSI1). */
  async page(formId: string, cursor: string | undefined, limit: number): Promise<ResponsePage> {
    const all = this.sorted(formId).sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || a.userId.localeCompare(b.userId));
    const from = cursor ? Number(cursor) : 0;
    const items = all.slice(from, from + limit);
    return { items, ...(from + limit < all.length ? { nextCursor: String(from + limit) } : {}) };
  }
  async *scan(formId: string) {
    const all = this.sorted(formId);
    for (let i = 0; i < all.length; i += 2) yield all.slice(i, i + 2);
  }
  async history(formId: string, userId: string) {
    return this.historyList.filter((r) => r.formId === formId && r.userId === userId);
  }
}

export class MemoryUploads implements UploadRepository {
  uploads = new Map<string, Upload>();
  async put(upload: Upload) {
    this.uploads.set(upload.uploadId, structuredClone(upload));
  }
  async get(uploadId: string) {
    return this.uploads.get(uploadId) ?? null;
  }
}

export class MemoryBlobs implements BlobStore {
  blobs = new Map<string, Buffer>();
  async put(key: string, body: Buffer) {
    this.blobs.set(key, Buffer.from(body));
  }
  async get(key: string) {
    return this.blobs.get(key) ?? null;
  }
  async delete(key: string) {
    this.blobs.delete(key);
  }
  async putStream(key: string, body: Readable) {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.from(c));
    this.blobs.set(key, Buffer.concat(chunks));
  }
}

/** Accepts `good:<userId>` tokens; anything else is refused like LINE would. */
export class FakeVerifier implements IdTokenVerifier {
  calls = 0;
  async verify(idToken: string): Promise<VerifiedIdToken> {
    this.calls += 1;
    const m = /^good:(U[0-9a-f]+)$/.exec(idToken);
    if (!m) throw new InvalidIdTokenError('Invalid IdToken.');
    return { userId: m[1], name: `市民${m[1].slice(-3)}`, exp: 4_000_000_000 };
  }
}
