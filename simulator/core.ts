import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ulid } from 'ulid';
import { FaultInjector } from './faults';
import { randomKey } from './jwt';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimitConfig } from './rate-limiter';
import { RetryKeyStore } from './retry-keys';
import { RichMenus } from './rich-menus';
import { SimState, hex, publicCitizen } from './state';
import type { Citizen, CitizenActAnswer, SimConfig, StreamEvent, WebhookResult } from './views';
import { EventStore, postWebhook, signBody } from './webhook';

export interface CoreOptions {
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId: string;
  now: () => number;
  config: SimConfig;
}

export interface RequestLogEntry {
  seq: number;
  at: number;
  method: string;
  path: string;
  endpoint: string;
  status: number;
  requestId: string;
  retryKey?: string;
  recipients?: number;
  durationMs: number;
}

interface ReplyToken {
  userId: string;
  issuedAt: number;
  used: boolean;
  redelivered: boolean;
}

const REQUEST_LOG_SIZE = 10_000;
const REDELIVERED_TOKEN_TTL_MS = 20 * 60 * 1000;
const REDELIVERY_DELAYS_MS = [1000, 2000, 4000];

export class SimCore {
  readonly now: () => number;
  state: SimState;
  retryKeys: RetryKeyStore;
  limiter: RateLimiter;
  readonly faults = new FaultInjector();
  readonly richMenus = new RichMenus();
  readonly events = new EventStore();
  readonly jwtKey = randomKey();
  readonly botUserId: string;
  readonly basicId: string;
  config: SimConfig;
  private replyTokens = new Map<string, ReplyToken>();
  private log: RequestLogEntry[] = [];
  private logSeq = 0;
  private sseClients = new Set<ServerResponse>();
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;
  stats = SimCore.emptyStats();
  /** called whenever persisted data changes */
  onChange: () => void = () => undefined;

  constructor(readonly opts: CoreOptions) {
    this.now = opts.now;
    this.config = opts.config;
    this.state = new SimState(this.now);
    this.retryKeys = new RetryKeyStore(this.now);
    this.limiter = new RateLimiter(this.config.rateLimits, this.now);
    const h = createHash('sha256').update(`civic-line-sim:${opts.channelSecret}`).digest('hex');
    this.botUserId = `U${h.slice(0, 32)}`;
    this.basicId = `@${h.slice(32, 39)}`;
  }

  static emptyStats() {
    return {
      requests: {} as Record<string, { count: number; byStatus: Record<string, number> }>,
      deliveredMessages: 0,
      recipientsDelivered: 0,
      retryKeyConflicts: 0,
      rateLimited: 0,
      webhooks: { sent: 0, failed: 0 },
    };
  }

  setConfig(patch: Partial<Omit<SimConfig, 'rateLimits' | 'quota'>> & { rateLimits?: Partial<RateLimitConfig>; quota?: Partial<SimConfig['quota']> }): void {
    if ('webhookUrl' in patch) {
      if (patch.webhookUrl) this.config.webhookUrl = patch.webhookUrl;
      else delete this.config.webhookUrl;
    }
    if (patch.webhookRedelivery !== undefined) this.config.webhookRedelivery = patch.webhookRedelivery;
    if (patch.replyTokenTtlMs !== undefined) this.config.replyTokenTtlMs = patch.replyTokenTtlMs;
    if (patch.liffApps !== undefined) this.config.liffApps = { ...patch.liffApps };
    if (patch.quota !== undefined) this.config.quota = { ...this.config.quota, ...patch.quota };
    if (patch.rateLimits !== undefined) {
      this.config.rateLimits = { ...this.config.rateLimits, ...patch.rateLimits };
      this.limiter = new RateLimiter(this.config.rateLimits, this.now);
    }
  }

