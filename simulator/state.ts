import { randomBytes } from 'node:crypto';
import { tokyoMonthKey } from './time';
import type { Citizen, CitizenMessageBody, ConversationItem, DeliverySource, LineJson } from './views';

/** In-memory model of one LINE Official Account, its friends and what they received. */

/** A message the citizen sent (kept for the phone page's timeline). */
export interface CitizenMessage {
  id: string;
  ord: number;
  at: number;
  kind: CitizenMessageBody['type'];
  message: LineJson;
  webhookEventId?: string;
  /** The event's message.markAsReadToken (message events only: a postback's display text has none). */
  readToken?: string;
  /** When the account marked it read (POST /v2/bot/chat/markAsRead): the phone shows 既読. */
  readAt?: number;
}

export interface CitizenRecord extends Citizen {
  /** delivery refs: seq * REF_BASE + recipientIndex */
  refs: number[];
  sent: CitizenMessage[];
  /** The last `dedupeStamp()` this citizen was counted under (one multicast lists a user once). */
  stamp?: number;
}

export interface Delivery {
  seq: number;
  requestId: string;
  source: DeliverySource;
  messages: Record<string, unknown>[];
  recipients: string[];
  retryKey?: string;
  aggregationUnit?: string;
  sentAt: number;
  opened?: Map<string, number>;
  clicked?: Map<string, { at: number; url?: string }>;
}

export interface ReceivedItem {
  id: string;
  source: DeliverySource;
  message: Record<string, unknown>;
  requestId: string;
  retryKey?: string;
  aggregationUnit?: string;
  sentAt: number;
  openedAt?: number;
}

export interface StoredContent {
  contentType: string;
  bytes: Buffer;
}

const REF_BASE = 512; // > 500 recipients per request
const MAX_REFS_PER_CITIZEN = 2000;
const MAX_SENT_PER_CITIZEN = 500;
const MAX_DELIVERIES = 200_000;
const MAX_RECIPIENT_ENTRIES = 5_000_000;
const MAX_CONTENTS = 2000;
const FIRST_SEQ = 1_000_000;
const AGGREGATION_UNITS_PER_MONTH = 1000;

/**
 * What one request costs of the monthly quota: one message per recipient, however many message
 * objects (bubbles, 1–5) the request holds; replies cost nothing.
 */
export function quotaCost(source: DeliverySource, recipients: number): number {
  return source === 'reply' ? 0 : recipients;
}

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
export const newUserId = (): string => `U${hex(16)}`;
/** An opaque markAsReadToken, one per citizen message (LINE's are opaque too). */
export const newReadToken = (): string => randomBytes(24).toString('base64url');

/** Message id of message `m` of delivery `seq` as received by recipient `r` (O(1), never stored). */
export function deliveryMessageId(seq: number, r: number, m: number): string {
  return String(seq * 10_000 + r * 10 + m);
}

export function parseDeliveryMessageId(id: string): { seq: number; r: number; m: number } | undefined {
  if (!/^\d{1,16}$/.test(id)) return undefined;
  const n = Number(id);
  const seq = Math.floor(n / 10_000);
  if (seq < FIRST_SEQ) return undefined;
  const rest = n % 10_000;
  return { seq, r: Math.floor(rest / 10), m: rest % 10 };
}

export function publicCitizen(c: Citizen): Citizen {
  const out: Citizen = {
    userId: c.userId,
    displayName: c.displayName,
    language: c.language,
    blocked: c.blocked,
    following: c.following,
    createdAt: c.createdAt,
  };
  if (c.pictureUrl !== undefined) out.pictureUrl = c.pictureUrl;
  if (c.statusMessage !== undefined) out.statusMessage = c.statusMessage;
  if (c.followedAt !== undefined) out.followedAt = c.followedAt;
  if (c.richMenuId !== undefined) out.richMenuId = c.richMenuId;
  return out;
}

export interface NewCitizenInput {
  displayName: string;
  language?: string;
  pictureUrl?: string;
  statusMessage?: string;
  userId?: string;
}

export class SimState {
  readonly citizens = new Map<string, CitizenRecord>();
  /** creation order, for followers/ids paging */
  private order: string[] = [];
  readonly deliveries = new Map<number, Delivery>();
  private byRequestId = new Map<string, number>();
  private byUnit = new Map<string, number[]>();
  private recipientEntries = 0;
  private seq = FIRST_SEQ;
  readonly contents = new Map<string, StoredContent>();
  /** month -> recipients of push/multicast/broadcast: LINE counts one message per recipient per request, however many bubbles (1–5) it holds; replies are free */
  private usage = new Map<string, number>();
  /** month -> distinct aggregation unit names */
  private unitsByMonth = new Map<string, Set<string>>();
  /** markAsReadToken -> the citizen who sent that message; forgotten with the message (MAX_SENT_PER_CITIZEN) */
  private readTokens = new Map<string, string>();

