import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimCore } from './core';
import { parseFaultSpec } from './faults';
import { parseJson, readBody, sendBytes, sendJson } from './http-util';
import { issueIdToken } from './jwt';
import { newReadToken, publicCitizen } from './state';
import type {
  Citizen,
  CitizenActAnswer,
  CitizenCreatedAnswer,
  CitizenImageSetAnswer,
  ConversationItem,
  FriendshipAnswer,
  IdTokenAnswer,
  MarkedAnswer,
  RichMenuView,
  SimConfigView,
} from './views';

/** Control API under /sim: a loopback tool for tests, the benchmark and the phone page (no auth). Its answers: views.ts. */

type Obj = Record<string, unknown>;
const CONTROL_BODY_LIMIT = 25 * 1024 * 1024;
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Images in one set (`type: 'images'`). */
const MAX_IMAGE_SET = 20;
/** An image set's id, as LINE's: 64 uppercase hex characters. */
const newImageSetId = (): string => randomBytes(32).toString('hex').toUpperCase();
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function bad(message: string): never {
  throw new HttpError(400, message);
}

function citizenOr404(core: SimCore, userId: string) {
  const c = core.state.get(userId);
  if (!c) throw new HttpError(404, `citizen ${userId} not found`);
  return c;
}

/**
 * POST /sim/citizens/:userId/messages: a CitizenMessageBody (views.ts), checked field by field.
 * Message events carry a markAsReadToken as LINE's do (kept with the message for markAsRead); postbacks have none.
 */
async function citizenMessage(core: SimCore, userId: string, body: Obj): Promise<CitizenActAnswer | CitizenImageSetAnswer> {
  const c = citizenOr404(core, userId);
  if (c.blocked || !c.following) throw new HttpError(409, 'the citizen is not a friend of the account (blocked or never followed); unblock first');
  let event: Record<string, unknown>;
  let events: Record<string, unknown>[] | undefined;
  switch (body.type) {
    case 'text': {
      if (!str(body.text)) bad('text is required');
      const mid = `7${String(core.state.nextSeq()).padStart(17, '0')}`;
      const message = { id: mid, type: 'text', quoteToken: core.newRequestId(), markAsReadToken: newReadToken(), text: body.text };
      core.state.addCitizenMessage(userId, 'text', { type: 'text', text: body.text }, mid, message.markAsReadToken);
      event = core.buildEvent(userId, 'message', { message }, true);
      break;
    }
    case 'image': {
      event = imageMessage(core, userId, imageContent(body));
      break;
    }
    case 'images': {
      // Several images chosen at once: LINE sends one image message event per image, each with the
      // set's imageSet (same id, index 1..total). Every image is checked before any is stored.
      if (!Array.isArray(body.images) || body.images.length < 2 || body.images.length > MAX_IMAGE_SET)
        bad(`images must be an array of 2 to ${MAX_IMAGE_SET} images`);
      const images = body.images.map((v: unknown, i) => (isObj(v) ? imageContent(v, `images[${i}]`) : bad(`images[${i}] must be an object`)));
      const id = newImageSetId();
      events = images.map((image, i) => imageMessage(core, userId, image, { id, index: i + 1, total: images.length }));
      event = events[0]!;
      break;
    }
    case 'location': {
      if (!str(body.address) || !num(body.latitude) || !num(body.longitude)) bad('address, latitude and longitude are required');
      const mid = `7${String(core.state.nextSeq()).padStart(17, '0')}`;
      const loc = {
        ...(str(body.title) ? { title: body.title } : {}),
        address: body.address,
        latitude: body.latitude,
        longitude: body.longitude,
      };
      const markAsReadToken = newReadToken();
      core.state.addCitizenMessage(userId, 'location', { type: 'location', ...loc }, mid, markAsReadToken);
      event = core.buildEvent(userId, 'message', { message: { id: mid, type: 'location', markAsReadToken, ...loc } }, true);
      break;
    }
    case 'sticker': {
      if (!(str(body.packageId) || num(body.packageId)) || !(str(body.stickerId) || num(body.stickerId))) bad('packageId and stickerId are required');
      const mid = `7${String(core.state.nextSeq()).padStart(17, '0')}`;
      const message = {
        id: mid,
        type: 'sticker',
        quoteToken: core.newRequestId(),
        markAsReadToken: newReadToken(),
        packageId: String(body.packageId),
        stickerId: String(body.stickerId),
        stickerResourceType: 'STATIC',
      };
      const stored = { type: 'sticker', packageId: String(body.packageId), stickerId: String(body.stickerId) };
      core.state.addCitizenMessage(userId, 'sticker', stored, mid, message.markAsReadToken);
      event = core.buildEvent(userId, 'message', { message }, true);
      break;
    }
    case 'postback': {
      if (typeof body.data !== 'string') bad('data is required');
      if (str(body.displayText)) core.state.addCitizenMessage(userId, 'postback', { type: 'text', text: body.displayText, postbackData: body.data });
      const postback: Obj = { data: body.data };
      if (isObj(body.params)) postback.params = body.params;
      event = core.buildEvent(userId, 'postback', { postback }, true);
      break;
    }
    default:
      bad("type must be one of 'text', 'postback', 'image', 'images', 'location', 'sticker'");
  }
  core.publish({ type: 'sent', userId });
  core.onChange();
  // A set goes to the webhook in one request, its events in index order (LINE may also split a set
  // over several requests, in any order: the webhook must not rely on either).
  const webhook = await core.sendEvents(events ?? [event]);
  return events ? { event, events, webhook } : { event, webhook };
}

