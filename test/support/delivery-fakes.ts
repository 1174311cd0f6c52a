/**
 * In-memory ports of the admin API's deliveries routes (functions/admin/delivery-routes.ts): the
 * send pipeline's fakes (test/support/pipeline-fakes.ts) plus what only the staff use cases
 * read and write — the history list, drafts replaced or deleted, segments, recurring deliveries,
 * images, settings and one-time schedules.
 */
import { DEFAULT_DELIVERY_SETTINGS } from '../../functions/adapters/aws/delivery-settings-store';
import type { DeliveryRouteDeps } from '../../functions/admin/delivery-routes';
import type { Delivery, DeliverySettings, Media, PlannerMessage, Recurring, Segment, SendMessage } from '../../functions/deliveries/model';
import type { DeliveryListQuery, DeliveryScheduler, SettingsRepository } from '../../functions/deliveries/ports';
import type { StaffFormsDeps } from '../../functions/forms/staff-forms';
import { ConflictError } from '../../functions/shared/errors';
import { delivery, MemoryAudience, MemoryDeliveries, MemoryJsonQueue, ScriptedLine } from './pipeline-fakes';

/** Records keyed by one of their fields; `replace` checks the version as the DynamoDB stores do. */
export class MemoryRecords<T extends object> {
  readonly items = new Map<string, T>();
  constructor(private readonly key: keyof T & string) {}
  private idOf = (item: T) => String(item[this.key]);
  async get(id: string) {
    const item = this.items.get(id);
    return item ? structuredClone(item) : null;
  }
  async list() {
    return [...this.items.values()].map((item) => structuredClone(item));
  }
  async create(item: T) {
    if (this.items.has(this.idOf(item))) throw new ConflictError('exists');
    this.items.set(this.idOf(item), structuredClone(item));
  }
  async put(item: T) {
    this.items.set(this.idOf(item), structuredClone(item));
  }
  async replace(next: T, expectedVersion: number) {
    if ((this.items.get(this.idOf(next)) as { version?: number } | undefined)?.version !== expectedVersion) throw new ConflictError('stale');
    this.items.set(this.idOf(next), structuredClone(next));
  }
  async delete(id: string) {
    this.items.delete(id);
  }
}

export class MemorySettings implements SettingsRepository {
  current: DeliverySettings = { ...DEFAULT_DELIVERY_SETTINGS };
  async get() {
    return { ...this.current };
  }
  async put(settings: DeliverySettings) {
    this.current = { ...settings };
  }
}

/** One-time schedules by name, with the planner message each would put on the queue. */
export class MemoryScheduler implements DeliveryScheduler {
  readonly schedules = new Map<string, { at: Date; message: PlannerMessage }>();
  upsert = async (name: string, at: Date, message: PlannerMessage) => void this.schedules.set(name, { at, message });
  remove = async (name: string) => this.schedules.delete(name);
}

/** The pipeline's delivery store with the staff side filled in: history (newest first), replace and deleting drafts. */
export function memoryStaffDeliveries() {
  const store = new MemoryDeliveries();
  const matching = async (query: Omit<DeliveryListQuery, 'limit' | 'cursor'>) => {
    const all = await Promise.all([...store.deliveries.keys()].map((id) => store.get(id)));
    return all
      .filter((d): d is Delivery => d !== null)
      .filter((d) => (!query.recurringId || d.recurringId === query.recurringId) && (!query.status || query.status.includes(d.status)))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.deliveryId.localeCompare(a.deliveryId));
  };
  return Object.assign(store, {
    async replace(next: Delivery, expectedVersion: number) {
      if (store.deliveries.get(next.deliveryId)?.version !== expectedVersion) throw new ConflictError('stale');
      store.deliveries.set(next.deliveryId, structuredClone(next));
    },
    async list(query: DeliveryListQuery) {
      return { items: (await matching(query)).slice(0, query.limit ?? 50) };
    },
    async *iterate(query: Omit<DeliveryListQuery, 'limit' | 'cursor'>) {
      yield* await matching(query);
    },
    async deleteDraft(deliveryId: string) {
      return store.deliveries.get(deliveryId)?.status === 'draft' && store.deliveries.delete(deliveryId);
    },
  });
}

