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
 * LINE refused a request for good (a 4xx other than 409 and 429: e.g. a push to a user LINE does
 * not know). Retrying the same request cannot succeed: the event that caused it is recorded as
 * refused instead of going round the queue into the dead-letter queue.
 */
export class LineRequestRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly endpoint: 'profile' | 'reply' | 'push',
  ) {
    super(`LINE refused the ${endpoint} request (${status})`);
    this.name = 'LineRequestRefusedError';
  }
}

/** 4xx answers that mean "never": not 409 (retry key already accepted), 429 (rate/quota: wait) or 401 (our token: fix and retry). */
export const isPermanentLineRefusal = (status: number) => status >= 400 && status < 500 && status !== 401 && status !== 409 && status !== 429;

export interface LineGateway {
  /** The friend's profile, or null when LINE does not know them (unfollowed, blocked). */
  getProfile(userId: string): Promise<LineProfile | null>;
  /** Free reply with a webhook's reply token; throws InvalidReplyTokenError when LINE refuses the token. */
  reply(replyToken: string, messages: LineMessage[]): Promise<void>;
  /** Push with a retry key: a repeat of an accepted key is treated as success (409 from LINE). */
  push(to: string, messages: LineMessage[], retryKey: string): Promise<void>;
}
