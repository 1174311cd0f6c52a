import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { SimCore } from './core';
import { faultBody } from './faults';
import { delay, parseJson, readBody, sendBytes, sendJson } from './http-util';
import { verifyIdToken } from './jwt';
import type { RateGroup } from './rate-limiter';
import { deliveryMessageId, publicCitizen, quotaCost, type CitizenRecord, type Delivery } from './state';
import type { DeliverySource } from './views';
import { DAY_MS, tokyoDayStart } from './time';
import { LIMITS, validateRichMenu, validateSendRequest, type SendKind } from './validation';

/** The Messaging API (api.line.me + api-data.line.me paths) and the LINE Login verify endpoint. */

type Obj = Record<string, unknown>;

export interface ApiResult {
  status: number;
  body?: unknown;
  bytes?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** set when a send was processed: the retry key is then accepted */
  sentMessages?: Array<{ id: string; quoteToken: string }>;
  processed?: boolean;
  recipients?: number;
}

interface Ctx {
  core: SimCore;
  req: IncomingMessage;
  params: string[];
  query: URLSearchParams;
  body: Buffer;
  requestId: string;
  retryKey?: string;
}

interface Route {
  method: string;
  re: RegExp;
  endpoint: string;
  group?: RateGroup;
  /** body size limit (default 2 MB) */
  limit?: number;
  auth?: boolean;
  /** synchronous on purpose: a retry key is checked, processed and accepted without interleaving */
  handler: (ctx: Ctx) => ApiResult;
}

