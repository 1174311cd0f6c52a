/**
 * Friends list benchmark (`npm run bench -- --only friends-list`): the console's 友だち list over
 * `friends` friends in DynamoDB Local — the list use case (functions/friends/staff-friends.ts
 * `listFriends`, the query parsed by the route's `friendsQuery`) on the real adapters
 * (functions/adapters/aws/friend-directory.ts: GSI1 `FRIENDS`, newest first, ≤ LIST_BUDGET friends
 * read per request, sealed cursor) in this process; no HTTP, no sign-in, no Lambda.
 *
 * Friends are written straight into the table (BatchWriteItem ×25, 16 in flight; not measured)
 * with the fields and keys the friend store writes on a follow (functions/adapters/aws/friend-store.ts)
 * and a block, and the attributes the response store adds on a profile answer — what the directory
 * reads. 5 % blocked; languages ja 72 %, en 10 %, ko 6 %, zh-Hans 4 %, zh-Hant 3 %, another 2 %,
 * none 3 %; 40 % answered the profile form (district / ageBand / gender / categories); one rare
 * family name (蔵満) for 3 friends at 35 %, 62 % and 97 % of the list (newest first).
 *
 * Every DynamoDB call goes through a counting middleware: a request's Query calls, GetItem calls and
 * items DynamoDB returned — so "at most the budget per request" is checked on the wire, not only by
 * the use case's own `scanned`. A warm-up (one round of every case, not counted) comes first: the
 * first use of DynamoDB Local's Java code and of this process's is not what a request costs.
 */
import { createHash } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAudienceSource } from '../functions/adapters/aws/audience-source';
import { DynamoFriendDirectory } from '../functions/adapters/aws/friend-directory';
import { DynamoSegmentStore } from '../functions/adapters/aws/segment-store';
import { FRIENDS_LIST_PK, friendKey, friendListKey } from '../functions/friends/keys';
import { LIST_BUDGET, friendsQuery, listFriends, type StaffFriendsDeps } from '../functions/friends/staff-friends';
import { hmacSealer } from '../functions/shared/sealed';
import { ensureTable, freePort, localDynamoClient, startDynamoDbLocal } from '../local/dynamodb-local';
import { median, percentile } from './runtime';

/** The bench's target for one list request on DynamoDB Local (p95), whatever the filter and the depth. */
export const REQUEST_P95_TARGET_MS = 300;
/** Requests one search (or one 「さらに探す」) of the console makes by itself (admin-web/src/pages/friends/friend-list.tsx AUTO_REQUESTS). */
const CONSOLE_AUTO_REQUESTS = 3;
const PAGE = 50;
const RARE_NAME = '蔵満';
const RARE_AT = [0.35, 0.62, 0.97];

export interface FriendsListOptions {
  friends: number;
  /** Measured rounds (every case once per round; at least 1). */
  rounds: number;
}

/** One list request as the route would run it. */
interface Sample {
  ms: number;
  /** The use case's count of friends read. */
  scanned: number;
  /** Counted on the client: Query calls and the friends they returned (GSI1), GetItem calls (a user ID, a segment). */
  queries: number;
  gets: number;
  itemsRead: number;
  found: number;
  /** This process's CPU for the request (the SDK's parsing, the filter); the rest of the time is DynamoDB Local's and waiting. */
  cpuMs: number;
}

/** A case's requests over all rounds, and each round's median (the spread). */
export interface Latencies {
  count: number;
  p50: number;
  p95: number;
  max: number;
  roundMedians: number[];
}

/** Following the cursor from the first request: where the first hit came, where the page filled or the list ended. */
export interface Walk {
  requests: number;
  itemsRead: number;
  ms: number;
  found: number;
  /** To the first request that found someone (null: none). */
  firstHit: { requests: number; itemsRead: number; ms: number } | null;
  /** The walk reached the end of the list (no cursor). */
  ended: boolean;
}

export interface CaseFigures {
  name: string;
  /** `first`: requests are each round's first requests of the filter; `walk`: every request of a walk to the end. */
  kind: 'first' | 'walk';
  query: Record<string, string>;
  /** Friends the filter selects (known from the seed). */
  expected: number;
  requests: Latencies;
  /** Per round: following the cursor until a page of 50 is found or the list ends. */
  walks: Walk[];
  maxItemsRead: number;
  maxQueries: number;
  /** Medians per request: friends read, this process's CPU (ms). */
  itemsP50: number;
  cpuP50: number;
  /** A walk to the end: its first 5 and its last 5 requests that read friends (the newest friends, the oldest). */
  byDepth?: { top: Latencies; deep: Latencies };
}

