/**
 * Keys of the webhook capability (docs/data-model.md).
 * - Event ledger: PK WEBHOOK_EVENT#<webhookEventId>  SK LEDGER  (expiresAt: TTL after 7 days; refused: 90 days, GSI1 below)
 */
export const eventLedgerKey = (webhookEventId: string) => ({ PK: `WEBHOOK_EVENT#${webhookEventId}`, SK: 'LEDGER' });
/** Refused events by time (GSI1): GSI1PK WEBHOOK_REFUSALS  GSI1SK <refusedAt ISO>#<id>. */
export const REFUSALS_LIST_PK = 'WEBHOOK_REFUSALS';
export const refusalListKey = (refusedAt: string, id: string) => ({ GSI1PK: REFUSALS_LIST_PK, GSI1SK: `${refusedAt}#${id}` });
