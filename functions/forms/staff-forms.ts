/** Staff use cases of forms (admin API, function `surveys`). Every change is audited. */
import type { AuditDeps } from '../audit/trail';
import { recordAudit } from '../audit/trail';
import type { SignedIn } from '../staff/context';
import { ConflictError } from '../shared/errors';
import type { BlobStore } from '../ports/blob-store';
import { CHOICE_TYPES, editForm, formAuditSnapshot, newForm, type Form, type FormInput, type FormKind, type FormResponse } from './form';
import { FormVersionConflictError, StaffFormNotFoundError, StaffResponseNotFoundError, uploadNotFound } from './errors';
import type { FormRepository, ResponseRepository, UploadRepository } from './ports';
import { ValidationError } from '../shared/errors';
import { typeChanges } from './form';
import { checkPatterns } from '../shared/pattern-safety';
import { textMaxLength } from './vocabulary';
import type { AttributeDefinitions, CitizenAnswer, CitizenResponse, FormSummary, ResponseRowPage, ResponseSummary } from './views';

export interface StaffFormsDeps extends AuditDeps {
  forms: FormRepository;
  responses: ResponseRepository;
  uploads: UploadRepository;
  blobs: BlobStore;
}

async function mustGet(deps: StaffFormsDeps, formId: string): Promise<Form> {
  const form = await deps.forms.get(formId);
  if (!form) throw new StaffFormNotFoundError();
  return form;
}

/** Use case: every form, newest first, with its number of citizens who answered. */
export async function listForms(deps: StaffFormsDeps): Promise<FormSummary[]> {
  const forms = await deps.forms.list();
  return Promise.all(
    forms.map(async (f) => ({
      formId: f.formId,
      kind: f.kind,
      title: f.title,
      status: f.status,
      version: f.version,
      opensAt: f.opensAt,
      closesAt: f.closesAt,
      updatedAt: f.updatedAt,
      updatedBy: f.updatedBy,
      responseCount: await deps.responses.count(f.formId),
    })),
  );
}

export const getForm = mustGet;

/**
 * The input patterns of the items, every one shown safe against catastrophic backtracking within
 * one time budget; any other refuses the save (400 on `items.<n>.text.pattern`, in Japanese).
 */
async function safePatterns(items: FormInput['items']): Promise<string[]> {
  const withPattern = items.flatMap((item, index) =>
    item.text?.pattern && !item.retired ? [{ index, pattern: item.text.pattern, maxLength: textMaxLength(item.text) }] : [],
  );
  if (withPattern.length === 0) return [];
  const verdicts = await checkPatterns(withPattern);
  const problems = withPattern.flatMap((p, i) => {
    const verdict = verdicts[i]!;
    return verdict.safe ? [] : [{ path: `items.${p.index}.text.pattern`, message: verdict.reason }];
  });
  if (problems.length) throw new ValidationError('入力パターンに、処理が止まるおそれのあるものがあります。', problems);
  return [...new Set(withPattern.map((p) => p.pattern))];
}

/**
 * Use case: create a draft.
 * 1. A second profile form is refused (there is exactly one standard profile form).
 * 2. Store it (version 1) and audit.
 */
export async function createForm(deps: StaffFormsDeps, who: SignedIn, input: FormInput & { kind: FormKind }): Promise<Form> {
  if (input.kind === 'profile' && (await deps.forms.profileFormId())) throw new ConflictError('プロフィール登録フォームはすでにあります。');
  const checkedPatterns = await safePatterns(input.items);
  const form = { ...newForm({ ...input, by: who.account.loginId, now: deps.clock.now() }), checkedPatterns };
  if (input.kind === 'profile') {
    if ((await deps.forms.createProfile(form)) === 'exists') throw new ConflictError('プロフィール登録フォームはすでにあります。');
  } else if ((await deps.forms.create(form)) === 'exists') throw new ConflictError('同じIDのフォームがあります。');
  await recordAudit(deps, { actor: who.account.loginId, action: 'form.created', target: `form:${form.formId}`, ip: who.ip, after: formAuditSnapshot(form) });
  return form;
}

/**
 * Use case: save the form (a new version).
 *
 * 1. Refuse a stale `expectedVersion` (409) and a changed item type (earlier answers would not fit).
 * 2. Merge the items: ids stay, left-out items and choices are kept as retired.
 * 3. Save conditionally on the version read, with a snapshot of the new version; audit before/after.
 */
