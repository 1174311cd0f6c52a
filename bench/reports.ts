/**
 * Citizen reports benchmark (`npm run bench -- --only reports`).
 *
 * 1. The console's list and map over `reports` reports (default 10,000) in DynamoDB Local, on the
 *    real adapter (functions/adapters/aws/report-store.ts) and the staff use cases
 *    (functions/reports/staff-reports.ts `listReports`, `reportMap`) in this process: no HTTP, no
 *    sign-in. Reports are written straight into the table (BatchWriteItem ×25, 16 in flight; not
 *    measured) with the item shape the store writes, over 7 categories, 5 statuses and 365 days.
 *    Measured per round: the first page of the list (50, every category), a filtered page (one
 *    status), the 20th page (a cursor), the map of every report (points only), and the console's
 *    first load = list + map fetched together. Target: the list and the map ≤ 2 s.
 * 2. A report with 3 photos through the whole local runtime (a child process: simulator, webhook
 *    consumer, planner queue, DynamoDB Local): per citizen, from the tap on 「この内容で送る」 to the
 *    receipt in the chat (the report is written before the receipt is sent), to all 3 photos in our
 *    store (fetched from LINE and checked: no longer at LINE's mercy) and to all 3 re-encoded without
 *    EXIF (what staff see; read every 25 ms through the admin API). Target: saved ≤ 3 s after the
 *    confirmation — the report and its photos' bytes.
 */
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Jimp } from 'jimp';
import { DynamoReportSettings } from '../functions/adapters/aws/report-settings-store';
import { DynamoReportStore } from '../functions/adapters/aws/report-store';
import { DEFAULT_REPORT_SETTINGS } from '../functions/reports/defaults';
import { categoryPartition, listSortKey, reportKey } from '../functions/reports/keys';
import { REPORT_STATUSES } from '../functions/reports/labels';
import type { Report } from '../functions/reports/model';
import { listQuery } from '../functions/reports/schemas';
import { listReports, reportMap, type StaffReportsDeps } from '../functions/reports/staff-reports';
import { hmacSealer } from '../functions/shared/sealed';
import type { SignedIn } from '../functions/staff/context';
import { ensureTable, freePort, localDynamoClient, startDynamoDbLocal } from '../local/dynamodb-local';
import { replaceInitialPassword } from '../local/first-admin';
import { startRuntimeProcess } from '../local/runtime-process';
import { LineSimulatorClient } from '../simulator/client';
import { ConsoleClient } from '../test/integration/admin/console-client';
import { median, percentile } from './runtime';

export const LIST_AND_MAP_TARGET_MS = 2_000;
export const SAVED_TARGET_MS = 3_000;

export interface Figures {
  p50: number;
  max: number;
  roundMedians: number[];
}
export interface ReportsListResult {
  reports: number;
  seedSeconds: number;
  firstPage: Figures;
  filtered: Figures;
  deepPage: Figures;
  map: Figures & { points: number };
  firstLoad: Figures;
}

const figures = (perRound: number[][]): Figures => {
  const all = perRound.flat().sort((a, b) => a - b);
  return { p50: percentile(all, 50), max: all[all.length - 1] ?? NaN, roundMedians: perRound.map(median) };
};

const who = { ip: '127.0.0.1', account: { loginId: 'bench', displayName: 'bench', role: 'admin', permissions: [] } } as unknown as SignedIn;

function report(i: number, base: number): Report {
  const createdAt = new Date(base + i * Math.floor((365 * 86_400_000) / 10_000)).toISOString();
  const category = DEFAULT_REPORT_SETTINGS.categories[i % 7]!.id;
  return {
    reportId: `01KB${String(i).padStart(22, '0')}`,
    receiptNo: `2026-${String(i).padStart(6, '0')}`,
    userId: `U${(i % 5000).toString(16).padStart(32, '0')}`,
    lang: 'ja',
    displayName: `市民 ${i}`,
    category,
    description: `道路に穴があいています。第${i}報。\n通学路なので危ないです。`,
    place: { latitude: 32.95 + ((i * 7919) % 700) / 10_000, longitude: 130.41 + ((i * 104_729) % 1000) / 10_000, address: `熊本県荒尾市宮内${i % 900}` },
    district: DEFAULT_REPORT_SETTINGS.districts[i % DEFAULT_REPORT_SETTINGS.districts.length]!,
    photos: [
      {
        photoId: `7${String(i).padStart(17, '0')}`,
        from: 'citizen',
        status: 'stored',
        blobKey: `reports/x/${i}`,
        previewKey: `reports/x/${i}.preview`,
        addedAt: createdAt,
      },
    ],
    status: REPORT_STATUSES[i % 5]!,
    department: DEFAULT_REPORT_SETTINGS.categories[i % 7]!.department,
    extra: {},
    scenarioId: '01KB0000000000000000000SCN',
    createdAt,
    updatedAt: createdAt,
    statusAt: createdAt,
    history: [{ at: createdAt, kind: 'created', status: 'received' }],
    rev: 1,
  };
}

