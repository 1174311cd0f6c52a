/** The answers of the friends staff API (docs/friends-api.md); the console imports these types. */
import type { ConversationEntry } from '../conversations/conversation-log';
import type { FormResponse } from '../forms/form';
import type { FriendRow } from './directory';

export type { FriendRow } from './directory';

/** GET /friends query (functions/friends/staff-friends.ts `friendsQuery` checks it). */
export interface FriendsQueryInput {
  q?: string;
  status?: 'active' | 'blocked';
  language?: string;
  segmentId?: string;
  district?: string;
  ageBand?: string;
  gender?: string;
  categories?: string;
  limit?: number;
  cursor?: string;
}

export interface FriendListView {
  items: FriendRow[];
  /** Friends read for this page; with `cursor`, the list goes on (a filter may not have found a whole page yet). */
  scanned: number;
  cursor?: string;
}

export interface FriendPageView {
  friend: FriendRow;
  /** The latest answer to each form the friend answered, newest first. */
  answers: {
    formId: string;
    title: string;
    kind: string;
    submittedAt: string;
    lang: string;
    answers: FormResponse['answers'];
    /** The answered items in the form's order, in words (choice labels in Japanese). */
    readable: { itemId: string; label: string; text: string }[];
  }[];
}

export interface ConversationView {
  items: (Omit<ConversationEntry, 'at'> & { at: string })[];
  cursor?: string;
}

/** GET /friends/fields: what the list's filters offer and the attribute values' labels. */
export interface FriendFieldsView {
  /** The profile form's attributes: label and choices (Japanese). */
  attributes: Partial<Record<'district' | 'ageBand' | 'gender' | 'categories', { label: string; choices: { choiceId: string; label: string }[] }>>;
  segments: { segmentId: string; name: string }[];
}
