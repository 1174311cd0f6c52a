import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLineSimulator, type LineSimulator, type LineSimulatorOptions } from '../../../simulator/index';
import { LineSimulatorClient } from '../../../simulator/client';

export const CHANNEL_SECRET = 'test-channel-secret';
export const ACCESS_TOKEN = 'test-access-token';
export const LOGIN_CHANNEL_ID = '2000000000';

export interface ReceivedWebhook {
  rawBody: string;
  signature: string | undefined;
  contentType: string | undefined;
  body: { destination: string; events: Array<Record<string, any>> };
}

/** A tiny webhook receiver on 127.0.0.1:0. `status` may be changed to make deliveries fail. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  status = 200;
  delayMs = 0;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        this.received.push({
          rawBody,
          signature: req.headers['x-line-signature'] as string | undefined,
          contentType: req.headers['content-type'],
          body: JSON.parse(rawBody),
        });
        const answer = () => {
          res.statusCode = this.status;
          res.end();
        };
        if (this.delayMs) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
    return this;
  }

  events(): Array<Record<string, any>> {
    return this.received.flatMap((r) => r.body.events);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Harness {
  sim: LineSimulator;
  client: LineSimulatorClient;
  webhook: WebhookReceiver;
  api: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any; headers: Headers }>;
  close: () => Promise<void>;
}

export async function startHarness(options: Partial<LineSimulatorOptions> = {}): Promise<Harness> {
  const webhook = await new WebhookReceiver().start();
  const sim = await startLineSimulator({
    host: '127.0.0.1',
    port: 0,
    channelSecret: CHANNEL_SECRET,
    channelAccessToken: ACCESS_TOKEN,
    loginChannelId: LOGIN_CHANNEL_ID,
    webhookUrl: webhook.url,
    ...options,
  });
  const client = new LineSimulatorClient(sim.url);
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ACCESS_TOKEN}`,
        ...(body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' || Buffer.isBuffer(body) ? (body as string) : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* binary */
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };
  return {
    sim,
    client,
    webhook,
    api,
    close: async () => {
      await sim.close();
      await webhook.close();
    },
  };
}

export const text = (t: string) => ({ type: 'text', text: t });
export const uuid = () => crypto.randomUUID();