export async function runReportsListBench(options: { reports: number; rounds: number }): Promise<ReportsListResult> {
  const ddb = await startDynamoDbLocal({ port: await freePort() });
  const table = 'bench-reports';
  try {
    await ensureTable(ddb.endpoint, table);
    const db = DynamoDBDocumentClient.from(localDynamoClient(ddb.endpoint), { marshallOptions: { removeUndefinedValues: true } });
    const base = Date.parse('2025-12-08T00:00:00Z');
    const t0 = performance.now();
    let next = 0;
    const batches = Math.ceil(options.reports / 25);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let b = next++; b < batches; b = next++) {
          let requests = Array.from({ length: Math.min(25, options.reports - b * 25) }, (_, k) => {
            const r = report(b * 25 + k + 1, base);
            return {
              PutRequest: {
                Item: { ...reportKey(r.reportId), type: 'Report', GSI1PK: categoryPartition(r.category), GSI1SK: listSortKey(r.createdAt, r.reportId), ...r },
              },
            };
          });
          for (let attempt = 0; requests.length > 0; attempt++) {
            const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
            requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
            if (requests.length) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
          }
        }
      }),
    );
    const seedSeconds = (performance.now() - t0) / 1000;
    const deps = {
      reports: new DynamoReportStore(db, table),
      settings: new DynamoReportSettings(db, table),
      sealer: hmacSealer(async () => 'bench-key'),
    } as unknown as StaffReportsDeps;
    const time = async (f: () => Promise<unknown>) => {
      const s = performance.now();
      await f();
      return performance.now() - s;
    };
    const deep = async () => {
      let cursor: string | undefined;
      for (let page = 0; page < 19; page++) cursor = (await listReports(deps, who, listQuery.parse({ limit: '50', ...(cursor ? { cursor } : {}) }))).cursor;
      return cursor!;
    };
    let points = 0;
    const cases = {
      firstPage: () => listReports(deps, who, listQuery.parse({ limit: '50' })),
      filtered: () => listReports(deps, who, listQuery.parse({ limit: '50', status: 'in_progress' })),
      deepPage: async (cursor: string) => listReports(deps, who, listQuery.parse({ limit: '50', cursor })),
      map: async () => (points = (await reportMap(deps, who, listQuery.parse({}))).points.length),
      firstLoad: () => Promise.all([listReports(deps, who, listQuery.parse({ limit: '50' })), reportMap(deps, who, listQuery.parse({}))]),
    };
    // Warm-up: the first use of DynamoDB Local's Java code and this process's is not what a request costs.
    const cursor = await deep();
    await cases.firstLoad();
    const rounds: Record<keyof typeof cases, number[][]> = { firstPage: [], filtered: [], deepPage: [], map: [], firstLoad: [] };
    for (let r = 0; r < Math.max(1, options.rounds); r++) {
      const round: Record<string, number[]> = { firstPage: [], filtered: [], deepPage: [], map: [], firstLoad: [] };
      for (let i = 0; i < 3; i++) {
        round.firstPage!.push(await time(cases.firstPage));
        round.filtered!.push(await time(cases.filtered));
        round.deepPage!.push(await time(() => cases.deepPage(cursor)));
        round.map!.push(await time(cases.map));
        round.firstLoad!.push(await time(cases.firstLoad));
      }
      for (const k of Object.keys(rounds) as (keyof typeof cases)[]) rounds[k].push(round[k]!);
    }
    return {
      reports: options.reports,
      seedSeconds,
      firstPage: figures(rounds.firstPage),
      filtered: figures(rounds.filtered),
      deepPage: figures(rounds.deepPage),
      map: { ...figures(rounds.map), points },
      firstLoad: figures(rounds.firstLoad),
    };
  } finally {
    await ddb.stop();
  }
}

export interface ReportSaveResult {
  citizens: number;
  savedP50Ms: number;
  savedMaxMs: number;
  /** All 3 photos in our store (fetched from LINE, checked: `received` or already `stored`). */
  securedP50Ms: number;
  securedMaxMs: number;
  /** All 3 re-encoded without EXIF (`stored`: what staff see). */
  photosP50Ms: number;
  photosMaxMs: number;
  /** Reports without a receipt or with a photo not stored within 30 s. */
  lost: number;
}

type Received = { message: Record<string, unknown> }[];

