/** In-memory fakes of the ports, for use-case unit tests. */
import type { ConversationEntry, ConversationLog } from '../../functions/conversations/conversation-log';
import { decideStatus, type FollowInput, type Friend, type FriendRepository, type StatusDecision, type StatusState } from '../../functions/friends/friend';
import { jstDay } from '../../functions/shared/japan-time';
import type { Clock } from '../../functions/ports/clock';
import type { EventQueue } from '../../functions/ports/event-queue';
import { InvalidReplyTokenError, LineRequestRefusedError, type LineGateway, type LineMessage, type LineProfile } from '../../functions/ports/line-gateway';
import type { ClaimResult, EventLedger, Refusal } from '../../functions/webhook/event-ledger';

export class FakeClock implements Clock {
  constructor(public current = new Date('2026-11-24T01:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
}

export class MemoryQueue implements EventQueue {
  bodies: string[] = [];
  async sendAll(bodies: string[]): Promise<void> {
    this.bodies.push(...bodies);
  }
}

export class MemoryLedger implements EventLedger {
  states = new Map<string, 'in_progress' | 'completed'>();
  async claim(id: string): Promise<ClaimResult> {
    const state = this.states.get(id);
    if (state === 'completed') return 'done';
    if (state === 'in_progress') return 'busy';
    this.states.set(id, 'in_progress');
    return 'claimed';
  }
  async complete(id: string): Promise<void> {
    this.states.set(id, 'completed');
  }
  async release(id: string): Promise<void> {
    if (this.states.get(id) === 'in_progress') this.states.delete(id);
  }
  refusals = new Map<string, Refusal>();
  async refuse(id: string, _now: Date, refusal: Refusal): Promise<void> {
    if (this.states.get(id) === 'completed') return;
    this.states.set(id, 'completed');
    this.refusals.set(id, refusal);
  }
}

export class MemoryFriends implements FriendRepository {
  friends = new Map<string, Friend & StatusState>();
  /** Day counters as the friend statistics keep them: `yyyy-mm-dd` (Tokyo) → added / blocked. */
  days = new Map<string, { added: number; blocked: number }>();
  async get(userId: string) {
    const f = this.friends.get(userId);
    if (!f) return null;
    const { seenEvents: _seen, uncountedBlockAt: _block, standInFollowAt: _standIn, ...friend } = f;
    return friend;
  }
  private record(decision: StatusDecision) {
    for (const { counter, at } of decision.counts) {
      const day = jstDay(new Date(at));
      const d = this.days.get(day) ?? { added: 0, blocked: 0 };
      d[counter] += 1;
      this.days.set(day, d);
    }
    return { seenEvents: decision.seenEvents, uncountedBlockAt: decision.uncountedBlockAt, standInFollowAt: decision.standInFollowAt };
  }
  async recordFollow(input: FollowInput) {
    const old = this.friends.get(input.userId);
    const decision = decideStatus(old, { kind: 'follow', eventAt: input.eventAt, standIn: input.standIn });
    if (decision.outcome === 'already') return decision.outcome;
    const applied = decision.outcome === 'applied';
    const iso = new Date(input.eventAt).toISOString();
    const profile = applied || !old?.displayName ? { displayName: input.displayName, pictureUrl: input.pictureUrl, language: input.language } : {};
    this.friends.set(input.userId, {
      ...(old ?? { userId: input.userId, displayName: '', status: decision.status, statusEventAt: decision.statusEventAt, updatedAt: '' }),
      ...profile,
      ...(applied ? { status: 'active' as const, lastFollowedAt: iso, statusEventAt: input.eventAt, blockedAt: undefined } : {}),
      followedAt: decision.followedAt,
      ...this.record(decision),
      updatedAt: input.at.toISOString(),
    });
    return decision.outcome;
  }
  async recordUnfollow(userId: string, eventAt: number, at: Date) {
    const old = this.friends.get(userId);
    const decision = decideStatus(old, { kind: 'unfollow', eventAt });
    if (decision.outcome === 'already') return decision.outcome;
    const applied = decision.outcome === 'applied';
    this.friends.set(userId, {
      ...(old ?? { userId, displayName: '', status: 'blocked' as const, statusEventAt: eventAt, updatedAt: '' }),
      ...(applied ? { status: 'blocked' as const, blockedAt: new Date(eventAt).toISOString(), statusEventAt: eventAt } : {}),
      ...this.record(decision),
      updatedAt: at.toISOString(),
    });
    return decision.outcome;
  }
  async touchLastMessage(userId: string, at: Date) {
    const old = this.friends.get(userId);
    if (!old) return null;
    old.lastMessageAt = at.toISOString();
    return { ...old };
  }
}

export class MemoryConversations implements ConversationLog {
  entries: ConversationEntry[] = [];
  async append(entry: ConversationEntry) {
    this.entries.push(entry);
  }
  async list(userId: string, limit: number) {
    return this.entries
      .filter((e) => e.userId === userId)
      .reverse()
      .slice(0, limit);
  }
  /** Cursor: the count already shown (unsealed: a fake). */
  async page(userId: string, query: { limit: number; cursor?: string }) {
    const all = await this.list(userId, Number.MAX_SAFE_INTEGER);
    const from = query.cursor ? Number(query.cursor) : 0;
    const items = all.slice(from, from + query.limit);
    return { items, ...(from + query.limit < all.length ? { cursor: String(from + query.limit) } : {}) };
  }
}

export class FakeLine implements LineGateway {
  profiles = new Map<string, LineProfile>();
  replies: { replyToken: string; messages: LineMessage[] }[] = [];
  pushes: { to: string; messages: LineMessage[]; retryKey: string }[] = [];
  usedTokens = new Set<string>();
  failNextReplyWith?: Error;

  async getProfile(userId: string) {
    return this.profiles.get(userId) ?? null;
  }
  async reply(replyToken: string, messages: LineMessage[]) {
    if (this.failNextReplyWith) {
      const e = this.failNextReplyWith;
      this.failNextReplyWith = undefined;
      throw e;
    }
    if (this.usedTokens.has(replyToken)) throw new InvalidReplyTokenError();
    this.usedTokens.add(replyToken);
    this.replies.push({ replyToken, messages });
  }
  /** Users LINE does not know: a push to them is refused with 400, as LINE does. */
  unknownUsers = new Set<string>();
  async push(to: string, messages: LineMessage[], retryKey: string) {
    if (this.unknownUsers.has(to)) throw new LineRequestRefusedError(400, 'push');
    if (this.pushes.some((p) => p.retryKey === retryKey)) return;
    this.pushes.push({ to, messages, retryKey });
  }
}
