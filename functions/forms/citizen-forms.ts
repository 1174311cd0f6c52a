/**
 * Citizen use cases of forms (LIFF pages). The citizen is the verified ID token's subject;
 * nothing about the citizen comes from the browser.
 */
import { ulid } from 'ulid';
import type { BlobStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import type { VerifiedIdToken } from '../ports/id-token-verifier';
import { attributesFrom, isOpen, localizeForm, type Form, type Lang, type Upload } from './form';
import { FormError, formClosed, formNotFound, invalidAnswers, uploadNotFound } from './errors';
import { uploadBlobKey } from './keys';
import { detectType, normaliseContentType } from './magic';
import type { FormRepository, ResponseRepository, UploadRepository } from './ports';
import { checkAnswers } from './validate';

export interface CitizenFormsDeps {
  forms: FormRepository;
  responses: ResponseRepository;
  uploads: UploadRepository;
  blobs: BlobStore;
  clock: Clock;
}

/** `profile` stands for the city's standard profile form (the LIFF page need not know its id). */
export const PROFILE_ALIAS = 'profile';

async function loadForm(deps: Pick<CitizenFormsDeps, 'forms'>, formId: string): Promise<Form> {
  const id = formId === PROFILE_ALIAS ? await deps.forms.profileFormId() : formId;
  const form = id ? await deps.forms.get(id) : null;
  // A draft is not visible to citizens at all.
  if (!form || form.status === 'draft') throw formNotFound();
  return form;
}

/** Use case: the form in the citizen's language, with their latest answers (current items only). */
export async function openForm(deps: CitizenFormsDeps, who: VerifiedIdToken, formId: string, lang: Lang) {
  const form = await loadForm(deps, formId);
  const latest = await deps.responses.latest(form.formId, who.userId);
  const live = new Set(form.items.filter((i) => !i.retired).map((i) => i.itemId));
  const answers = latest ? Object.fromEntries(Object.entries(latest.answers).filter(([itemId]) => live.has(itemId))) : undefined;
  return { form: localizeForm(form, lang), ...(answers ? { answers, submittedAt: latest!.submittedAt } : {}), closed: !isOpen(form, deps.clock.now()) };
}

/**
 * Use case: submit answers.
 *
 * 1. Load the form; refuse when it is not open (409 form_closed).
 * 2. Validate every answer and the consent; any invalid answer refuses the whole request (400, per item).
 * 3. Keep the citizen's earlier answers to retired items (they are not shown any more).
 * 4. One transaction: latest response, history entry, and for the profile form the friend's attributes.
 */
export async function submitResponse(
  deps: CitizenFormsDeps,
  who: VerifiedIdToken,
  formId: string,
  input: { lang: Lang; consent?: boolean; answers: Record<string, unknown> },
): Promise<{ responseId: string; version: number }> {
  const form = await loadForm(deps, formId);
  const now = deps.clock.now();
  if (!isOpen(form, now)) throw formClosed();
  const checked = await checkAnswers(form, input, {
    userId: who.userId,
    lang: input.lang,
    upload: async (uploadId) => {
      const upload = await deps.uploads.get(uploadId);
      return upload && upload.formId === form.formId ? upload : null;
    },
  });
  if (Object.keys(checked.fields).length > 0) throw invalidAnswers(checked.fields);

  const previous = await deps.responses.latest(form.formId, who.userId);
  const retired = new Set(form.items.filter((i) => i.retired).map((i) => i.itemId));
  const kept = previous ? Object.fromEntries(Object.entries(previous.answers).filter(([itemId]) => retired.has(itemId))) : {};
  const submittedAt = now.toISOString();
  const response = {
    responseId: ulid(now.getTime()),
    formId: form.formId,
    version: form.version,
    userId: who.userId,
    displayName: who.name,
    answers: { ...kept, ...checked.answers },
    lang: input.lang,
    ...(form.consent ? { consentedAt: submittedAt } : {}),
    submittedAt,
  };
  await deps.responses.submit({ response, ...(form.kind === 'profile' ? { attributes: attributesFrom(form, checked.answers) } : {}) });
  return { responseId: response.responseId, version: form.version };
}

/**
 * Use case: upload a photo or video for a media item.
 *
 * 1. The item must be a current image/video item of an open form.
 * 2. Size within the item's limit (413), type by magic bytes within the item's types and equal to the declared type (415).
 * 3. Store the bytes, then the metadata (owner, form, item) that submit checks.
 */
export async function uploadMedia(
  deps: CitizenFormsDeps,
  who: VerifiedIdToken,
  input: { formId: string; itemId: string; declaredType: string | undefined; body: Buffer },
): Promise<{ uploadId: string; contentType: string; bytes: number }> {
  const form = await loadForm(deps, input.formId);
  if (!isOpen(form, deps.clock.now())) throw formClosed();
  const item = form.items.find((i) => i.itemId === input.itemId && !i.retired);
  if (!item || !item.media) throw new FormError(400, 'not_media_item', 'notMediaItem');
  if (input.body.length > item.media.maxBytes) throw new FormError(413, 'too_large', 'tooLarge', undefined, Math.floor(item.media.maxBytes / (1024 * 1024)));
  const allowed = item.media.types.map((t) => t.split('/')[1]).join(', ');
  const detected = detectType(input.body);
  if (!detected || !item.media.types.includes(detected)) throw new FormError(415, 'unsupported_type', 'unsupportedType', undefined, allowed);
  if (normaliseContentType(input.declaredType) !== detected) throw new FormError(415, 'type_mismatch', 'typeMismatch');

  const now = deps.clock.now();
  const uploadId = ulid(now.getTime());
  const upload: Upload = {
    uploadId,
    userId: who.userId,
    formId: form.formId,
    itemId: item.itemId,
    contentType: detected,
    bytes: input.body.length,
    blobKey: uploadBlobKey(form.formId, uploadId),
    createdAt: now.toISOString(),
  };
  await deps.blobs.put(upload.blobKey, input.body, detected);
  await deps.uploads.put(upload);
  return { uploadId, contentType: detected, bytes: upload.bytes };
}

/** Use case: the citizen's own upload (preview); someone else's is "not found". */
export async function readOwnUpload(deps: CitizenFormsDeps, who: VerifiedIdToken, uploadId: string): Promise<{ upload: Upload; body: Buffer }> {
  const upload = await deps.uploads.get(uploadId);
  if (!upload || upload.userId !== who.userId) throw uploadNotFound();
  const body = await deps.blobs.get(upload.blobKey);
  if (!body) throw uploadNotFound();
  return { upload, body };
}
