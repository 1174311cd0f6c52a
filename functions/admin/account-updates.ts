/** Read-modify-write of a staff account with optimistic concurrency (a few retries on a concurrent change). */
import type { StaffAccount, StaffRepository } from '../staff/staff';
import { EditConflictError, RouteNotFoundError } from './errors';

/**
 * Applies `change` to the stored account and saves it. `change` may throw (a domain refusal) or
 * return null (nothing to write). Returns the account before and after.
 */
export async function updateAccount(
  staff: StaffRepository,
  loginId: string,
  change: (current: StaffAccount) => StaffAccount | null,
): Promise<{ before: StaffAccount; after: StaffAccount }> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const before = await staff.get(loginId);
    if (!before) throw new RouteNotFoundError('職員アカウントが見つかりません。');
    const changed = change(structuredClone(before));
    if (!changed) return { before, after: before };
    const after = { ...changed, version: before.version + 1 };
    if ((await staff.save(after)) === 'saved') return { before, after };
  }
  throw new EditConflictError();
}
