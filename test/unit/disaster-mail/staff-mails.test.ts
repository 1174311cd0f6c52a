/**
 * Received alert mails through the admin API (in-memory harness; functions/disaster-mail/staff-mails.ts):
 * the held count, approving (with an edited text) and discarding held mails, a held mail that went
 * out by itself, the log and its pages, the raw mail, the test button and the dry run. Held mails
 * are made by the intake itself (receiveMail) on the harness's own stores.
 */
import iconv from 'iconv-lite';
import type { Delivery } from '../../../functions/deliveries/model';
import { receiveMail, type IntakeDeps } from '../../../functions/disaster-mail/intake';
import { incomingOf } from '../../../functions/disaster-mail/intake-sqs';
import { mailIdFor } from '../../../functions/disaster-mail/keys';
import type { StoredMailMessage } from '../../../functions/disaster-mail/ports';
import { DEFAULT_BRIDGE_SETTINGS, DEFAULT_PHRASES, type BridgeSettings } from '../../../functions/disaster-mail/model';
import { jstDateTime } from '../../../functions/shared/japan-time';
import { adminHarness, MAIL_TARGET, type Call } from '../../support/admin-fakes';
import { DELIVERY_TARGETS } from '../../support/delivery-fakes';
import { MemoryBlobs } from '../../support/form-fakes';
import { friend, MemoryJsonQueue } from '../../support/pipeline-fakes';
import { alertMail, fixture, route, segment } from './intake-fakes';
import { FIXTURES } from './mail-fixtures';

const EN_SEGMENT = '01KDMA0SEGMENT0000000000EN';
const NOT_HELD = 'このメールは承認待ちではありません（ほかの職員が処理したか、保留時間が過ぎて送信されました）。画面を読み込み直してください。';
const UNKNOWN_MAIL = '01KDMA0000000000000000000X';

const SETTINGS: BridgeSettings = {
  ...DEFAULT_BRIDGE_SETTINGS,
  acceptedSenders: ['bousai@city.arao.example', 'bousai-mail.example.jp'],
  routes: [
    route('evac', { name: '避難指示は承認してから', subjectKeywords: ['避難指示'], mode: 'hold', releaseAfterMinutes: 30 }),
    route('water', { name: '給水は英語の友だちへ', subjectKeywords: ['給水'], target: { kind: 'segments', segmentIds: [EN_SEGMENT] } }),
  ],
  defaultRoute: route('default', { name: '確認してから', mode: 'hold', releaseAfterMinutes: 60 }),
};

const fixtureOf = (name: string) => FIXTURES.find((f) => f.name === name)!;
const textOf = (d: Pick<Delivery, 'variants'>, lang: string) => {
  const bubble = d.variants.find((v) => v.lang === lang)?.bubbles[0];
  return bubble?.type === 'text' ? bubble.text : undefined;
};

async function setup(settings: BridgeSettings = SETTINGS) {
  const h = adminHarness();
  const dm = h.deps.disasterMail;
  const pipeline = h.deps.deliveries;
  // The harness builds these as memory fakes (typed as their ports there).
  const intakeQueue = dm.intake as MemoryJsonQueue<StoredMailMessage>;
  const mailStore = dm.mailStore as MemoryBlobs;
  // Without the harness's seeded held mail: every mail here is made by the intake.
  dm.mails.mails.delete(MAIL_TARGET);
  dm.mails.held.delete(MAIL_TARGET);
  await pipeline.segments.create(segment(EN_SEGMENT, '英語の友だち', { match: 'all', conditions: [{ kind: 'language', values: ['en'] }] }));
  await dm.bridgeSettings.save({ settings: structuredClone(settings), version: 1 }, 0);
  await h.seed('bousai', { permissions: ['disasterMail'], displayName: '防災 太郎' });
  const session = await h.signIn('bousai');
  const call = (c: Call) => h.call({ token: session.token, csrf: session.csrf, ...c });

  // The intake on the same stores the admin API reads.
  const intake: IntakeDeps = {
    mails: dm.mails,
    bridgeSettings: dm.bridgeSettings,
    segments: dm.segments,
    deliveries: pipeline.deliveries,
    scheduler: pipeline.scheduler,
    planner: pipeline.planner,
    blobs: dm.mailStore,
    clock: h.clock,
  };
  let sesMessages = 0;
  const receive = async (raw: Buffer): Promise<string> => {
    const sesId = `ses-message-${++sesMessages}`;
    const at = h.clock.now();
    await dm.mailStore.put(`inbound/${sesId}`, raw, 'message/rfc822');
    const { mailId } = await receiveMail(intake, {
      mailId: mailIdFor(at.getTime(), sesId),
      receivedAt: at.toISOString(),
      storageKey: `inbound/${sesId}`,
      source: 'mail',
    });
    return mailId;
  };
  const advance = (minutes: number) => {
    h.clock.current = new Date(h.clock.current.getTime() + minutes * 60_000);
  };
  const deliveryOf = async (id: string) => (await pipeline.deliveries.get(id))!;
  const held = async () => (await call({ path: '/disaster-mail/held' })).json.held as number;
  return { h, dm, pipeline, intake, intakeQueue, mailStore, call, receive, advance, deliveryOf, held };
}

