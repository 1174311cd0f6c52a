/**
 * Keys of the webhook capability (docs/data-model.md).
 * - Event ledger: PK WEBHOOK_EVENT#<webhookEventId>  SK LEDGER  (expiresAt: TTL after 7 days)
 */
export const eventLedgerKey = (webhookEventId: string) => ({ PK: `WEBHOOK_EVENT#${webhookEventId}`, SK: 'LEDGER' });
