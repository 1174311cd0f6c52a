/**
 * The local stand-in for API Gateway (HTTP API, payload v2): turns each HTTP
 * request into an APIGatewayProxyEventV2, calls the same Lambda handler AWS
 * runs, and writes its result back. Routes use API Gateway's syntax:
 * `POST /webhook`, `ANY /api/admin/{proxy+}`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { localContext } from '../functions/adapters/local/lambda-context';

/** A result may carry `bodyStream` (a Node Readable, see functions/shared/http.ts StreamedResult): piped out as it is produced. */
export type HttpResult = APIGatewayProxyStructuredResultV2 & { bodyStream?: Readable };
export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult | string | void>;

export interface Route {
  /** e.g. `POST /webhook` or `ANY /api/admin/{proxy+}` */
  routeKey: string;
  handler: HttpHandler;
  functionName: string;
  timeoutMs?: number;
}

/** Anything that is not an API route (the SPA, LIFF pages): gets the raw request. */
export type FallbackHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** API Gateway's payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Refusals of the gateway itself, in the API's error shape (`{"error":{"code","message"}}`,
 * functions/shared/http.ts) with a Japanese message, so the console and the LIFF pages show them
 * like any other error.
 */
export const GATEWAY_REFUSALS = {
  400: { code: 'bad_request', message: 'URLの形式に誤りがあります。' },
  404: { code: 'not_found', message: 'お探しのページ・データは見つかりませんでした。' },
  413: { code: 'payload_too_large', message: '送信内容が大きすぎます。' },
  431: { code: 'headers_too_large', message: '送信されたヘッダーが大きすぎます。ブラウザーのCookieを削除してから、もう一度お試しください。' },
  500: { code: 'internal_error', message: 'サーバー内部でエラーが発生しました。時間をおいて再度お試しください。' },
} as const;
export type GatewayRefusal = keyof typeof GATEWAY_REFUSALS;

/** The JSON body of a gateway refusal. */
export const refusalBody = (status: GatewayRefusal) => JSON.stringify({ error: GATEWAY_REFUSALS[status] });

/** Writes a gateway refusal (JSON, no-store). */
export function refuse(res: ServerResponse, status: GatewayRefusal): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
    .end(refusalBody(status));
}

/** A percent-decoded path segment, or null when its encoding is malformed (`%ff`, `%e3%81`). */
function decodeSegment(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript))/i;

interface CompiledRoute extends Route {
  method: string;
  pattern: RegExp;
  params: string[];
}

function compile(route: Route): CompiledRoute {
  const [method, path] = route.routeKey.split(' ');
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const greedy = segment.match(/^\{(\w+)\+\}$/);
      if (greedy) {
        params.push(greedy[1]);
        return '(.+)';
      }
      const param = segment.match(/^\{(\w+)\}$/);
      if (param) {
        params.push(param[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, method, pattern: new RegExp(`^${source}$`), params };
}

export class HttpGateway {
  private readonly routes: CompiledRoute[];
  private server?: Server;

  constructor(
    routes: Route[],
    private readonly fallback?: FallbackHandler,
  ) {
    this.routes = routes.map(compile);
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        console.error('[gateway] unexpected error', error);
        if (!res.headersSent) refuse(res, 500);
        else res.end();
      });
    });
    // Requests Node refuses before any handler (headers over its limit, malformed HTTP): the same
    // JSON shape instead of Node's bare status line.
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) return void socket.destroy();
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = refusalBody(status);
      const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let match: { route: CompiledRoute; values: string[] } | undefined;
    for (const route of this.routes) {
      if (route.method !== 'ANY' && route.method !== method) continue;
      const m = url.pathname.match(route.pattern);
      if (m) {
        match = { route, values: m.slice(1) };
        break;
      }
    }
    if (!match) {
      if (this.fallback) return this.fallback(req, res);
      return refuse(res, 404);
    }
    // Path parameters arrive decoded, as API Gateway passes them; a malformed escape is the caller's error.
    const decoded = match.values.map(decodeSegment);
    if (decoded.some((v) => v === null)) {
      req.resume();
      return refuse(res, 400);
    }

    const body = await readBody(req);
    if (body === null) return refuse(res, 413);
    const event = toEvent(req, url, method, body, match.route, decoded as string[]);
    const result = await match.route.handler(event, localContext(match.route.functionName, match.route.timeoutMs ?? 30_000));
    await writeResult(res, result);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toEvent(req: IncomingMessage, url: URL, method: string, body: Buffer, route: CompiledRoute, values: string[]): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined || key === 'cookie') continue;
    headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = req.headers.cookie
    ? req.headers.cookie
        .split(';')
        .map((c) => c.trim())
        .filter(Boolean)
    : undefined;
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const pathParameters = Object.fromEntries(route.params.map((p, i) => [p, values[i]]));
  const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    cookies,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: route.params.length ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !isText,
  };
}

async function writeResult(res: ServerResponse, result: HttpResult | string | void): Promise<void> {
  if (result === undefined || typeof result === 'string') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(result ?? '');
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(result.headers ?? {})) headers[key] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  if (result.bodyStream) {
    // Chunked transfer: rows leave as they are made, memory stays flat; a failure mid-way cuts the response.
    res.writeHead(result.statusCode ?? 200, headers);
    await pipeline(result.bodyStream, res).catch((error) => {
      console.error('[gateway] streamed response failed', error);
      res.destroy();
    });
    return;
  }
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.writeHead(result.statusCode ?? 200, headers).end(body);
}