/** The content of one image of a citizen's (`{contentBase64, contentType?}`): 1 byte to 10 MB; `at` names it in the errors of a set. */
function imageContent(v: Obj, at?: string): { contentType: string; bytes: Buffer } {
  if (!str(v.contentBase64)) bad(`${at ? `${at}.` : ''}contentBase64 is required`);
  const contentType = str(v.contentType) ? v.contentType : 'image/jpeg';
  const bytes = Buffer.from(v.contentBase64, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_IMAGE_BYTES) bad(`${at ? `${at}: ` : ''}image must be 1 byte to 10 MB`);
  return { contentType, bytes };
}

/** An image message of the citizen's: its content kept (GET /v2/bot/message/{id}/content), its line in the timeline, and its event (with the set's imageSet), not sent yet. */
function imageMessage(
  core: SimCore,
  userId: string,
  image: { contentType: string; bytes: Buffer },
  imageSet?: { id: string; index: number; total: number },
): Record<string, unknown> {
  const mid = `7${String(core.state.nextSeq()).padStart(17, '0')}`;
  core.state.storeContent(mid, image);
  const message = {
    id: mid,
    type: 'image',
    quoteToken: core.newRequestId(),
    markAsReadToken: newReadToken(),
    contentProvider: { type: 'line' },
    ...(imageSet ? { imageSet } : {}),
  };
  core.state.addCitizenMessage(
    userId,
    'image',
    { type: 'image', contentUrl: `/sim/content/${mid}`, contentType: image.contentType },
    mid,
    message.markAsReadToken,
  );
  return core.buildEvent(userId, 'message', { message }, true);
}

/** Creates many citizens at once (benchmarks). Follow webhooks are sent only when sendWebhooks is true. */
async function bulkCreate(core: SimCore, body: Obj): Promise<Obj> {
  const count = body.count;
  if (!num(count) || !Number.isInteger(count) || count < 1 || count > 200_000) bad('count must be an integer between 1 and 200000');
  const prefix = str(body.displayNamePrefix) ? body.displayNamePrefix : '市民';
  const languages = Array.isArray(body.languages) && body.languages.every(str) && body.languages.length > 0 ? (body.languages as string[]) : ['ja'];
  const follow = body.follow !== false;
  // Positions (0-based) of citizens created as having added and then blocked the account.
  const blocked = new Set(Array.isArray(body.blocked) && body.blocked.every((n) => Number.isInteger(n)) ? (body.blocked as number[]) : []);
  const userIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const c = core.state.createCitizen({ displayName: `${prefix}${i + 1}`, language: languages[i % languages.length]! });
    if (blocked.has(i)) {
      c.following = false;
      c.blocked = true;
      c.followedAt = core.now();
    } else if (follow) {
      c.following = true;
      c.followedAt = core.now();
    }
    userIds.push(c.userId);
  }
  let webhooks = 0;
  if (follow && body.sendWebhooks === true) {
    for (const id of userIds.filter((_, i) => !blocked.has(i))) {
      await core.sendEvents([core.buildEvent(id, 'follow', { follow: { isUnblocked: false } }, true)]);
      webhooks++;
    }
  }
  core.publish({ type: 'citizens' });
  core.onChange();
  return { userIds, webhooks };
}