  reset(): void {
    this.state = new SimState(this.now);
    this.retryKeys = new RetryKeyStore(this.now);
    this.limiter = new RateLimiter(this.config.rateLimits, this.now);
    this.faults.clear();
    this.richMenus.clear();
    this.events.clear();
    this.replyTokens.clear();
    this.log = [];
    this.stats = SimCore.emptyStats();
    this.publish({ type: 'reset' });
    this.onChange();
  }

  // ---- request log & stats ---------------------------------------------------------------------

  record(entry: Omit<RequestLogEntry, 'seq'>): void {
    const s = (this.stats.requests[entry.endpoint] ??= { count: 0, byStatus: {} });
    s.count++;
    s.byStatus[entry.status] = (s.byStatus[entry.status] ?? 0) + 1;
    if (entry.status === 429) this.stats.rateLimited++;
    if (entry.status === 409) this.stats.retryKeyConflicts++;
    this.log.push({ seq: ++this.logSeq, ...entry });
    if (this.log.length > REQUEST_LOG_SIZE * 1.1) this.log.splice(0, this.log.length - REQUEST_LOG_SIZE);
  }

  requests(filter: { since?: number; endpoint?: string; limit?: number }): RequestLogEntry[] {
    let out = this.log.slice(-REQUEST_LOG_SIZE);
    if (filter.since !== undefined) out = out.filter((e) => e.at >= filter.since!);
    if (filter.endpoint) out = out.filter((e) => e.endpoint === filter.endpoint);
    if (filter.limit !== undefined) out = out.slice(-filter.limit);
    return out;
  }

  // ---- reply tokens ----------------------------------------------------------------------------

  issueReplyToken(userId: string): string {
    const token = hex(16);
    const t = this.now();
    this.replyTokens.set(token, { userId, issuedAt: t, used: false, redelivered: false });
    if (this.replyTokens.size > 50_000) {
      for (const [k, v] of this.replyTokens) {
        if (t - v.issuedAt > REDELIVERED_TOKEN_TTL_MS) this.replyTokens.delete(k);
        else break;
      }
    }
    return token;
  }

  /** Consumes a reply token; returns the user it was issued for, or undefined when invalid. */
  useReplyToken(token: string): string | undefined {
    const t = this.replyTokens.get(token);
    if (!t || t.used) return undefined;
    const ttl = t.redelivered ? Math.max(this.config.replyTokenTtlMs, REDELIVERED_TOKEN_TTL_MS) : this.config.replyTokenTtlMs;
    if (this.now() - t.issuedAt >= ttl) return undefined;
    t.used = true;
    return t.userId;
  }

  peekReplyToken(token: string): string | undefined {
    const t = this.replyTokens.get(token);
    if (!t || t.used) return undefined;
    const ttl = t.redelivered ? Math.max(this.config.replyTokenTtlMs, REDELIVERED_TOKEN_TTL_MS) : this.config.replyTokenTtlMs;
    return this.now() - t.issuedAt >= ttl ? undefined : t.userId;
  }

  unuseReplyToken(token: string): void {
    const t = this.replyTokens.get(token);
    if (t) t.used = false;
  }

  // ---- webhook events ----------------------------------------------------------------------------

  newRequestId(): string {
    return randomUUID();
  }

  buildEvent(userId: string, type: string, extra: Record<string, unknown>, withReplyToken: boolean): Record<string, unknown> {
    const event: Record<string, unknown> = {
      type,
      mode: 'active',
      timestamp: this.now(),
      source: { type: 'user', userId },
      webhookEventId: ulid(this.now()),
      deliveryContext: { isRedelivery: false },
    };
    if (withReplyToken) event.replyToken = this.issueReplyToken(userId);
    Object.assign(event, extra);
    this.events.put(event);
    return event;
  }

