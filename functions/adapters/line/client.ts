/**
 * The one way the platform reaches LINE's Messaging API: @line/bot-sdk's clients for the current
 * channel access token (read when needed — Secrets Manager in AWS, so a rotated token is picked up
 * without a redeploy; one client set per token), against api.line.me or the LINE simulator
 * (LINE_API_BASE_URL), and one timeout for every call (the SDK has none).
 */
import { insight, messagingApi } from '@line/bot-sdk';
import { ENV } from '../../shared/env';

/** How long a call to LINE may take before it counts as failed (LINE_SEND_TIMEOUT_MS overrides). */
export const LINE_TIMEOUT_MS = 10_000;

export function lineTimeoutMs(): number {
  const fromEnv = Number(process.env[ENV.LINE_SEND_TIMEOUT_MS]);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : LINE_TIMEOUT_MS;
}

export function lineApiBaseUrl(): string {
  return process.env[ENV.LINE_API_BASE_URL] ?? 'https://api.line.me';
}

/** A call to LINE that did not answer in time (the request may or may not have arrived). */
export class LineTimeoutError extends Error {
  constructor(ms: number) {
    super(`LINE API did not answer within ${ms} ms`);
    this.name = 'LineTimeoutError';
  }
}

/** Gives up waiting after `ms`, so a hung call cannot eat the Lambda's time. */
export function withLineTimeout<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LineTimeoutError(ms)), ms);
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}

export interface LineClientOptions {
  /** The channel access token, read for every call (cached by the caller, e.g. Powertools Parameters). */
  channelAccessToken: () => Promise<string>;
  baseURL?: string;
  timeoutMs?: number;
}

export interface LineClients {
  api: messagingApi.MessagingApiClient;
  insight: insight.InsightClient;
}

/** SDK clients for the current token, made again only when the token changes. */
export function lineClients(options: LineClientOptions): () => Promise<LineClients> {
  let current: { token: string; clients: LineClients } | undefined;
  const baseURL = options.baseURL ?? lineApiBaseUrl();
  return async () => {
    const token = await options.channelAccessToken();
    if (current?.token !== token) {
      current = {
        token,
        clients: {
          api: new messagingApi.MessagingApiClient({ channelAccessToken: token, baseURL }),
          insight: new insight.InsightClient({ channelAccessToken: token, baseURL }),
        },
      };
    }
    return current.clients;
  };
}