function sseStream(core: SimCore, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(': connected\n\n');
  core.addSseClient(res);
  req.on('close', () => res.end());
}

export async function handleControl(core: SimCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent); // ['sim', ...]
  const seg = parts.slice(1);
  try {
    if (method === 'GET' && seg[0] === 'stream' && seg.length === 1) return sseStream(core, req, res);
    const raw = await readBody(req, CONTROL_BODY_LIMIT);
    if (raw.tooLarge) throw new HttpError(413, 'request body too large');
    const parsed = parseJson(raw.buf);
    if (!parsed.ok) bad('invalid JSON body');
    const body = (parsed.value ?? {}) as Obj;
    const r = await route(core, method, seg, body, url);
    if (r === undefined) throw new HttpError(404, `no control endpoint ${method} ${url.pathname}`);
    if (r instanceof RawResponse) return sendBytes(res, r.status, r.bytes, r.contentType);
    sendJson(res, r.status ?? 200, r.body);
  } catch (e) {
    if (e instanceof HttpError) sendJson(res, e.status, { error: e.message });
    else sendJson(res, 500, { error: (e as Error).message });
  }
}

class RawResponse {
  constructor(
    readonly status: number,
    readonly bytes: Buffer,
    readonly contentType: string,
  ) {}
}

type RouteResult = { status?: number; body: unknown } | RawResponse | undefined;

