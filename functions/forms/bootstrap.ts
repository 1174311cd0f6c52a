/**
 * The standard profile form at first start: local runtime on start, and the admin and LIFF
 * handlers in AWS on their first request. Idempotent: a conditional put of the profile pointer.
 */
import type { AuditLog } from '../audit/audit';
import { recordAudit } from '../audit/trail';
import type { Clock } from '../ports/clock';
import { formAuditSnapshot, newForm } from './form';
import type { FormRepository } from './ports';
import { standardProfileForm } from './profile-form';

export async function ensureProfileForm(deps: { forms: FormRepository; audit?: AuditLog; clock: Clock }): Promise<'created' | 'exists'> {
  if (await deps.forms.profileFormId()) return 'exists';
  const form = newForm({ ...standardProfileForm(), kind: 'profile', status: 'published', by: 'system', now: deps.clock.now() });
  const result = await deps.forms.createProfile(form);
  if (result === 'created' && deps.audit) {
    await recordAudit(
      { audit: deps.audit, clock: deps.clock },
      {
        actor: 'system',
        action: 'form.created',
        target: `form:${form.formId}`,
        ip: '-',
        summary: '標準のプロフィール登録フォームを作成',
        after: formAuditSnapshot(form),
      },
    );
  }
  return result;
}

/** Runs ensureProfileForm once per process (cold start); a failure is retried on the next call. */
export function onceProfileForm(deps: Parameters<typeof ensureProfileForm>[0]): () => Promise<void> {
  let pending: Promise<unknown> | undefined;
  return async () => {
    pending ??= ensureProfileForm(deps).catch((error) => {
      pending = undefined;
      throw error;
    });
    await pending;
  };
}