describe('held mails', () => {
  it('counts a held mail; approving it with an edited text sends it now in every language, removes its release, audits, and it is no longer held', async () => {
    const { h, dm, pipeline, call, receive, deliveryOf, held } = await setup();
    const mailId = await receive(fixture('iso-2022-jp-7bit'));
    expect(await held()).toBe(1);
    expect((await deliveryOf(mailId)).status).toBe('scheduled');
    expect(pipeline.scheduler.schedules.has(`delivery-${mailId}`)).toBe(true);
    const releaseAt = (await dm.mails.get(mailId))!.hold!.releaseAt!;

    const edited = '【荒尾市】避難指示（警戒レベル４）\n\n荒尾・万田地区に避難指示を発令しました。直ちに避難してください。';
    const res = await call({ path: `/disaster-mail/mails/${mailId}/approve`, body: { text: `  ${edited}\n` } });

    expect(res.statusCode).toBe(200);
    const now = h.clock.now().toISOString();
    expect(res.json).toMatchObject({
      mailId,
      decision: 'sent',
      reason: `${jstDateTime(now)} に 防災 太郎 さんが本文を修正して承認し、送信しました。`,
      hold: { releaseAt, outcome: 'approved', handledBy: 'bousai', handledAt: now },
      delivery: { deliveryId: mailId, status: 'queued' },
    });
    expect(textOf(res.json.content, 'ja')).toBe(edited);
    const d = await deliveryOf(mailId);
    expect(d).toMatchObject({ status: 'queued', approvedBy: 'bousai', sentBy: 'bousai', queuedAt: now, timing: { kind: 'now' } });
    expect(d.variants.map((v) => v.lang)).toEqual(['ja', 'en', 'ko', 'zh-Hans', 'zh-Hant']);
    expect(textOf(d, 'ja')).toBe(edited);
    expect(textOf(d, 'en')).toBe(`${DEFAULT_PHRASES.evacuation_order.en}\n\n${edited}`);
    for (const lang of ['ko', 'zh-Hans', 'zh-Hant'] as const) expect(textOf(d, lang)).toBe(`${DEFAULT_PHRASES.evacuation_order[lang]}\n\n${edited}`);
    expect(pipeline.planner.messages).toEqual([{ type: 'plan', deliveryId: mailId }]);
    expect(pipeline.scheduler.schedules.has(`delivery-${mailId}`)).toBe(false);
    expect(h.deps.audit.entries.filter((e) => e.action.startsWith('disaster_mail.'))).toEqual([
      expect.objectContaining({
        action: 'disaster_mail.approved',
        actor: 'bousai',
        target: `disaster_mail:${mailId}`,
        after: expect.objectContaining({ subject: fixtureOf('iso-2022-jp-7bit').subject, audience: '全員', edited: 'あり', text: edited }),
      }),
    ]);
    expect(await held()).toBe(0);
    expect(dm.mails.held.size).toBe(0);

    // Handled once: approving or discarding again is refused, nothing more is sent.
    const again = await call({ path: `/disaster-mail/mails/${mailId}/approve`, body: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json.error.message).toBe(NOT_HELD);
    expect((await call({ path: `/disaster-mail/mails/${mailId}/discard`, body: {} })).statusCode).toBe(409);
    expect(pipeline.planner.messages).toHaveLength(1);
  });

  it('approving without a text sends what was composed', async () => {
    const { h, call, receive, deliveryOf } = await setup();
    const mailId = await receive(fixture('iso-2022-jp-7bit'));
    const composed = await deliveryOf(mailId);

    const res = await call({ path: `/disaster-mail/mails/${mailId}/approve`, body: {} });
    expect(res.statusCode).toBe(200);
    const d = await deliveryOf(mailId);
    expect(d.status).toBe('queued');
    expect(d.variants).toEqual(composed.variants);
    expect(res.json.reason).toBe(`${jstDateTime(h.clock.now())} に 防災 太郎 さんが承認し、送信しました。`);
    expect(h.deps.audit.entries.find((e) => e.action === 'disaster_mail.approved')!.after).toMatchObject({ edited: 'なし' });
  });

  it('discarding a held mail cancels its delivery and its release, audits, and sends nothing', async () => {
    const { h, pipeline, call, receive, deliveryOf, held } = await setup();
    const kept = await receive(fixture('iso-2022-jp-7bit'));
    const mailId = await receive(fixture('shift_jis-quoted-printable'));
    expect(await held()).toBe(2);

    const res = await call({ path: `/disaster-mail/mails/${mailId}/discard`, body: {} });

    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ decision: 'discarded', hold: { outcome: 'discarded', handledBy: 'bousai' }, delivery: { status: 'cancelled' } });
    expect(res.json.reason).toBe(`${jstDateTime(h.clock.now())} に 防災 太郎 さんが破棄しました（送信していません）。`);
    expect((await deliveryOf(mailId)).status).toBe('cancelled');
    expect(pipeline.scheduler.schedules.has(`delivery-${mailId}`)).toBe(false);
    expect(pipeline.scheduler.schedules.has(`delivery-${kept}`)).toBe(true);
    expect(pipeline.planner.messages).toEqual([]);
    expect(h.deps.audit.entries.find((e) => e.action === 'disaster_mail.discarded')).toMatchObject({
      actor: 'bousai',
      target: `disaster_mail:${mailId}`,
      before: { subject: fixtureOf('shift_jis-quoted-printable').subject, from: 'alert@bousai-mail.example.jp', audience: '全員' },
    });
    expect(await held()).toBe(1);
    expect((await call({ path: `/disaster-mail/mails/${mailId}/approve`, body: {} })).statusCode).toBe(409);
    expect((await deliveryOf(mailId)).status).toBe('cancelled');
  });

  it('a held mail whose delivery went out by itself reads as sent and released, is not counted, and cannot be approved', async () => {
    const { dm, pipeline, call, receive, held } = await setup();
    const waiting = await receive(fixture('iso-2022-jp-7bit'));
    const released = await receive(fixture('utf-8-8bit'));
    const releaseAt = (await dm.mails.get(released))!.hold!.releaseAt!;
    // Its release time passed: the schedule fired and the pipeline sent it (the clock stays: the session would expire).
    Object.assign(pipeline.deliveries.deliveries.get(released)!, { status: 'sent', queuedAt: releaseAt, recipients: 3, succeeded: 3 });

    const log = await call({ path: '/disaster-mail/mails' });
    expect(log.statusCode).toBe(200);
    const line = log.json.items.find((m: { mailId: string }) => m.mailId === released);
    expect(line).toMatchObject({
      decision: 'sent',
      hold: { releaseAt, outcome: 'released' },
      reason: `保留時間が過ぎたため自動で送信しました（${jstDateTime(releaseAt)}）。`,
      delivery: { deliveryId: released, status: 'sent', recipients: 3, succeeded: 3 },
    });
    expect(log.json.items.find((m: { mailId: string }) => m.mailId === waiting)).toMatchObject({ decision: 'held' });
    expect((await call({ path: `/disaster-mail/mails/${released}` })).json).toMatchObject({ decision: 'sent', hold: { outcome: 'released' } });

    expect(await held()).toBe(1);
    expect([...dm.mails.held]).toEqual([waiting]);
    const approve = await call({ path: `/disaster-mail/mails/${released}/approve`, body: {} });
    expect(approve.statusCode).toBe(409);
    expect(approve.json.error.message).toBe(NOT_HELD);
  });

  it('refuses an approved text over 4,400 characters (400, in Japanese) and leaves the mail held', async () => {
    const { call, receive, deliveryOf, held } = await setup();
    const mailId = await receive(fixture('iso-2022-jp-7bit'));
    const before = await deliveryOf(mailId);

    const res = await call({ path: `/disaster-mail/mails/${mailId}/approve`, body: { text: 'あ'.repeat(4_401) } });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json)).toContain('本文は4,400文字以内にしてください。');
    expect(await deliveryOf(mailId)).toEqual(before);
    expect(await held()).toBe(1);
    // 4,400 exactly is accepted.
    expect((await call({ path: `/disaster-mail/mails/${mailId}/approve`, body: { text: 'あ'.repeat(4_400) } })).statusCode).toBe(200);
  });

  it('answers 404 for a mail that does not exist', async () => {
    const { call } = await setup();
    for (const path of [`/disaster-mail/mails/${UNKNOWN_MAIL}`, `/disaster-mail/mails/${UNKNOWN_MAIL}/raw`, '/disaster-mail/mails/not-a-mail-id']) {
      const res = await call({ path });
      expect(res.statusCode).toBe(404);
      expect(res.json.error.message).toBe('メールが見つかりません。');
    }
    expect((await call({ path: `/disaster-mail/mails/${UNKNOWN_MAIL}/approve`, body: {} })).statusCode).toBe(404);
  });
});