export interface FriendsListResult {
  friends: number;
  rounds: number;
  seedSeconds: number;
  active: number;
  first: CaseFigures;
  paging: { pages: number; requests: Latencies; walkMs: number[] };
  fullWalk: { pageSize: number; pages: number; seconds: number[]; firstPages: Latencies; lastPages: Latencies };
  userIdGet: Latencies;
  /** DynamoDB Local alone: one Query of READ_PAGE friends at the top of GSI1 and from an ExclusiveStartKey `depth` friends in (ms, medians). */
  engine: { limit: number; depth: number; topMs: number; deepMs: number };
  searches: CaseFigures[];
  filters: CaseFigures[];
  overall: { requests: number; maxItemsRead: number; maxScanned: number; maxQueries: number; overCap: number; p95: number; max: number };
}

const DISTRICTS = ['arao', 'hirai', 'fumoto', 'yahata', 'ariake', 'kiyosato', 'midorigaoka', 'manda', 'chuo', 'idegawa', 'other'];
const AGES = ['10s', '20s', '30s', '40s', '50s', '60s', '70s', '80s'];
const GENDERS = ['male', 'female', 'other', 'no_answer'];
const CATEGORIES = ['disaster', 'childcare', 'health', 'events', 'environment', 'tourism', 'city'];
const FAMILY = [
  '佐藤',
  '鈴木',
  '高橋',
  '田中',
  '伊藤',
  '渡辺',
  '山本',
  '中村',
  '小林',
  '加藤',
  '吉田',
  '山田',
  '佐々木',
  '山口',
  '松本',
  '井上',
  '木村',
  '林',
  '清水',
  '山崎',
  '森',
  '池田',
  '橋本',
  '阿部',
  '石川',
  '前田',
  '藤田',
  '坂本',
  '荒木',
  '松尾',
  '古賀',
  '緒方',
  '永田',
  '村上',
  '宮崎',
  '福田',
  '西村',
  '岩崎',
  '野口',
  '平田',
];
const GIVEN = [
  '太郎',
  '花子',
  '健太',
  '陽子',
  '大輔',
  '美咲',
  '翔',
  'さくら',
  '誠',
  '由美',
  '拓也',
  '愛',
  '直樹',
  '恵',
  '和也',
  '彩',
  '浩二',
  '真由美',
  '隆',
  '明美',
];
const ROMAJI = ['Taro', 'Hanako', 'Kenta', 'Yoko', 'Daisuke', 'Misaki', 'Sho', 'Sakura', 'Makoto', 'Yumi'];

