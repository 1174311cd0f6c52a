/**
 * Paging cursors of the DynamoDB stores: the last key read, sealed (functions/shared/sealed.ts)
 * for one query — its store and every filter that shapes the key space — so a cursor edited,
 * forged or taken from another query never reaches DynamoDB as ExclusiveStartKey (it answered
 * 500 with a ValidationException before): it is refused with 400 `invalid_cursor`.
 */
import type { ZodType } from 'zod';
import { DomainError } from '../../shared/errors';
import type { Sealer } from '../../shared/sealed';

export class InvalidCursorError extends DomainError {
  override readonly status = 400;
  override readonly code = 'invalid_cursor';
  constructor() {
    super('ページ位置（cursor）が正しくありません。一覧を最初から表示し直してください。');
  }
}

/** The purpose a cursor is sealed for: the store and the query's shape, canonically. */
const purpose = (store: string, query: Record<string, unknown>) =>
  `cursor:${store}:${JSON.stringify(
    Object.keys(query)
      .sort()
      .map((k) => [k, query[k] ?? null]),
  )}`;

export function sealCursor(sealer: Sealer, store: string, query: Record<string, unknown>, value: unknown): Promise<string> {
  return sealer.seal(purpose(store, query), value);
}

/** The cursor's value for this query, or InvalidCursorError. */
export async function openCursor<T>(sealer: Sealer, store: string, query: Record<string, unknown>, token: string, shape: ZodType<T>): Promise<T> {
  const value = await sealer.open(purpose(store, query), token);
  const parsed = value === undefined ? undefined : shape.safeParse(value);
  if (!parsed?.success) throw new InvalidCursorError();
  return parsed.data;
}