describe('the log', () => {
  it('lists every decision newest first, in pages with a cursor, without the text', async () => {
    const { call, receive, advance } = await setup();
    const ids: string[] = [];
    for (const raw of [
      fixture('alternative-iso-2022-jp'), // 給水: sent
      fixture('iso-2022-jp-7bit'), // 避難指示: held
      Buffer.from('Subject: test\r\n\r\nbody\r\n'), // unreadable
      alertMail('【荒尾市】お知らせ', '本文', { from: 'someone@example.com', messageId: 'x@example.com' }), // refused
      fixture('iso-2022-jp-7bit'), // duplicate
    ]) {
      ids.push(await receive(raw));
      advance(1);
    }

    const seen: { mailId: string; decision: string }[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const res = await call({ path: '/disaster-mail/mails', query: { limit: '2', ...(cursor ? { cursor } : {}) } });
      expect(res.statusCode).toBe(200);
      sizes.push(res.json.items.length);
      seen.push(...res.json.items);
      cursor = res.json.cursor;
    } while (cursor);

    expect(sizes).toEqual([2, 2, 1]);
    expect(seen.map((m) => m.mailId)).toEqual([...ids].reverse());
    expect(seen.map((m) => m.decision)).toEqual(['duplicate', 'refused', 'unreadable', 'held', 'sent']);
    for (const m of seen) for (const key of ['text', 'content', 'messageId', 'storageKey', 'phrases']) expect(m).not.toHaveProperty(key);
  });

  it('answers the raw mail as received: message/rfc822, base64 bytes', async () => {
    const { call, receive } = await setup();
    const raw = fixture('iso-2022-jp-7bit');
    const mailId = await receive(raw);
    const unreadable = Buffer.from('Subject: no sender\r\n\r\nbody\r\n');
    const unreadableId = await receive(unreadable);

    const res = await call({ path: `/disaster-mail/mails/${mailId}/raw` });
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'message/rfc822', 'content-disposition': `attachment; filename="${mailId}.eml"` });
    expect(res.isBase64Encoded).toBe(true);
    expect(Buffer.from(res.body!, 'base64')).toEqual(raw);
    // An unreadable mail can be looked at.
    expect(Buffer.from((await call({ path: `/disaster-mail/mails/${unreadableId}/raw` })).body!, 'base64')).toEqual(unreadable);
  });
});

