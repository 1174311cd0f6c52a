/** In-memory fakes of the send pipeline's ports (planner, sender, finishing unit tests). */
import { MAX_CHUNKS_PER_WRITE } from '../../functions/deliveries/chunking';
import type { AudienceFriend, Chunk, Delivery, DeliveryStatus } from '../../functions/deliveries/model';
import {
  LineRejectedError,
  LineTransientError,
  type ChunkState,
  type DeliveryRepository,
  type JsonQueue,
  type LineDeliveryGateway,
  type PlanningClaim,
  type SendOutcome,
} from '../../functions/deliveries/ports';
import type { LineMessage } from '../../functions/ports/line-gateway';

const clone = <T>(v: T): T => structuredClone(v);
const notUsed = () => {
  throw new Error('not used by the pipeline');
};

/** Conditional writes behave like the DynamoDB store's (same conditions). */
export class MemoryDeliveries implements DeliveryRepository {
  readonly deliveries = new Map<string, Delivery & { plannerToken?: string; plannerLeaseUntil?: number }>();
  readonly chunks = new Map<string, Chunk>();
  readonly links = new Map<string, string[]>();
  /** Chunks written, and the size of each write request (a request writes up to MAX_CHUNKS_PER_WRITE). */
  chunkPuts = 0;
  readonly chunkWrites: number[] = [];
  /** Awaited before each write request (a store slower than the reading). */
  writeGate?: () => Promise<void>;
  /** Called before each chunk put (to crash a planner mid-way in tests). */
  beforePutChunk?: (chunk: Chunk) => void;

  private key = (id: string, index: number) => `${id}#${String(index).padStart(5, '0')}`;

