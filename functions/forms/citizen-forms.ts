/**
 * Citizen use cases of forms (LIFF pages). The citizen is the verified ID token's subject;
 * nothing about the citizen comes from the browser.
 */
import { ulid } from 'ulid';
import type { BlobStore, DirectUploadStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import { logger } from '../shared/powertools';
import type { VerifiedIdToken } from '../ports/id-token-verifier';
import { attributesFrom, isOpen, localizeForm, type Form, type Item, type Upload } from './form';
import { type Lang } from '../shared/languages';
import { FormError, formClosed, formNotFound, invalidAnswers, uploadNotFound } from './errors';
import { uploadBlobKey } from './keys';
import { detectType, normaliseContentType } from './magic';
import type { FormRepository, ResponseRepository, UploadRepository } from './ports';
import { checkAnswers } from './validate';
import { textMaxLength } from './vocabulary';
import { checkPatterns } from '../shared/pattern-safety';
import type { OpenedForm, SubmittedAnswer, UploadedFile, UploadIntentAnswer } from './views';

export interface CitizenFormsDeps {
  forms: FormRepository;
  responses: ResponseRepository;
  uploads: UploadRepository;
  blobs: BlobStore;
  clock: Clock;
  /** After an answer is stored: the citizen's rich menu link (functions/richmenus/links.ts, relinkFriend); a failure is logged. */
  afterSubmit?: (userId: string, formId: string) => Promise<unknown>;
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
export async function openForm(deps: CitizenFormsDeps, who: VerifiedIdToken, formId: string, lang: Lang): Promise<OpenedForm> {
  const form = await loadForm(deps, formId);
  const latest = await deps.responses.latest(form.formId, who.userId);
  const live = new Set(form.items.filter((i) => !i.retired).map((i) => i.itemId));
  const answers = latest ? Object.fromEntries(Object.entries(latest.answers).filter(([itemId]) => live.has(itemId))) : undefined;
  const localized = localizeForm(form, lang);
  // The page checks answers with the same patterns: one not shown safe (saved before the check) is not sent.
  const unchecked = localized.items.flatMap((i) =>
    i.text?.pattern && !form.checkedPatterns?.includes(i.text.pattern) ? [{ itemId: i.itemId, pattern: i.text.pattern, maxLength: textMaxLength(i.text) }] : [],
  );
  const verdicts = unchecked.length ? await checkPatterns(unchecked) : [];
  const unsafe = new Set(unchecked.filter((_, n) => !verdicts[n]!.safe).map((u) => u.itemId));
  const items = localized.items.map((i) => (unsafe.has(i.itemId) ? { ...i, text: { ...i.text, pattern: undefined, patternHint: undefined } } : i));
  return { form: { ...localized, items }, ...(answers ? { answers, submittedAt: latest!.submittedAt } : {}), closed: !isOpen(form, deps.clock.now()) };
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
): Promise<SubmittedAnswer> {
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
  if (deps.afterSubmit) {
    // The citizen's segments may have changed (attributes, answered forms): their rich menu follows. The hourly job heals a failure.
    await deps
      .afterSubmit(who.userId, form.formId)
      .catch((error: unknown) =>
        logger.warn('Rich menu relink after an answer failed', { formId: form.formId, error: error instanceof Error ? error.message : String(error) }),
      );
  }
  return { responseId: response.responseId, version: form.version };
}

/** Upload intents are valid this long (the signed URL expires with them). */
export const UPLOAD_INTENT_SECONDS = 600;
/** Enough bytes for every signature in magic.ts (ISO media brand at 8..12). */
const MAGIC_BYTES = 16;

/** Bucket keys of an upload in flight (the lifecycle rule expires `uploads/pending/` after a day). */
export const pendingBlobKey = (uploadId: string) => `uploads/pending/${uploadId}`;
const intentBlobKey = (uploadId: string) => `uploads/pending/${uploadId}.intent.json`;

export interface DirectUploadDeps extends CitizenFormsDeps {
  blobs: BlobStore & DirectUploadStore;
}

/** What the intent promised; kept next to the pending bytes until the upload is completed or refused. */
interface UploadIntent {
  uploadId: string;
  userId: string;
  formId: string;
  itemId: string;
  contentType: string;
  bytes: number;
  expiresAt: string;
}

function mediaItem(form: Form, itemId: string): Item & { media: NonNullable<Item['media']> } {
  const item = form.items.find((i) => i.itemId === itemId && !i.retired);
  if (!item || !item.media) throw new FormError(400, 'not_media_item', 'notMediaItem');
  return item as Item & { media: NonNullable<Item['media']> };
}

const MB = 1024 * 1024;
/** The limit in MB for the message: whole MB, or up to three decimals for a limit under 1 MB (never "0MB"). */
const megabytes = (bytes: number) => (bytes >= MB ? Math.floor(bytes / MB) : Math.max(0.001, Math.round((bytes / MB) * 1000) / 1000));
const tooLarge = (item: { media: { maxBytes: number } }) => new FormError(413, 'too_large', 'tooLarge', undefined, megabytes(item.media.maxBytes));
const unsupported = (item: { media: { types: string[] } }) =>
  new FormError(415, 'unsupported_type', 'unsupportedType', undefined, item.media.types.map((t) => t.split('/')[1]).join(', '));

/**
 * Use case: reserve an upload of a photo or video; the browser then sends the bytes straight to
 * the store (S3 presigned PUT in AWS, the local signed endpoint locally), never through the API.
 *
 * 1. The item must be a current image/video item of an open form.
 * 2. The declared size within the item's limit (413); the declared type among its types (415).
 * 3. Keep the intent (owner, form, item, type, size) next to the pending object.
 * 4. Sign a URL for exactly `uploads/pending/<uploadId>`, that type and that size, for 10 minutes.
 */
export async function createUploadIntent(
  deps: DirectUploadDeps,
  who: VerifiedIdToken,
  input: { formId: string; itemId: string; contentType: string; bytes: number },
): Promise<UploadIntentAnswer> {
  const form = await loadForm(deps, input.formId);
  const now = deps.clock.now();
  if (!isOpen(form, now)) throw formClosed();
  const item = mediaItem(form, input.itemId);
  if (input.bytes > item.media.maxBytes) throw tooLarge(item);
  const contentType = normaliseContentType(input.contentType);
  if (!item.media.types.includes(contentType)) throw unsupported(item);

  const uploadId = ulid(now.getTime());
  const intent: UploadIntent = {
    uploadId,
    userId: who.userId,
    formId: form.formId,
    itemId: item.itemId,
    contentType,
    bytes: input.bytes,
    expiresAt: new Date(now.getTime() + UPLOAD_INTENT_SECONDS * 1000).toISOString(),
  };
  await deps.blobs.put(intentBlobKey(uploadId), Buffer.from(JSON.stringify(intent)), 'application/json');
  const target = await deps.blobs.uploadTarget(pendingBlobKey(uploadId), contentType, input.bytes, UPLOAD_INTENT_SECONDS);
  return { uploadId, ...target };
}

/**
 * Use case: the browser has sent the bytes; check them and record the upload.
 *
 * 1. Only the citizen who created the intent may complete it (anyone else: 404, like an unknown id).
 *    A completed upload answers the same again (a retried request).
 * 2. Real size from the store (HEAD) within the item's limit and equal to the declared size (413/400).
 * 3. Type from the first bytes (ranged read) among the item's types (415) and equal to the declared type (415).
 *    Any refusal deletes the object, so nothing unchecked stays in the bucket.
 * 4. Move the object to `uploads/<formId>/<uploadId>`, drop the intent, record the upload (submit checks it).
 */
export async function completeUpload(deps: DirectUploadDeps, who: VerifiedIdToken, uploadId: string): Promise<UploadedFile> {
  const raw = await deps.blobs.get(intentBlobKey(uploadId));
  if (!raw) {
    const done = await deps.uploads.get(uploadId);
    if (done && done.userId === who.userId) return { uploadId, contentType: done.contentType, bytes: done.bytes };
    throw uploadNotFound();
  }
  const intent = JSON.parse(raw.toString('utf8')) as UploadIntent;
  if (intent.userId !== who.userId || intent.uploadId !== uploadId) throw uploadNotFound();

  const pending = pendingBlobKey(uploadId);
  const refuse = async (error: FormError): Promise<never> => {
    await deps.blobs.delete(pending);
    await deps.blobs.delete(intentBlobKey(uploadId));
    throw error;
  };
  const size = await deps.blobs.size(pending);
  // Nothing arrived (yet): the citizen may still send it while the URL is valid.
  if (size === null) throw new FormError(409, 'upload_incomplete', 'upload');
  const form = await loadForm(deps, intent.formId);
  let item: ReturnType<typeof mediaItem>;
  try {
    item = mediaItem(form, intent.itemId);
  } catch (error) {
    return refuse(error as FormError);
  }
  if (size > item.media.maxBytes || size > intent.bytes) return refuse(tooLarge(item));
  if (size !== intent.bytes) return refuse(new FormError(400, 'upload_incomplete', 'upload'));
  const detected = detectType((await deps.blobs.firstBytes(pending, MAGIC_BYTES)) ?? Buffer.alloc(0));
  if (!detected || !item.media.types.includes(detected)) return refuse(unsupported(item));
  if (detected !== intent.contentType) return refuse(new FormError(415, 'type_mismatch', 'typeMismatch'));

  const upload: Upload = {
    uploadId,
    userId: who.userId,
    formId: form.formId,
    itemId: item.itemId,
    contentType: detected,
    bytes: size,
    blobKey: uploadBlobKey(form.formId, uploadId),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.blobs.move(pending, upload.blobKey, detected);
  await deps.uploads.put(upload);
  await deps.blobs.delete(intentBlobKey(uploadId));
  return { uploadId, contentType: detected, bytes: size };
}

/** How long a signed download link of an upload stays valid (AWS). */
export const DOWNLOAD_URL_SECONDS = 300;

/**
 * Use case: the citizen's own upload (preview); someone else's is "not found". When the store can
 * sign a short-lived link (S3) the answer is that link, so the bytes never pass through Lambda.
 */
export async function readOwnUpload(deps: CitizenFormsDeps, who: VerifiedIdToken, uploadId: string): Promise<{ upload: Upload; url?: string; body?: Buffer }> {
  const upload = await deps.uploads.get(uploadId);
  if (!upload || upload.userId !== who.userId) throw uploadNotFound();
  const url = await deps.blobs.downloadUrl?.(upload.blobKey, upload.uploadId, DOWNLOAD_URL_SECONDS, 'inline');
  if (url) return { upload, url };
  const body = await deps.blobs.get(upload.blobKey);
  if (!body) throw uploadNotFound();
  return { upload, body };
}
