import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control-api';
import { DEFAULT_CONFIG, SimCore } from './core';
import { sendBytes, sendJson } from './http-util';
import { handleApi, isApiPath } from './messaging-api';
import { DebouncedWriter, loadState } from './persistence';
import { defaultPhoneWebDist, servePhonePage } from './phone-assets';

/**
 * LINE platform simulator: Messaging API + LINE Login verify + webhooks + a control API
 * and a phone page where people act as citizens. See docs/line-simulator.md.
 */
export interface LineSimulatorOptions {
  host?: string;
  port?: number;
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId: string;
  webhookUrl?: string;
  liffApps?: Record<string, string>;
  dataFile?: string;
  rateLimits?: { multicastPerSecond?: number; defaultPerSecond?: number; broadcastPerHour?: number; richMenuCreatePerHour?: number };
  replyTokenTtlMs?: number;
  webhookRedelivery?: boolean;
  now?: () => number;
  /**
   * The built phone page (`npm run build:web`); default `LINE_SIM_PHONE_WEB_DIST`, else
   * simulator/phone-web/dist of the repository holding the working directory.
   */
  phoneWebDist?: string;
}

export interface LineSimulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startLineSimulator(options: LineSimulatorOptions): Promise<LineSimulator> {
  const config = DEFAULT_CONFIG();
  if (options.webhookUrl) config.webhookUrl = options.webhookUrl;
  if (options.webhookRedelivery !== undefined) config.webhookRedelivery = options.webhookRedelivery;
  if (options.replyTokenTtlMs !== undefined) config.replyTokenTtlMs = options.replyTokenTtlMs;
  if (options.liffApps) config.liffApps = { ...options.liffApps };
  config.rateLimits = { ...config.rateLimits, ...stripUndefined(options.rateLimits ?? {}) };

  const core = new SimCore({
    channelSecret: options.channelSecret,
    channelAccessToken: options.channelAccessToken,
    loginChannelId: options.loginChannelId,
    now: options.now ?? Date.now,
    config,
  });

  let writer: DebouncedWriter | undefined;
  if (options.dataFile) {
    const saved = loadState(options.dataFile);
    if (saved) core.state.restore(saved);
    writer = new DebouncedWriter(options.dataFile, () => core.state.snapshot());
    const w = writer;
    core.onChange = () => w.schedule();
  }

  const phoneWebDist = options.phoneWebDist ?? defaultPhoneWebDist();
  const server = createServer((req, res) => {
    handle(core, req, res, phoneWebDist).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `Internal simulator error: ${(e as Error).message}` });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5000;

  const heartbeat = setInterval(() => core.heartbeat(), 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3100, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port: addr.port,
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        core.close();
        writer?.flush();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 200).unref();
        });
      })();
      return closing;
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function handle(core: SimCore, req: IncomingMessage, res: ServerResponse, phoneWebDist: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const path = url.pathname;
  if (isApiPath(path)) return handleApi(core, req, res, url);
  if (path === '/sim' || path.startsWith('/sim/')) return handleControl(core, req, res, url);
  if (await servePhonePage(req, res, path, phoneWebDist)) return;
  if (req.method === 'GET' && path === '/favicon.ico') return sendBytes(res, 204, '', 'image/x-icon');
  sendJson(res, 404, { message: 'Not found' });
}

export { LineSimulatorClient } from './client';
