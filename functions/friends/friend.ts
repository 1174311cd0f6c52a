/** A LINE user who added the city's account as a friend. Blocked friends are kept with their history. */
export type FriendStatus = 'active' | 'blocked';

export interface Friend {
  userId: string;
  /** Empty for someone known only from a block that arrived before their follow. */
  displayName: string;
  pictureUrl?: string;
  /** LINE app language from the profile API (ja, en, ko, zh-Hans, zh-Hant, th …). */
  language?: string;
  status: FriendStatus;
  /** First time the user added the account (ISO 8601); missing while only a block is known. */
  followedAt?: string;
  /** Latest follow or unblock (ISO 8601). */
  lastFollowedAt?: string;
  blockedAt?: string;
  /** LINE timestamp (ms) of the event that set the status: events can arrive out of order. */
  statusEventAt: number;
  lastMessageAt?: string;
  updatedAt: string;
  /** A 1:1 chat with staff is open (functions/chat/): the bot stays out of the way. Set and removed with the chat thread. */
  chatOpen?: boolean;
  /** The citizen tapped 「写真・コメントを追加」 on a report (functions/reports/): what they send until then is added to it. */
  reportAdding?: { reportId: string; until: string };
}

export interface FollowInput {
  userId: string;
  /**
   * A stand-in follow: the friend is registered from their first message (no follow seen yet). It
   * counts as their follow; their real follow, if it arrives later, does not count again.
   */
  standIn?: boolean;
  displayName: string;
  pictureUrl?: string;
  language?: string;
  /** LINE event timestamp (ms). */
  eventAt: number;
  /** When the platform processed it. */
  at: Date;
}

/**
 * Port: friend persistence. 'applied': the event set the friend's status; 'stale': a newer status
 * event was already applied (the event is still recorded: an older follow sets the first-follow
 * date, and the day's count includes it); 'already': this very event was recorded before (a
 * retry), nothing counted twice. A block for someone not yet known is recorded too, so the follow
 * it came after can never register them as active later.
 */
export interface FriendRepository {
  get(userId: string): Promise<Friend | null>;
  recordFollow(input: FollowInput): Promise<StatusOutcome>;
  recordUnfollow(userId: string, eventAt: number, at: Date): Promise<StatusOutcome>;
  /** Notes the latest message time and returns the friend; null when no such friend is registered yet. */
  touchLastMessage(userId: string, at: Date): Promise<Friend | null>;
}

// ---- status events (follow / unfollow) in any order ------------------------------------------

export type StatusOutcome = 'applied' | 'stale' | 'already';

/** What a friend item holds of its status history (read before a status event is applied). */
export interface StatusState {
  status?: FriendStatus;
  statusEventAt?: number;
  followedAt?: string;
  /** LINE timestamps (ms) of the follow/unfollow events already recorded, newest window only. */
  seenEvents?: number[];
  /** A block of someone the platform never saw follow: counted once their follow is seen. */
  uncountedBlockAt?: number;
  /**
   * The friend was registered from a message (they followed before the platform existed, or their
   * follow is still on its way): that stand-in follow was counted, so their real follow — any
   * follow older than the stand-in — is not. A later follow (after a block) counts as usual.
   */
  standInFollowAt?: number;
}

/** How long recorded event timestamps are remembered (LINE redelivers for a shorter time; the event ledger keeps 7 days). */
export const SEEN_EVENTS_WINDOW_MS = 7 * 86_400_000;
const SEEN_EVENTS_MAX = 64;

/** One day's figure to add to: the counter and the LINE time (ms) whose Japan day it belongs to. */
export interface DayCount {
  counter: 'added' | 'blocked';
  at: number;
}

