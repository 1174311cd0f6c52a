/**
 * Shared by the send-pipeline integration tests and the benchmark: a local runtime of its own
 * (in this process, on the shared DynamoDB Local when one is given, with a table of its own),
 * friends written straight into the table (BatchWrite: fast, no webhook round trip) for citizens
 * created in bulk in the simulator, and deliveries created `queued` then put on the planner queue
 * exactly as the admin API's "send" does.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDeliveryStore } from '../../../functions/adapters/aws/delivery-store';
import { rebuildAudienceIndex } from '../../../functions/adapters/aws/audience-index';
import { friendKey, friendListKey } from '../../../functions/friends/keys';
import { aggregationUnitOf } from '../../../functions/deliveries/keys';
import type { Delivery, SegmentRule, Variant } from '../../../functions/deliveries/model';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../../local/runtime';
import { LineSimulatorClient } from '../../../simulator/client';

export interface PipelineEnv {
  rt: LocalRuntime;
  sim: LineSimulatorClient;
  db: DynamoDBDocumentClient;
  store: DynamoDeliveryStore;
  stop(): Promise<void>;
}

export async function startPipelineRuntime(options: LocalRuntimeOptions & { env?: Record<string, string> } = {}): Promise<PipelineEnv> {
  // A table of its own: other tests' friends share DynamoDB Local but not this audience.
  process.env.TABLE_NAME = `civic-line-pipeline-${randomBytes(4).toString('hex')}`;
  Object.assign(process.env, options.env ?? {});
  const rt = await startLocalRuntime({ platformPort: 0, simulatorPort: 0, dynamodbPort: 0, logLevel: 'ERROR', ...options });
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: rt.dynamodbEndpoint,
      region: 'ap-northeast-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 10,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return {
    rt,
    sim: new LineSimulatorClient(rt.simulatorUrl!),
    db,
    store: new DynamoDeliveryStore(db, rt.tableName),
    stop: async () => {
      db.destroy();
      await rt.stop();
    },
  };
}

export interface SeedFriend {
  userId: string;
  language: string;
  status: 'active' | 'blocked';
  district?: string;
}

/**
 * `count` citizens in the simulator (friends there), mirrored as friend items. `shape(i)` decides
 * each friend's language, status and district.
 */
export async function seedFriends(env: PipelineEnv, count: number, shape: (i: number) => Omit<SeedFriend, 'userId'>): Promise<SeedFriend[]> {
  const friends: SeedFriend[] = [];
  for (let made = 0; made < count; made += 20_000) {
    const n = Math.min(20_000, count - made);
    const shapes = Array.from({ length: n }, (_, j) => shape(made + j));
    // Blocked in our table and at LINE alike (a broadcast must not reach them either).
    const blocked = shapes.flatMap((s, j) => (s.status === 'blocked' ? [j] : []));
    const { userIds } = await env.sim.createCitizens({ count: n, displayNamePrefix: '市民', follow: true, sendWebhooks: false, blocked });
    userIds.forEach((userId, j) => friends.push({ userId, ...shapes[j]! }));
  }
  const base = Date.parse('2026-01-01T00:00:00Z');
  const items = friends.map((f, i) => {
    const followedAt = new Date(base + i * 1000).toISOString();
    return {
      PutRequest: {
        Item: {
          ...friendKey(f.userId),
          ...friendListKey(followedAt, f.userId),
          type: 'Friend',
          userId: f.userId,
          displayName: `市民${i}`,
          language: f.language,
          status: f.status,
          followedAt,
          lastFollowedAt: followedAt,
          statusEventAt: base + i * 1000,
          updatedAt: followedAt,
          ...(f.district ? { attributes: { district: f.district } } : {}),
        },
      },
    };
  });
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let request: Record<string, unknown[]> | undefined = { [env.rt.tableName]: batches[next++]! };
        while (request && Object.keys(request).length > 0) {
          const out = await env.db.send(new BatchWriteCommand({ RequestItems: request as never }));
          request = out.UnprocessedItems as Record<string, unknown[]> | undefined;
        }
      }
    }),
  );
  // Written around the friend store, so the audience index is built the way a repair does it.
  await rebuildAudienceIndex(env.db, env.rt.tableName);
  return friends;
}

