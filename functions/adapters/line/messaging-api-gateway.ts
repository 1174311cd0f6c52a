/**
 * LineGateway on @line/bot-sdk's MessagingApiClient (functions/adapters/line/client.ts: the token
 * read when needed, the base URL, one timeout).
 */
import { HTTPFetchError } from '@line/bot-sdk';
import {
  InvalidReplyTokenError,
  isPermanentLineRefusal,
  LineRequestRefusedError,
  type LineGateway,
  type LineMessage,
  type LineProfile,
} from '../../ports/line-gateway';
import { lineClients, lineTimeoutMs, withLineTimeout, type LineClientOptions, type LineClients } from './client';

/** The Messaging API as the webhook consumer and the chat use it (profile, reply, push, 既読). */
export class MessagingApiGateway implements LineGateway {
  private readonly clients: () => Promise<LineClients>;
  private readonly timeoutMs: number;

  constructor(options: LineClientOptions) {
    this.clients = lineClients(options);
    this.timeoutMs = options.timeoutMs ?? lineTimeoutMs();
  }

  private async api() {
    return (await this.clients()).api;
  }

  async getProfile(userId: string): Promise<LineProfile | null> {
    try {
      const api = await this.api();
      const profile = await withLineTimeout(api.getProfile(userId), this.timeoutMs);
      return {
        userId: profile.userId,
        displayName: profile.displayName,
        pictureUrl: profile.pictureUrl,
        statusMessage: profile.statusMessage,
        language: profile.language,
      };
    } catch (error) {
      // 404: LINE has no profile for them (blocked, or not a friend). A profile is never worth
      // losing the event for: 400 likewise means "no profile"; anything else is retried.
      if (error instanceof HTTPFetchError && (error.status === 404 || error.status === 400)) return null;
      throw error;
    }
  }

  async reply(replyToken: string, messages: LineMessage[]): Promise<void> {
    try {
      const api = await this.api();
      await withLineTimeout(api.replyMessage({ replyToken, messages }), this.timeoutMs);
    } catch (error) {
      if (error instanceof HTTPFetchError && error.status === 400 && /reply token/i.test(error.body)) {
        throw new InvalidReplyTokenError();
      }
      if (error instanceof HTTPFetchError && isPermanentLineRefusal(error.status)) throw new LineRequestRefusedError(error.status, 'reply');
      throw error;
    }
  }

  async push(to: string, messages: LineMessage[], retryKey: string): Promise<void> {
    try {
      const api = await this.api();
      await withLineTimeout(api.pushMessage({ to, messages }, retryKey), this.timeoutMs);
    } catch (error) {
      // 409: LINE already accepted this retry key, so the message was delivered once.
      if (error instanceof HTTPFetchError && error.status === 409) return;
      if (error instanceof HTTPFetchError && isPermanentLineRefusal(error.status)) throw new LineRequestRefusedError(error.status, 'push');
      throw error;
    }
  }

  /** POST /v2/bot/chat/markAsRead (the 1:1 chat's 既読): a refusal is the caller's to log. */
  async markAsRead(markAsReadToken: string): Promise<void> {
    const api = await this.api();
    await withLineTimeout(api.markMessagesAsReadByToken({ markAsReadToken }), this.timeoutMs);
  }
}
