/** A LINE user who added the city's account as a friend. Blocked friends are kept with their history. */
export type FriendStatus = 'active' | 'blocked';

export interface Friend {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  /** LINE app language from the profile API (ja, en, ko, zh-Hans, zh-Hant, th …). */
  language?: string;
  status: FriendStatus;
  /** First time the user added the account (ISO 8601). */
  followedAt: string;
  /** Latest follow or unblock (ISO 8601). */
  lastFollowedAt: string;
  blockedAt?: string;
  /** LINE timestamp (ms) of the event that set the status: events can arrive out of order. */
  statusEventAt: number;
  lastMessageAt?: string;
  updatedAt: string;
}

export interface FollowInput {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  language?: string;
  /** LINE event timestamp (ms). */
  eventAt: number;
  /** When the platform processed it. */
  at: Date;
}

/**
 * Port: friend persistence. 'stale': a newer status event was already applied;
 * 'already': this very event was applied before (a retry), nothing counted twice.
 */
export interface FriendRepository {
  get(userId: string): Promise<Friend | null>;
  recordFollow(input: FollowInput): Promise<'applied' | 'already' | 'stale'>;
  recordUnfollow(userId: string, eventAt: number, at: Date): Promise<'applied' | 'stale' | 'unknown'>;
  /** Notes the latest message time and returns the friend; null when no such friend is registered yet. */
  touchLastMessage(userId: string, at: Date): Promise<Friend | null>;
}