const AUTH_FAILED = { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' };
const NOT_FOUND = { message: 'Not found' };
const err = (status: number, message: string, extra: Obj = {}): ApiResult => ({ status, body: { message, ...extra } });

function json(ctx: Ctx): { ok: true; value: unknown } | { ok: false; result: ApiResult } {
  const p = parseJson(ctx.body);
  if (!p.ok) return { ok: false, result: err(400, 'The request body has 1 error(s)', { details: [{ message: 'Invalid JSON', property: '' }] }) };
  return p;
}

const quoteToken = (): string => randomBytes(24).toString('base64url');

// ---- sending ---------------------------------------------------------------------------------

function send(kind: SendKind) {
  return (ctx: Ctx): ApiResult => {
    const { core } = ctx;
    const p = json(ctx);
    if (!p.ok) return p.result;
    const v = validateSendRequest(kind, p.value);
    if (!v.ok) return { status: 400, body: v.body };
    const body = p.value as Obj;
    const messages = body.messages as Obj[];
    let recipients: string[];
    let records: CitizenRecord[] | undefined;
    let source: DeliverySource = kind;
    if (kind === 'reply') {
      const userId = core.useReplyToken(body.replyToken as string);
      if (!userId) return err(400, 'Invalid reply token');
      recipients = [core.state.get(userId)!.userId];
    } else if (kind === 'push') {
      const c = core.state.get(body.to as string);
      if (!c) return err(400, 'Failed to send messages');
      recipients = c.following && !c.blocked ? [c.userId] : [];
    } else if (kind === 'multicast') {
      recipients = [];
      records = [];
      const stamp = core.state.dedupeStamp();
      for (const id of body.to as string[]) {
        const c = core.state.get(id);
        if (c && c.following && !c.blocked && c.stamp !== stamp) {
          c.stamp = stamp;
          recipients.push(c.userId); // interned userId string
          records.push(c);
        }
      }
    } else {
      recipients = [];
      for (const c of core.state.citizens.values()) if (c.following && !c.blocked) recipients.push(c.userId);
      source = 'broadcast';
    }
    if (core.config.quota.enforce) {
      // The same rule as the month's usage (SimState.deliver): recipients, not bubbles × recipients.
      if (core.state.consumption() + quotaCost(source, recipients.length) > core.config.quota.value) {
        return err(429, 'You have reached your monthly limit.');
      }
    }
    const units = body.customAggregationUnits as string[] | undefined;
    const d = core.state.deliver({
      requestId: ctx.requestId,
      source,
      messages,
      recipients,
      ...(records ? { records } : {}),
      ...(ctx.retryKey !== undefined ? { retryKey: ctx.retryKey } : {}),
      ...(units?.[0] !== undefined ? { aggregationUnit: units[0] } : {}),
    });
    core.stats.deliveredMessages += messages.length * recipients.length;
    core.stats.recipientsDelivered += recipients.length;
    notifyDelivery(core, d);
    core.onChange();
    if (kind === 'reply' || kind === 'push') {
      const sentMessages = messages.map((_, m) => ({ id: deliveryMessageId(d.seq, 0, m), quoteToken: quoteToken() }));
      return { status: 200, body: { sentMessages }, sentMessages, processed: true, recipients: recipients.length };
    }
    return { status: 200, body: {}, processed: true, recipients: recipients.length };
  };
}

function notifyDelivery(core: SimCore, d: Delivery): void {
  if (!core.hasSseClients) return;
  core.publish({
    type: 'received',
    requestId: d.requestId,
    source: d.source,
    userIds: d.source === 'broadcast' || d.recipients.length > 500 ? null : d.recipients,
  });
}

// ---- statistics ---------------------------------------------------------------------------

const threshold = (n: number): number | null => (n < 20 ? null : n);

function messageStats(deliveries: Delivery[]): Obj[] {
  const maxSeq = Math.max(0, ...deliveries.map((d) => d.messages.length));
  const out: Obj[] = [];
  for (let seq = 1; seq <= maxSeq; seq++) {
    let impression = 0;
    const users = new Set<string>();
    for (const d of deliveries) {
      if (d.messages.length < seq || !d.opened) continue;
      impression += d.opened.size;
      for (const u of d.opened.keys()) users.add(u);
    }
    out.push({
      seq,
      impression: threshold(impression),
      uniqueImpression: threshold(users.size),
      mediaPlayed: null,
      mediaPlayed25Percent: null,
      mediaPlayed50Percent: null,
      mediaPlayed75Percent: null,
      mediaPlayed100Percent: null,
      uniqueMediaPlayed: null,
      uniqueMediaPlayed25Percent: null,
      uniqueMediaPlayed50Percent: null,
      uniqueMediaPlayed75Percent: null,
      uniqueMediaPlayed100Percent: null,
    });
  }
  return out;
}

function clickStats(deliveries: Delivery[]): Obj[] {
  const byUrl = new Map<string, { click: number; users: Set<string> }>();
  for (const d of deliveries) {
    for (const [u, c] of d.clicked ?? []) {
      const url = c.url ?? '';
      const e = byUrl.get(url) ?? { click: 0, users: new Set<string>() };
      e.click++;
      e.users.add(u);
      byUrl.set(url, e);
    }
  }
  return [...byUrl].map(([url, e]) => ({
    seq: 1,
    url,
    click: threshold(e.click),
    uniqueClick: threshold(e.users.size),
    uniqueClickOfRequest: threshold(e.users.size),
  }));
}

function uniqueUsers(deliveries: Delivery[], key: 'opened' | 'clicked'): number {
  const s = new Set<string>();
  for (const d of deliveries) for (const u of d[key]?.keys() ?? []) s.add(u);
  return s.size;
}

function insightAggregation(ctx: Ctx): ApiResult {
  const unit = ctx.query.get('customAggregationUnit');
  const from = ctx.query.get('from') ?? '';
  const to = ctx.query.get('to') ?? '';
  if (!unit) return err(400, 'customAggregationUnit is required');
  const fromMs = tokyoDayStart(from);
  const toMs = tokyoDayStart(to);
  if (fromMs === undefined) return err(400, "The value of 'from' is invalid (yyyyMMdd, UTC+9)");
  if (toMs === undefined) return err(400, "The value of 'to' is invalid (yyyyMMdd, UTC+9)");
  if (toMs < fromMs) return err(400, "'to' must be on or after 'from'");
  if ((toMs - fromMs) / DAY_MS > 30) return err(400, 'The period between from and to must be 30 days or less');
  const ds = ctx.core.state.deliveriesForUnit(unit, fromMs, toMs + DAY_MS);
  return {
    status: 200,
    body: {
      overview: {
        uniqueImpression: threshold(uniqueUsers(ds, 'opened')),
        uniqueClick: threshold(uniqueUsers(ds, 'clicked')),
        uniqueMediaPlayed: null,
        uniqueMediaPlayed100Percent: null,
      },
      messages: messageStats(ds),
      clicks: clickStats(ds),
    },
  };
}

function insightEvent(ctx: Ctx): ApiResult {
  const requestId = ctx.query.get('requestId');
  if (!requestId) return err(400, 'requestId is required');
  const d = ctx.core.state.deliveryByRequestId(requestId);
  if (!d) {
    return {
      status: 200,
      body: {
        overview: {
          requestId,
          timestamp: 0,
          delivered: 0,
          uniqueImpression: null,
          uniqueClick: null,
          uniqueMediaPlayed: null,
          uniqueMediaPlayed100Percent: null,
        },
        messages: [],
        clicks: [],
      },
    };
  }
  return {
    status: 200,
    body: {
      overview: {
        requestId,
        timestamp: Math.floor(d.sentAt / 1000),
        delivered: d.recipients.length,
        uniqueImpression: threshold(d.opened?.size ?? 0),
        uniqueClick: threshold(d.clicked?.size ?? 0),
        uniqueMediaPlayed: null,
        uniqueMediaPlayed100Percent: null,
      },
      messages: messageStats([d]),
      clicks: clickStats([d]),
    },
  };
}

// ---- rich menus ------------------------------------------------------------------------------

function richMenuCreate(ctx: Ctx): ApiResult {
  const p = json(ctx);
  if (!p.ok) return p.result;
  const v = validateRichMenu(p.value);
  if (!v.ok) return { status: 400, body: v.body };
  const richMenuId = ctx.core.richMenus.create(p.value as Obj);
  ctx.core.onChange();
  return { status: 200, body: { richMenuId } };
}

function richMenuUpload(ctx: Ctx): ApiResult {
  const menu = ctx.core.richMenus.get(ctx.params[0]!);
  if (!menu) return { status: 404, body: NOT_FOUND };
  const ct = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct !== 'image/png' && ct !== 'image/jpeg') return err(415, 'Unsupported media type: use image/png or image/jpeg');
  if (ctx.body.length === 0) return err(400, 'The request body is empty');
  if (menu.image) return err(400, 'An image has already been uploaded to the richmenu');
  menu.image = { contentType: ct, bytes: ctx.body };
  ctx.core.publish({ type: 'richmenu' });
  return { status: 200, body: {} };
}