  async get(id: string) {
    const d = this.deliveries.get(id);
    if (!d) return null;
    const { plannerToken: _t, plannerLeaseUntil: _l, ...rest } = d;
    return clone(rest as Delivery);
  }
  async create(d: Delivery) {
    this.deliveries.set(d.deliveryId, clone(d));
  }
  replace = notUsed;
  async transition(id: string, from: DeliveryStatus[], to: DeliveryStatus, fields: Partial<Delivery> = {}) {
    const d = this.deliveries.get(id);
    if (!d || !from.includes(d.status)) return false;
    Object.assign(d, fields, { status: to, version: d.version + 1 });
    return true;
  }
  list = notUsed;
  iterate = notUsed;
  /** All or none, as the store's transaction: an existing index writes nothing. */
  async putChunks(chunks: Chunk[]) {
    if (chunks.length > MAX_CHUNKS_PER_WRITE) throw new Error(`at most ${MAX_CHUNKS_PER_WRITE} chunks at once`);
    await this.writeGate?.();
    for (const c of chunks) this.beforePutChunk?.(c);
    this.chunkWrites.push(chunks.length);
    const existed = chunks.filter((c) => this.chunks.has(this.key(c.deliveryId, c.index))).map((c) => c.index);
    if (existed.length > 0) return existed;
    for (const c of chunks) {
      this.chunkPuts++;
      this.chunks.set(this.key(c.deliveryId, c.index), clone(c));
    }
    return [];
  }
  async getChunk(id: string, index: number) {
    const c = this.chunks.get(this.key(id, index));
    return c ? clone(c) : null;
  }
  async listChunks(id: string) {
    return [...this.chunks.entries()]
      .filter(([k]) => k.startsWith(`${id}#`))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, c]) => clone(c));
  }
  async failChunk(id: string, index: number, fields: { at: string; attempts: number; lastError?: string }) {
    const c = this.chunks.get(this.key(id, index));
    if (!c || c.status !== 'pending') return false;
    Object.assign(c, { status: 'failed', attempts: fields.attempts, ...(fields.lastError ? { lastError: fields.lastError } : {}) });
    return true;
  }
  async resetFailedChunks(id: string) {
    const reset: Chunk[] = [];
    for (const c of await this.listChunks(id)) {
      if (c.status !== 'failed') continue;
      this.chunks.get(this.key(id, c.index))!.status = 'pending';
      reset.push({ ...c, status: 'pending' });
    }
    const final = this.final.get(id);
    for (const c of reset) final?.delete(c.index);
    this.deliveries.get(id)!.chunksDone = final?.size ?? 0;
    return reset;
  }
  async recordPushProgress(id: string, index: number, n: number) {
    const c = this.chunks.get(this.key(id, index))!;
    if ((c.pushedUpTo ?? 0) < n) c.pushedUpTo = n;
  }
  async claimPlanning(id: string, token: string, nowMs: number, leaseMs: number): Promise<PlanningClaim> {
    const d = this.deliveries.get(id);
    if (!d) return { claimed: false, reason: 'not_found' };
    const takeover = d.status === 'sending' && d.chunksTotal === undefined && (d.plannerLeaseUntil ?? 0) < nowMs;
    if (d.status === 'queued' || d.status === 'scheduled' || takeover) {
      Object.assign(d, { status: 'sending', plannerToken: token, plannerLeaseUntil: nowMs + leaseMs, version: d.version + 1 });
      return { claimed: true, delivery: (await this.get(id))!, resumed: takeover };
    }
    const delivery = (await this.get(id))!;
    if (d.status !== 'sending')
      return { claimed: false, reason: ['sent', 'partly_failed', 'failed'].includes(d.status) ? 'planned' : 'not_plannable', delivery };
    return { claimed: false, reason: d.chunksTotal !== undefined ? 'planned' : 'busy', delivery };
  }
  async renewPlanning(id: string, token: string, until: number) {
    const d = this.deliveries.get(id)!;
    if (d.plannerToken !== token) return false;
    d.plannerLeaseUntil = until;
    return true;
  }
  async recordLineRequestId(id: string, requestId: string) {
    this.deliveries.get(id)!.lineRequestId = requestId;
  }
  async completePlanning(id: string, token: string, fields: { recipients: number; chunksTotal: number; broadcast?: boolean }) {
    const d = this.deliveries.get(id)!;
    if (d.plannerToken !== token) return false;
    Object.assign(d, fields);
    delete d.plannerToken;
    delete d.plannerLeaseUntil;
    return true;
  }
  /** Final chunk indexes per delivery (the store's number set). */
  final = new Map<string, Set<number>>();
  async countChunkDone(id: string, index: number) {
    const d = this.deliveries.get(id)!;
    let final = this.final.get(id);
    if (!final) this.final.set(id, (final = new Set()));
    final.add(index);
    d.chunksDone = final.size;
    return { done: d.chunksDone, ...(d.chunksTotal !== undefined ? { total: d.chunksTotal } : {}) };
  }
  /** As the store: sent and counted in one write; sent wins over failed; `moved` only when it was not final. */
  async chunkSent(id: string, index: number) {
    const d = this.deliveries.get(id)!;
    let final = this.final.get(id);
    if (!final) this.final.set(id, (final = new Set()));
    const moved = !final.has(index);
    final.add(index);
    const c = this.chunks.get(this.key(id, index));
    if (c) c.status = 'sent';
    d.chunksDone = final.size;
    return { moved, done: final.size, ...(d.chunksTotal !== undefined ? { total: d.chunksTotal } : {}) };
  }
  async markFirstSent(id: string, at: string) {
    const d = this.deliveries.get(id)!;
    if (d.firstSentAt) return false;
    d.firstSentAt = at;
    return true;
  }
  async recordChunkError(id: string, index: number, fields: { attempts: number; lastError: string }) {
    const c = this.chunks.get(this.key(id, index));
    if (c?.status === 'pending') Object.assign(c, fields);
  }
  async chunkStates(id: string): Promise<ChunkState[]> {
    return (await this.listChunks(id)).map((c) => ({ index: c.index, status: c.status, recipients: c.recipients.length, attempts: c.attempts }));
  }
  click = notUsed;
  clickOnce = notUsed;
  async putLinks(id: string, urls: string[]) {
    this.links.set(id, urls);
  }
  clicks = notUsed;
  linkClicks = notUsed;
  deleteDraft = notUsed;
}

export class MemoryAudience {
  constructor(
    public friends: AudienceFriend[],
    private readonly pageSize = 100,
    public answered = new Map<string, Set<string>>(),
  ) {}
  /** As the index reader: names only when asked for. */
  async *pages(options: { names?: boolean } = {}) {
    for (let i = 0; i < this.friends.length; i += this.pageSize) {
      const page = this.friends.slice(i, i + this.pageSize);
      yield { friends: options.names ? page : page.map((f) => ({ ...f, displayName: '' })) };
    }
  }
  async answeredUsers(formId: string) {
    return this.answered.get(formId) ?? new Set<string>();
  }
}

