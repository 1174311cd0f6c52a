/** 1:1 chat (1:1チャット): calls of the staff API (functions/admin/chat-routes.ts), with the server's own shapes. */
import type { z } from 'zod';
import type { cannedBody, settingsBody } from '../../../functions/chat/schemas';
import type { InboxViewName } from '../../../functions/chat/labels';
import type {
  CannedAnswersView,
  ChatEntryView,
  ChatSettingsView,
  ChatStaffView,
  ChatStateView,
  ChatThreadView,
  InboxView,
} from '../../../functions/chat/views';
import { request } from './client';

export { CHAT_LIMITS, DEFAULT_OFFICE_HOURS } from '../../../functions/chat/model';
export type { CannedAnswer, ChatAssignee, OfficeHours } from '../../../functions/chat/model';
export { CHAT_VIA_LABELS, INBOX_VIEWS, INBOX_VIEW_LABELS, WEEKDAY_LABELS, officeHoursText } from '../../../functions/chat/labels';
export type { InboxViewName } from '../../../functions/chat/labels';
export type { CannedAnswersView, ChatSettingsView, ChatStaffView, ChatStateView, ChatThreadView, InboxView, ChatEntryView };

const t = (userId: string) => `/chat/threads/${encodeURIComponent(userId)}`;

export const getChatState = () => request<ChatStateView>('GET', '/chat/state');
export const getInbox = (view: InboxViewName, cursor?: string) => request<InboxView>('GET', '/chat/inbox', { query: { view, cursor, limit: 50 } });
export const getThread = (userId: string) => request<ChatThreadView>('GET', t(userId));
export const markThreadRead = (userId: string) => request<ChatThreadView>('POST', `${t(userId)}/read`);
export const sendChatMessage = (userId: string, body: { clientId: string; text?: string; mediaId?: string }) =>
  request<ChatEntryView>('POST', `${t(userId)}/messages`, { body });
export const addChatNote = (userId: string, body: { clientId: string; text: string }) => request<ChatEntryView>('POST', `${t(userId)}/notes`, { body });
export const assignThread = (userId: string, loginId: string | null) => request<ChatThreadView>('PUT', `${t(userId)}/assignee`, { body: { loginId } });
export const closeThread = (userId: string) => request<ChatThreadView>('POST', `${t(userId)}/close`);
export const reopenThread = (userId: string) => request<ChatThreadView>('POST', `${t(userId)}/reopen`);
export const getChatStaff = () => request<ChatStaffView>('GET', '/chat/staff');
export const getChatSettings = () => request<ChatSettingsView>('GET', '/chat/settings');
export const putChatSettings = (body: z.input<typeof settingsBody>) => request<ChatSettingsView>('PUT', '/chat/settings', { body });
export const getCanned = () => request<CannedAnswersView>('GET', '/chat/canned');
export const putCanned = (body: z.input<typeof cannedBody>) => request<CannedAnswersView>('PUT', '/chat/canned', { body });