export async function runReportSaveBench(options: { citizens: number }): Promise<ReportSaveResult> {
  const rt = await startRuntimeProcess();
  const ready = rt as unknown as { initialAdmin: { loginId: string; password: string } };
  try {
    const admin = new ConsoleClient(rt.platform);
    const password = await replaceInitialPassword(rt.platform, ready.initialAdmin);
    if ((await admin.signIn(ready.initialAdmin.loginId, password)).status !== 200) throw new Error('sign-in failed');
    const sim = new LineSimulatorClient(rt.simulator);
    // Three phone-sized photos (1,600 × 1,200 JPEG, ~100–300 KB each).
    const photos = await Promise.all(
      [0xcc3333ff, 0x33aa33ff, 0x3333ccff].map(async (color) => {
        const image = new Jimp({ width: 1600, height: 1200, color });
        for (let y = 0; y < 1200; y += 8) for (let x = 0; x < 1600; x += 8) image.setPixelColor(((x * y) % 0xffffff) * 256 + 255, x, y);
        return image.getBuffer('image/jpeg', { quality: 85 });
      }),
    );
    const saved: number[] = [];
    const stored: number[] = [];
    const secured: number[] = [];
    let lost = 0;
    const wait = async (userId: string, seen: number) => (await sim.waitForReceived(userId, (m) => m.length > seen, 15_000)) as Received;
    const tap = async (userId: string, label: string) => {
      const received = (await sim.received(userId)) as Received;
      for (const r of [...received].reverse()) {
        const actions = [
          ...(((r.message.quickReply as { items?: { action: Record<string, string> }[] } | undefined)?.items ?? []).map((i) => i.action) ?? []),
          ...((r.message.template as { actions?: Record<string, string>[] } | undefined)?.actions ?? []),
        ];
        const action = actions.find((a) => a.label === label);
        if (!action) continue;
        if (action.type === 'postback') return sim.sendPostback(userId, action.data!, { displayText: label });
        return sim.sendText(userId, action.text ?? label);
      }
      throw new Error(`no action ${label}`);
    };
    for (let c = 0; c < options.citizens; c++) {
      const { citizen } = await sim.createCitizen({ displayName: `ベンチ ${c}` });
      const userId = citizen.userId;
      let all = (await sim.waitForReceived(userId, (m) => m.length >= 1, 10_000)) as Received;
      await sim.sendText(userId, '通報');
      all = await wait(userId, all.length);
      await tap(userId, '道路');
      all = await wait(userId, all.length);
      await sim.sendImages(
        userId,
        photos.map((content) => ({ content })),
      );
      all = await wait(userId, all.length);
      await tap(userId, '次へ');
      all = await wait(userId, all.length);
      await sim.sendLocation(userId, { address: '熊本県荒尾市宮内出目390', latitude: 32.98686, longitude: 130.43341 });
      all = await wait(userId, all.length);
      await sim.sendText(userId, `ベンチの通報 ${c}`);
      all = await wait(userId, all.length);
      await tap(userId, '入力しない');
      all = await wait(userId, all.length);
      const start = performance.now();
      await tap(userId, 'この内容で送る');
      all = await wait(userId, all.length);
      const receipt = String(all.at(-1)?.message.text ?? '');
      const no = /受付番号: (\d{4}-\d{6})/.exec(receipt)?.[1];
      if (!no) {
        lost++;
        continue;
      }
      saved.push(performance.now() - start);
      const until = Date.now() + 30_000;
      let done = false;
      let safe = false;
      while (!done && Date.now() < until) {
        const list = await admin.call('GET', '/reports?category=road&limit=5');
        const item = list.body.items?.find((i: { receiptNo: string }) => i.receiptNo === no);
        if (item) {
          const r = await admin.call('GET', `/reports/${item.reportId}`);
          const statuses: string[] = (r.body.photos ?? []).map((p: { status: string }) => p.status);
          if (!safe && statuses.length === 3 && statuses.every((st) => st === 'received' || st === 'stored')) {
            safe = true;
            secured.push(performance.now() - start);
          }
          done = statuses.length === 3 && statuses.every((st) => st === 'stored');
        }
        if (!done) await new Promise((r) => setTimeout(r, 25));
      }
      if (done) stored.push(performance.now() - start);
      else lost++;
    }
    const s = [...saved].sort((a, b) => a - b);
    const p = [...stored].sort((a, b) => a - b);
    const q = [...secured].sort((a, b) => a - b);
    return {
      citizens: options.citizens,
      savedP50Ms: percentile(s, 50),
      savedMaxMs: s.at(-1) ?? NaN,
      securedP50Ms: percentile(q, 50),
      securedMaxMs: q.at(-1) ?? NaN,
      photosP50Ms: percentile(p, 50),
      photosMaxMs: p.at(-1) ?? NaN,
      lost,
    };
  } finally {
    await rt.stop();
  }
}
