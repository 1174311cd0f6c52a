/** In-memory fakes of the ports, for use-case unit tests. */
import type { ConversationEntry, ConversationLog } from '../../functions/conversations/conversation-log';
import type { FollowInput, Friend, FriendRepository } from '../../functions/friends/friend';
import type { Clock } from '../../functions/ports/clock';
import type { EventQueue } from '../../functions/ports/event-queue';
import { InvalidReplyTokenError, type LineGateway, type LineMessage, type LineProfile } from '../../functions/ports/line-gateway';
import type { ClaimResult, EventLedger } from '../../functions/webhook/event-ledger';

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
}

export class MemoryFriends implements FriendRepository {
  friends = new Map<string, Friend>();
  async get(userId: string) {
    return this.friends.get(userId) ?? null;
  }
  async recordFollow(input: FollowInput) {
    const old = this.friends.get(input.userId);
    if (old && old.statusEventAt === input.eventAt && old.status === 'active') return 'already' as const;
    if (old && old.statusEventAt >= input.eventAt) return 'stale' as const;
    const iso = new Date(input.eventAt).toISOString();
    this.friends.set(input.userId, {
      userId: input.userId,
      displayName: input.displayName,
      pictureUrl: input.pictureUrl,
      language: input.language,
      status: 'active',
      followedAt: old?.followedAt ?? iso,
      lastFollowedAt: iso,
      statusEventAt: input.eventAt,
      updatedAt: input.at.toISOString(),
    });
    return 'applied' as const;
  }
  async recordUnfollow(userId: string, eventAt: number, at: Date) {
    const old = this.friends.get(userId);
    if (!old) return 'unknown' as const;
    if (old.statusEventAt >= eventAt) return 'stale' as const;
    this.friends.set(userId, { ...old, status: 'blocked', blockedAt: new Date(eventAt).toISOString(), statusEventAt: eventAt, updatedAt: at.toISOString() });
    return 'applied' as const;
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
    return this.entries.filter((e) => e.userId === userId).reverse().slice(0, limit);
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
  async push(to: string, messages: LineMessage[], retryKey: string) {
    if (this.pushes.some((p) => p.retryKey === retryKey)) return;
    this.pushes.push({ to, messages, retryKey });
  }
}
