/** A friend's message content from LINE's data API (api-data.line.me, or the simulator locally). */
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import type { MessageContentReader } from '../../conversations/content';
import { ENV } from '../../shared/env';
import { PayloadTooLargeError } from '../../shared/errors';
import { lineTimeoutMs, withLineTimeout } from './client';

export class LineContentReader implements MessageContentReader {
  private current?: { token: string; client: messagingApi.MessagingApiBlobClient };

  constructor(private readonly channelAccessToken: () => Promise<string>) {}

  private async client(): Promise<messagingApi.MessagingApiBlobClient> {
    const token = await this.channelAccessToken();
    if (this.current?.token !== token) {
      const baseURL = process.env[ENV.LINE_DATA_API_BASE_URL] ?? 'https://api-data.line.me';
      this.current = { token, client: new messagingApi.MessagingApiBlobClient({ channelAccessToken: token, baseURL }) };
    }
    return this.current.client;
  }

  async get(messageId: string, maxBytes: number): Promise<{ contentType: string; bytes: Buffer } | null> {
    const client = await this.client();
    try {
      return await withLineTimeout(
        (async () => {
          const { httpResponse, body } = await client.getMessageContentWithHttpInfo(messageId);
          const declared = Number(httpResponse.headers.get('content-length') ?? 0);
          if (declared > maxBytes) {
            body.destroy();
            throw new PayloadTooLargeError('このファイルは大きすぎるため、管理画面では表示できません。');
          }
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const chunk of body) {
            size += (chunk as Buffer).length;
            if (size > maxBytes) {
              body.destroy();
              throw new PayloadTooLargeError('このファイルは大きすぎるため、管理画面では表示できません。');
            }
            chunks.push(chunk as Buffer);
          }
          return { contentType: httpResponse.headers.get('content-type') ?? 'application/octet-stream', bytes: Buffer.concat(chunks) };
        })(),
        lineTimeoutMs(),
      );
    } catch (error) {
      if (error instanceof HTTPFetchError && (error.status === 404 || error.status === 410)) return null;
      throw error;
    }
  }
}
