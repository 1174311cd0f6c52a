/**
 * The citizen's side: the report edge answers the same receipt to a retried event (one report, one
 * number), queues the photo job; 直っていない reopens a finished report once; 写真・コメントを追加
 * adds what the citizen sends; the photo job stores photos without EXIF and marks the failing ones
 * missing (at once when LINE has nothing or the bytes are no photo, after the last attempt otherwise).
 */
import { Jimp } from 'jimp';
import { PayloadTooLargeError } from '../../../functions/shared/errors';
import { ReportDesk, reportFromRun } from '../../../functions/reports/citizen-reports';
import { storeReportPhotos } from '../../../functions/reports/photos';
import type { ScenarioRun } from '../../../functions/scenarios/model';
import type { InboundMessage } from '../../../functions/webhook/dispatcher';
import { MemoryJsonQueue } from '../../support/pipeline-fakes';
import { FakeClock } from '../../support/fakes';
import { MemoryBlobs } from '../../support/form-fakes';
import { MemoryReportSettings, MemoryReportStore, sampleReport } from '../../support/report-fakes';
import type { ReportPhotosJob } from '../../../functions/reports/ports';

const USER = `U${'b'.repeat(32)}`;
const run = (over: Partial<ScenarioRun> = {}): ScenarioRun => ({
  runId: '01KB0000000000000000000RUN',
  userId: USER,
  scenarioId: 'S',
  version: 1,
  stepId: 'confirm',
  trail: [],
  answers: {
    category: { kind: 'choice', choiceId: 'water', value: '上下水道' },
    photos: { kind: 'images', messageIds: ['M1', 'M2'] },
    place: { kind: 'location', latitude: 32.98, longitude: 130.44, address: '熊本県荒尾市万田1' },
    description: { kind: 'text', text: '水道管から水が漏れています' },
    trees: { kind: 'text', text: '街路樹も倒れそう' },
  },
  attempts: 0,
  startedAt: '2026-12-08T00:50:00.000Z',
  updatedAt: '2026-12-08T01:00:00.000Z',
  expiresAt: '2026-12-08T02:00:00.000Z',
  seq: 9,
  events: ['E9'],
  endedAt: '2026-12-08T01:00:00.000Z',
  exitTo: 'report',
  ...over,
});

function setup() {
  const reports = new MemoryReportStore();
  const jobs = new MemoryJsonQueue<ReportPhotosJob>();
  const clock = new FakeClock(new Date('2026-12-08T01:00:00Z'));
  const friends = { get: async (userId: string) => (userId === USER ? { displayName: '荒尾 花子' } : null) };
  return { reports, jobs, clock, settings: new MemoryReportSettings(), friends };
}
const text = (m: { type: string }) => (m as unknown as { text: string }).text;
const message = (over: Partial<InboundMessage>): InboundMessage => ({
  userId: USER,
  messageId: 'X1',
  at: new Date('2026-12-08T01:00:00Z'),
  friend: null,
  language: 'ja',
  kind: 'text',
  ...over,
});

describe('the report edge', () => {
  it('saves one report per run and answers a retry with the same receipt', async () => {
    const deps = setup();
    const first = await reportFromRun(deps, { run: run(), language: 'ja', at: deps.clock.now() });
    const again = await reportFromRun(deps, { run: run(), language: 'ja', at: deps.clock.now() });
    expect(again).toEqual(first);
    expect(text(first[0]!)).toContain('受付番号: 2026-000001');
    expect(text(first[0]!)).toContain('種類: 上下水道\n場所: 熊本県荒尾市万田1\n写真: 2枚\n内容: 水道管から水が漏れています');
    expect(deps.reports.reports.size).toBe(1);
    const saved = [...deps.reports.reports.values()][0]!;
    expect(saved).toMatchObject({ category: 'water', department: '水道課', district: '万田', displayName: '荒尾 花子', extra: { trees: '街路樹も倒れそう' } });
    // The photo job is queued again by the retry (it does nothing for stored photos).
    expect(deps.jobs.messages).toEqual([
      { type: 'reportPhotos', reportId: saved.reportId },
      { type: 'reportPhotos', reportId: saved.reportId },
    ]);
  });

  it('files the category by the choice ID, also after staff renamed it', async () => {
    const deps = setup();
    deps.settings.current.categories = deps.settings.current.categories.map((c) => (c.id === 'light' ? { ...c, label: { ja: '街路灯' } } : c));
    const lit = run({ runId: '01KB0000000000000000000LIT', answers: { category: { kind: 'choice', choiceId: 'light', value: '街灯' } } });
    await reportFromRun(deps, { run: lit, language: 'ja', at: deps.clock.now() });
    expect((await deps.reports.get(lit.runId))!.category).toBe('light');
  });

  it('answers in the citizen language', async () => {
    const deps = setup();
    const [m] = await reportFromRun(deps, { run: run(), language: 'ko', at: deps.clock.now() });
    expect(text(m!)).toContain('접수 번호: 2026-000001');
  });
});

