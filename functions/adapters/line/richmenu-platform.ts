/** LINE's rich menu endpoints (api.line.me and api-data.line.me, or the simulator locally) for functions/richmenus/. */
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { RichMenuRateLimitError, type LineRichMenu, type RichMenuPlatform } from '../../richmenus/ports';
import { ENV } from '../../shared/env';
import { lineClients, lineTimeoutMs, withLineTimeout } from './client';

export class LineRichMenuPlatform implements RichMenuPlatform {
  private readonly clients: ReturnType<typeof lineClients>;
  private blob?: { token: string; client: messagingApi.MessagingApiBlobClient };

  constructor(private readonly channelAccessToken: () => Promise<string>) {
    this.clients = lineClients({ channelAccessToken });
  }

  private async blobClient(): Promise<messagingApi.MessagingApiBlobClient> {
    const token = await this.channelAccessToken();
    if (this.blob?.token !== token) {
      const baseURL = process.env[ENV.LINE_DATA_API_BASE_URL] ?? 'https://api-data.line.me';
      this.blob = { token, client: new messagingApi.MessagingApiBlobClient({ channelAccessToken: token, baseURL }) };
    }
    return this.blob.client;
  }

  async create(menu: LineRichMenu): Promise<string> {
    const { api } = await this.clients();
    try {
      const answer = await withLineTimeout(api.createRichMenu(menu as unknown as messagingApi.RichMenuRequest), lineTimeoutMs());
      return answer.richMenuId;
    } catch (error) {
      if (error instanceof HTTPFetchError && error.status === 429) throw new RichMenuRateLimitError();
      throw error;
    }
  }

  async uploadImage(lineRichMenuId: string, bytes: Buffer, contentType: string): Promise<void> {
    const client = await this.blobClient();
    await withLineTimeout(client.setRichMenuImage(lineRichMenuId, new Blob([new Uint8Array(bytes)], { type: contentType })), lineTimeoutMs());
  }

  async setDefault(lineRichMenuId: string): Promise<void> {
    const { api } = await this.clients();
    await withLineTimeout(api.setDefaultRichMenu(lineRichMenuId), lineTimeoutMs());
  }

  async cancelDefault(): Promise<void> {
    const { api } = await this.clients();
    try {
      await withLineTimeout(api.cancelDefaultRichMenu(), lineTimeoutMs());
    } catch (error) {
      if (!(error instanceof HTTPFetchError && error.status === 404)) throw error;
    }
  }

  async remove(lineRichMenuId: string): Promise<void> {
    const { api } = await this.clients();
    try {
      await withLineTimeout(api.deleteRichMenu(lineRichMenuId), lineTimeoutMs());
    } catch (error) {
      if (!(error instanceof HTTPFetchError && error.status === 404)) throw error;
    }
  }

  async linkUsers(lineRichMenuId: string, userIds: string[]): Promise<void> {
    const { api } = await this.clients();
    await withLineTimeout(api.linkRichMenuIdToUsers({ richMenuId: lineRichMenuId, userIds }), lineTimeoutMs());
  }

  async unlinkUsers(userIds: string[]): Promise<void> {
    const { api } = await this.clients();
    await withLineTimeout(api.unlinkRichMenuIdFromUsers({ userIds }), lineTimeoutMs());
  }

  async linkUser(userId: string, lineRichMenuId: string): Promise<void> {
    const { api } = await this.clients();
    await withLineTimeout(api.linkRichMenuIdToUser(userId, lineRichMenuId), lineTimeoutMs());
  }

  async unlinkUser(userId: string): Promise<void> {
    const { api } = await this.clients();
    try {
      await withLineTimeout(api.unlinkRichMenuIdFromUser(userId), lineTimeoutMs());
    } catch (error) {
      // No link to remove is not an error.
      if (!(error instanceof HTTPFetchError && error.status === 404)) throw error;
    }
  }
}
