/**
 * LineGateway on @line/bot-sdk's MessagingApiClient. The base URL comes from
 * configuration: api.line.me in production, the LINE simulator locally.
 */
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { InvalidReplyTokenError, isPermanentLineRefusal, LineRequestRefusedError, type LineGateway, type LineMessage, type LineProfile } from '../../ports/line-gateway';
import { ENV } from '../../shared/env';

const DEFAULT_TIMEOUT_MS = 10_000;

export interface MessagingApiGatewayOptions {
  channelAccessToken: string;
  baseURL?: string;
  timeoutMs?: number;
}

export class MessagingApiGateway implements LineGateway {
  private readonly client: messagingApi.MessagingApiClient;
  private readonly timeoutMs: number;

  constructor(options: MessagingApiGatewayOptions) {
    this.client = new messagingApi.MessagingApiClient({
      channelAccessToken: options.channelAccessToken,
      baseURL: options.baseURL ?? process.env[ENV.LINE_API_BASE_URL] ?? 'https://api.line.me',
    });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async getProfile(userId: string): Promise<LineProfile | null> {
    try {
      const profile = await this.withTimeout(this.client.getProfile(userId));
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
      await this.withTimeout(this.client.replyMessage({ replyToken, messages }));
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
      await this.withTimeout(this.client.pushMessage({ to, messages }, retryKey));
    } catch (error) {
      // 409: LINE already accepted this retry key, so the message was delivered once.
      if (error instanceof HTTPFetchError && error.status === 409) return;
      if (error instanceof HTTPFetchError && isPermanentLineRefusal(error.status)) throw new LineRequestRefusedError(error.status, 'push');
      throw error;
    }
  }

  /** The SDK has no timeout option; give up waiting so a hung call cannot eat the Lambda's time. */
  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`LINE API did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
