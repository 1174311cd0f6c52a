/** 友だち (friends list and a friend's page): calls of docs/friends-api.md, with the server's own shapes (functions/friends/views.ts). */
import type { ConversationView, FriendFieldsView, FriendListView, FriendPageView, FriendsQueryInput } from '../../../functions/friends/views';
import { request, requestBlob } from './client';

export { ATTRIBUTES } from '../../../functions/forms/vocabulary';
export type { AttributeName } from '../../../functions/forms/vocabulary';
export { ATTRIBUTE_FALLBACK as ATTRIBUTE_LABELS } from '../../../functions/deliveries/rule-text';
export { LANGS, LANGUAGE_LABELS } from '../../../functions/shared/languages';
export type { ConversationView, FriendFieldsView, FriendListView, FriendPageView, FriendRow } from '../../../functions/friends/views';

/** One entry of the conversation as the API answers it (the time as ISO 8601). */
export type ConversationItem = ConversationView['items'][number];

/** The list's filters (checked by staff-friends.ts `friendsQuery`). */
export type FriendsQuery = FriendsQueryInput;

/** Friends per page of the list. */
export const PAGE_SIZE = 50;

/** Where a friend's history is read: the friends page's routes, or the 1:1 chat's (staff with only the chat function). */
export type HistorySource = '/friends' | '/chat/threads';
const f = (userId: string, base: HistorySource = '/friends') => `${base}/${encodeURIComponent(userId)}`;

export const listFriends = (query: FriendsQuery) => request<FriendListView>('GET', '/friends', { query: { limit: PAGE_SIZE, ...query } });
/** The profile form's attribute labels and the saved segments' names. */
export const friendFields = () => request<FriendFieldsView>('GET', '/friends/fields');
export const getFriend = (userId: string) => request<FriendPageView>('GET', f(userId));
export const conversation = (userId: string, cursor?: string, limit = 50, base: HistorySource = '/friends') =>
  request<ConversationView>('GET', `${f(userId, base)}/messages`, { query: { cursor, limit } });
/** A photo, video, audio or file the friend sent (from LINE; 404 when LINE no longer keeps it). */
export const contentPath = (userId: string, messageId: string, base: HistorySource = '/friends') =>
  `${f(userId, base)}/messages/${encodeURIComponent(messageId)}/content`;
export const messageContent = (userId: string, messageId: string, base: HistorySource = '/friends') => requestBlob(contentPath(userId, messageId, base));