function linkUser(ctx: Ctx): ApiResult {
  const [userId, richMenuId] = ctx.params as [string, string];
  const c = ctx.core.state.get(userId);
  if (!c) return err(400, "The user hasn't added the LINE Official Account as a friend.");
  if (!ctx.core.richMenus.get(richMenuId)) return { status: 404, body: NOT_FOUND };
  c.richMenuId = richMenuId;
  ctx.core.citizenChanged(c);
  return { status: 200, body: {} };
}

function bulkLink(ctx: Ctx, unlink: boolean): ApiResult {
  const p = json(ctx);
  if (!p.ok) return p.result;
  const b = (p.value ?? {}) as Obj;
  const ids = b.userIds;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > LIMITS.bulkLinkUsers) {
    return {
      status: 400,
      body: { message: 'The request body has 1 error(s)', details: [{ message: `Size must be between 1 and ${LIMITS.bulkLinkUsers}`, property: 'userIds' }] },
    };
  }
  if (!unlink && (typeof b.richMenuId !== 'string' || !ctx.core.richMenus.get(b.richMenuId))) return { status: 404, body: NOT_FOUND };
  for (const id of ids) {
    const c = typeof id === 'string' ? ctx.core.state.get(id) : undefined;
    if (!c) continue;
    if (unlink) delete c.richMenuId;
    else c.richMenuId = b.richMenuId as string;
    ctx.core.citizenChanged(c);
  }
  return { status: 202, body: {} };
}