export const VARIANTS: Variant[] = [
  { lang: 'ja', bubbles: [{ type: 'text', text: '荒尾市からのお知らせです。' }] },
  { lang: 'en', bubbles: [{ type: 'text', text: 'News from Arao City.' }] },
];

/** A delivery as the admin API leaves it after "send now": `queued`. */
export async function queueDelivery(env: PipelineEnv, input: { rule?: SegmentRule; variants?: Variant[]; title?: string } = {}): Promise<Delivery> {
  const deliveryId = `01PIPE${randomBytes(10).toString('hex').toUpperCase()}`.slice(0, 26);
  const now = new Date().toISOString();
  const delivery: Delivery = {
    deliveryId,
    title: input.title ?? 'パイプライン試験',
    category: 'その他',
    variants: input.variants ?? VARIANTS,
    status: 'queued',
    audience: { segmentId: null, rule: input.rule ?? { match: 'all', conditions: [] }, label: '全員' },
    timing: { kind: 'now' },
    aggregationUnit: aggregationUnitOf(deliveryId),
    createdAt: now,
    createdBy: 'tester',
    updatedAt: now,
    updatedBy: 'tester',
    sentBy: 'tester',
    queuedAt: now,
    stats: { state: 'not_yet', opened: null, lineClicked: null, clicked: 0 },
    version: 1,
  };
  await env.store.create(delivery);
  return delivery;
}

/** "Send": the planner message, as the admin API puts it after moving the delivery to `queued`. */
export async function send(env: PipelineEnv, deliveryId: string): Promise<void> {
  await env.rt.queues.planner.sendAll([JSON.stringify({ type: 'plan', deliveryId })]);
}

/** Polls until the delivery left `queued`/`sending` and the queues are empty. */
export async function waitFinished(env: PipelineEnv, deliveryId: string, timeoutMs = 60_000): Promise<Delivery> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await env.store.get(deliveryId, true);
    const q = env.rt.queues;
    const idle = [q.planner, q.send].every((x) => {
      const depth = x.depth();
      return depth.visible === 0 && depth.inFlight === 0 && depth.delayed === 0;
    });
    if (d && !['queued', 'sending'].includes(d.status) && idle) return d;
    if (Date.now() > deadline)
      throw new Error(
        `delivery ${deliveryId} not finished within ${timeoutMs} ms: ${d?.status}, queues ${JSON.stringify({ planner: q.planner.depth(), send: q.send.depth() })}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Who got the delivery how often (simulator), against who should have. */
/**
 * Who got the delivery, from the simulator's side: by its aggregation unit (multicast, push) or,
 * for a broadcast, by the request IDs of the accepted broadcasts since `sinceMs`.
 */
export async function audit(env: PipelineEnv, delivery: Delivery, expected: Set<string>, all: SeedFriend[], sinceMs = 0) {
  const got = delivery.broadcast ? await broadcastRecipients(env, sinceMs) : await env.sim.unitRecipients(delivery.aggregationUnit);
  let duplicates = 0;
  let misses = 0;
  let unexpected = 0;
  for (const f of all) {
    const n = got.counts[f.userId] ?? 0;
    if (expected.has(f.userId)) {
      if (n === 0) misses++;
      if (n > 1) duplicates++;
    } else if (n > 0) unexpected++;
  }
  return {
    duplicates,
    misses,
    unexpected,
    requests: got.requests,
    recipientEntries: got.recipientEntries,
    firstSentAt: got.firstSentAt,
    lastSentAt: got.lastSentAt,
  };
}

async function broadcastRecipients(env: PipelineEnv, sinceMs: number) {
  // Every broadcast request LINE delivered — including one answered 500 after delivering.
  const delivered = [];
  for (const r of await env.sim.requests({ since: sinceMs, endpoint: 'broadcast' })) {
    const got = await env.sim.requestRecipients(r.requestId).catch(() => null);
    if (got) delivered.push(got);
  }
  const counts: Record<string, number> = {};
  let recipientEntries = 0;
  const times: number[] = [];
  for (const { recipients, sentAt } of delivered) {
    times.push(sentAt);
    recipientEntries += recipients.length;
    for (const u of recipients) counts[u] = (counts[u] ?? 0) + 1;
  }
  return {
    requests: delivered.length,
    recipientEntries,
    counts,
    firstSentAt: times.length ? Math.min(...times) : null,
    lastSentAt: times.length ? Math.max(...times) : null,
  };
}
