/** Typed client for the simulator's control API (/sim/*). Uses global fetch. */
import type { RequestLogEntry } from './core';
import type { Citizen, CitizenMessageBody, SimConfigView, WebhookResult } from './views';

export type SimCitizen = Citizen;

export type SimWebhookResult = WebhookResult;

export type SimEvent = Record<string, unknown> & { type: string; webhookEventId: string; replyToken?: string; timestamp: number };

export interface SimReceivedMessage {
  id: string;
  source: 'reply' | 'push' | 'multicast' | 'broadcast';
  message: Record<string, unknown> & { type: string };
  requestId: string;
  retryKey?: string;
  aggregationUnit?: string;
  sentAt: number;
  openedAt?: number;
}

export interface SimFault {
  endpoint: 'multicast' | 'push' | 'broadcast' | 'reply' | 'profile' | '*' | (string & {});
  status?: 429 | 500 | 502 | 503;
  when?: 'before' | 'after';
  count?: number;
  probability?: number;
  delayMs?: number;
  /** Only requests with this X-Line-Retry-Key. */
  retryKey?: string;
}

export type SimConfig = SimConfigView;

export interface SimConfigPatch {
  webhookUrl?: string | null;
  webhookRedelivery?: boolean;
  rateLimits?: Partial<SimConfig['rateLimits']>;
  quota?: Partial<SimConfig['quota']>;
  liffApps?: Record<string, string>;
  replyTokenTtlMs?: number;
}

export interface SimStats {
  requests: Record<string, { count: number; byStatus: Record<string, number> }>;
  deliveredMessages: number;
  recipientsDelivered: number;
  retryKeyConflicts: number;
  rateLimited: number;
  webhooks: { sent: number; failed: number };
}

export type SimRequestLogEntry = RequestLogEntry;

export interface SimUnitRecipients {
  unit: string;
  requests: number;
  recipientEntries: number;
  distinctRecipients: number;
  /** ms epoch (simulator clock) of the first and last request, null when none. */
  firstSentAt: number | null;
  lastSentAt: number | null;
  counts: Record<string, number>;
}

export interface CreateCitizenInput {
  displayName: string;
  language?: string;
  pictureUrl?: string;
  statusMessage?: string;
  follow?: boolean;
  /** optional fixed id ('U' + 32 lowercase hex) */
  userId?: string;
}

export class LineSimulatorError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`simulator ${what} failed: ${status} ${JSON.stringify(body)}`);
  }
}