export interface StatusDecision {
  outcome: StatusOutcome;
  /** The status after the event (the current one when the event is stale). */
  status: FriendStatus;
  statusEventAt: number;
  /** The first follow after the event (the earlier of the recorded one and a follow's own time). */
  followedAt?: string;
  /** The day figures the event adds to (none for a retry). */
  counts: DayCount[];
  /** Event timestamps to keep (this one added, those older than the window dropped). */
  seenEvents: number[];
  /** What the item keeps of an uncounted block / a stand-in follow after the event (undefined: none). */
  uncountedBlockAt?: number;
  standInFollowAt?: number;
}

/**
 * Applies a follow or unfollow to what is known of the friend, whatever order LINE's events are
 * processed in (LINE promises none, and consumers run in parallel):
 * - the status is that of the newest event (by LINE's timestamp), so an older follow never undoes
 *   a newer block, and a block of someone not yet known is remembered as a blocked friend;
 * - every event counts once in its day's added/blocked figure, in whatever order it arrives —
 *   except that the friend count (added − blocked) only ever includes people the platform saw
 *   follow: a block of someone never seen to follow (a friend from before the platform) counts
 *   when, if ever, their follow arrives; a stand-in follow (a first message before any follow)
 *   counts as their follow, and the real one, arriving later, does not count again;
 * - a follow, even a stale one, can only move the first-follow date earlier.
 * Pure: the DynamoDB adapter and the tests' memory repository both write what it decides.
 */
export function decideStatus(
  current: StatusState | null | undefined,
  event: { kind: 'follow' | 'unfollow'; eventAt: number; standIn?: boolean },
): StatusDecision {
  const seen = current?.seenEvents ?? [];
  const followIso = event.kind === 'follow' ? new Date(event.eventAt).toISOString() : undefined;
  const followedAt = followIso && (!current?.followedAt || followIso < current.followedAt) ? followIso : current?.followedAt;
  const wanted: FriendStatus = event.kind === 'follow' ? 'active' : 'blocked';
  const kept = { uncountedBlockAt: current?.uncountedBlockAt, standInFollowAt: current?.standInFollowAt };
  // A retry: recorded before (items written before `seenEvents` existed: the event that set the status).
  if (seen.includes(event.eventAt) || (current?.statusEventAt === event.eventAt && current.status === wanted)) {
    return {
      outcome: 'already',
      status: current!.status ?? wanted,
      statusEventAt: current!.statusEventAt ?? event.eventAt,
      followedAt: current?.followedAt,
      counts: [],
      seenEvents: seen,
      ...kept,
    };
  }
  const newest = Math.max(event.eventAt, ...seen);
  const seenEvents = [...seen, event.eventAt]
    .filter((t) => t >= newest - SEEN_EVENTS_WINDOW_MS)
    .sort((a, b) => a - b)
    .slice(-SEEN_EVENTS_MAX);
  const counts: DayCount[] = [];
  const next = { ...kept };
  if (event.kind === 'unfollow') {
    // Someone never seen to follow: remember the block, count it with their follow.
    if (current?.followedAt === undefined) next.uncountedBlockAt = current?.uncountedBlockAt ?? event.eventAt;
    else counts.push({ counter: 'blocked', at: event.eventAt });
  } else if (event.standIn) {
    counts.push({ counter: 'added', at: event.eventAt });
    next.standInFollowAt = event.eventAt;
  } else if (current?.standInFollowAt !== undefined && event.eventAt < current.standInFollowAt) {
    // The follow a stand-in stood for (it came before their first message): counted already.
    next.standInFollowAt = undefined;
  } else {
    counts.push({ counter: 'added', at: event.eventAt });
  }
  if (event.kind === 'follow' && next.uncountedBlockAt !== undefined) {
    counts.push({ counter: 'blocked', at: next.uncountedBlockAt });
    next.uncountedBlockAt = undefined;
  }
  const newer = current?.statusEventAt === undefined || current.statusEventAt < event.eventAt;
  if (newer) return { outcome: 'applied', status: wanted, statusEventAt: event.eventAt, followedAt, counts, seenEvents, ...next };
  return { outcome: 'stale', status: current!.status!, statusEventAt: current!.statusEventAt!, followedAt, counts, seenEvents, ...next };
}