// ---- chat helpers ------------------------------------------------------------------------------

const bodyError = (property: string, message: string): ApiResult => err(400, 'The request body has 1 error(s)', { details: [{ message, property }] });
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** POST /v2/bot/chat/markAsRead: the token's message and all the citizen's earlier ones become 既読. */
function markAsRead(ctx: Ctx): ApiResult {
  const p = json(ctx);
  if (!p.ok) return p.result;
  const token = isObj(p.value) ? p.value.markAsReadToken : undefined;
  if (token === undefined || token === null || token === '') return bodyError('markAsReadToken', 'must be specified');
  if (typeof token !== 'string') return bodyError('markAsReadToken', 'must be a string');
  if (token.length > 512) return bodyError('markAsReadToken', 'Length must be between 1 and 512');
  const r = ctx.core.state.markRead(token);
  if (!r) return err(400, 'Invalid markAsReadToken');
  if (r.marked > 0) {
    ctx.core.publish({ type: 'read', userId: r.userId });
    ctx.core.onChange();
  }
  return { status: 200, body: {} };
}

/** POST /v2/bot/chat/loading/start: checked and logged only; the phone shows no animation. */
function loadingStart(ctx: Ctx): ApiResult {
  const p = json(ctx);
  if (!p.ok) return p.result;
  const b = isObj(p.value) ? p.value : {};
  if (typeof b.chatId !== 'string' || b.chatId === '') return bodyError('chatId', 'must be specified');
  const s = b.loadingSeconds ?? 20; // LINE's default
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 5 || s > 60 || s % 5 !== 0) {
    return bodyError('loadingSeconds', 'must be one of 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60');
  }
  return { status: 202, body: {} };
}

// ---- routes ----------------------------------------------------------------------------------

