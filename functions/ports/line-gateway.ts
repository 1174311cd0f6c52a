/**
 * What the product needs from the LINE Messaging API. The adapter in
 * adapters/line talks to api.line.me or, locally, to the LINE simulator.
 */
import type { messagingApi } from '@line/bot-sdk';

export type LineMessage = messagingApi.Message;

export interface LineProfile {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  statusMessage?: string;
  language?: string;
}

/** A reply token that LINE refused (used, expired or unknown). */
export class InvalidReplyTokenError extends Error {
  constructor() {
    super('Invalid reply token');
    this.name = 'InvalidReplyTokenError';
  }
}

/**
 * LINE refused an answer (reply or push) for good: 400 (e.g. a push to a user LINE does not know),
 * 404, 413 or 422. Retrying the same request cannot succeed, so the event that caused it is
 * recorded as refused instead of going round the queue into the dead-letter queue. Any other
 * refusal — 401 or 403 (our token, the channel's settings or plan: fixed by people, then retried),
 * 429 (rate or quota) — is not permanent and is retried (and alarms from the DLQ).
 */
export class LineRequestRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly endpoint: 'reply' | 'push',
  ) {
    super(`LINE refused the ${endpoint} request (${status})`);
    this.name = 'LineRequestRefusedError';
  }
}

/** The answers of LINE that no retry of the same request can change. */
export const isPermanentLineRefusal = (status: number) => status === 400 || status === 404 || status === 413 || status === 422;

export interface LineGateway {
  /** The friend's profile, or null when LINE does not know them (unfollowed, blocked). */
  getProfile(userId: string): Promise<LineProfile | null>;
  /** Free reply with a webhook's reply token; throws InvalidReplyTokenError when LINE refuses the token. */
  reply(replyToken: string, messages: LineMessage[]): Promise<void>;
  /** Push with a retry key: a repeat of an accepted key is treated as success (409 from LINE). */
  push(to: string, messages: LineMessage[], retryKey: string): Promise<void>;
}