  /** Signs and POSTs `{destination, events}`; schedules redelivery of failures when enabled. */
  async sendEvents(events: Record<string, unknown>[], opts: { sign?: boolean; signature?: string; redeliverOnFailure?: boolean } = {}): Promise<WebhookResult> {
    const url = this.config.webhookUrl;
    if (!url) return { status: null, ok: false, error: 'webhook_url_not_set', durationMs: 0 };
    const body = JSON.stringify({ destination: this.botUserId, events });
    const signature = opts.signature ?? (opts.sign === false ? undefined : signBody(body, this.opts.channelSecret));
    const result = await postWebhook(url, body, signature);
    this.stats.webhooks.sent++;
    if (!result.ok) this.stats.webhooks.failed++;
    this.publish({ type: 'webhook', status: result.status, ok: result.ok, eventTypes: events.map((e) => String(e.type)) });
    if (!result.ok && (opts.redeliverOnFailure ?? true) && this.config.webhookRedelivery && events.length > 0) {
      this.scheduleRedelivery(
        events.map((e) => e.webhookEventId as string),
        0,
      );
    }
    return result;
  }

  private scheduleRedelivery(ids: string[], attempt: number): void {
    if (this.closed || attempt >= REDELIVERY_DELAYS_MS.length) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed || !this.config.webhookRedelivery) return;
      void this.redeliver(ids).then((r) => {
        if (!r.ok) this.scheduleRedelivery(ids, attempt + 1);
      });
    }, REDELIVERY_DELAYS_MS[attempt]);
    timer.unref();
    this.timers.add(timer);
  }

  /** Resends stored events with deliveryContext.isRedelivery=true, same webhookEventId and replyToken. */
  async redeliver(ids: string[]): Promise<WebhookResult & { found: boolean }> {
    const events = ids.map((id) => this.events.get(id)).filter((e): e is Record<string, unknown> => !!e);
    if (events.length === 0) return { status: null, ok: false, error: 'event_not_found', durationMs: 0, found: false };
    const copies = events.map((e) => {
      if (typeof e.replyToken === 'string') {
        const t = this.replyTokens.get(e.replyToken);
        if (t) t.redelivered = true;
      }
      return { ...e, deliveryContext: { isRedelivery: true } };
    });
    const r = await this.sendEvents(copies, { redeliverOnFailure: false });
    return { ...r, found: true };
  }

  // ---- citizens' actions --------------------------------------------------------------------------

  async follow(userId: string, isUnblocked: boolean): Promise<CitizenActAnswer> {
    const c = this.state.get(userId)!;
    c.blocked = false;
    c.following = true;
    c.followedAt = this.now();
    this.citizenChanged(c);
    const event = this.buildEvent(userId, 'follow', { follow: { isUnblocked } }, true);
    return { event, webhook: await this.sendEvents([event]) };
  }

  async unfollow(userId: string): Promise<CitizenActAnswer> {
    const c = this.state.get(userId)!;
    c.blocked = true;
    this.citizenChanged(c);
    const event = this.buildEvent(userId, 'unfollow', {}, false);
    return { event, webhook: await this.sendEvents([event]) };
  }

  citizenChanged(c: Citizen): void {
    this.publish({ type: 'citizen', citizen: publicCitizen(c) });
    this.onChange();
  }

  // ---- server-sent events ---------------------------------------------------------------------------

  addSseClient(res: ServerResponse): void {
    this.sseClients.add(res);
    res.on('close', () => this.sseClients.delete(res));
  }

  get hasSseClients(): boolean {
    return this.sseClients.size > 0;
  }

  publish(data: StreamEvent): void {
    if (this.sseClients.size === 0) return;
    const line = `data: ${JSON.stringify(data)}\n\n`;
    for (const c of this.sseClients) c.write(line);
  }

  heartbeat(): void {
    for (const c of this.sseClients) c.write(': ping\n\n');
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.sseClients) c.end();
    this.sseClients.clear();
  }
}

export const DEFAULT_CONFIG = (): SimConfig => ({
  webhookRedelivery: false,
  rateLimits: { ...DEFAULT_RATE_LIMITS },
  quota: { value: 200_000, enforce: false },
  liffApps: {},
  replyTokenTtlMs: 60_000,
});
