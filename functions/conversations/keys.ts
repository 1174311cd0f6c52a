/**
 * Keys of the conversations capability (docs/data-model.md).
 * - Message: PK FRIEND#<userId>  SK MSG#<ISO time>#<id>  (same partition as the friend: one query gives profile and history)
 */
export const conversationPartition = (userId: string) => `FRIEND#${userId}`;
export const conversationEntryKey = (userId: string, isoTime: string, id: string) => ({
  PK: conversationPartition(userId),
  SK: `MSG#${isoTime}#${id}`,
});
export const CONVERSATION_SK_PREFIX = 'MSG#';
