/**
 * Keys of the deliveries capability (docs/data-model.md, "Deliveries").
 * - Delivery:   PK DELIVERY#<id>  SK DELIVERY        GSI1PK DELIVERIES  GSI1SK <sortAt ISO>#<id>
 *               (sortAt: the scheduled time, else the creation time: history is newest first)
 * - Chunk:      PK DELIVERY#<id>  SK CHUNK#<00000>
 * - Link:       PK DELIVERY#<id>  SK LINK#<00>        {url, clicks}
 * - LIFF click: PK DELIVERY#<id>  SK CLICK#<00>#<userId>  (one per citizen and link to the city's LIFF app)
 * - Segment:    PK SEGMENT#<id>   SK SEGMENT          GSI1PK SEGMENTS    GSI1SK <createdAt>#<id>
 * - Recurring:  PK RECURRING#<id> SK RECURRING        GSI1PK RECURRINGS  GSI1SK <createdAt>#<id>
 * - Media:      PK MEDIA#<id>     SK MEDIA
 * - Settings:   PK SETTINGS       SK DELIVERIES
 * - Schedule:   PK SCHEDULE#<name> SK SCHEDULE       GSI1PK SCHEDULES   GSI1SK <at ISO>#<name>  (local runtime only)
 * - Receipt:    PK RECEIPTS#<nnn>  SK <planned ISO>#<deliveryId>   u = the delivery's recipients of audience bucket nnn ("\n"-joined)
 *               PK RECEIPTS#ALL    SK <planned ISO>#<deliveryId>   a broadcast (every friend at that time)
 *               (a friend's page shows the deliveries they got among their messages: one query of their bucket)
 */
export const deliveryKey = (deliveryId: string) => ({ PK: `DELIVERY#${deliveryId}`, SK: 'DELIVERY' });
export const deliveryListKey = (sortAt: string, deliveryId: string) => ({ GSI1PK: 'DELIVERIES', GSI1SK: `${sortAt}#${deliveryId}` });
export const CHUNK_PREFIX = 'CHUNK#';
export const chunkKey = (deliveryId: string, index: number) => ({ PK: `DELIVERY#${deliveryId}`, SK: `${CHUNK_PREFIX}${String(index).padStart(5, '0')}` });
export const LINK_PREFIX = 'LINK#';
export const linkKey = (deliveryId: string, linkIndex: number) => ({ PK: `DELIVERY#${deliveryId}`, SK: `${LINK_PREFIX}${String(linkIndex).padStart(2, '0')}` });
/** A citizen who opened a link to the city's LIFF app (counted once per citizen and link). */
export const linkClickKey = (deliveryId: string, linkIndex: number, userId: string) => ({
  PK: `DELIVERY#${deliveryId}`,
  SK: `CLICK#${String(linkIndex).padStart(2, '0')}#${userId}`,
});
export const segmentKey = (segmentId: string) => ({ PK: `SEGMENT#${segmentId}`, SK: 'SEGMENT' });
export const segmentListKey = (createdAt: string, segmentId: string) => ({ GSI1PK: 'SEGMENTS', GSI1SK: `${createdAt}#${segmentId}` });
export const recurringKey = (recurringId: string) => ({ PK: `RECURRING#${recurringId}`, SK: 'RECURRING' });
export const recurringListKey = (createdAt: string, recurringId: string) => ({ GSI1PK: 'RECURRINGS', GSI1SK: `${createdAt}#${recurringId}` });
export const mediaKey = (mediaId: string) => ({ PK: `MEDIA#${mediaId}`, SK: 'MEDIA' });
export const deliverySettingsKey = () => ({ PK: 'SETTINGS', SK: 'DELIVERIES' });
/** Blob keys (uploads bucket): resized originals and previews of delivery images. */
export const mediaBlobKeys = (mediaId: string, ext: 'jpg' | 'png') => ({
  originalKey: `media/${mediaId}/original.${ext}`,
  previewKey: `media/${mediaId}/preview.${ext}`,
});
/** EventBridge Scheduler / local scheduler names (≤ 64 chars, [0-9a-zA-Z-_.]). */
export const deliveryScheduleName = (deliveryId: string) => `delivery-${deliveryId}`;
export const recurringScheduleName = (recurringId: string, occurrenceAt: string) =>
  `recurring-${recurringId}-${occurrenceAt.replace(/[^0-9]/g, '').slice(0, 12)}`;
/**
 * Local scheduler only (functions/adapters/local/local-scheduler.ts; EventBridge Scheduler holds
 * schedules in AWS): PK SCHEDULE#<name> SK SCHEDULE, GSI1PK SCHEDULES GSI1SK <at ISO>#<name>.
 */
export const scheduleKey = (name: string) => ({ PK: `SCHEDULE#${name}`, SK: 'SCHEDULE' });
export const scheduleListKey = (at: string, name: string) => ({ GSI1PK: 'SCHEDULES', GSI1SK: `${at}#${name}` });
/** LINE custom aggregation unit (^[a-zA-Z0-9_]{1,30}$). */
export const aggregationUnitOf = (deliveryId: string) => `d_${deliveryId}`;
export const receiptPartition = (bucket: number | 'ALL') => `RECEIPTS#${bucket === 'ALL' ? 'ALL' : String(bucket).padStart(3, '0')}`;
export const receiptKey = (bucket: number | 'ALL', plannedAt: string, deliveryId: string) => ({
  PK: receiptPartition(bucket),
  SK: `${plannedAt}#${deliveryId}`,
});