const ID = '([^/]+)';
const routes: Route[] = [
  { method: 'POST', re: /^\/v2\/bot\/message\/reply$/, endpoint: 'reply', handler: send('reply') },
  { method: 'POST', re: /^\/v2\/bot\/message\/push$/, endpoint: 'push', handler: send('push') },
  { method: 'POST', re: /^\/v2\/bot\/message\/multicast$/, endpoint: 'multicast', group: 'multicast', handler: send('multicast') },
  { method: 'POST', re: /^\/v2\/bot\/message\/broadcast$/, endpoint: 'broadcast', group: 'broadcast', handler: send('broadcast') },
  {
    method: 'GET',
    re: new RegExp(`^/v2/bot/profile/${ID}$`),
    endpoint: 'profile',
    handler: (ctx) => {
      const c = ctx.core.state.get(ctx.params[0]!);
      if (!c || !c.following || c.blocked) return { status: 404, body: NOT_FOUND };
      const body: Obj = { userId: c.userId, displayName: c.displayName, language: c.language };
      if (c.pictureUrl) body.pictureUrl = c.pictureUrl;
      if (c.statusMessage) body.statusMessage = c.statusMessage;
      return { status: 200, body };
    },
  },
  {
    method: 'GET',
    re: new RegExp(`^/v2/bot/message/${ID}/content$`),
    endpoint: 'content',
    handler: (ctx) => {
      const content = ctx.core.state.contents.get(ctx.params[0]!);
      if (!content) return { status: 404, body: NOT_FOUND };
      return { status: 200, bytes: content.bytes, contentType: content.contentType };
    },
  },
  {
    method: 'GET',
    re: /^\/v2\/bot\/followers\/ids$/,
    endpoint: 'followers',
    handler: (ctx) => {
      const limitRaw = ctx.query.get('limit');
      const limit = limitRaw === null ? 1000 : Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return err(400, 'limit must be between 1 and 1000');
      return { status: 200, body: ctx.core.state.followerIds(limit, ctx.query.get('start') ?? undefined) };
    },
  },
  {
    method: 'GET',
    re: /^\/v2\/bot\/message\/quota$/,
    endpoint: 'quota',
    handler: (ctx) => ({ status: 200, body: { type: 'limited', value: ctx.core.config.quota.value } }),
  },
  {
    method: 'GET',
    re: /^\/v2\/bot\/message\/quota\/consumption$/,
    endpoint: 'quota',
    handler: (ctx) => ({ status: 200, body: { totalUsage: ctx.core.state.consumption() } }),
  },
  {
    method: 'GET',
    re: /^\/v2\/bot\/message\/aggregation\/info$/,
    endpoint: 'aggregation',
    handler: (ctx) => ({ status: 200, body: { numOfCustomAggregationUnits: ctx.core.state.aggregationUnits().length } }),
  },
  {
    method: 'GET',
    re: /^\/v2\/bot\/message\/aggregation\/list$/,
    endpoint: 'aggregation',
    handler: (ctx) => {
      const all = ctx.core.state.aggregationUnits();
      const limit = Math.min(100, Math.max(1, Number(ctx.query.get('limit') ?? 30) || 30));
      const start = Number(ctx.query.get('start') ?? 0) || 0;
      const page = all.slice(start, start + limit);
      return {
        status: 200,
        body: start + limit < all.length ? { customAggregationUnits: page, next: String(start + limit) } : { customAggregationUnits: page },
      };
    },
  },
  { method: 'POST', re: /^\/v2\/bot\/chat\/markAsRead$/, endpoint: 'markAsRead', handler: markAsRead },
  { method: 'POST', re: /^\/v2\/bot\/chat\/loading\/start$/, endpoint: 'loading', handler: loadingStart },
  { method: 'GET', re: /^\/v2\/bot\/insight\/message\/event\/aggregation$/, endpoint: 'insight', handler: insightAggregation },
  { method: 'GET', re: /^\/v2\/bot\/insight\/message\/event$/, endpoint: 'insight', handler: insightEvent },
  {
    method: 'GET',
    re: /^\/v2\/bot\/info$/,
    endpoint: 'info',
    handler: (ctx) => ({
      status: 200,
      body: { userId: ctx.core.botUserId, basicId: ctx.core.basicId, displayName: '荒尾市(シミュレーター)', chatMode: 'bot', markAsReadMode: 'manual' },
    }),
  },
  // rich menus
  { method: 'POST', re: /^\/v2\/bot\/richmenu$/, endpoint: 'richmenu', group: 'richMenuCreate', handler: richMenuCreate },
  {
    method: 'POST',
    re: /^\/v2\/bot\/richmenu\/validate$/,
    endpoint: 'richmenu',
    handler: (ctx) => {
      const p = json(ctx);
      if (!p.ok) return p.result;
      const v = validateRichMenu(p.value);
      return v.ok ? { status: 200, body: {} } : { status: 400, body: v.body };
    },
  },
  {
    method: 'GET',
    re: /^\/v2\/bot\/richmenu\/list$/,
    endpoint: 'richmenu',
    handler: (ctx) => ({ status: 200, body: { richmenus: [...ctx.core.richMenus.menus.values()].map((r) => ctx.core.richMenus.describe(r)) } }),
  },
  { method: 'POST', re: /^\/v2\/bot\/richmenu\/bulk\/link$/, endpoint: 'richmenu', handler: (ctx) => bulkLink(ctx, false) },
  { method: 'POST', re: /^\/v2\/bot\/richmenu\/bulk\/unlink$/, endpoint: 'richmenu', handler: (ctx) => bulkLink(ctx, true) },
  { method: 'POST', re: new RegExp(`^/v2/bot/richmenu/${ID}/content$`), endpoint: 'richmenu', limit: LIMITS.richMenuImageBytes, handler: richMenuUpload },
  {
    method: 'GET',
    re: new RegExp(`^/v2/bot/richmenu/${ID}/content$`),
    endpoint: 'richmenu',
    handler: (ctx) => {
      const m = ctx.core.richMenus.get(ctx.params[0]!);
      if (!m?.image) return { status: 404, body: NOT_FOUND };
      return { status: 200, bytes: m.image.bytes, contentType: m.image.contentType };
    },
  },
  {
    method: 'GET',
    re: new RegExp(`^/v2/bot/richmenu/${ID}$`),
    endpoint: 'richmenu',
    handler: (ctx) => {
      const m = ctx.core.richMenus.get(ctx.params[0]!);
      return m ? { status: 200, body: ctx.core.richMenus.describe(m) } : { status: 404, body: NOT_FOUND };
    },
  },
  {
    method: 'DELETE',
    re: new RegExp(`^/v2/bot/richmenu/${ID}$`),
    endpoint: 'richmenu',
    handler: (ctx) => {
      const id = ctx.params[0]!;
      if (!ctx.core.richMenus.delete(id)) return { status: 404, body: NOT_FOUND };
      for (const c of ctx.core.state.citizens.values()) if (c.richMenuId === id) delete c.richMenuId;
      ctx.core.publish({ type: 'richmenu' });
      return { status: 200, body: {} };
    },
  },
  {
    method: 'POST',
    re: new RegExp(`^/v2/bot/user/all/richmenu/${ID}$`),
    endpoint: 'richmenu',
    handler: (ctx) => {
      if (!ctx.core.richMenus.get(ctx.params[0]!)) return { status: 404, body: NOT_FOUND };
      ctx.core.richMenus.defaultId = ctx.params[0]!;
      ctx.core.publish({ type: 'richmenu' });
      return { status: 200, body: {} };
    },
  },
  {
    method: 'GET',
    re: /^\/v2\/bot\/user\/all\/richmenu$/,
    endpoint: 'richmenu',
    handler: (ctx) =>
      ctx.core.richMenus.defaultId
        ? { status: 200, body: { richMenuId: ctx.core.richMenus.defaultId } }
        : { status: 404, body: { message: 'no default richmenu' } },
  },
  {
    method: 'DELETE',
    re: /^\/v2\/bot\/user\/all\/richmenu$/,
    endpoint: 'richmenu',
    handler: (ctx) => {
      ctx.core.richMenus.defaultId = undefined;
      ctx.core.publish({ type: 'richmenu' });
      return { status: 200, body: {} };
    },
  },
  { method: 'POST', re: new RegExp(`^/v2/bot/user/${ID}/richmenu/${ID}$`), endpoint: 'richmenu', handler: linkUser },
  {
    method: 'GET',
    re: new RegExp(`^/v2/bot/user/${ID}/richmenu$`),
    endpoint: 'richmenu',
    handler: (ctx) => {
      const c = ctx.core.state.get(ctx.params[0]!);
      if (!c?.richMenuId) return { status: 404, body: { message: 'the user has no richmenu' } };
      return { status: 200, body: { richMenuId: c.richMenuId } };
    },
  },
  {
    method: 'DELETE',
    re: new RegExp(`^/v2/bot/user/${ID}/richmenu$`),
    endpoint: 'richmenu',
    handler: (ctx) => {
      const c = ctx.core.state.get(ctx.params[0]!);
      if (!c) return { status: 404, body: NOT_FOUND };
      delete c.richMenuId;
      ctx.core.citizenChanged(c);
      return { status: 200, body: {} };
    },
  },
  // LINE Login: verify ID token
  {
    method: 'POST',
    re: /^\/oauth2\/v2\.1\/verify$/,
    endpoint: 'verify',
    auth: false,
    handler: (ctx) => {
      const form = new URLSearchParams(ctx.body.toString('utf8'));
      const r = verifyIdToken(
        {
          idToken: form.get('id_token') ?? undefined,
          clientId: form.get('client_id') ?? undefined,
          nonce: form.get('nonce') ?? undefined,
          userId: form.get('user_id') ?? undefined,
        },
        ctx.core.jwtKey,
        ctx.core.now(),
      );
      if (!r.ok) return { status: 400, body: { error: 'invalid_request', error_description: r.error_description } };
      return { status: 200, body: r.payload };
    },
  },
];