  constructor(private readonly now: () => number) {}

  nextSeq(): number {
    return this.seq++;
  }

  private stamps = 0;
  /** A fresh mark for deduplicating one request's recipients without a Set (see CitizenRecord.stamp). */
  dedupeStamp(): number {
    return ++this.stamps;
  }

  // ---- citizens -------------------------------------------------------------------------

  createCitizen(input: NewCitizenInput): CitizenRecord {
    const userId = input.userId ?? newUserId();
    const c: CitizenRecord = {
      userId,
      displayName: input.displayName,
      language: input.language ?? 'ja',
      blocked: false,
      following: false,
      createdAt: this.now(),
      refs: [],
      sent: [],
    };
    if (input.pictureUrl !== undefined) c.pictureUrl = input.pictureUrl;
    if (input.statusMessage !== undefined) c.statusMessage = input.statusMessage;
    this.citizens.set(userId, c);
    this.order.push(userId);
    return c;
  }

  get(userId: string): CitizenRecord | undefined {
    return this.citizens.get(userId);
  }

  list(): Citizen[] {
    return this.order.map((id) => publicCitizen(this.citizens.get(id)!));
  }

  /** Non-blocked friends in follow order, paged with an opaque continuation token. */
  followerIds(limit: number, start?: string): { userIds: string[]; next?: string } {
    let i = 0;
    if (start) {
      const n = Number.parseInt(Buffer.from(start, 'base64url').toString('utf8'), 10);
      if (Number.isFinite(n) && n >= 0) i = n;
    }
    const out: string[] = [];
    while (i < this.order.length && out.length < limit) {
      const c = this.citizens.get(this.order[i]!);
      i++;
      if (c && c.following && !c.blocked) out.push(c.userId);
    }
    // skip to the next friend to know whether there is more
    let j = i;
    while (j < this.order.length) {
      const c = this.citizens.get(this.order[j]!);
      if (c && c.following && !c.blocked) break;
      j++;
    }
    return j < this.order.length ? { userIds: out, next: Buffer.from(String(j)).toString('base64url') } : { userIds: out };
  }

  isReachable(userId: string): boolean {
    const c = this.citizens.get(userId);
    return !!c && c.following && !c.blocked;
  }

  addCitizenMessage(userId: string, kind: CitizenMessage['kind'], message: Record<string, unknown>, id?: string, readToken?: string): CitizenMessage {
    const c = this.citizens.get(userId)!;
    const ord = this.nextSeq();
    const item: CitizenMessage = { id: id ?? `7${String(ord).padStart(17, '0')}`, ord, at: this.now(), kind, message };
    if (readToken !== undefined) {
      item.readToken = readToken;
      this.readTokens.set(readToken, userId);
    }
    c.sent.push(item);
    if (c.sent.length > MAX_SENT_PER_CITIZEN) {
      for (const old of c.sent.splice(0, c.sent.length - MAX_SENT_PER_CITIZEN)) if (old.readToken) this.readTokens.delete(old.readToken);
    }
    return item;
  }

  /**
   * POST /v2/bot/chat/markAsRead: the token's message and every earlier one of the same citizen
   * become read (already read ones keep their time). undefined for an unknown token.
   */
  markRead(token: string): { userId: string; marked: number } | undefined {
    const userId = this.readTokens.get(token);
    const c = userId === undefined ? undefined : this.citizens.get(userId);
    const end = c ? c.sent.findIndex((s) => s.readToken === token) : -1;
    if (!c || end < 0) return undefined;
    const at = this.now();
    let marked = 0;
    for (let i = 0; i <= end; i++) {
      const s = c.sent[i]!;
      if (s.readAt !== undefined) continue;
      s.readAt = at;
      marked++;
    }
    return { userId: c.userId, marked };
  }

  storeContent(messageId: string, content: StoredContent): void {
    this.contents.set(messageId, content);
    if (this.contents.size > MAX_CONTENTS) {
      const first = this.contents.keys().next().value;
      if (first !== undefined) this.contents.delete(first);
    }
  }

  // ---- deliveries -----------------------------------------------------------------------