describe('the test button', () => {
  it('stores a sample mail and queues it; the intake sends it to the chosen segment only, whatever the routes say', async () => {
    const { h, dm, pipeline, intake, intakeQueue, call } = await setup();
    const res = await call({ path: '/disaster-mail/test', body: { segmentId: DELIVERY_TARGETS.segment } });

    expect(res.statusCode).toBe(202);
    const mailId = res.json.mailId as string;
    expect(res.json).toEqual({ mailId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/) });
    const storageKey = `test/${mailId}.eml`;
    expect(await dm.mailStore.get(storageKey)).not.toBeNull();
    expect(intakeQueue.messages).toEqual([
      { type: 'stored', mailId, receivedAt: h.clock.now().toISOString(), storageKey, source: 'test', testSegmentId: DELIVERY_TARGETS.segment },
    ]);
    expect(h.deps.audit.entries.find((e) => e.action === 'disaster_mail.test_sent')).toMatchObject({
      actor: 'bousai',
      target: `disaster_mail:${mailId}`,
      summary: '防災メール連携のテスト送信（送信先: 対象セグメント）',
    });
    expect(dm.mails.mails.size).toBe(0);

    // The queue's consumer reads the message as it does every stored mail.
    const incoming = incomingOf(JSON.stringify(intakeQueue.messages[0]));
    expect(incoming).not.toBeNull();
    expect(incoming).not.toBe('setup');
    const outcome = await receiveMail(intake, incoming as Exclude<typeof incoming, null | 'setup'>);

    // The default route would hold it for everyone; the test goes out at once to the segment.
    expect(outcome).toEqual({ mailId, decision: 'sent', repeated: false });
    expect((await dm.mails.get(mailId))!).toMatchObject({
      source: 'test',
      decision: 'sent',
      routeName: 'テスト送信',
      reason: 'テスト送信',
      from: 'bousai@city.arao.example',
      subject: '【テスト】防災メール連携の試験送信',
      audienceLabel: '対象セグメント',
    });
    expect((await pipeline.deliveries.get(mailId))!).toMatchObject({
      status: 'queued',
      audience: { segmentId: DELIVERY_TARGETS.segment, label: '対象セグメント' },
    });
    expect(pipeline.planner.messages).toEqual([{ type: 'plan', deliveryId: mailId }]);
    expect(dm.mails.keys.size).toBe(0);
  });

  it('sends every press (a test is never a duplicate), even before any sender is accepted', async () => {
    const { h, dm, intake, intakeQueue, call, advance } = await setup({ ...SETTINGS, acceptedSenders: [] });
    for (let i = 0; i < 2; i++) {
      expect((await call({ path: '/disaster-mail/test', body: { segmentId: DELIVERY_TARGETS.segment } })).statusCode).toBe(202);
      advance(1);
    }
    const outcomes = [];
    for (const message of intakeQueue.messages)
      outcomes.push(await receiveMail(intake, incomingOf(JSON.stringify(message)) as Parameters<typeof receiveMail>[1]));
    expect(outcomes.map((o) => o.decision)).toEqual(['sent', 'sent']);
    expect((await dm.mails.get(outcomes[0]!.mailId))!.from).toBe('test@civic-line.invalid');
    expect(h.deps.deliveries.planner.messages).toHaveLength(2);
  });

  it('refuses an unknown segment (404) and a missing one (400), storing and queueing nothing', async () => {
    const { intakeQueue, mailStore, call } = await setup();
    const unknown = await call({ path: '/disaster-mail/test', body: { segmentId: '01KDMA0SEGMENT00000000000X' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json.error.message).toBe('セグメントが見つかりません。');
    const missing = await call({ path: '/disaster-mail/test', body: {} });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json)).toContain('テストの送信先を選んでください。');
    expect(intakeQueue.messages).toEqual([]);
    expect([...mailStore.blobs.keys()].filter((k) => k.startsWith('test/'))).toEqual([]);
  });
});

