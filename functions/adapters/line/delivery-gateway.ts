/**
 * LineDeliveryGateway on @line/bot-sdk 11.0 (MessagingApiClient, InsightClient). The base URL is
 * api.line.me in production and the LINE simulator locally. LINE's answers are mapped to what the
 * sender decides on: 409 (retry key already accepted) → `already_accepted`; 429 → LineRateLimitError
 * (with Retry-After); 5xx, network failures and timeouts → LineTransientError (retry with the same
 * key); any other 4xx → LineRejectedError (retrying cannot help).
 */
import { HTTPFetchError } from '@line/bot-sdk';
import { LineRateLimitError, LineRejectedError, LineTransientError, type LineDeliveryGateway, type SendOutcome } from '../../deliveries/ports';
import type { LineMessage } from '../../ports/line-gateway';
import { LineTimeoutError, lineClients, lineTimeoutMs, withLineTimeout, type LineClientOptions, type LineClients } from './client';

export type DeliveryGatewayOptions = LineClientOptions;

export class MessagingApiDeliveryGateway implements LineDeliveryGateway {
  private readonly client: () => Promise<LineClients>;
  private readonly timeoutMs: number;

  constructor(options: DeliveryGatewayOptions) {
    this.client = lineClients(options);
    this.timeoutMs = options.timeoutMs ?? lineTimeoutMs();
  }

  async multicast(to: string[], messages: LineMessage[], retryKey: string, aggregationUnit?: string): Promise<SendOutcome> {
    const { api } = await this.client();
    return this.send(() => api.multicastWithHttpInfo({ to, messages, ...(aggregationUnit ? { customAggregationUnits: [aggregationUnit] } : {}) }, retryKey));
  }

  async push(to: string, messages: LineMessage[], retryKey: string, aggregationUnit?: string): Promise<SendOutcome> {
    const { api } = await this.client();
    return this.send(() => api.pushMessageWithHttpInfo({ to, messages, ...(aggregationUnit ? { customAggregationUnits: [aggregationUnit] } : {}) }, retryKey));
  }

  async broadcast(messages: LineMessage[], retryKey: string): Promise<SendOutcome> {
    const { api } = await this.client();
    return this.send(() => api.broadcastWithHttpInfo({ messages }, retryKey));
  }

  async quota(): Promise<{ limit: number | null; used: number }> {
    const { api } = await this.client();
    const [quota, consumption] = await Promise.all([this.call(() => api.getMessageQuota()), this.call(() => api.getMessageQuotaConsumption())]);
    return { limit: quota.type === 'limited' ? (quota.value ?? null) : null, used: consumption.totalUsage };
  }

  async aggregationUnitsUsed(): Promise<number> {
    const { api } = await this.client();
    return (await this.call(() => api.getAggregationUnitUsage())).numOfCustomAggregationUnits;
  }

  async unitStatistics(unit: string, from: string, to: string): Promise<{ uniqueImpression: number | null; uniqueClick: number | null } | null> {
    const { insight: client } = await this.client();
    try {
      const stats = await this.call(() => client.getStatisticsPerUnit(unit, from, to));
      return { uniqueImpression: stats.overview?.uniqueImpression ?? null, uniqueClick: stats.overview?.uniqueClick ?? null };
    } catch (error) {
      // LINE has nothing for this unit and window (never used, or outside the statistics window).
      if (error instanceof LineRejectedError && (error.status === 400 || error.status === 404)) return null;
      throw error;
    }
  }

  async requestStatistics(requestId: string): Promise<{ uniqueImpression: number | null; uniqueClick: number | null } | null> {
    const { insight: client } = await this.client();
    try {
      const stats = await this.call(() => client.getMessageEvent(requestId));
      return { uniqueImpression: stats.overview?.uniqueImpression ?? null, uniqueClick: stats.overview?.uniqueClick ?? null };
    } catch (error) {
      if (error instanceof LineRejectedError && (error.status === 400 || error.status === 404)) return null;
      throw error;
    }
  }

  private async send(request: () => Promise<{ httpResponse: Response }>): Promise<SendOutcome> {
    try {
      const { httpResponse } = await this.call(request);
      const requestId = httpResponse.headers.get('x-line-request-id') ?? undefined;
      return { kind: 'accepted', ...(requestId ? { requestId } : {}) };
    } catch (error) {
      if (error instanceof AlreadyAccepted) return { kind: 'already_accepted', ...(error.requestId ? { requestId: error.requestId } : {}) };
      throw error;
    }
  }

  /** Runs one SDK call with the timeout and maps its failure to the sender's error classes. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await withLineTimeout(request(), this.timeoutMs);
    } catch (error) {
      throw mapError(error);
    }
  }
}

class AlreadyAccepted extends Error {
  constructor(readonly requestId?: string) {
    super('retry key already accepted');
  }
}

/** Retry-After is seconds (or an HTTP date) per RFC 9110. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function mapError(error: unknown): Error {
  if (error instanceof HTTPFetchError) {
    if (error.status === 409) return new AlreadyAccepted(error.headers.get('x-line-accepted-request-id') ?? undefined);
    if (error.status === 429) return new LineRateLimitError(retryAfterMs(error.headers.get('retry-after')));
    if (error.status >= 500) return new LineTransientError(`LINE answered ${error.status}`, error.status);
    return new LineRejectedError(`LINE refused the request (${error.status}): ${lineMessage(error.body)}`, error.status);
  }
  if (error instanceof LineTimeoutError) return new LineTransientError(error.message);
  // fetch failed: connection refused/reset, DNS… — the request may or may not have arrived.
  if (error instanceof TypeError || (error as { code?: string })?.code) return new LineTransientError(`network error: ${(error as Error).message}`);
  return error instanceof Error ? error : new Error(String(error));
}

function lineMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string; details?: { message?: string; property?: string }[] };
    const details = (parsed.details ?? []).map((d) => `${d.property ?? ''} ${d.message ?? ''}`.trim()).join('; ');
    return [parsed.message, details].filter(Boolean).join(': ').slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}
