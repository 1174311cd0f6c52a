/**
 * The local runtime's DeliveryScheduler (EventBridge Scheduler in AWS): one-time schedules that
 * put a planner message on the planner queue when the (controllable) clock reaches their time.
 *
 * Schedules are items of the table (`PK SCHEDULE#<name>`, GSI1 `SCHEDULES` by time; keys in
 * functions/deliveries/keys.ts) rather than a JSON file: DynamoDB Local already persists the data
 * folder across `npm start` restarts (and forgets with `--memory`, like everything else), the
 * by-time index finds due schedules without reading them all, and a conditional delete gives
 * "fires once" for free — two ticks, or two runtimes on one database, cannot both win it.
 *
 * Each tick: due schedules (at ≤ now) are deleted with a condition on their revision (an edit
 * in between changes it, so the old time never fires), then their message is sent; if the send
 * fails the schedule is put back. A schedule whose time passed while the runtime was stopped
 * fires on the first tick after start, like EventBridge delivering late.
 */
import { DeleteCommand, PutCommand, QueryCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { scheduleKey, scheduleListKey } from '../../deliveries/keys';
import type { PlannerMessage } from '../../deliveries/model';
import type { DeliveryScheduler, JsonQueue } from '../../deliveries/ports';
import type { Clock } from '../../ports/clock';
import { documentClient, isConditionFailure, queryAll, tableName } from '../aws/dynamo-client';

export interface LocalSchedule {
  name: string;
  at: string;
  message: PlannerMessage;
  revision: string;
}

export interface LocalSchedulerOptions {
  db?: DynamoDBDocumentClient;
  table?: string;
  /** How often due schedules are looked for. @default 250 */
  tickMs?: number;
  /** Even without a known due schedule, the index is re-read this often. @default 5000 */
  refreshMs?: number;
  onError?: (error: unknown) => void;
}

const INDEX_PK = 'SCHEDULES';

export class LocalScheduler implements DeliveryScheduler {
  private readonly db: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly tickMs: number;
  private readonly refreshMs: number;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  /** Earliest known schedule time (ms); ticks query only once it is reached or refreshMs passed. */
  private nextDueMs = -Infinity;
  private lastRefreshMs = 0;
  /** Counts upserts, so a refresh that raced one does not hide its time. */
  private upserts = 0;
  readonly counters = { fired: 0, lostRaces: 0, failedSends: 0 };

  constructor(
    private readonly target: JsonQueue<PlannerMessage>,
    private readonly clock: Clock,
    private readonly options: LocalSchedulerOptions = {},
  ) {
    this.db = options.db ?? documentClient();
    this.table = options.table ?? tableName();
    this.tickMs = options.tickMs ?? 250;
    this.refreshMs = options.refreshMs ?? 5_000;
  }

  async upsert(name: string, at: Date, message: PlannerMessage): Promise<void> {
    const iso = at.toISOString();
    const schedule: LocalSchedule = { name, at: iso, message, revision: randomUUID() };
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { ...scheduleKey(name), ...scheduleListKey(iso, name), type: 'LocalSchedule', ...schedule } }),
    );
    this.upserts++;
    this.nextDueMs = Math.min(this.nextDueMs, at.getTime());
  }

  async remove(name: string): Promise<boolean> {
    const { Attributes } = await this.db.send(new DeleteCommand({ TableName: this.table, Key: scheduleKey(name), ReturnValues: 'ALL_OLD' }));
    return Attributes !== undefined;
  }

  /** Every pending schedule, earliest first (the status page and tests). */
  async list(): Promise<LocalSchedule[]> {
    return queryAll(
      this.db,
      { TableName: this.table, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': INDEX_PK } },
      (item): LocalSchedule => ({ name: item.name, at: item.at, message: item.message, revision: item.revision }),
    );
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick().catch((e) => (this.options.onError ?? console.error)(e)), this.tickMs);
    this.timer.unref?.();
    void this.tick().catch((e) => (this.options.onError ?? console.error)(e));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking?.catch(() => undefined);
  }

  /** Fires every due schedule once. Overlapping calls share the running tick. */
  tick(): Promise<void> {
    if (!this.ticking) this.ticking = this.fireDue().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async fireDue(): Promise<void> {
    const nowMs = this.clock.now().getTime();
    if (nowMs < this.nextDueMs && Date.now() - this.lastRefreshMs < this.refreshMs) return;
    const now = new Date(nowMs).toISOString();
    const due = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :now',
        ExpressionAttributeValues: { ':pk': INDEX_PK, ':now': `${now}#~` },
      },
    );
    for await (const page of due) for (const item of page.Items ?? []) await this.fire(item as LocalSchedule & Record<string, unknown>);
    await this.refresh();
  }

  private async fire(item: LocalSchedule & Record<string, unknown>): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: scheduleKey(item.name),
          ConditionExpression: 'revision = :rev',
          ExpressionAttributeValues: { ':rev': item.revision },
        }),
      );
    } catch (error) {
      // Removed, edited or fired by someone else since the query: not ours to fire.
      if (isConditionFailure(error)) {
        this.counters.lostRaces++;
        return;
      }
      throw error;
    }
    try {
      await this.target.send([item.message]);
      this.counters.fired++;
    } catch (error) {
      this.counters.failedSends++;
      // Put it back unless it was re-created meanwhile; the next tick tries again.
      await this.db
        .send(new PutCommand({ TableName: this.table, Item: { ...item }, ConditionExpression: 'attribute_not_exists(PK)' }))
        .catch((e) => (isConditionFailure(e) ? undefined : Promise.reject(e)));
      throw error;
    }
  }

  private async refresh(): Promise<void> {
    const upsertsBefore = this.upserts;
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': INDEX_PK },
        Limit: 1,
      }),
    );
    this.nextDueMs = this.upserts !== upsertsBefore ? -Infinity : Items?.[0] ? Date.parse(Items[0].at as string) : Infinity;
    this.lastRefreshMs = Date.now();
  }
}
