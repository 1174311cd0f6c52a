/**
 * Forms benchmark against the local runtime:
 * 1. Seed `rows` latest responses of the profile form straight into DynamoDB Local
 *    (BatchWriteItem, 25 items a call, 16 calls in flight) and time it.
 * 2. GET /api/admin/forms/{id}/responses.csv over HTTP as the initial administrator: seconds,
 *    rows, bytes, and the runtime process's RSS (sampled from /proc/<pid>/status every 50 ms)
 *    — peak, and at 10k/50k/100k rows, to show memory stays flat while rows stream.
 * 3. Form submissions per second: citizens with simulator-issued ID tokens submitting the
 *    profile form concurrently (a bounded count).
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { lambdaEsbuildOptions } from '../lib/lambda-bundle';
import { promisify } from 'node:util';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ADMIN_API_NODE_OPTIONS } from '../lib/admin-api-runtime';
import { localDynamoClient } from '../local/dynamodb-local';
import { LineSimulatorClient } from '../simulator/client';
import { startRuntimeProcess } from '../local/runtime-process';
import { replaceInitialPassword } from '../local/first-admin';
import { percentile } from './runtime';

export interface FormsBenchOptions {
  rows: number;
  submissions: number;
  citizens: number;
  concurrency: number;
  /** Extra node flags for the runtime process (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

export interface FormsBenchResult {
  seedSeconds: number;
  seedRowsPerSecond: number;
  exportSeconds: number;
  exportRows: number;
  exportBytes: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAtRows: { rows: number; mb: number }[];
  /** The export path alone in its own process (as in the admin-api Lambda). */
  isolated: {
    rows: number;
    seconds: number;
    rssBeforeMb: number;
    rssPeakMb: number;
    heapPeakMb: number;
    rssAtRows: { rows: number; mb: number }[];
    nodeOptions: string;
    heapLimitMb: number;
  };
  submissions: number;
  submitSeconds: number;
  submitsPerSecond: number;
  submitP50Ms: number;
  submitP99Ms: number;
  submitFailures: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const DISTRICTS = ['arao', 'hirai', 'fumoto', 'yahata', 'ariake', 'kiyosato', 'midorigaoka', 'manda', 'chuo', 'idegawa', 'other'];
const AGES = ['10s', '20s', '30s', '40s', '50s', '60s', '70s', '80s'];
const GENDERS = ['male', 'female', 'other', 'no_answer'];
const CATEGORIES = ['disaster', 'childcare', 'health', 'events', 'environment', 'tourism', 'city'];