export async function updateForm(deps: StaffFormsDeps, who: SignedIn, formId: string, input: FormInput & { expectedVersion: number }): Promise<Form> {
  const form = await mustGet(deps, formId);
  if (form.version !== input.expectedVersion) throw new FormVersionConflictError(form.version);
  const changed = typeChanges(form.items, input.items);
  if (changed.length)
    throw new ValidationError(
      '回答済みの質問の種類は変えられません。新しい質問として追加してください。',
      changed.map((itemId) => ({ path: `items.${itemId}`, message: '種類は変えられません。' })),
    );
  const checkedPatterns = await safePatterns(input.items);
  const next = { ...editForm(form, input, who.account.loginId, deps.clock.now()), checkedPatterns };
  if (form.kind !== 'profile' && next.items.some((i) => i.attribute)) throw new ValidationError('属性の対応付けはプロフィール登録フォームだけで使えます。');
  if ((await deps.forms.save(next, form.version)) === 'conflict') throw new FormVersionConflictError((await mustGet(deps, formId)).version);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'form.updated',
    target: `form:${formId}`,
    ip: who.ip,
    before: formAuditSnapshot(form),
    after: formAuditSnapshot(next),
  });
  return next;
}

/** Use case: publish or stop publishing (the items and version stay). */
export async function setPublished(deps: StaffFormsDeps, who: SignedIn, formId: string, publish: boolean): Promise<Form> {
  const form = await mustGet(deps, formId);
  const next: Form = { ...form, status: publish ? 'published' : 'unpublished', updatedAt: deps.clock.now().toISOString(), updatedBy: who.account.loginId };
  if (form.status === next.status) return form;
  if ((await deps.forms.save(next, form.version)) === 'conflict') throw new FormVersionConflictError((await mustGet(deps, formId)).version);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: publish ? 'form.published' : 'form.unpublished',
    target: `form:${formId}`,
    ip: who.ip,
    before: { status: form.status },
    after: { status: next.status },
  });
  return next;
}

/** Use case: how many citizens answered and, per choice item, how many chose each choice (latest answers). */
export async function summarize(deps: StaffFormsDeps, formId: string): Promise<ResponseSummary> {
  const form = await mustGet(deps, formId);
  const counts = new Map<string, Record<string, number>>();
  for (const item of form.items) if (CHOICE_TYPES.has(item.type)) counts.set(item.itemId, Object.fromEntries((item.choices ?? []).map((c) => [c.choiceId, 0])));
  let responseCount = 0;
  for await (const page of deps.responses.scan(formId)) {
    for (const r of page) {
      responseCount += 1;
      for (const [itemId, perChoice] of counts) {
        const value = r.answers[itemId];
        for (const choiceId of Array.isArray(value) ? value : value === undefined ? [] : [value]) perChoice[choiceId] = (perChoice[choiceId] ?? 0) + 1;
      }
    }
  }
  return { responseCount, items: [...counts].map(([itemId, c]) => ({ itemId, counts: c })) };
}

/** Use case: one page of latest responses. */
export async function listResponses(deps: StaffFormsDeps, formId: string, cursor: string | undefined, limit: number): Promise<ResponseRowPage> {
  await mustGet(deps, formId);
  const page = await deps.responses.page(formId, cursor, limit);
  return {
    items: page.items.map((r) => ({
      userId: r.userId,
      displayName: r.displayName,
      submittedAt: r.submittedAt,
      version: r.version,
      lang: r.lang,
      answers: r.answers,
    })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/**
 * Use case: one citizen's answer to a form, as staff open it from the list or from a link in the
 * CSV: the latest answer and the earlier ones (newest first).
 */
export async function citizenAnswer(deps: StaffFormsDeps, formId: string, userId: string): Promise<CitizenAnswer> {
  await mustGet(deps, formId);
  const [latest, history] = await Promise.all([deps.responses.latest(formId, userId), deps.responses.history(formId, userId)]);
  if (!latest) throw new StaffResponseNotFoundError();
  const view = (r: FormResponse): CitizenResponse => ({
    userId: r.userId,
    displayName: r.displayName,
    submittedAt: r.submittedAt,
    version: r.version,
    lang: r.lang,
    consentedAt: r.consentedAt,
    answers: r.answers,
  });
  return {
    latest: view(latest),
    earlier: history
      .filter((r) => r.submittedAt !== latest.submittedAt)
      .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))
      .map(view),
  };
}

/** Use case: an uploaded file for staff (any citizen's, within the surveys function). */
export async function readUpload(deps: StaffFormsDeps, uploadId: string) {
  const upload = await deps.uploads.get(uploadId);
  const body = upload ? await deps.blobs.get(upload.blobKey) : null;
  if (!upload || !body) throw uploadNotFound();
  return { upload, body };
}

/** Use case: attribute definitions from the profile form (for segments). */
export async function attributeDefinitions(deps: { forms: Pick<FormRepository, 'get' | 'profileFormId'> }): Promise<AttributeDefinitions> {
  const formId = await deps.forms.profileFormId();
  const form = formId ? await deps.forms.get(formId) : null;
  const out: AttributeDefinitions['attributes'] = {};
  for (const item of form?.items ?? []) {
    if (!item.attribute || item.retired) continue;
    out[item.attribute] = {
      label: item.label.ja,
      itemId: item.itemId,
      multiple: item.type === 'multiple',
      choices: (item.choices ?? []).map((c) => ({ choiceId: c.choiceId, label: c.label.ja, retired: Boolean(c.retired) })),
    };
  }
  return { formId: form?.formId ?? null, attributes: out };
}
