/**
 * A LineGateway that fetches the channel access token when needed (Secrets
 * Manager, cached by Powertools) and keeps one SDK client per token, so a
 * rotated token is picked up without a redeploy.
 */
import type { LineGateway, LineMessage, LineProfile } from '../../ports/line-gateway';
import type { LineCredentials } from '../aws/line-credentials';
import { MessagingApiGateway } from './messaging-api-gateway';

export class CredentialedLineGateway implements LineGateway {
  private current?: { token: string; gateway: MessagingApiGateway };

  constructor(private readonly credentials: () => Promise<LineCredentials>) {}

  private async gateway(): Promise<MessagingApiGateway> {
    const { channelAccessToken } = await this.credentials();
    if (this.current?.token !== channelAccessToken) {
      this.current = { token: channelAccessToken, gateway: new MessagingApiGateway({ channelAccessToken }) };
    }
    return this.current.gateway;
  }

  async getProfile(userId: string): Promise<LineProfile | null> {
    return (await this.gateway()).getProfile(userId);
  }

  async reply(replyToken: string, messages: LineMessage[]): Promise<void> {
    return (await this.gateway()).reply(replyToken, messages);
  }

  async push(to: string, messages: LineMessage[], retryKey: string): Promise<void> {
    return (await this.gateway()).push(to, messages, retryKey);
  }
}