describe('the buttons of status messages', () => {
  it('reopens a finished report once on 直っていない, also when LINE redelivers the tap', async () => {
    const deps = setup();
    const desk = new ReportDesk(deps);
    const r = sampleReport({ userId: USER, status: 'done' });
    deps.reports.reports.set(r.reportId, r);
    const tap = message({ kind: 'postback', postbackData: `report:notfixed:${r.reportId}`, messageId: 'EV1' });
    const [answer] = (await desk.responder().respond(tap))!;
    await desk.responder().respond(tap);
    const after = (await deps.reports.get(r.reportId))!;
    expect(text(answer!)).toContain('あらためて受け付けました');
    expect(after.status).toBe('received');
    expect(after.history.filter((h) => h.kind === 'reopened')).toHaveLength(1);
    // Someone else's report is not theirs to reopen.
    const other = message({ kind: 'postback', postbackData: `report:notfixed:${r.reportId}`, userId: `U${'c'.repeat(32)}`, messageId: 'EV2' });
    expect(text((await desk.responder().respond(other))![0]!)).toBe('この通報は見つかりません。');
  });

  it('adds a comment and a photo after 写真・コメントを追加, until 終わる', async () => {
    const deps = setup();
    const desk = new ReportDesk(deps);
    const r = sampleReport({ userId: USER, status: 'in_progress' });
    deps.reports.reports.set(r.reportId, r);
    await desk.responder().respond(message({ kind: 'postback', postbackData: `report:add:${r.reportId}`, messageId: 'EV1' }));
    const adding = deps.reports.adding.get(USER)!;
    expect(adding.reportId).toBe(r.reportId);
    const friend = { userId: USER, displayName: '', status: 'active' as const, statusEventAt: 0, updatedAt: '', reportAdding: adding };
    await desk.responder().respond(message({ friend, text: '夜は特に暗くて危ないです', messageId: 'M10' }));
    await desk.responder().respond(message({ friend, kind: 'image', messageId: 'M11' }));
    await desk.responder().respond(message({ friend, kind: 'image', messageId: 'M11' })); // redelivered
    const after = (await deps.reports.get(r.reportId))!;
    expect(after.history.filter((h) => h.kind === 'citizen_comment').map((h) => h.text)).toEqual(['夜は特に暗くて危ないです']);
    expect(after.photos.map((p) => [p.photoId, p.status])).toEqual([
      ['700000000000000001', 'stored'],
      ['M11', 'pending'],
    ]);
    // The redelivery adds nothing, but queues the photo job again (the first may have failed after the save).
    expect(deps.jobs.messages).toEqual([
      { type: 'reportPhotos', reportId: r.reportId },
      { type: 'reportPhotos', reportId: r.reportId },
    ]);
    await desk.responder().respond(message({ friend, text: '終わる', messageId: 'M12' }));
    expect(deps.reports.adding.get(USER)).toBeNull();
  });
});

describe('the photo job', () => {
  async function jpegWithExif(): Promise<Buffer> {
    const image = new Jimp({ width: 40, height: 30, color: 0x3366ccff });
    const jpeg = await image.getBuffer('image/jpeg');
    // An APP1 Exif segment (with a GPS-like payload) right after SOI.
    const payload = Buffer.concat([Buffer.from('Exif\0\0'), Buffer.from('GPS 32.98N 130.44E secret')]);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
    return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
  }

  it('stores photos re-encoded without EXIF, marks a gone one, a fake image and one over 10 MB missing at once', async () => {
    const reports = new MemoryReportStore();
    const blobs = new MemoryBlobs();
    const r = sampleReport({
      photos: ['P1', 'P2', 'P3', 'P4'].map((photoId) => ({
        photoId,
        from: 'citizen' as const,
        status: 'pending' as const,
        addedAt: '2026-12-08T01:00:00.000Z',
      })),
    });
    reports.reports.set(r.reportId, r);
    const exif = await jpegWithExif();
    expect(exif.includes(Buffer.from('GPS 32.98N'))).toBe(true);
    const content = {
      get: async (id: string) => {
        if (id === 'P4') throw new PayloadTooLargeError('too large');
        if (id === 'P1') return { contentType: 'image/jpeg', bytes: exif };
        return id === 'P2' ? null : { contentType: 'image/jpeg', bytes: Buffer.from('<html>not a photo</html>') };
      },
    };
    await storeReportPhotos({ reports, content, blobs, clock: new FakeClock() }, r.reportId, 1);
    const after = (await reports.get(r.reportId))!;
    expect(after.photos.map((p) => p.status)).toEqual(['stored', 'missing', 'missing', 'missing']);
    expect(after.photos[3]!.reason).toBe('写真が10MBを超えていたため保存していません。');
    expect(after.photos[1]!.reason).toContain('LINEに写真が残っていませんでした');
    expect(after.photos[2]!.reason).toContain('写真として読み込めませんでした');
    const stored = blobs.blobs.get(after.photos[0]!.blobKey!)!;
    expect(stored.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(stored.includes(Buffer.from('Exif'))).toBe(false);
    expect(stored.includes(Buffer.from('GPS 32.98N'))).toBe(false);
    expect(after.history.filter((h) => h.kind === 'photo_missing')).toHaveLength(3);
    // The raw copy (with its EXIF) is gone once the photo is re-encoded.
    expect([...blobs.blobs.keys()].filter((k) => k.endsWith('.raw'))).toEqual([]);
    expect(after.photos[0]).not.toHaveProperty('rawKey');
  });

  it('retries a LINE failure and marks the photo missing at the last attempt, never losing the report', async () => {
    const reports = new MemoryReportStore();
    const r = sampleReport({ photos: [{ photoId: 'P1', from: 'citizen', status: 'pending', addedAt: '2026-12-08T01:00:00.000Z' }] });
    reports.reports.set(r.reportId, r);
    const content = {
      get: async () => {
        throw new Error('LINE 500');
      },
    };
    const deps = { reports, content, blobs: new MemoryBlobs(), clock: new FakeClock() };
    await expect(storeReportPhotos(deps, r.reportId, 1)).rejects.toThrow('LINE 500');
    expect((await reports.get(r.reportId))!.photos[0]!.status).toBe('pending');
    await storeReportPhotos(deps, r.reportId, 4);
    expect((await reports.get(r.reportId))!.photos[0]).toMatchObject({ status: 'missing', reason: '写真を保存できませんでした（4回試行）。' });
  });
});