describe('the dry run', () => {
  async function dryRunSetup() {
    const s = await setup();
    s.pipeline.audience.friends = [
      friend(1),
      friend(2, { language: 'en' }),
      friend(3, { language: 'en', status: 'blocked' }),
      friend(4, { language: 'ko' }),
      friend(5, { language: 'en-US' }),
    ];
    const state = () => ({
      mails: s.dm.mails.mails.size,
      keys: s.dm.mails.keys.size,
      held: s.dm.mails.held.size,
      deliveries: s.pipeline.deliveries.deliveries.size,
      planned: s.pipeline.planner.messages.length,
      schedules: s.pipeline.scheduler.schedules.size,
      queued: s.intakeQueue.messages.length,
    });
    const dryRun = (raw: string) => s.call({ path: '/disaster-mail/dry-run', body: { raw } });
    return { ...s, state, dryRun };
  }

  it('reads a pasted whole mail: would hold, by route 1, its kind, the content per language and the audience count; nothing written', async () => {
    const { dryRun, state } = await dryRunSetup();
    const before = state();
    const f = fixtureOf('iso-2022-jp-7bit');

    const res = await dryRun(fixture(f.name).toString('latin1'));

    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({
      decision: 'would_hold',
      mail: { from: 'bousai@city.arao.example', subject: f.subject, text: f.body, sentAt: new Date(f.date).toISOString(), attachments: [] },
      route: { id: 'evac', name: '避難指示は承認してから', position: 1, mode: 'hold', releaseAfterMinutes: 30 },
      kind: 'evacuation_order',
      audience: { label: '全員', recipients: 4 },
    });
    expect(res.json.reason).toContain('1番目のルール「避難指示は承認してから」に一致（承認してから送信）。');
    expect(res.json.content.variants.map((v: { lang: string }) => v.lang)).toEqual(['ja', 'en', 'ko', 'zh-Hans', 'zh-Hant']);
    expect(textOf(res.json.content, 'en')!.startsWith(`${DEFAULT_PHRASES.evacuation_order.en}\n\n${f.subject}`)).toBe(true);
    expect(state()).toEqual(before);
  });

  it('would send by route 2 to its segment, counting only its active friends', async () => {
    const { dryRun, state } = await dryRunSetup();
    const before = state();
    const res = await dryRun(fixture('alternative-iso-2022-jp').toString('latin1'));
    expect(res.json).toMatchObject({
      decision: 'would_send',
      reason: '2番目のルール「給水は英語の友だちへ」に一致',
      route: { id: 'water', position: 2, mode: 'auto' },
      kind: null,
      audience: { label: '英語の友だち', recipients: 2 },
    });
    expect(res.json.route).not.toHaveProperty('releaseAfterMinutes');
    expect(res.json.content.variants.map((v: { lang: string }) => v.lang)).toEqual(['ja']);
    expect(state()).toEqual(before);
  });

  it('reads a pasted text without headers as subject (first line) and body from the first accepted sender', async () => {
    const { dryRun } = await dryRunSetup();
    const res = await dryRun('【荒尾市】給水のお知らせ\n断水地区への給水を行います。\n場所：荒尾市役所駐車場');
    expect(res.json).toMatchObject({
      decision: 'would_send',
      mail: { from: 'bousai@city.arao.example', subject: '【荒尾市】給水のお知らせ', text: '断水地区への給水を行います。\n場所：荒尾市役所駐車場' },
      route: { id: 'water' },
    });
  });

  it('answers refused for a sender that is not accepted, and duplicate for a mail already received; nothing written', async () => {
    const { dryRun, receive, state } = await dryRunSetup();
    const refused = await dryRun(alertMail('【荒尾市】避難指示', '避難してください。', { from: 'spoof@example.com' }).toString('utf8'));
    expect(refused.json).toMatchObject({ decision: 'refused', reason: '差出人 spoof@example.com は受け付ける差出人にありません。' });

    await receive(fixture('iso-2022-jp-7bit'));
    const before = state();
    const duplicate = await dryRun(fixture('iso-2022-jp-7bit').toString('latin1'));
    expect(duplicate.json).toMatchObject({ decision: 'duplicate', route: { id: 'evac', position: 1 }, kind: 'evacuation_order' });
    expect(duplicate.json.reason).toContain('同じ Message-ID');
    expect(duplicate.json).not.toHaveProperty('audience');
    expect(state()).toEqual(before);
  });

  it('refuses an empty paste (400, in Japanese)', async () => {
    const { call, dryRun } = await dryRunSetup();
    const empty = await dryRun('');
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.json)).toContain('メールを貼り付けてください。');
    expect((await call({ path: '/disaster-mail/dry-run', body: {} })).statusCode).toBe(400);
  });
});