export async function runFormsBench(options: FormsBenchOptions): Promise<FormsBenchResult> {
  const rt = await startRuntimeProcess({ nodeArgs: options.nodeArgs ?? [] });
  const ready = rt as unknown as { initialAdmin: { loginId: string; password: string }; loginChannelId: string };
  try {
    const pid = rt.child.pid!;
    // Sign in as the runtime's first administrator (after replacing the printed password, as a person must).
    const password = await replaceInitialPassword(rt.platform, ready.initialAdmin);
    const login = await fetch(`${rt.platform}/api/admin/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: rt.platform },
      body: JSON.stringify({ loginId: ready.initialAdmin.loginId, password }),
    });
    if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`);
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    const forms = (await (await fetch(`${rt.platform}/api/admin/forms`, { headers: { cookie } })).json()) as {
      items: { formId: string; kind: string; version: number }[];
    };
    const profile = forms.items.find((f) => f.kind === 'profile')!;

    // 1. Seed.
    const db = DynamoDBDocumentClient.from(localDynamoClient(rt.dynamodb), { marshallOptions: { removeUndefinedValues: true } });
    const base = Date.parse('2026-11-01T00:00:00Z');
    const item = (i: number) => {
      // LINE user ids are U + 32 random hex digits; a hash of i spreads them the same way.
      const userId = `U${createHash('md5').update(String(i)).digest('hex')}`;
      const submittedAt = new Date(base + i * 1000).toISOString();
      return {
        PK: `FORM#${profile.formId}`,
        SK: `RESPONSE#${userId}`,
        type: 'FormResponse',
        responseId: `01JDA7${String(i).padStart(20, '0')}`,
        formId: profile.formId,
        version: profile.version,
        userId,
        displayName: `ベンチ市民${i}`,
        answers: {
          district: DISTRICTS[i % DISTRICTS.length],
          age_band: AGES[i % AGES.length],
          gender: GENDERS[i % GENDERS.length],
          categories: CATEGORIES.filter((_, k) => (i >> k) & 1),
        },
        lang: i % 7 === 0 ? 'en' : 'ja',
        consentedAt: submittedAt,
        submittedAt,
      };
    };
    const t0 = performance.now();
    let nextBatch = 0;
    const batches = Math.ceil(options.rows / 25);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let b = nextBatch++; b < batches; b = nextBatch++) {
          let requests = Array.from({ length: Math.min(25, options.rows - b * 25) }, (_, k) => ({ PutRequest: { Item: item(b * 25 + k) } }));
          for (let attempt = 0; requests.length > 0; attempt++) {
            const out = await db.send(new BatchWriteCommand({ RequestItems: { [rt.table]: requests } }));
            requests = (out.UnprocessedItems?.[rt.table] ?? []) as typeof requests;
            if (requests.length) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
          }
        }
      }),
    );
    const seedSeconds = (performance.now() - t0) / 1000;
    db.destroy();

    // 2. Export, sampling the runtime's memory.
    await new Promise((r) => setTimeout(r, 500));
    const rssBeforeMb = rssMb(pid);
    let rssPeakMb = rssBeforeMb;
    const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, rssMb(pid))), 50);
    const marks = [10_000, 50_000, 100_000].filter((m) => m <= options.rows);
    const rssAtRows: { rows: number; mb: number }[] = [];
    const e0 = performance.now();
    const res = await fetch(`${rt.platform}/api/admin/forms/${profile.formId}/responses.csv`, { headers: { cookie } });
    if (res.status !== 200 || !res.body) throw new Error(`export failed: ${res.status}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let k = 0; k < chunk.length; k++) if (chunk[k] === 0x0a) lines++;
      while (marks.length && lines - 1 >= marks[0]) rssAtRows.push({ rows: marks.shift()!, mb: rssMb(pid) });
    }
    const exportSeconds = (performance.now() - e0) / 1000;
    clearInterval(sampler);
    rssPeakMb = Math.max(rssPeakMb, rssMb(pid));

    // 2b. The same export in a process of its own (what a Lambda instance holds).
    // Bundled with esbuild like the Lambda (CDK's AppFunction), so tsx's loader is not counted,
    // and run with the admin-api function's NODE_OPTIONS (V8 heap limits; lib/admin-api-runtime.ts).
    const bundle = join(mkdtempSync(join(tmpdir(), 'civic-line-bench-')), 'export-child.mjs');
    // As AppFunction bundles (minified, with a source map that --enable-source-maps loads).
    await build(lambdaEsbuildOptions({ entryPoints: ['bench/forms-export-child.ts'], outfile: bundle }));
    const child = await promisify(execFile)(process.execPath, [bundle, profile.formId], {
      env: {
        ...process.env,
        NODE_OPTIONS: ADMIN_API_NODE_OPTIONS,
        TABLE_NAME: rt.table,
        DYNAMODB_ENDPOINT: rt.dynamodb,
        AWS_REGION: 'ap-northeast-1',
        UPLOADS_BUCKET: 'bench-uploads',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        POWERTOOLS_TRACE_ENABLED: 'false',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
      maxBuffer: 1024 * 1024,
    });
    const isolated = JSON.parse(child.stdout.trim().split('\n').pop()!) as FormsBenchResult['isolated'];
    console.log(
      `export alone ran with:      NODE_OPTIONS="${isolated.nodeOptions}" (admin-api's, lib/admin-api-runtime.ts); V8 heap limit ${Math.round(isolated.heapLimitMb)} MB`,
    );

    // 3. Submissions: friends with ID tokens from the simulator, each submitting the profile form.
    const sim = new LineSimulatorClient(rt.simulator);
    const { userIds } = await sim.createCitizens({ count: options.citizens, displayNamePrefix: '送信', follow: true, sendWebhooks: true });
    const tokens = await Promise.all(userIds.map(async (userId) => (await sim.issueIdToken({ userId })).idToken));
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const s0 = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let n = next++; n < options.submissions; n = next++) {
          const started = performance.now();
          const r = await fetch(`${rt.platform}/api/liff/forms/${profile.formId}/responses`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens[n % tokens.length]}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              lang: 'ja',
              consent: true,
              answers: {
                district: DISTRICTS[n % DISTRICTS.length],
                age_band: AGES[n % AGES.length],
                gender: GENDERS[n % GENDERS.length],
                categories: ['disaster'],
              },
            }),
          });
          await r.arrayBuffer();
          if (r.status !== 201) failures++;
          latencies.push(performance.now() - started);
        }
      }),
    );
    const submitSeconds = (performance.now() - s0) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      seedSeconds,
      seedRowsPerSecond: options.rows / seedSeconds,
      exportSeconds,
      exportRows: lines - 1,
      exportBytes: bytes,
      rssBeforeMb,
      rssPeakMb,
      rssAtRows,
      isolated,
      submissions: options.submissions,
      submitSeconds,
      submitsPerSecond: options.submissions / submitSeconds,
      submitP50Ms: percentile(latencies, 50),
      submitP99Ms: percentile(latencies, 99),
      submitFailures: failures,
    };
  } finally {
    await rt.stop();
  }
}
