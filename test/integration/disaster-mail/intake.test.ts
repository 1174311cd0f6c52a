/**
 * The disaster-mail bridge end to end on one machine: mail sent over SMTP to the local runtime's
 * inbox (SES in AWS) → stored → intake queue → read, routed, deduplicated → the deliveries'
 * pipeline → the LINE simulator. Checked from the simulator's side (who got what, how often) and
 * from the received-mail log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoBridgeSettingsStore } from '../../../functions/adapters/aws/bridge-settings-store';
import { DynamoReceivedMailStore } from '../../../functions/adapters/aws/received-mail-store';
import { DynamoSegmentStore } from '../../../functions/adapters/aws/segment-store';
import type { Segment } from '../../../functions/deliveries/model';
import { DEFAULT_BRIDGE_SETTINGS, type BridgeSettings } from '../../../functions/disaster-mail/model';
import type { ReceivedMail } from '../../../functions/disaster-mail/ports';
import { audit, seedFriends, startPipelineRuntime, waitFinished, type PipelineEnv, type SeedFriend } from '../deliveries/pipeline-support';
import { FIXTURES } from '../../unit/disaster-mail/mail-fixtures';
import { alertMail } from '../../support/mail-fakes';
import { sendOverSmtp } from '../../support/smtp';

jest.setTimeout(120_000);

let env: PipelineEnv;
let friends: SeedFriend[];
let mails: DynamoReceivedMailStore;
let settingsStore: DynamoBridgeSettingsStore;
let version = 0;
const SEGMENT_A = '01KDMA1LSEGMENT0000000000A';
const SEGMENT_B = '01KDMA1LSEGMENT0000000000B';

const sendRaw = (raw: Buffer | string, from?: string) => sendOverSmtp(env.rt.smtp, raw, from);
let mails_sent = 0;
const mail = (subject: string, body: string, over: { from?: string; messageId?: string } = {}) =>
  alertMail(subject, body, { date: 'Mon, 07 Dec 2026 03:00:00 +0900', messageId: `it-${++mails_sent}@city.arao.example`, ...over });

async function decided(mailId: string): Promise<ReceivedMail> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const m = await mails.get(mailId);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`mail ${mailId} not decided`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function saveSettings(patch: Partial<BridgeSettings>): Promise<void> {
  const next = { settings: { ...DEFAULT_BRIDGE_SETTINGS, acceptedSenders: ['city.arao.example'], ...patch }, version: version + 1 };
  expect(await settingsStore.save(next, version)).toBe('saved');
  version += 1;
}

beforeAll(async () => {
  env = await startPipelineRuntime({ dynamodbEndpoint: process.env.IT_DYNAMODB_ENDPOINT, retryDelayMs: 500 });
  mails = new DynamoReceivedMailStore(env.db, env.rt.tableName);
  settingsStore = new DynamoBridgeSettingsStore(env.db, env.rt.tableName);
  // 300 friends: Japanese, English and Korean; districts a / b / c; every 10th blocked.
  friends = await seedFriends(env, 300, (i) => ({
    language: ['ja', 'en', 'ko'][i % 3]!,
    status: i % 10 === 9 ? 'blocked' : 'active',
    district: ['a', 'b', 'c'][i % 3 === 0 ? 0 : i % 5 === 0 ? 1 : 2],
  }));
  const segments = new DynamoSegmentStore(env.db, env.rt.tableName);
  const segment = (segmentId: string, name: string, district: string): Segment => ({
    segmentId,
    name,
    rule: { match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: [district] }] },
    createdAt: '2026-12-01T00:00:00.000Z',
    createdBy: 'tester',
    updatedAt: '2026-12-01T00:00:00.000Z',
    updatedBy: 'tester',
    version: 1,
  });
  await segments.create(segment(SEGMENT_A, '地区A', 'a'));
  await segments.create(segment(SEGMENT_B, '地区B', 'b'));
});

afterAll(async () => {
  await env?.stop();
});

const activeWhere = (pred: (f: SeedFriend) => boolean) => new Set(friends.filter((f) => f.status === 'active' && pred(f)).map((f) => f.userId));

test('an ISO-2022-JP alert over SMTP goes to everyone once, in Japanese, with the English and Korean standard sentence first', async () => {
  await saveSettings({
    defaultRoute: { id: 'r-all', name: '全員へ', target: { kind: 'everyone' }, mode: 'auto' },
    disasterPageUrl: 'https://www.city.arao.example/bousai',
  });
  const fixture = FIXTURES.find((f) => f.name === 'iso-2022-jp-7bit')!;
  const mailId = await sendRaw(readFileSync(join(__dirname, '../../events/mail/iso-2022-jp-7bit.eml')), fixture.from);
  const record = await decided(mailId);
  expect(record).toMatchObject({ decision: 'sent', subject: fixture.subject, from: fixture.from.toLowerCase(), routeName: '全員へ', kind: 'evacuation_order' });
  const delivery = await waitFinished(env, record.deliveryId!);
  expect(delivery.status).toBe('sent');
  const result = await audit(
    env,
    delivery,
    activeWhere(() => true),
    friends,
  );
  expect({ duplicates: result.duplicates, misses: result.misses, unexpected: result.unexpected }).toEqual({ duplicates: 0, misses: 0, unexpected: 0 });
  // What each language got: the English sentence first, then the Japanese original; Japanese only the original.
  const en = friends.find((f) => f.status === 'active' && f.language === 'en')!;
  const ja = friends.find((f) => f.status === 'active' && f.language === 'ja')!;
  const [enText] = (await env.sim.received(en.userId)).map((m) => String(m.message.text));
  const [jaText] = (await env.sim.received(ja.userId)).map((m) => String(m.message.text));
  expect(enText).toMatch(/^Evacuation order \(Level 4\)/);
  expect(enText).toContain(jaText!);
  expect(jaText!.startsWith(fixture.subject)).toBe(true);
  // The disaster page, through the platform's click counter like every link of a delivery.
  expect(jaText).toMatch(/\n\n詳しくは：http:\/\/127\.0\.0\.1:\d+\/r\/[0-9A-Z]{26}\/0\n（2026\/12\/07 03:15 発信）$/);
});

test('a route to two segments reaches the friends of either, once each; a refused sender reaches nobody', async () => {
  await saveSettings({
    routes: [{ id: 'r-ab', name: '地区AとB', subjectKeywords: ['土砂災害'], target: { kind: 'segments', segmentIds: [SEGMENT_A, SEGMENT_B] }, mode: 'auto' }],
    defaultRoute: null,
  });
  const mailId = await sendRaw(mail('【荒尾市】土砂災害警戒情報', '土砂災害警戒情報が発表されました。\n崖の近くの方は注意してください。'));
  const record = await decided(mailId);
  expect(record).toMatchObject({ decision: 'sent', routeName: '地区AとB', kind: 'landslide_alert', audienceLabel: '地区A または 地区B' });
  const delivery = await waitFinished(env, record.deliveryId!);
  const result = await audit(
    env,
    delivery,
    activeWhere((f) => f.district === 'a' || f.district === 'b'),
    friends,
  );
  expect({ duplicates: result.duplicates, misses: result.misses, unexpected: result.unexpected }).toEqual({ duplicates: 0, misses: 0, unexpected: 0 });

  const refusedId = await sendRaw(mail('【荒尾市】土砂災害警戒情報', 'なりすまし', { from: 'attacker@evil.example' }), 'attacker@evil.example');
  const refused = await decided(refusedId);
  expect(refused).toMatchObject({ decision: 'refused' });
  expect(refused.deliveryId).toBeUndefined();
});

test('the same alert twice at once (two copies, the same Message-ID) and once more with another Message-ID is sent once; the log names what each matched', async () => {
  await saveSettings({ defaultRoute: { id: 'r-all', name: '全員へ', target: { kind: 'everyone' }, mode: 'auto' }, duplicateWindowMinutes: 60 });
  const raw = mail('【荒尾市】大雨警報', '大雨警報が発表されました。\n川に近づかないでください。', { messageId: 'dup-1@city.arao.example' });
  const ids = await Promise.all([sendRaw(raw), sendRaw(raw)]);
  const third = await sendRaw(mail('【荒尾市】大雨警報', '大雨警報が発表されました。\n川に近づかないでください。', { messageId: 'dup-2@city.arao.example' }));
  const records = await Promise.all([...ids, third].map(decided));
  const sent = records.filter((r) => r.decision === 'sent');
  const duplicates = records.filter((r) => r.decision === 'duplicate');
  expect(sent).toHaveLength(1);
  expect(duplicates).toHaveLength(2);
  for (const d of duplicates) expect(d.duplicateOf?.mailId).toBe(sent[0]!.mailId);
  expect(records.find((r) => r.mailId === third)!.duplicateOf?.by).toBe('content');
  const delivery = await waitFinished(env, sent[0]!.deliveryId!);
  const result = await audit(
    env,
    delivery,
    activeWhere(() => true),
    friends,
  );
  expect({ duplicates: result.duplicates, misses: result.misses }).toEqual({ duplicates: 0, misses: 0 });
});

test('a held mail nobody handles goes out by itself when its hold time has passed', async () => {
  await saveSettings({
    routes: [
      {
        id: 'r-hold',
        name: '避難指示は承認',
        subjectKeywords: ['避難指示'],
        target: { kind: 'segments', segmentIds: [SEGMENT_A] },
        mode: 'hold',
        releaseAfterMinutes: 5,
      },
    ],
    defaultRoute: null,
  });
  const mailId = await sendRaw(mail('【荒尾市】避難指示（警戒レベル4）', '避難指示を発令しました。\n直ちに避難してください。'));
  const record = await decided(mailId);
  expect(record.decision).toBe('held');
  expect(record.hold?.releaseAt).toBeDefined();
  expect((await mails.heldIds()).includes(mailId)).toBe(true);
  expect((await env.store.get(record.deliveryId!, true))!.status).toBe('scheduled');
  // Nobody approves: five minutes later (the local scheduler's clock) it is sent.
  env.rt.clock.advance(5 * 60_000 + 1_000);
  const left = async () => ((await env.store.get(record.deliveryId!, true))!.status === 'scheduled' ? undefined : true);
  for (const deadline = Date.now() + 20_000; !(await left());) {
    if (Date.now() > deadline) throw new Error('the held mail was not released');
    await new Promise((r) => setTimeout(r, 100));
  }
  const delivery = await waitFinished(env, record.deliveryId!);
  expect(delivery.status).toBe('sent');
  const result = await audit(
    env,
    delivery,
    activeWhere((f) => f.district === 'a'),
    friends,
  );
  expect({ duplicates: result.duplicates, misses: result.misses, unexpected: result.unexpected }).toEqual({ duplicates: 0, misses: 0, unexpected: 0 });
  env.rt.clock.reset();
});

test('a mail that cannot be read is kept and logged with its reason, never dropped', async () => {
  const mailId = await sendRaw('Subject: no sender\r\n\r\nbody only\r\n');
  const record = await decided(mailId);
  expect(record.decision).toBe('unreadable');
  expect(record.reason).toBe('差出人（From）がありません');
  // The raw mail stays where the log says.
  expect(record.storageKey).toBe(`inbound/${mailId}.eml`);
});
