/** Items of the single table as entities: the key and type attributes are the table's, not the entity's. */
const TABLE_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'type'] as const;

/** The entity stored in `item` (its table keys and type removed). */
export function entityOf<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...item };
  for (const key of TABLE_ATTRIBUTES) delete out[key];
  return out as T;
}