export class LineSimulatorClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new LineSimulatorError(res.status, parsed, `${method} ${path}`);
    return parsed as T;
  }

  private u(userId: string): string {
    return `/sim/citizens/${encodeURIComponent(userId)}`;
  }

  createCitizen(input: CreateCitizenInput): Promise<{ citizen: SimCitizen; webhook?: SimWebhookResult & { event: SimEvent } }> {
    return this.call('POST', '/sim/citizens', input);
  }

  /** Creates `count` friends at once (for benchmarks); follow webhooks only when sendWebhooks is true. */
  /** `blocked`: 0-based positions created as friends who blocked the account (no webhooks). */
  createCitizens(input: {
    count: number;
    displayNamePrefix?: string;
    languages?: string[];
    follow?: boolean;
    sendWebhooks?: boolean;
    blocked?: number[];
  }): Promise<{ userIds: string[]; webhooks: number }> {
    return this.call('POST', '/sim/citizens/bulk', input);
  }

  listCitizens(): Promise<SimCitizen[]> {
    return this.call('GET', '/sim/citizens');
  }

  getCitizen(userId: string): Promise<SimCitizen> {
    return this.call('GET', this.u(userId));
  }

  sendText(userId: string, text: string): Promise<{ event: SimEvent; webhook: SimWebhookResult }> {
    return this.call('POST', `${this.u(userId)}/messages`, { type: 'text', text } satisfies CitizenMessageBody);
  }

  sendPostback(
    userId: string,
    data: string,
    opts: { displayText?: string; params?: Record<string, string> } = {},
  ): Promise<{ event: SimEvent; webhook: SimWebhookResult }> {
    return this.call('POST', `${this.u(userId)}/messages`, { type: 'postback', data, ...opts } satisfies CitizenMessageBody);
  }

  sendImage(userId: string, content: Buffer | Uint8Array | string, contentType = 'image/jpeg'): Promise<{ event: SimEvent; webhook: SimWebhookResult }> {
    const contentBase64 = typeof content === 'string' ? content : Buffer.from(content).toString('base64');
    return this.call('POST', `${this.u(userId)}/messages`, { type: 'image', contentBase64, contentType } satisfies CitizenMessageBody);
  }

  /**
   * Several images chosen at once (2 to 20), as LINE sends them: one image message event per image,
   * each with the set's `imageSet` {id, index 1..total, total}, all in one webhook request.
   */
  sendImages(
    userId: string,
    images: { content: Buffer | Uint8Array | string; contentType?: string }[],
  ): Promise<{ event: SimEvent; events: SimEvent[]; webhook: SimWebhookResult }> {
    const body = {
      type: 'images',
      images: images.map((i) => ({
        contentBase64: typeof i.content === 'string' ? i.content : Buffer.from(i.content).toString('base64'),
        contentType: i.contentType ?? 'image/jpeg',
      })),
    } satisfies CitizenMessageBody;
    return this.call('POST', `${this.u(userId)}/messages`, body);
  }

  sendLocation(
    userId: string,
    loc: { title?: string; address: string; latitude: number; longitude: number },
  ): Promise<{ event: SimEvent; webhook: SimWebhookResult }> {
    return this.call('POST', `${this.u(userId)}/messages`, { type: 'location', ...loc } satisfies CitizenMessageBody);
  }

  sendSticker(userId: string, packageId: string, stickerId: string): Promise<{ event: SimEvent; webhook: SimWebhookResult }> {
    return this.call('POST', `${this.u(userId)}/messages`, { type: 'sticker', packageId, stickerId } satisfies CitizenMessageBody);
  }

  block(userId: string): Promise<{ citizen: SimCitizen; event: SimEvent; webhook: SimWebhookResult }> {
    return this.call('POST', `${this.u(userId)}/block`);
  }

  unblock(userId: string): Promise<{ citizen: SimCitizen; event: SimEvent; webhook: SimWebhookResult }> {
    return this.call('POST', `${this.u(userId)}/unblock`);
  }

  /** Messages the account sent to this citizen. `since` = epoch ms. */
  received(userId: string, since?: number): Promise<SimReceivedMessage[]> {
    return this.call('GET', `${this.u(userId)}/received${since !== undefined ? `?since=${since}` : ''}`);
  }

  /** Polls `received` until `predicate` holds (default: at least one message); throws after timeoutMs. */
  async waitForReceived(
    userId: string,
    predicate: (m: SimReceivedMessage[]) => boolean = (m) => m.length > 0,
    timeoutMs = 5000,
  ): Promise<SimReceivedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await this.received(userId);
      if (predicate(got)) return got;
      if (Date.now() > deadline) throw new Error(`timed out waiting for messages to ${userId}; last: ${JSON.stringify(got).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Marks messages opened. Without requestId/messageId: everything this citizen has not opened yet. */
  markOpened(input: { userId: string; requestId?: string; messageId?: string }): Promise<{ marked: number }> {
    return this.call('POST', '/sim/opens', input);
  }

  markClicked(input: { userId: string; requestId?: string; messageId?: string; url?: string }): Promise<{ marked: number }> {
    return this.call('POST', '/sim/clicks', input);
  }

  redeliver(webhookEventId: string): Promise<SimWebhookResult> {
    return this.call('POST', '/sim/webhook/redeliver', { webhookEventId });
  }

  postWebhookEvents(events: unknown[], opts: { sign?: boolean; signature?: string } = {}): Promise<SimWebhookResult> {
    return this.call('POST', '/sim/webhook/events', { events, ...opts });
  }

  setFaults(faults: SimFault | SimFault[]): Promise<{ faults: SimFault[] }> {
    return this.call('POST', '/sim/faults', Array.isArray(faults) ? { faults } : faults);
  }

  clearFaults(): Promise<{ faults: SimFault[] }> {
    return this.call('DELETE', '/sim/faults');
  }

  stats(): Promise<SimStats> {
    return this.call('GET', '/sim/stats');
  }

  /** Recipients of every request sent with this custom aggregation unit, with how many requests reached each. */
  unitRecipients(unit: string): Promise<SimUnitRecipients> {
    return this.call('GET', `/sim/units/${encodeURIComponent(unit)}/recipients`);
  }

  /** Who one request (by its x-line-request-id) reached. */
  requestRecipients(requestId: string): Promise<{ requestId: string; source: string; sentAt: number; recipients: string[] }> {
    return this.call('GET', `/sim/requests/${encodeURIComponent(requestId)}/recipients`);
  }

  requests(query: { since?: number; endpoint?: string; limit?: number } = {}): Promise<SimRequestLogEntry[]> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
    const s = qs.toString();
    return this.call('GET', `/sim/requests${s ? `?${s}` : ''}`);
  }

  /** A LIFF ID token for this citizen. issuer/audience overrides exist to test verification errors. */
  issueIdToken(input: { userId: string; nonce?: string; expiresInSec?: number; audience?: string; issuer?: string }): Promise<{ idToken: string }> {
    return this.call('POST', '/sim/liff/token', input);
  }

  getConfig(): Promise<SimConfig> {
    return this.call('GET', '/sim/config');
  }

  setConfig(patch: SimConfigPatch): Promise<SimConfig> {
    return this.call('PUT', '/sim/config', patch);
  }

  reset(): Promise<{ ok: true }> {
    return this.call('POST', '/sim/reset');
  }
}