  /** Records one delivery (one API request) and indexes it per recipient: O(recipients). */
  deliver(input: {
    requestId: string;
    source: DeliverySource;
    messages: Record<string, unknown>[];
    recipients: string[];
    retryKey?: string;
    aggregationUnit?: string;
    /** The recipients' records, when the caller has them already (no second lookup). */
    records?: CitizenRecord[];
  }): Delivery {
    const sentAt = this.now();
    const { records, ...fields } = input;
    const d: Delivery = { seq: this.nextSeq(), sentAt, ...fields };
    if (d.aggregationUnit !== undefined) {
      const month = tokyoMonthKey(sentAt);
      let units = this.unitsByMonth.get(month);
      if (!units) this.unitsByMonth.set(month, (units = new Set()));
      if (!units.has(d.aggregationUnit) && units.size >= AGGREGATION_UNITS_PER_MONTH) {
        delete d.aggregationUnit; // LINE silently drops the name beyond 1,000 per month
      } else {
        units.add(d.aggregationUnit);
        let list = this.byUnit.get(d.aggregationUnit);
        if (!list) this.byUnit.set(d.aggregationUnit, (list = []));
        list.push(d.seq);
      }
    }
    this.deliveries.set(d.seq, d);
    this.byRequestId.set(d.requestId, d.seq);
    const base = d.seq * REF_BASE;
    for (let r = 0; r < d.recipients.length; r++) {
      const c = records ? records[r] : this.citizens.get(d.recipients[r]!);
      if (!c) continue;
      c.refs.push(base + r);
      if (c.refs.length > MAX_REFS_PER_CITIZEN + 200) c.refs.splice(0, c.refs.length - MAX_REFS_PER_CITIZEN);
    }
    this.recipientEntries += d.recipients.length;
    if (d.source !== 'reply') {
      const month = tokyoMonthKey(sentAt);
      this.usage.set(month, (this.usage.get(month) ?? 0) + quotaCost(d.source, d.recipients.length));
    }
    this.evict();
    return d;
  }

  private evict(): void {
    while (this.deliveries.size > MAX_DELIVERIES || this.recipientEntries > MAX_RECIPIENT_ENTRIES) {
      const first = this.deliveries.keys().next().value;
      if (first === undefined) return;
      const d = this.deliveries.get(first)!;
      this.deliveries.delete(first);
      this.byRequestId.delete(d.requestId);
      this.recipientEntries -= d.recipients.length;
    }
  }

  deliveryByRequestId(requestId: string): Delivery | undefined {
    const seq = this.byRequestId.get(requestId);
    return seq === undefined ? undefined : this.deliveries.get(seq);
  }

  received(userId: string, sinceMs?: number): ReceivedItem[] {
    const c = this.citizens.get(userId);
    if (!c) return [];
    const out: ReceivedItem[] = [];
    for (const ref of c.refs) {
      const d = this.deliveries.get(Math.floor(ref / REF_BASE));
      if (!d) continue;
      if (sinceMs !== undefined && d.sentAt < sinceMs) continue;
      const r = ref % REF_BASE;
      const openedAt = d.opened?.get(userId);
      d.messages.forEach((message, m) => {
        const item: ReceivedItem = {
          id: deliveryMessageId(d.seq, r, m),
          source: d.source,
          message,
          requestId: d.requestId,
          sentAt: d.sentAt,
        };
        if (d.retryKey !== undefined) item.retryKey = d.retryKey;
        if (d.aggregationUnit !== undefined) item.aggregationUnit = d.aggregationUnit;
        if (openedAt !== undefined) item.openedAt = openedAt;
        out.push(item);
      });
    }
    return out;
  }

  /** Timeline for the phone page: account messages and citizen messages ordered as they happened. */
  conversation(userId: string, limit = 300): ConversationItem[] {
    const c = this.citizens.get(userId);
    if (!c) return [];
    const items: ConversationItem[] = [];
    for (const ref of c.refs.slice(-limit)) {
      const d = this.deliveries.get(Math.floor(ref / REF_BASE));
      if (!d) continue;
      const r = ref % REF_BASE;
      d.messages.forEach((message, m) => {
        items.push({
          from: 'account',
          ord: d.seq + m / 10,
          at: d.sentAt,
          id: deliveryMessageId(d.seq, r, m),
          source: d.source,
          requestId: d.requestId,
          message,
        });
      });
    }
    for (const s of c.sent.slice(-limit)) {
      items.push({ from: 'citizen', ord: s.ord, at: s.at, id: s.id, kind: s.kind, message: s.message, ...(s.readAt !== undefined ? { read: true } : {}) });
    }
    items.sort((a, b) => a.ord - b.ord);
    return items.slice(-limit);
  }

  /** Marks received messages opened. Without requestId/messageId: everything the citizen has not opened yet. */
  markOpened(userId: string, opts: { requestId?: string; messageId?: string }): number {
    return this.mark(userId, opts, (d) => {
      if (!d.opened) d.opened = new Map();
      if (d.opened.has(userId)) return false;
      d.opened.set(userId, this.now());
      return true;
    });
  }