export class MemoryJsonQueue<T> implements JsonQueue<T> {
  messages: T[] = [];
  async send(messages: T[]) {
    this.messages.push(...clone(messages));
  }
}

type Call = { kind: 'multicast' | 'push' | 'broadcast'; to: string[]; messages: LineMessage[]; retryKey: string; unit?: string };

/** Scripted LINE: `script` answers each call in order (then accepted); delivered keys give 409-like answers. */
export class ScriptedLine implements LineDeliveryGateway {
  calls: Call[] = [];
  script: (Error | 'accepted' | 'deliver_then_fail')[] = [];
  /** Requests with these retry keys are always refused (400), as LINE refuses the same bad request every time. */
  readonly refuseKeys = new Set<string>();
  readonly accepted = new Set<string>();
  readonly deliveredTo = new Map<string, number>();

  private async answer(call: Call): Promise<SendOutcome> {
    this.calls.push(call);
    // LINE answers a repeated key with the accepted request's ID (x-line-accepted-request-id).
    if (this.accepted.has(call.retryKey)) return { kind: 'already_accepted', requestId: `req-${call.retryKey}` };
    if (this.refuseKeys.has(call.retryKey)) throw new LineRejectedError('LINE answered 400', 400);
    const step = this.script.shift() ?? 'accepted';
    if (step instanceof Error) throw step;
    this.accepted.add(call.retryKey);
    for (const u of call.to) this.deliveredTo.set(u, (this.deliveredTo.get(u) ?? 0) + 1);
    if (step === 'deliver_then_fail') throw new LineTransientError('LINE answered 500', 500);
    return { kind: 'accepted', requestId: `req-${call.retryKey}` };
  }
  multicast(to: string[], messages: LineMessage[], retryKey: string, unit?: string) {
    return this.answer({ kind: 'multicast', to, messages, retryKey, ...(unit ? { unit } : {}) });
  }
  push(to: string, messages: LineMessage[], retryKey: string, unit?: string) {
    return this.answer({ kind: 'push', to: [to], messages, retryKey, ...(unit ? { unit } : {}) });
  }
  /** Everyone in `followers` (set by the test). */
  followers: string[] = [];
  broadcast(messages: LineMessage[], retryKey: string) {
    return this.answer({ kind: 'broadcast', to: this.followers, messages, retryKey });
  }
  requestStats = new Map<string, { uniqueImpression: number | null; uniqueClick: number | null }>();
  async requestStatistics(requestId: string) {
    return this.requestStats.get(requestId) ?? null;
  }
  async quota() {
    return { limit: null, used: 0 };
  }
  async aggregationUnitsUsed() {
    return 0;
  }
  async unitStatistics() {
    return null;
  }
}

export function friend(i: number, over: Partial<AudienceFriend> = {}): AudienceFriend {
  return {
    userId: `U${String(i).padStart(32, '0')}`,
    displayName: `市民${i}`,
    status: 'active',
    followedAtMs: Date.UTC(2026, 0, 1) + i * 1000,
    language: 'ja',
    ...over,
  };
}

export function delivery(over: Partial<Delivery> = {}): Delivery {
  const now = '2026-11-24T01:00:00.000Z';
  return {
    deliveryId: '01JDELIVERY0000000000000AA',
    title: 'お知らせ',
    category: 'その他',
    variants: [
      { lang: 'ja', bubbles: [{ type: 'text', text: 'お知らせです' }] },
      { lang: 'en', bubbles: [{ type: 'text', text: 'News' }] },
    ],
    status: 'queued',
    audience: { segmentId: null, rule: { match: 'all', conditions: [] }, label: '全員' },
    timing: { kind: 'now' },
    aggregationUnit: 'd_01JDELIVERY0000000000000AA',
    createdAt: now,
    createdBy: 'tanaka',
    updatedAt: now,
    updatedBy: 'tanaka',
    stats: { state: 'not_yet', opened: null, lineClicked: null, clicked: 0 },
    version: 1,
    ...over,
  };
}
