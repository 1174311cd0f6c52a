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

export interface LineGateway {
  /** The friend's profile, or null when LINE does not know them (unfollowed, blocked). */
  getProfile(userId: string): Promise<LineProfile | null>;
  /** Free reply with a webhook's reply token; throws InvalidReplyTokenError when LINE refuses the token. */
  reply(replyToken: string, messages: LineMessage[]): Promise<void>;
  /** Push with a retry key: a repeat of an accepted key is treated as success (409 from LINE). */
  push(to: string, messages: LineMessage[], retryKey: string): Promise<void>;
}