  markClicked(userId: string, opts: { requestId?: string; messageId?: string; url?: string }): number {
    return this.mark(userId, opts, (d) => {
      if (!d.clicked) d.clicked = new Map();
      if (!d.opened) d.opened = new Map();
      if (!d.opened.has(userId)) d.opened.set(userId, this.now()); // a click implies the bubble was displayed
      if (d.clicked.has(userId)) return false;
      d.clicked.set(userId, { at: this.now(), ...(opts.url !== undefined ? { url: opts.url } : {}) });
      return true;
    });
  }

  private mark(userId: string, opts: { requestId?: string; messageId?: string }, apply: (d: Delivery) => boolean): number {
    const c = this.citizens.get(userId);
    if (!c) return 0;
    const targets: Delivery[] = [];
    if (opts.messageId !== undefined) {
      const p = parseDeliveryMessageId(opts.messageId);
      const d = p && this.deliveries.get(p.seq);
      if (d && d.recipients[p.r] === userId) targets.push(d);
    } else if (opts.requestId !== undefined) {
      const d = this.deliveryByRequestId(opts.requestId);
      if (d && d.recipients.includes(userId)) targets.push(d);
    } else {
      for (const ref of c.refs) {
        const d = this.deliveries.get(Math.floor(ref / REF_BASE));
        if (d) targets.push(d);
      }
    }
    let n = 0;
    for (const d of targets) if (apply(d)) n++;
    return n;
  }

  // ---- quota & statistics ------------------------------------------------------------------

  consumption(month = tokyoMonthKey(this.now())): number {
    return this.usage.get(month) ?? 0;
  }

  aggregationUnits(month = tokyoMonthKey(this.now())): string[] {
    return [...(this.unitsByMonth.get(month) ?? [])];
  }

  deliveriesForUnit(unit: string, fromMs: number, toMs: number): Delivery[] {
    const out: Delivery[] = [];
    for (const seq of this.byUnit.get(unit) ?? []) {
      const d = this.deliveries.get(seq);
      if (d && d.sentAt >= fromMs && d.sentAt < toMs) out.push(d);
    }
    return out;
  }

  // ---- persistence -------------------------------------------------------------------------

  snapshot(maxDeliveries = 2000): PersistedState {
    const deliveries = [...this.deliveries.values()].slice(-maxDeliveries).map((d) => ({
      seq: d.seq,
      requestId: d.requestId,
      source: d.source,
      messages: d.messages,
      recipients: d.recipients,
      ...(d.retryKey !== undefined ? { retryKey: d.retryKey } : {}),
      ...(d.aggregationUnit !== undefined ? { aggregationUnit: d.aggregationUnit } : {}),
      sentAt: d.sentAt,
      ...(d.opened ? { opened: [...d.opened] } : {}),
    }));
    return {
      version: 1,
      seq: this.seq,
      citizens: this.order.map((id) => {
        const c = this.citizens.get(id)!;
        return { ...publicCitizen(c), sent: c.sent };
      }),
      deliveries,
      usage: [...this.usage],
    };
  }

  restore(p: PersistedState): void {
    this.seq = Math.max(this.seq, p.seq);
    for (const c of p.citizens) {
      const { sent, ...rest } = c;
      this.citizens.set(c.userId, { ...rest, refs: [], sent: sent ?? [] });
      this.order.push(c.userId);
      // A state saved before markAsRead existed has no tokens: its messages are read only by a later one's.
      for (const s of sent ?? []) if (s.readToken) this.readTokens.set(s.readToken, c.userId);
    }
    for (const pd of p.deliveries) {
      const { opened, ...rest } = pd;
      const d: Delivery = { ...rest, ...(opened ? { opened: new Map(opened) } : {}) };
      this.deliveries.set(d.seq, d);
      this.byRequestId.set(d.requestId, d.seq);
      if (d.aggregationUnit) {
        const list = this.byUnit.get(d.aggregationUnit) ?? [];
        list.push(d.seq);
        this.byUnit.set(d.aggregationUnit, list);
      }
      d.recipients.forEach((u, r) => this.citizens.get(u)?.refs.push(d.seq * REF_BASE + r));
      this.recipientEntries += d.recipients.length;
    }
    for (const [k, v] of p.usage ?? []) this.usage.set(k, v);
  }
}

export interface PersistedState {
  version: 1;
  seq: number;
  citizens: Array<Citizen & { sent?: CitizenMessage[] }>;
  deliveries: Array<Omit<Delivery, 'opened' | 'clicked'> & { opened?: Array<[string, number]> }>;
  usage?: Array<[string, number]>;
}