/** What `deliveryDeps` (functions/admin/wiring.ts) builds, in memory, around the forms' ports the caller already has. */
export function memoryDeliveryDeps(forms: StaffFormsDeps) {
  return {
    audit: forms.audit,
    clock: forms.clock,
    deliveries: memoryStaffDeliveries(),
    segments: new MemoryRecords<Segment>('segmentId'),
    recurrings: new MemoryRecords<Recurring>('recurringId'),
    media: new MemoryRecords<Media>('mediaId'),
    settings: new MemorySettings(),
    audience: new MemoryAudience([]),
    line: new ScriptedLine(),
    scheduler: new MemoryScheduler(),
    planner: new MemoryJsonQueue<PlannerMessage>(),
    send: new MemoryJsonQueue<SendMessage>(),
    blobs: forms.blobs,
    forms,
    csvDelivery: 'buffered' as const,
  } satisfies DeliveryRouteDeps;
}

export type MemoryDeliveryDeps = ReturnType<typeof memoryDeliveryDeps>;

/** A 26-character ULID (Crockford base 32) ending in `tag`, as the routes' `:…Id` parameters need. */
const ulidOf = (tag: string) => `01KA${tag.padStart(22, '0')}`;

/** The deliveries, segment and recurring deliveries a harness holds, one per state a route acts on. */
export const DELIVERY_TARGETS = {
  segment: ulidOf('5E6'),
  draft: ulidOf('D1'),
  pendingApproval: ulidOf('D2'),
  scheduled: ulidOf('D3'),
  failed: ulidOf('D4'),
  activeRecurring: ulidOf('R1'),
  pausedRecurring: ulidOf('R2'),
};

/** Seeds DELIVERY_TARGETS (the fakes write synchronously, so nothing needs awaiting). */
export function seedDeliveryTargets(deps: MemoryDeliveryDeps): void {
  const t = DELIVERY_TARGETS;
  const now = deps.clock.now();
  const by = { createdAt: now.toISOString(), createdBy: 'seed', updatedAt: now.toISOString(), updatedBy: 'seed', version: 1 };
  const everyone = { match: 'all' as const, conditions: [] };
  void deps.segments.create({ segmentId: t.segment, name: '対象セグメント', rule: everyone, ...by });
  const tomorrow = new Date(now.getTime() + 24 * 3600_000).toISOString();
  for (const d of [
    delivery({ deliveryId: t.draft, status: 'draft' }),
    delivery({ deliveryId: t.pendingApproval, status: 'pending_approval', requestedBy: 'seed' }),
    delivery({ deliveryId: t.scheduled, status: 'scheduled', timing: { kind: 'at', at: tomorrow }, scheduleName: `delivery-${t.scheduled}` }),
    delivery({ deliveryId: t.failed, status: 'failed', queuedAt: now.toISOString() }),
  ])
    void deps.deliveries.create({ ...d, ...by, aggregationUnit: `d_${d.deliveryId}` });
  const content = {
    title: '朝のお知らせ',
    category: 'その他',
    variants: [{ lang: 'ja' as const, bubbles: [{ type: 'text' as const, text: 'おはようございます' }] }],
  };
  const rule = { freq: 'daily' as const, interval: 1, time: '08:00', start: '2026-11-24', excludeDates: [], excludeWeekdays: [], excludeHolidays: false };
  for (const [recurringId, status] of [
    [t.activeRecurring, 'active'],
    [t.pausedRecurring, 'paused'],
  ] as const)
    void deps.recurrings.create({ ...content, ...by, recurringId, status, audience: { segmentId: null, rule: everyone, label: '全員' }, rule });
}
