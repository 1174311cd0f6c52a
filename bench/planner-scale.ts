/**
 * The planner over a synthetic city of 2,000,000 friends, without seeding DynamoDB Local (an hour
 * at its ~550 writes/s): the audience index is laid out in memory exactly as the writers lay it out
 * (bucket items, split into pages by the real split rule: test/unit/friends/audience-layout.ts,
 * lines encoded by the real encoder), and served by a minimal DynamoDB endpoint on loopback that
 * answers GetItem (the index marker, a bucket) and BatchGetItem (with projections) from it. The
 * planner runs in a process of its own, bundled like the Lambda (bench/planner-scale-child.ts),
 * reading through the real DynamoAudienceSource and AWS SDK client — so the HTTP answers' JSON
 * parsing, the directory and page reads and the decoding are all real costs — into in-memory
 * delivery and queue fakes that count chunks and recipients but keep none.
 *
 * Not modelled: DynamoDB's service latency (loopback answers at once; `latencyMs` adds a fixed
 * delay per request) and the chunk puts' and SQS sends' round trips (the fakes answer at once).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { lambdaEsbuildOptions } from '../lib/lambda-bundle';
import { AUDIENCE_BUCKETS, audienceBucketOf, setAudienceLines, type AudienceEntry, type AudienceLines } from '../functions/friends/audience-index';
import { audienceBucketKey, audienceIndexMarkerKey, audiencePageKey } from '../functions/friends/keys';
import { AudienceBucketModel, hex8, prng } from '../test/unit/friends/audience-layout';

export interface PlannerScaleOptions {
  friends: number;
  /** A fixed delay before each BatchGetItem answer (ms): a crude stand-in for DynamoDB's latency. */
  latencyMs?: number;
  /** Also plan a delivery with `{name}` (push: the reader also reads every name). */
  names?: boolean;
  /** Times each measured run is repeated in the same process (default 1). */
  repeat?: number;
}

/** What a run's recipients must be: how many, and a sum of their FNV-1a hashes (a duplicate or a miss changes it). */
export interface Expected {
  count: number;
  hashSum: number;
}

export interface PlannerScaleRun {
  name: string;
  warmup?: true;
  recipients: number;
  chunks: number;
  expected: Expected;
  hashSum: number;
  firstChunkMs: number;
  lastChunkMs: number;
  plannedMs: number;
  cpuMs: number;
  rssPeakMb: number;
  heapPeakMb: number;
  requests: number;
  items: number;
  megabytes: number;
}

export interface PlannerScaleResult {
  friends: number;
  active: number;
  buildSeconds: number;
  items: { buckets: number; split: number; pages: number; largestBytes: number; indexMegabytes: number };
  latencyMs: number;
  child: { nodeOptions: string; rssBeforeMb: number; heapBeforeMb: number; maxRssMb: number; heapLimitMb: number };
  runs: PlannerScaleRun[];
}

