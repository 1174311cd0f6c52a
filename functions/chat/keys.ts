/**
 * Keys of the chat capability (docs/data-model.md).
 * - Thread: PK FRIEND#<userId>  SK CHAT  GSI1 CHATS#open|CHATS#closed / <lastAt ISO>#<userId> (the inbox, newest first)
 * - Settings: PK CHATS  SK #SETTINGS;  canned answers: PK CHATS  SK #CANNED
 * - Staff send marker: PK FRIEND#<userId>  SK CHATSEND#<clientId> (one message per client id: a resend is the same message)
 */
import type { ChatStatus } from './model';

export const threadKey = (userId: string) => ({ PK: `FRIEND#${userId}`, SK: 'CHAT' });
export const inboxPartition = (status: ChatStatus) => `CHATS#${status}`;
export const inboxSortKey = (lastAt: string, userId: string) => `${lastAt}#${userId}`;
export const chatSettingsKey = () => ({ PK: 'CHATS', SK: '#SETTINGS' });
export const cannedKey = () => ({ PK: 'CHATS', SK: '#CANNED' });
export const sendMarkerKey = (userId: string, clientId: string) => ({ PK: `FRIEND#${userId}`, SK: `CHATSEND#${clientId}` });
