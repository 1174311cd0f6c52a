/**
 * The friends list of the console (友だち): friends newest first (by first follow), filtered, in
 * pages whose reading is bounded — a request reads at most `budget` friends, whatever the filter,
 * and says where to go on — so a list of 100,000 friends never costs a full read on one request.
 */
import type { AttributeName } from '../forms/vocabulary';
import type { FriendStatus } from './friend';

/** A friend as the list shows it (the friend item's fields). */
export interface FriendRow {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  language?: string;
  status: FriendStatus;
  followedAt?: string;
  blockedAt?: string;
  lastMessageAt?: string;
  attributes?: Partial<Record<AttributeName, string | string[]>>;
}

export interface DirectoryPage {
  items: FriendRow[];
  /** Friends read for this page (at most the budget). */
  scanned: number;
  /** Sealed: where the next request goes on (absent: the list is at its end). */
  cursor?: string;
}

export interface FriendDirectory {
  /**
   * Friends newest first for which `accept` holds, until `limit` were found or `budget` were read;
   * `cursor` continues from where the previous page stopped (sealed for `filterKey`: a cursor of
   * another filter is refused).
   */
  page(query: { limit: number; budget: number; cursor?: string; filterKey: string }, accept: (friend: FriendRow) => boolean): Promise<DirectoryPage>;
  /** One friend (a search by user ID). */
  get(userId: string): Promise<FriendRow | null>;
}