/** FNV-1a of a recipient, summed per run (the same in bench/planner-scale-child.ts). */
function recipientHash(userId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const AGE_BANDS = ['10s', '20s', '30s', '40s', '50s', '60s', '70s', '80s'];
const GENDERS = ['female', 'male', 'no-answer'];

/** An item as served: its key and its `e` / `n` already as JSON string literals (what DynamoDB's answer carries). */
type Served = { PK: string; SK: string; e: Buffer; n: Buffer };

/**
 * The synthetic city, shaped like the deliveries benchmark's (5 % blocked: no line; 30 % in
 * district "a"; 1 in 7 English) with an age band and a gender as well, and a name each.
 */
function buildIndex(friends: number) {
  const next = prng(20_260_101);
  const models = Array.from({ length: AUDIENCE_BUCKETS }, (_, b) => new AudienceBucketModel(b));
  const expected = { everyone: { count: 0, hashSum: 0 }, districtA: { count: 0, hashSum: 0 }, en: 0 };
  const base = Date.parse('2020-01-01T00:00:00Z');
  const lines: AudienceLines = { entries: new Map(), names: new Map() };
  for (let i = 0; i < friends; i++) {
    const userId = `U${hex8(next())}${hex8(next())}${hex8(next())}${hex8(next())}`;
    if (i % 20 === 19) continue; // blocked: no line
    const district = i % 10 < 3 ? 'a' : 'b';
    const language = i % 7 === 0 ? 'en' : 'ja';
    const entry: AudienceEntry = {
      displayName: `市民${i}`,
      followedAt: new Date(base + i * 60_000).toISOString(),
      language,
      attributes: { district, ageBand: AGE_BANDS[i % AGE_BANDS.length]!, gender: GENDERS[i % GENDERS.length]! },
    };
    lines.entries.clear();
    lines.names.clear();
    setAudienceLines(lines, userId, entry);
    models[audienceBucketOf(userId)]!.add(userId, lines.entries.get(userId)!, lines.names.get(userId));
    const hash = recipientHash(userId);
    expected.everyone.count++;
    expected.everyone.hashSum = (expected.everyone.hashSum + hash) >>> 0;
    if (district === 'a') {
      expected.districtA.count++;
      expected.districtA.hashSum = (expected.districtA.hashSum + hash) >>> 0;
    }
    if (language === 'en') expected.en++;
  }
  const served = new Map<string, Served>();
  let split = 0;
  let pages = 0;
  let largestBytes = 0;
  let indexBytes = 0;
  for (const model of models) {
    if (model.split) split++;
    for (const item of model.items()) {
      const key = item.leaf === '' ? audienceBucketKey(model.bucket) : audiencePageKey(model.bucket, item.leaf);
      if (item.leaf !== '') pages++;
      largestBytes = Math.max(largestBytes, item.bytes);
      indexBytes += item.bytes;
      served.set(`${key.PK}|${key.SK}`, { ...key, e: Buffer.from(JSON.stringify(item.e)), n: Buffer.from(JSON.stringify(item.n)) });
    }
  }
  return { served, expected, items: { buckets: AUDIENCE_BUCKETS, split, pages, largestBytes, indexMegabytes: indexBytes / 1e6 } };
}

const piece = (text: string) => Buffer.from(text);
const OPEN = piece('{"Responses":{"');
const AFTER_TABLE = piece('":[');
const CLOSE = piece(']},"UnprocessedKeys":{}}');
const COMMA = piece(',');

/** Answers GetItem and BatchGetItem (DynamoDB's JSON protocol) from the served items; GET /stats: what was read. */
function serve(table: string, served: Map<string, Served>, latencyMs: number): Promise<{ server: Server; endpoint: string }> {
  const stats = { requests: 0, items: 0, bytes: 0 };
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      return;
    }
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse(Buffer.concat(body).toString('utf8')) as Record<string, any>;
      let answer: Buffer;
      if (target.endsWith('.GetItem')) {
        const key = { PK: input.Key.PK.S as string, SK: input.Key.SK.S as string };
        if (key.PK === audienceIndexMarkerKey.PK && key.SK === audienceIndexMarkerKey.SK) {
          answer = piece(JSON.stringify({ Item: { PK: { S: key.PK }, SK: { S: key.SK }, version: { N: '3' }, builtAt: { S: '2026-01-01T00:00:00.000Z' } } }));
        } else {
          const item = served.get(`${key.PK}|${key.SK}`);
          answer = item ? Buffer.concat([piece('{"Item":{"e":{"S":'), item.e, piece('}}}')]) : piece('{}');
        }
      } else if (target.endsWith('.BatchGetItem')) {
        const request = input.RequestItems[table] as { Keys: { PK: { S: string }; SK: { S: string } }[]; ProjectionExpression: string };
        const withNames = request.ProjectionExpression.includes('#n');
        const withKeys = request.ProjectionExpression.startsWith('PK');
        const parts: Buffer[] = [OPEN, piece(table), AFTER_TABLE];
        let first = true;
        stats.requests++;
        for (const k of request.Keys) {
          const item = served.get(`${k.PK.S}|${k.SK.S}`);
          if (!item) continue;
          if (!first) parts.push(COMMA);
          first = false;
          stats.items++;
          parts.push(piece(`{${withKeys ? `"PK":{"S":"${item.PK}"},"SK":{"S":"${item.SK}"},` : ''}"e":{"S":`), item.e, piece('}'));
          if (withNames) parts.push(piece(',"n":{"S":'), item.n, piece('}'));
          parts.push(piece('}'));
        }
        parts.push(CLOSE);
        answer = Buffer.concat(parts);
        stats.bytes += answer.length;
      } else {
        res
          .writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
          .end(JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: `not served: ${target}` }));
        return;
      }
      const reply = () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': answer.length }).end(answer);
      if (latencyMs > 0 && target.endsWith('.BatchGetItem')) setTimeout(reply, latencyMs);
      else reply();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

export async function runPlannerScaleBench(options: PlannerScaleOptions): Promise<PlannerScaleResult> {
  const table = 'civic-line-synthetic';
  const t0 = performance.now();
  const { served, expected, items } = buildIndex(options.friends);
  const buildSeconds = (performance.now() - t0) / 1000;
  const latencyMs = options.latencyMs ?? 0;
  const { server, endpoint } = await serve(table, served, latencyMs);
  try {
    // Bundled with esbuild as AppFunction bundles the planner Lambda, run with its NODE_OPTIONS.
    const bundle = join(mkdtempSync(join(tmpdir(), 'civic-line-bench-')), 'planner-scale-child.mjs');
    await build(
      lambdaEsbuildOptions({
        // PLANNER_SCALE_CHILD_ROOT: the planner and reader of another checkout (to compare two versions on the same index).
        entryPoints: [join(process.env.PLANNER_SCALE_CHILD_ROOT ?? '.', 'bench/planner-scale-child.ts')],
        outfile: bundle,
      }),
    );
    const runs = [
      { name: 'warm-up: everyone (Japanese + English)', rule: 'everyone', warmup: true, expected: expected.everyone },
      ...Array.from({ length: options.repeat ?? 1 }, () => [
        { name: 'everyone (Japanese + English: multicast per language)', rule: 'everyone', expected: expected.everyone },
        { name: 'segment (district a)', rule: 'districtA', expected: expected.districtA },
        ...(options.names ? [{ name: 'everyone with {name} (push: names read too)', rule: 'everyone', names: true, expected: expected.everyone }] : []),
      ]).flat(),
    ];
    const nodeOptions = '--enable-source-maps';
    const child = await promisify(execFile)(process.execPath, [bundle, JSON.stringify(runs)], {
      env: {
        ...process.env,
        NODE_OPTIONS: nodeOptions,
        TABLE_NAME: table,
        DYNAMODB_ENDPOINT: endpoint,
        AWS_REGION: 'ap-northeast-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        POWERTOOLS_TRACE_ENABLED: 'false',
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as Omit<PlannerScaleResult['child'], 'nodeOptions'> & { runs: PlannerScaleRun[] };
    const { runs: measured, ...childFigures } = out;
    return {
      friends: options.friends,
      active: expected.everyone.count,
      buildSeconds,
      items,
      latencyMs,
      child: { nodeOptions, ...childFigures },
      runs: measured,
    };
  } finally {
    await new Promise((r) => server.close(r));
  }
}