/*
 * A held mail's delivery is an ordinary draft in the deliveries' list, where staff with the
 * deliveries function can act on it: the log says what happened there.
 */
describe('a held mail handled on the deliveries page', () => {
  const DRAFT_SETTINGS: BridgeSettings = { ...SETTINGS, routes: [], defaultRoute: route('default', { name: '確認してから', mode: 'hold' }) };

  it('to several segments: refused on the deliveries page (its one-audience editor would change who gets it), its audience kept', async () => {
    const s = await setup({
      ...DRAFT_SETTINGS,
      defaultRoute: route('two', { name: '二つの地区', mode: 'hold', target: { kind: 'segments', segmentIds: [EN_SEGMENT, DELIVERY_TARGETS.segment] } }),
    });
    const mailId = await s.receive(fixture('iso-2022-jp-7bit'));
    const before = await s.deliveryOf(mailId);
    expect(before.audience.anyOf).toHaveLength(2);
    await s.h.seed('kanri', { role: 'admin', displayName: '管理 花子' });
    const admin = await s.h.signIn('kanri');
    const edit = await s.h.call({
      method: 'PUT',
      path: `/deliveries/${mailId}`,
      body: {
        title: before.title,
        category: before.category,
        variants: before.variants,
        audience: { segmentId: 'everyone' },
        timing: { kind: 'now' },
        version: before.version,
      },
      token: admin.token,
      csrf: admin.csrf,
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json.error.message).toContain('「防災メール連携」の画面');
    expect((await s.deliveryOf(mailId)).audience).toEqual(before.audience);
  });

  it('put up for approval on the deliveries page (not sent) is not shown as sent', async () => {
    const s = await setup(DRAFT_SETTINGS);
    const mailId = await s.receive(fixture('iso-2022-jp-7bit'));
    await s.h.seed('kanri', { role: 'admin', displayName: '管理 花子' });
    const admin = await s.h.signIn('kanri');
    const requested = await s.h.call({ path: `/deliveries/${mailId}/request`, body: {}, token: admin.token, csrf: admin.csrf });
    expect(requested.statusCode).toBe(200);
    expect((await s.deliveryOf(mailId)).status).toBe('pending_approval');
    expect(s.pipeline.planner.messages).toEqual([]);

    const line = (await s.call({ path: '/disaster-mail/mails' })).json.items.find((m: { mailId: string }) => m.mailId === mailId);
    expect(line.decision).not.toBe('sent');
    expect(line.reason).not.toContain('自動で送信しました');
  });

  it('sent by staff from the deliveries page is not described as released after a hold time it never had', async () => {
    const s = await setup(DRAFT_SETTINGS);
    const mailId = await s.receive(fixture('iso-2022-jp-7bit'));
    expect((await s.dm.mails.get(mailId))!.hold).toEqual({});
    await s.h.seed('kanri', { role: 'admin', displayName: '管理 花子' });
    const admin = await s.h.signIn('kanri');
    const sent = await s.h.call({ path: `/deliveries/${mailId}/send`, body: {}, token: admin.token, csrf: admin.csrf });
    expect(sent.statusCode).toBe(200);
    expect((await s.deliveryOf(mailId)).status).toBe('queued');

    const detail = (await s.call({ path: `/disaster-mail/mails/${mailId}` })).json;
    expect(detail.decision).toBe('sent');
    expect(detail.reason).not.toContain('保留時間が過ぎたため自動で送信しました');
    expect(detail.hold.outcome).not.toBe('released');
  });
});

describe('the dry run of a pasted 8bit mail in a Japanese charset', () => {
  it('reads a pasted EUC-JP 8bit mail (as a mail client shows its source) as its Japanese text', async () => {
    const s = await setup();
    const f = fixtureOf('euc-jp-8bit');
    // What staff copy from "show original": the source decoded in its charset, pasted as text (a text
    // field holds characters, not EUC-JP bytes); the header still says charset=EUC-JP, 8bit.
    const pasted = iconv.decode(fixture(f.name), 'euc-jp');
    expect(pasted).toContain(f.body.split('\n')[0]);

    const res = await s.call({ path: '/disaster-mail/dry-run', body: { raw: pasted } });
    expect(res.statusCode).toBe(200);
    expect(res.json.mail.subject).toBe(f.subject);
    // The 8bit part's charset is read as UTF-8 (pastedMailBytes): otherwise the text would be mojibake.
    expect(res.json.mail.text).toBe(f.body);
  });
});