async function route(core: SimCore, method: string, seg: string[], body: Obj, url: URL): Promise<RouteResult> {
  const [a, b, c] = seg;
  const q = url.searchParams;
  switch (a) {
    case 'citizens': {
      if (b === undefined) {
        if (method === 'GET') {
          let list = core.state.list();
          const needle = q.get('q')?.trim().toLowerCase();
          if (needle) list = list.filter((x) => x.displayName.toLowerCase().includes(needle) || x.userId.includes(needle));
          const limit = Number(q.get('limit'));
          if (Number.isInteger(limit) && limit > 0) list = list.slice(-limit); // the most recent ones
          return { body: list satisfies Citizen[] };
        }
        if (method !== 'POST') return undefined;
        if (!str(body.displayName)) bad('displayName is required');
        if (body.userId !== undefined && (typeof body.userId !== 'string' || !/^U[0-9a-f]{32}$/.test(body.userId))) bad('userId must be U + 32 lowercase hex');
        if (typeof body.userId === 'string' && core.state.get(body.userId)) throw new HttpError(409, 'userId already exists');
        const citizen = core.state.createCitizen({
          displayName: body.displayName,
          ...(str(body.language) ? { language: body.language } : {}),
          ...(str(body.pictureUrl) ? { pictureUrl: body.pictureUrl } : {}),
          ...(str(body.statusMessage) ? { statusMessage: body.statusMessage } : {}),
          ...(typeof body.userId === 'string' ? { userId: body.userId } : {}),
        });
        if (body.follow === false) {
          core.citizenChanged(citizen);
          return { status: 201, body: { citizen: publicCitizen(citizen) } satisfies CitizenCreatedAnswer };
        }
        const { event, webhook } = await core.follow(citizen.userId, false);
        return { status: 201, body: { citizen: publicCitizen(citizen), webhook: { ...webhook, event } } satisfies CitizenCreatedAnswer };
      }
      if (b === 'bulk' && c === undefined && method === 'POST') return { status: 201, body: await bulkCreate(core, body) };
      const citizen = citizenOr404(core, b);
      if (c === undefined && method === 'GET') return { body: publicCitizen(citizen) satisfies Citizen };
      if (c === 'messages' && method === 'POST') return { body: await citizenMessage(core, b, body) };
      if (c === 'block' && method === 'POST') {
        if (citizen.blocked) throw new HttpError(409, 'already blocked');
        return { body: { citizen: publicCitizen(citizen), ...(await core.unfollow(b)) } satisfies FriendshipAnswer };
      }
      if ((c === 'unblock' || c === 'follow') && method === 'POST') {
        if (citizen.following && !citizen.blocked) throw new HttpError(409, 'already a friend');
        const isUnblocked = citizen.blocked;
        return { body: { citizen: publicCitizen(citizen), ...(await core.follow(b, isUnblocked)) } satisfies FriendshipAnswer };
      }
      if (c === 'received' && method === 'GET') {
        const since = q.get('since');
        return { body: core.state.received(b, since ? Number(since) : undefined) };
      }
      if (c === 'conversation' && method === 'GET') return { body: core.state.conversation(b) satisfies ConversationItem[] };
      if (c === 'richmenu' && method === 'GET') {
        const id = citizen.richMenuId ?? core.richMenus.defaultId;
        const m = id ? core.richMenus.get(id) : undefined;
        if (!m) return { body: null };
        return { body: { ...core.richMenus.describe(m), imageUrl: m.image ? `/sim/richmenus/${m.richMenuId}/image` : null } satisfies RichMenuView };
      }
      return undefined;
    }
    case 'richmenus': {
      const m = b ? core.richMenus.get(b) : undefined;
      if (c === 'image' && method === 'GET') {
        if (!m?.image) throw new HttpError(404, 'no image');
        return new RawResponse(200, m.image.bytes, m.image.contentType);
      }
      if (b === undefined && method === 'GET') return { body: [...core.richMenus.menus.values()].map((r) => core.richMenus.describe(r)) };
      return undefined;
    }
    case 'content': {
      const content = b ? core.state.contents.get(b) : undefined;
      if (!content) throw new HttpError(404, 'no content');
      return new RawResponse(200, content.bytes, content.contentType);
    }
    case 'opens':
    case 'clicks': {
      if (method !== 'POST') return undefined;
      if (!str(body.userId)) bad('userId is required');
      citizenOr404(core, body.userId);
      const opts = {
        ...(str(body.requestId) ? { requestId: body.requestId } : {}),
        ...(str(body.messageId) ? { messageId: body.messageId } : {}),
        ...(str(body.url) ? { url: body.url } : {}),
      };
      const n = a === 'opens' ? core.state.markOpened(body.userId, opts) : core.state.markClicked(body.userId, opts);
      core.onChange();
      return { body: { marked: n } satisfies MarkedAnswer };
    }
    case 'webhook': {
      if (method !== 'POST') return undefined;
      if (b === 'redeliver') {
        if (!str(body.webhookEventId)) bad('webhookEventId is required');
        const r = await core.redeliver([body.webhookEventId]);
        if (!r.found) throw new HttpError(404, 'event not found');
        return { body: r };
      }
      if (b === 'events') {
        if (!Array.isArray(body.events)) bad('events must be an array');
        const r = await core.sendEvents(body.events as Obj[], {
          ...(body.sign === false ? { sign: false } : {}),
          ...(typeof body.signature === 'string' ? { signature: body.signature } : {}),
          redeliverOnFailure: false,
        });
        return { body: r };
      }
      return undefined;
    }
    case 'config': {
      if (method === 'PUT' || method === 'POST') {
        const patch: Parameters<SimCore['setConfig']>[0] = {};
        if ('webhookUrl' in body) {
          if (body.webhookUrl !== null && body.webhookUrl !== '' && typeof body.webhookUrl !== 'string') bad('webhookUrl must be a string or null');
          patch.webhookUrl = (body.webhookUrl as string | null) ?? '';
        }
        if (body.webhookRedelivery !== undefined) patch.webhookRedelivery = body.webhookRedelivery === true;
        if (isObj(body.rateLimits)) {
          const rl: Obj = {};
          for (const k of ['multicastPerSecond', 'defaultPerSecond', 'broadcastPerHour', 'richMenuCreatePerHour']) {
            if (body.rateLimits[k] === undefined) continue;
            if (!num(body.rateLimits[k]) || (body.rateLimits[k] as number) <= 0) bad(`rateLimits.${k} must be a positive number`);
            rl[k] = body.rateLimits[k];
          }
          patch.rateLimits = rl;
        }
        if (isObj(body.quota)) {
          patch.quota = {
            ...(num(body.quota.value) ? { value: body.quota.value } : {}),
            ...(typeof body.quota.enforce === 'boolean' ? { enforce: body.quota.enforce } : {}),
          };
        }
        if (num(body.replyTokenTtlMs)) patch.replyTokenTtlMs = body.replyTokenTtlMs;
        if (isObj(body.liffApps)) patch.liffApps = body.liffApps as Record<string, string>;
        core.setConfig(patch);
      } else if (method !== 'GET') return undefined;
      return {
        body: {
          ...core.config,
          webhookUrl: core.config.webhookUrl ?? null,
          botUserId: core.botUserId,
          basicId: core.basicId,
          loginChannelId: core.opts.loginChannelId,
        } satisfies SimConfigView,
      };
    }
    case 'stats':
      return method === 'GET' ? { body: core.stats } : undefined;
    case 'units': {
      // Who received the requests sent with a custom aggregation unit, and how often: duplicates
      // and misses of a delivery at a glance (GET /sim/units/<unit>/recipients).
      if (method !== 'GET' || !b || c !== 'recipients') return undefined;
      const deliveries = core.state.deliveriesForUnit(b, 0, Number.MAX_SAFE_INTEGER);
      const counts: Record<string, number> = {};
      let recipientEntries = 0;
      for (const d of deliveries) {
        recipientEntries += d.recipients.length;
        for (const u of d.recipients) counts[u] = (counts[u] ?? 0) + 1;
      }
      const times = deliveries.map((d) => d.sentAt);
      return {
        body: {
          unit: b,
          requests: deliveries.length,
          recipientEntries,
          distinctRecipients: Object.keys(counts).length,
          firstSentAt: times.length ? Math.min(...times) : null,
          lastSentAt: times.length ? Math.max(...times) : null,
          counts,
        },
      };
    }
    case 'requests': {
      if (method !== 'GET') return undefined;
      if (b !== undefined) {
        // Who one request reached (GET /sim/requests/<x-line-request-id>/recipients): broadcasts too.
        if (c !== 'recipients') return undefined;
        const d = core.state.deliveryByRequestId(b);
        if (!d) throw new HttpError(404, 'no such request');
        return { body: { requestId: b, source: d.source, sentAt: d.sentAt, recipients: d.recipients } };
      }
      const since = q.get('since');
      const limit = q.get('limit');
      return {
        body: core.requests({
          ...(since ? { since: Number(since) } : {}),
          ...(q.get('endpoint') ? { endpoint: q.get('endpoint')! } : {}),
          ...(limit ? { limit: Number(limit) } : {}),
        }),
      };
    }
    case 'faults': {
      if (method === 'DELETE') {
        core.faults.clear();
        return { body: { faults: [] } };
      }
      if (method === 'GET') return { body: { faults: core.faults.list() } };
      if (method !== 'POST') return undefined;
      const specs = Array.isArray(body.faults) ? body.faults : [body];
      const added = specs.map((s) => {
        const p = parseFaultSpec(s);
        if (!p.ok) bad(p.error);
        return core.faults.add(p.fault);
      });
      return { status: 201, body: { added, faults: core.faults.list() } };
    }
    case 'liff': {
      if (b !== 'token' || method !== 'POST') return undefined;
      if (!str(body.userId)) bad('userId is required');
      const citizen = citizenOr404(core, body.userId);
      const idToken = issueIdToken(
        {
          userId: citizen.userId,
          name: citizen.displayName,
          ...(citizen.pictureUrl ? { picture: citizen.pictureUrl } : {}),
          audience: str(body.audience) ? body.audience : core.opts.loginChannelId,
          ...(typeof body.nonce === 'string' ? { nonce: body.nonce } : {}),
          ...(num(body.expiresInSec) ? { expiresInSec: body.expiresInSec } : {}),
          ...(str(body.issuer) ? { issuer: body.issuer } : {}),
        },
        core.jwtKey,
        core.now(),
      );
      return { body: { idToken } satisfies IdTokenAnswer };
    }
    case 'reset':
      if (method !== 'POST') return undefined;
      core.reset();
      return { body: { ok: true } };
    default:
      return undefined;
  }
}