export function isApiPath(path: string): boolean {
  return path.startsWith('/v2/bot/') || path.startsWith('/oauth2/');
}

/** Handles one Messaging API request end to end (auth, retry key, faults, rate limit, handler, log). */
export async function handleApi(core: SimCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const started = Date.now();
  const requestId = core.newRequestId();
  const method = req.method ?? 'GET';
  const path = url.pathname;
  let route: Route | undefined;
  let params: string[] = [];
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.re.exec(path);
    if (m) {
      route = r;
      params = m.slice(1).map((s) => decodeURIComponent(s));
      break;
    }
  }
  const rawKey = req.headers['x-line-retry-key'];
  const retryKey = Array.isArray(rawKey) ? rawKey[0] : rawKey;
  const endpoint = route?.endpoint ?? 'unknown';
  const baseHeaders: Record<string, string> = { 'x-line-request-id': requestId };

  let recipients: number | undefined;
  const finish = (result: ApiResult): void => {
    const headers = { ...baseHeaders, ...(result.headers ?? {}) };
    if (result.bytes) sendBytes(res, result.status, result.bytes, result.contentType ?? 'application/octet-stream', headers);
    else sendJson(res, result.status, result.body ?? {}, headers);
    core.record({
      at: core.now(),
      method,
      path,
      endpoint,
      status: result.status,
      requestId,
      ...(retryKey !== undefined ? { retryKey } : {}),
      ...(recipients !== undefined ? { recipients } : {}),
      durationMs: Date.now() - started,
    });
  };

  const body = await readBody(req, route?.limit ?? LIMITS.bodyBytes);
  if (!route) return finish({ status: 404, body: NOT_FOUND });
  if (route.auth !== false) {
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${core.opts.channelAccessToken}`) return finish({ status: 401, body: AUTH_FAILED });
  }
  if (body.tooLarge) return finish({ status: 413, body: { message: 'Request Entity Too Large' } });

  const keyCheck = core.retryKeys.check(endpoint, retryKey);
  if (!keyCheck.ok && keyCheck.status === 400) return finish(err(400, keyCheck.message));

  const fault = core.faults.match(endpoint, retryKey);
  if (fault?.delayMs) await delay(fault.delayMs);
  if (fault?.status !== undefined && fault.when === 'before') return finish({ status: fault.status, body: faultBody(fault.status) });

  if (!core.limiter.tryTake(route.group ?? 'default')) return finish({ status: 429, body: { message: 'Too many requests' } });

  if (retryKey !== undefined) {
    // re-check: the key may have been accepted while this request waited
    const again = core.retryKeys.check(endpoint, retryKey);
    if (!again.ok && again.status === 409) {
      const b: Obj = { message: 'The retry key is already accepted' };
      if (endpoint === 'push' && again.accepted.sentMessages) b.sentMessages = again.accepted.sentMessages;
      return finish({ status: 409, body: b, headers: { 'x-line-accepted-request-id': again.accepted.requestId } });
    }
  }

  let result: ApiResult;
  try {
    result = route.handler({ core, req, params, query: url.searchParams, body: body.buf, requestId, ...(retryKey !== undefined ? { retryKey } : {}) });
  } catch (e) {
    result = err(500, `Internal simulator error: ${(e as Error).message}`);
  }
  recipients = result.recipients;
  if (retryKey !== undefined && result.processed && result.status >= 200 && result.status < 300) {
    core.retryKeys.accept(retryKey, { requestId, ...(result.sentMessages ? { sentMessages: result.sentMessages } : {}) });
  }
  if (fault?.status !== undefined && fault.when === 'after') return finish({ status: fault.status, body: faultBody(fault.status) });
  finish(result);
}

export { publicCitizen };