/** Mulberry32: a small seeded generator (the same friends on every run). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SeedShape {
  userId: string;
  displayName: string;
  language?: string;
  status: 'active' | 'blocked';
  attributes?: { district: string; ageBand: string; gender: string; categories: string[] };
}

/** Friend i (i = 0 the oldest follow); the rare name goes to the friends at RARE_AT of the list, newest first. */
function shapes(count: number): SeedShape[] {
  const r = rng(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  const rare = new Set(RARE_AT.map((share) => count - 1 - Math.floor(share * count)));
  return Array.from({ length: count }, (_, i) => {
    const userId = `U${createHash('md5').update(`friend-${i}`).digest('hex')}`;
    const family = rare.has(i) ? RARE_NAME : pick(FAMILY);
    const style = r();
    // LINE display names are what people typed: mostly 姓 名, some given names alone, romaji, an emoji.
    const displayName =
      style < 0.6 ? `${family} ${pick(GIVEN)}` : style < 0.75 ? `${family}${pick(GIVEN)}🌸` : style < 0.9 ? pick(ROMAJI) : `${pick(GIVEN)}（${family}）`;
    const l = i % 100;
    const language = l < 72 ? 'ja' : l < 82 ? 'en' : l < 88 ? 'ko' : l < 92 ? 'zh-Hans' : l < 95 ? 'zh-Hant' : l < 97 ? 'vi' : undefined;
    const answered = r() < 0.4;
    return {
      userId,
      displayName: rare.has(i) ? `${RARE_NAME} ${pick(GIVEN)}` : displayName,
      ...(language ? { language } : {}),
      status: i % 20 === 19 ? 'blocked' : 'active',
      ...(answered
        ? { attributes: { district: pick(DISTRICTS), ageBand: pick(AGES), gender: pick(GENDERS), categories: CATEGORIES.filter(() => r() < 0.3) } }
        : {}),
    };
  });
}

/** The friend item as the friend store leaves it after a follow (and a block), with the response store's attributes. */
function friendItem(s: SeedShape, i: number, base: number): Record<string, unknown> {
  const followMs = base + i * 60_000;
  const followedAt = new Date(followMs).toISOString();
  const blockMs = followMs + 86_400_000;
  return {
    ...friendKey(s.userId),
    ...friendListKey(followedAt, s.userId),
    userId: s.userId,
    followedAt,
    seenEvents: s.status === 'blocked' ? [followMs, blockMs] : [followMs],
    updatedAt: new Date(s.status === 'blocked' ? blockMs : followMs).toISOString(),
    displayName: s.displayName,
    pictureUrl: i % 5 === 0 ? null : `https://profile.line-scdn.net/0h${createHash('md5').update(`p${i}`).digest('hex')}`,
    language: s.language ?? null,
    status: s.status,
    lastFollowedAt: followedAt,
    statusEventAt: s.status === 'blocked' ? blockMs : followMs,
    ...(s.status === 'blocked' ? { blockedAt: new Date(blockMs).toISOString() } : {}),
    ...(i % 3 === 0 ? { lastMessageAt: new Date(followMs + 3_600_000).toISOString() } : {}),
    ...(s.attributes ? { attributes: s.attributes, attributesUpdatedAt: new Date(followMs + 600_000).toISOString() } : {}),
    rev: (s.status === 'blocked' ? 2 : 1) + (s.attributes ? 1 : 0),
  };
}

function latencies(perRound: number[][]): Latencies {
  const all = perRound.flat().sort((a, b) => a - b);
  return { count: all.length, p50: percentile(all, 50), p95: percentile(all, 95), max: all[all.length - 1] ?? NaN, roundMedians: perRound.map(median) };
}

export async function runFriendsListBench(options: FriendsListOptions): Promise<FriendsListResult> {
  const ddb = await startDynamoDbLocal({ port: await freePort() });
  const table = 'bench-friends-list';
  try {
    await ensureTable(ddb.endpoint, table);
    const client = localDynamoClient(ddb.endpoint);
    const counts = { queries: 0, gets: 0, items: 0 };
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        const output = out.output as { Count?: number; Item?: unknown };
        if (context.commandName === 'QueryCommand') {
          counts.queries++;
          counts.items += output.Count ?? 0;
        } else if (context.commandName === 'GetItemCommand') counts.gets++;
        return out;
      },
      { step: 'initialize', name: 'benchReadCounter' },
    );
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });

    // Seed (not measured as a figure of the list).
    const seeded = shapes(options.friends);
    const base = Date.parse('2026-01-01T00:00:00Z');
    const t0 = performance.now();
    let nextBatch = 0;
    const batches = Math.ceil(seeded.length / 25);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let b = nextBatch++; b < batches; b = nextBatch++) {
          let requests = seeded.slice(b * 25, b * 25 + 25).map((s, k) => ({ PutRequest: { Item: friendItem(s, b * 25 + k, base) } }));
          for (let attempt = 0; requests.length > 0; attempt++) {
            const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
            requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
            if (requests.length) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
          }
        }
      }),
    );
    const seedSeconds = (performance.now() - t0) / 1000;

    const segments = new DynamoSegmentStore(db, table);
    const at = new Date().toISOString();
    await segments.create({
      segmentId: 'bench-korean-north',
      name: '韓国語・緑ケ丘か有明',
      rule: {
        match: 'all',
        conditions: [
          { kind: 'language', values: ['ko'] },
          { kind: 'attribute', attribute: 'district', op: 'in', values: ['midorigaoka', 'ariake'] },
        ],
      },
      createdAt: at,
      createdBy: 'bench',
      updatedAt: at,
      updatedBy: 'bench',
      version: 1,
    });
    const unused = () => {
      throw new Error('not used by the friends list');
    };
    const deps: StaffFriendsDeps = {
      directory: new DynamoFriendDirectory(
        db,
        table,
        hmacSealer(async () => 'bench-friends-list-signing-key-0123456789abcdef'),
      ),
      segments,
      audience: new DynamoAudienceSource(db, table),
      conversations: { page: unused } as never,
      forms: { list: unused, get: unused, profileFormId: unused } as never,
      responses: { latest: unused } as never,
      content: { get: unused } as never,
    };

    const all: Sample[] = [];
    const request = async (query: Record<string, string>, cursor?: string): Promise<Sample & { cursor?: string }> => {
      const before = { ...counts };
      const cpu = process.cpuUsage();
      const started = performance.now();
      // As the route: the query string parsed, then the use case.
      const view = await listFriends(deps, friendsQuery.parse({ ...query, ...(cursor ? { cursor } : {}) }));
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const sample: Sample = {
        ms,
        scanned: view.scanned,
        queries: counts.queries - before.queries,
        gets: counts.gets - before.gets,
        itemsRead: counts.items - before.items,
        found: view.items.length,
        cpuMs: (used.user + used.system) / 1000,
      };
      if (sample.queries + sample.gets === 0) throw new Error('the read counter saw no DynamoDB call: the bench cannot check the cap');
      all.push(sample);
      return { ...sample, ...(view.cursor ? { cursor: view.cursor } : {}) };
    };
    /** Follows the cursor until `want` friends were found or the list ended. */
    const walk = async (query: Record<string, string>, want: number): Promise<{ walk: Walk; samples: Sample[] }> => {
      const samples: Sample[] = [];
      let cursor: string | undefined;
      let w: Walk = { requests: 0, itemsRead: 0, ms: 0, found: 0, firstHit: null, ended: false };
      for (;;) {
        const s = await request({ ...query, limit: String(Math.min(PAGE, want - w.found)) }, cursor);
        samples.push(s);
        w = { ...w, requests: w.requests + 1, itemsRead: w.itemsRead + s.itemsRead, ms: w.ms + s.ms, found: w.found + s.found };
        if (!w.firstHit && s.found > 0) w.firstHit = { requests: w.requests, itemsRead: w.itemsRead, ms: w.ms };
        cursor = s.cursor;
        if (!cursor) w.ended = true;
        if (!cursor || w.found >= want) return { walk: w, samples };
      }
    };

    const active = seeded.filter((s) => s.status === 'active').length;
    const count = (f: (s: SeedShape) => boolean) => seeded.filter(f).length;
    const searchCases: { name: string; query: Record<string, string>; expected: number; want: number }[] = [
      { name: `rare name (${RARE_NAME}), to the end`, query: { q: RARE_NAME }, expected: RARE_AT.length, want: Number.POSITIVE_INFINITY },
      {
        name: 'user ID prefix (U + 8 hex), to the end',
        query: { q: seeded[Math.floor(seeded.length / 2)]!.userId.slice(0, 9) },
        expected: count((s) => s.userId.startsWith(seeded[Math.floor(seeded.length / 2)]!.userId.slice(0, 9))),
        want: Number.POSITIVE_INFINITY,
      },
      { name: 'common name (田中), a page of 50', query: { q: '田中' }, expected: count((s) => s.displayName.includes('田中')), want: PAGE },
    ];
    const filterCases: { name: string; query: Record<string, string>; expected: number; want: number }[] = [
      { name: 'language en', query: { language: 'en' }, expected: count((s) => s.language === 'en'), want: PAGE },
      { name: 'district midorigaoka', query: { district: 'midorigaoka' }, expected: count((s) => s.attributes?.district === 'midorigaoka'), want: PAGE },
      { name: 'status blocked', query: { status: 'blocked' }, expected: count((s) => s.status === 'blocked'), want: PAGE },
      {
        name: 'language en + district midorigaoka',
        query: { language: 'en', district: 'midorigaoka' },
        expected: count((s) => s.language === 'en' && s.attributes?.district === 'midorigaoka'),
        want: PAGE,
      },
      {
        name: 'segment (ko, district midorigaoka or ariake)',
        query: { segmentId: 'bench-korean-north' },
        expected: count(
          (s) => s.status === 'active' && s.language === 'ko' && (s.attributes?.district === 'midorigaoka' || s.attributes?.district === 'ariake'),
        ),
        want: PAGE,
      },
    ];
    const FIRST_REQUESTS = 30;
    const FILTER_FIRST_REQUESTS = 10;
    const PAGING_PAGES = 20;
    const FULL_PAGE = 100;
    const EDGE_PAGES = 50;
    const target = seeded[Math.floor(seeded.length * 0.8)]!.userId;

    const round = async () => {
      const first: Sample[] = [];
      for (let k = 0; k < FIRST_REQUESTS; k++) first.push(await request({}));
      const paging: number[] = [];
      let cursor: string | undefined;
      for (let p = 0; p < PAGING_PAGES; p++) {
        const s = await request({}, cursor);
        paging.push(s.ms);
        cursor = s.cursor;
        if (!cursor) break;
      }
      const gets: number[] = [];
      for (let k = 0; k < FIRST_REQUESTS; k++) gets.push((await request({ q: target })).ms);
      const cases = async (list: typeof searchCases) => {
        const out: { first: number[]; walk: Walk; samples: Sample[] }[] = [];
        for (const c of list) {
          const firsts: number[] = [];
          const samples: Sample[] = [];
          for (let k = 0; k < FILTER_FIRST_REQUESTS && c.want === PAGE; k++) {
            const s = await request({ ...c.query, limit: String(PAGE) });
            firsts.push(s.ms);
            samples.push(s);
          }
          const w = await walk(c.query, c.want);
          // A walk to the end: every request of it is a sample of its kind; a page of 50: its first requests.
          out.push({ first: c.want === PAGE ? firsts : w.samples.map((s) => s.ms), walk: w.walk, samples: [...samples, ...w.samples] });
        }
        return out;
      };
      return { first, paging, gets, searches: await cases(searchCases), filters: await cases(filterCases) };
    };

    // The full walk is timed apart (pages of 100 from the newest to the oldest): does a request cost more deep in the list?
    const fullWalk = async () => {
      const times: number[] = [];
      let cursor: string | undefined;
      const started = performance.now();
      do {
        const s = await request({ limit: String(FULL_PAGE) }, cursor);
        times.push(s.ms);
        cursor = s.cursor;
      } while (cursor);
      return { seconds: (performance.now() - started) / 1000, times };
    };

    await round(); // warm-up, not counted
    all.length = 0;
    const rounds: Awaited<ReturnType<typeof round>>[] = [];
    const walks: Awaited<ReturnType<typeof fullWalk>>[] = [];
    for (let k = 0; k < Math.max(1, options.rounds); k++) {
      rounds.push(await round());
      walks.push(await fullWalk());
    }

    // The engine alone, as the directory queries it: one page at the top and one near the oldest friend.
    const ENGINE_LIMIT = 250;
    const depth = Math.max(0, seeded.length - 2 * ENGINE_LIMIT);
    const engineQuery = async (startAt?: number) => {
      const times: number[] = [];
      const i = startAt === undefined ? -1 : seeded.length - 1 - startAt;
      const start = i < 0 ? undefined : { ...friendKey(seeded[i]!.userId), ...friendListKey(new Date(base + i * 60_000).toISOString(), seeded[i]!.userId) };
      for (let k = 0; k < 9; k++) {
        const started = performance.now();
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': FRIENDS_LIST_PK },
            ScanIndexForward: false,
            Limit: ENGINE_LIMIT,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        times.push(performance.now() - started);
        if ((out.Items ?? []).length !== Math.min(ENGINE_LIMIT, seeded.length - 1 - i)) throw new Error('the engine probe read an unexpected page');
      }
      return median(times);
    };
    const engine = { limit: ENGINE_LIMIT, depth, topMs: await engineQuery(), deepMs: await engineQuery(depth) };

    const figures = (c: (typeof searchCases)[number], i: number, pick: (r: (typeof rounds)[number]) => (typeof rounds)[number]['searches']): CaseFigures => {
      const runs = rounds.map((r) => pick(r)[i]!);
      const samples = runs.flatMap((r) => r.samples);
      return {
        name: c.name,
        kind: c.want === PAGE ? 'first' : 'walk',
        query: c.query,
        expected: c.expected,
        requests: latencies(runs.map((r) => r.first)),
        walks: runs.map((r) => r.walk),
        maxItemsRead: Math.max(...samples.map((s) => s.itemsRead)),
        maxQueries: Math.max(...samples.map((s) => s.queries)),
        itemsP50: median(samples.map((s) => s.itemsRead)),
        cpuP50: median(samples.map((s) => s.cpuMs)),
        ...(c.want === PAGE
          ? {}
          : {
              byDepth: {
                top: latencies(
                  runs.map((r) =>
                    r.samples
                      .filter((x) => x.itemsRead > 0)
                      .slice(0, 5)
                      .map((x) => x.ms),
                  ),
                ),
                deep: latencies(
                  runs.map((r) =>
                    r.samples
                      .filter((x) => x.itemsRead > 0)
                      .slice(-5)
                      .map((x) => x.ms),
                  ),
                ),
              },
            }),
      };
    };
    const sortedAll = all.map((s) => s.ms).sort((a, b) => a - b);
    const pages = walks[0]!.times.length;
    return {
      friends: options.friends,
      rounds: rounds.length,
      seedSeconds,
      active,
      first: {
        name: 'first page',
        kind: 'first',
        query: {},
        expected: seeded.length,
        requests: latencies(rounds.map((r) => r.first.map((s) => s.ms))),
        walks: [],
        maxItemsRead: Math.max(...rounds.flatMap((r) => r.first.map((s) => s.itemsRead))),
        maxQueries: Math.max(...rounds.flatMap((r) => r.first.map((s) => s.queries))),
        itemsP50: median(rounds.flatMap((r) => r.first.map((s) => s.itemsRead))),
        cpuP50: median(rounds.flatMap((r) => r.first.map((s) => s.cpuMs))),
      },
      paging: { pages: PAGING_PAGES, requests: latencies(rounds.map((r) => r.paging)), walkMs: rounds.map((r) => r.paging.reduce((a, b) => a + b, 0)) },
      fullWalk: {
        pageSize: FULL_PAGE,
        pages,
        seconds: walks.map((w) => w.seconds),
        firstPages: latencies(walks.map((w) => w.times.slice(0, EDGE_PAGES))),
        lastPages: latencies(walks.map((w) => w.times.slice(-EDGE_PAGES))),
      },
      userIdGet: latencies(rounds.map((r) => r.gets)),
      engine,
      searches: searchCases.map((c, i) => figures(c, i, (r) => r.searches)),
      filters: filterCases.map((c, i) => figures(c, i, (r) => r.filters)),
      overall: {
        requests: all.length,
        maxItemsRead: Math.max(...all.map((s) => s.itemsRead)),
        maxScanned: Math.max(...all.map((s) => s.scanned)),
        maxQueries: Math.max(...all.map((s) => s.queries)),
        overCap: all.filter((s) => s.itemsRead > LIST_BUDGET || s.scanned > LIST_BUDGET).length,
        p95: percentile(sortedAll, 95),
        max: sortedAll[sortedAll.length - 1] ?? NaN,
      },
    };
  } finally {
    await ddb.stop();
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const int = (n: number) => n.toLocaleString('en-US');
const lat = (l: Latencies, target = true) =>
  `p50 ${fmt(l.p50, 1)} ms, p95 ${fmt(l.p95, 1)} ms${target ? ` (target ≤ ${REQUEST_P95_TARGET_MS})` : ''}, max ${fmt(l.max, 1)} ms over ${int(l.count)} requests; round medians ${l.roundMedians.map((m) => fmt(m, 1)).join(' / ')} ms`;
const label = (text: string) => `${text}:`.padEnd(28);

export function formatFriendsList(r: FriendsListResult): string {
  const out: string[] = [];
  out.push(
    `seeding:                    ${int(r.friends)} friends (${int(r.active)} active) in ${fmt(r.seedSeconds, 1)} s (BatchWriteItem ×25, 16 in flight; --list-friends to change); ${r.rounds} measured rounds after a warm-up round (--list-rounds)`,
  );
  out.push(
    `targets:                    a request p95 ≤ ${REQUEST_P95_TARGET_MS} ms on DynamoDB Local, whatever the filter and the depth; friends read per request ≤ ${int(LIST_BUDGET)} (the cap, LIST_BUDGET)`,
  );
  out.push(`${label('first page (newest, 50)')}${lat(r.first.requests)}; ${int(r.first.maxItemsRead)} friends read, ${r.first.maxQueries} Query call`);
  out.push(
    `${label(`paging, ${r.paging.pages} pages of 50`)}${lat(r.paging.requests)}; the ${r.paging.pages} pages in ${r.paging.walkMs.map((m) => fmt(m, 0)).join(' / ')} ms`,
  );
  out.push(
    `${label(`every page, ${r.fullWalk.pageSize} a page`)}${int(r.fullWalk.pages)} pages to the oldest friend in ${r.fullWalk.seconds.map((sec) => fmt(sec, 1)).join(' / ')} s`,
  );
  out.push(`  first ${r.fullWalk.firstPages.count / r.rounds} pages: ${lat(r.fullWalk.firstPages)}`);
  out.push(`  last ${r.fullWalk.lastPages.count / r.rounds} pages:  ${lat(r.fullWalk.lastPages)}`);
  out.push(
    `${label('DynamoDB Local alone')}one Query of ${r.engine.limit} friends (GSI1, newest first) ${fmt(r.engine.topMs, 1)} ms at the top, ${fmt(r.engine.deepMs, 1)} ms from an ExclusiveStartKey ${int(r.engine.depth)} friends in (medians of 9); a request makes up to ${Math.ceil(LIST_BUDGET / r.engine.limit)} such calls`,
  );
  out.push(`${label('search by a full user ID')}${lat(r.userIdGet)} (one GetItem, no Query)`);
  const presses = (requests: number) => {
    const n = Math.ceil(requests / CONSOLE_AUTO_REQUESTS) - 1;
    return `${n} press${n === 1 ? '' : 'es'} of 「さらに探す」`;
  };
  const cases = (title: string, list: CaseFigures[]) => {
    out.push(`${title}:`);
    for (const c of list) {
      const w = c.walks;
      const hit = w[0]!.firstHit;
      out.push(`  ${c.name} (${int(c.expected)} match):`);
      out.push(`    ${c.kind === 'walk' ? 'every request of the search' : 'first request (limit 50)'}: ${lat(c.requests)}`);
      if (c.byDepth)
        out.push(
          `    by depth: its first 5 requests (the newest 10,000) p50 ${fmt(c.byDepth.top.p50, 1)} ms, p95 ${fmt(c.byDepth.top.p95, 1)} ms; its last 5 (the oldest) p50 ${fmt(c.byDepth.deep.p50, 1)} ms, p95 ${fmt(c.byDepth.deep.p95, 1)} ms`,
        );
      out.push(
        `    per request: ${int(c.itemsP50)} friends read (median), at most ${int(c.maxItemsRead)} and ${c.maxQueries} Query calls; this process's CPU ${fmt(c.cpuP50, 0)} ms (median; the rest is DynamoDB Local and waiting)`,
      );
      out.push(
        `    ${
          hit
            ? `first hit after ${int(hit.requests)} request${hit.requests === 1 ? '' : 's'} and ${int(hit.itemsRead)} friends read, in ${w.map((x) => (x.firstHit ? fmt(x.firstHit.ms, 0) : '–')).join(' / ')} ms of requests (in the console: ${presses(hit.requests)})`
            : 'no hit'
        }; ${w[0]!.ended ? 'to the end' : 'to a page of 50'}: ${int(w[0]!.requests)} request${w[0]!.requests === 1 ? '' : 's'}, ${int(w[0]!.itemsRead)} friends read, ${w.map((x) => fmt(x.ms / 1000, 2)).join(' / ')} s (${presses(w[0]!.requests)}), found ${int(w[0]!.found)}`,
      );
    }
  };
  cases('name and user ID searches', r.searches);
  cases('filters', r.filters);
  const o = r.overall;
  out.push(
    `every request:              ${int(o.requests)} requests, p95 ${fmt(o.p95, 1)} ms (target ≤ ${REQUEST_P95_TARGET_MS}), max ${fmt(o.max, 1)} ms; one request read at most ${int(o.maxItemsRead)} friends (counted on the wire; target ≤ ${int(LIST_BUDGET)}) in ${o.maxQueries} Query calls, the use case's own count at most ${int(o.maxScanned)}; requests over the cap: ${o.overCap} (must be 0)`,
  );
  return out.join('\n');
}
