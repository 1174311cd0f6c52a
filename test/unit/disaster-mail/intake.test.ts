/**
 * A received alert mail from its raw bytes to its decision and delivery (functions/disaster-mail/intake.ts),
 * on in-memory ports: every fixture's encoding, refused senders, routes in order, SES's verdicts,
 * held mails, the four other languages, duplicates, redelivery and crashes, unreadable mail.
 */
import { pickVariant } from '../../../functions/deliveries/compose';
import type { Delivery, SegmentRule, SendMessage } from '../../../functions/deliveries/model';
import { planDelivery, type PlannerDeps } from '../../../functions/deliveries/planner';
import { BRIDGE_ACTOR, RawMailMissingError, receiveMail } from '../../../functions/disaster-mail/intake';
import { DEFAULT_PHRASES, type BridgeSettings, type MailAuthentication } from '../../../functions/disaster-mail/model';
import { MAIL_MAX_BYTES } from '../../../functions/disaster-mail/parse-mail';
import { jstDateTime } from '../../../functions/shared/japan-time';
import { friend, MemoryAudience, MemoryJsonQueue } from '../../support/pipeline-fakes';
import { FIXTURES } from './mail-fixtures';
import {
  alertMail,
  BASE_SETTINGS,
  EVACUATION_BODY,
  EVACUATION_SUBJECT,
  fixture,
  intakeHarness,
  plans,
  route,
  segment,
  type IntakeHarness,
} from './intake-fakes';

const SEGMENT_A = '01KDMA0SEGMENT00000000000A';
const SEGMENT_B = '01KDMA0SEGMENT00000000000B';
const GONE_1 = '01KDMA0SEGMENT0000000000G1';
const GONE_2 = '01KDMA0SEGMENT0000000000G2';
const japanese: SegmentRule = { match: 'all', conditions: [{ kind: 'language', values: ['ja'] }] };
const english: SegmentRule = { match: 'all', conditions: [{ kind: 'language', values: ['en'] }] };

const textOf = (d: Pick<Delivery, 'variants'>, lang: string) => {
  const bubble = d.variants.find((v) => v.lang === lang)?.bubbles[0];
  return bubble?.type === 'text' ? bubble.text : undefined;
};

async function withSegments(settings: BridgeSettings = BASE_SETTINGS): Promise<IntakeHarness> {
  const h = intakeHarness(settings);
  await h.segments.create(segment(SEGMENT_A, '荒尾地区', japanese));
  await h.segments.create(segment(SEGMENT_B, '万田地区', english));
  return h;
}

/** Nothing was sent, scheduled or claimed for the mail. */
function expectNothingStarted(h: IntakeHarness) {
  expect(h.deliveries.deliveries.size).toBe(0);
  expect(plans(h.planner.messages)).toEqual([]);
  expect(h.scheduler.schedules.size).toBe(0);
  expect(h.mails.keys.size).toBe(0);
}

describe('every encoding the city’s systems send', () => {
  // The kind each fixture's subject (else its first lines) names; null: Japanese only.
  const KINDS: Record<string, string | null> = {
    'iso-2022-jp-7bit': 'evacuation_order',
    'shift_jis-base64': 'elderly_evacuation',
    'shift_jis-quoted-printable': 'heavy_rain_warning',
    'euc-jp-quoted-printable': 'lifted',
    'euc-jp-8bit': 'emergency_safety',
    'utf-8-8bit': 'landslide_alert',
    'alternative-iso-2022-jp': null,
    'html-only-utf-8': null,
    'attachment-shift_jis': null,
  };

  it('knows the kind of every fixture', () => {
    expect(Object.keys(KINDS).sort()).toEqual(FIXTURES.map((f) => f.name).sort());
  });

  it.each(FIXTURES.map((f) => [f.name, f] as const))('%s: sent to everyone, recorded with the exact subject and text', async (_name, f) => {
    const h = intakeHarness();
    const { incoming, outcome } = await h.receive(fixture(f.name));

    expect(outcome).toEqual({ mailId: incoming.mailId, decision: 'sent', repeated: false });
    const record = (await h.mails.get(incoming.mailId))!;
    expect(record).toMatchObject({
      decision: 'sent',
      source: 'mail',
      storageKey: incoming.storageKey,
      from: f.from.toLowerCase(),
      subject: f.subject,
      text: f.kind === 'html' ? f.htmlText : f.body,
      messageId: `${f.name}@bousai.city.arao.example`,
      sentAt: new Date(f.date).toISOString(),
      routeName: 'すべてのメール',
      kind: KINDS[f.name],
      audienceLabel: '全員',
      deliveryId: incoming.mailId,
      bytes: fixture(f.name).byteLength,
    });
    expect(record.reason).toBe('どのルールにも当たらないときのルール「すべてのメール」');
    expect(h.mails.held.size).toBe(0);

    const d = (await h.deliveries.get(incoming.mailId))!;
    expect(d).toMatchObject({
      deliveryId: incoming.mailId,
      status: 'queued',
      title: f.subject,
      category: '防災',
      audience: { segmentId: null, rule: { match: 'all', conditions: [] }, label: '全員' },
      timing: { kind: 'now' },
      queuedAt: h.clock.now().toISOString(),
      sentBy: BRIDGE_ACTOR,
      createdBy: BRIDGE_ACTOR,
      aggregationUnit: `d_${incoming.mailId}`,
    });
    // The Japanese message opens with the subject; the record keeps what was sent.
    expect(textOf(d, 'ja')!.startsWith(`${f.subject}\n\n`)).toBe(true);
    expect(record.content).toEqual({ title: d.title, category: d.category, variants: d.variants });
    expect(d.variants.map((v) => v.lang)).toEqual(KINDS[f.name] ? ['ja', 'en', 'ko', 'zh-Hans', 'zh-Hant'] : ['ja']);
    expect(plans(h.planner.messages)).toEqual([{ type: 'plan', deliveryId: incoming.mailId }]);
    // A recognised alert kind, sent at once: disaster mode (rich menus) hears of it once the mail is recorded.
    expect(h.planner.messages.filter((m) => m.type === 'disasterSignal')).toEqual(record.kind ? [{ type: 'disasterSignal', mailId: incoming.mailId }] : []);
    if (f.kind === 'attachment') expect(record.attachments).toEqual([{ filename: 'hinanjo.pdf', contentType: 'application/pdf', bytes: expect.any(Number) }]);
  });

  it('cuts the footer from what is sent but keeps the whole text in the log', async () => {
    const h = intakeHarness();
    const { incoming } = await h.receive(fixture('iso-2022-jp-7bit'));
    const record = (await h.mails.get(incoming.mailId))!;
    expect(record.text).toContain('配信停止はこちら');
    expect(textOf((await h.deliveries.get(incoming.mailId))!, 'ja')).not.toContain('配信停止');
  });
});

describe('senders and routes', () => {
  it('refuses a sender that is not accepted: logged only, nothing claimed, so a later accepted copy is sent', async () => {
    const h = intakeHarness({ ...BASE_SETTINGS, acceptedSenders: ['city.arao.example'] });
    const { incoming, outcome } = await h.receive(fixture('shift_jis-base64'));

    expect(outcome.decision).toBe('refused');
    expect((await h.mails.get(incoming.mailId))!).toMatchObject({
      decision: 'refused',
      reason: '差出人 alert@bousai-mail.example.jp は受け付ける差出人にありません。',
      from: 'alert@bousai-mail.example.jp',
    });
    expect((await h.mails.get(incoming.mailId))!.deliveryId).toBeUndefined();
    expectNothingStarted(h);

    // Staff accept the second system; the same mail (same Message-ID and content) arrives again.
    h.configure(BASE_SETTINGS);
    h.advance(1);
    const again = await h.receive(fixture('shift_jis-base64'));
    expect(again.outcome.decision).toBe('sent');
    expect(h.deliveries.deliveries.size).toBe(1);
  });

  it('only logs a mail no route takes when there is no default route', async () => {
    const h = intakeHarness({ ...BASE_SETTINGS, routes: [route('water', { subjectKeywords: ['給水'] })], defaultRoute: null });
    const { incoming, outcome } = await h.receive(fixture('iso-2022-jp-7bit'));
    expect(outcome.decision).toBe('no_route');
    expect((await h.mails.get(incoming.mailId))!).toMatchObject({
      decision: 'no_route',
      reason: 'どのルールにも一致せず、どのルールにも当たらないときの送信先もないため、記録のみです。',
      subject: FIXTURES[0]!.subject,
    });
    expectNothingStarted(h);
  });

  it('sends by the first route that matches, in order (routes 2 and 3 match: route 2)', async () => {
    const h = await withSegments({
      ...BASE_SETTINGS,
      routes: [
        route('water', { name: '給水', subjectKeywords: ['給水'] }),
        route('evac', { name: '避難指示は荒尾地区へ', subjectKeywords: ['避難指示'], target: { kind: 'segments', segmentIds: [SEGMENT_A] } }),
        route('manda', { name: '万田の本文', bodyKeywords: ['万田'], target: { kind: 'segments', segmentIds: [SEGMENT_B] } }),
      ],
    });
    const both = await h.receive(alertMail(EVACUATION_SUBJECT, EVACUATION_BODY));
    expect((await h.mails.get(both.incoming.mailId))!).toMatchObject({
      routeName: '避難指示は荒尾地区へ',
      reason: '2番目のルール「避難指示は荒尾地区へ」に一致',
      audienceLabel: '荒尾地区',
    });
    expect((await h.deliveries.get(both.incoming.mailId))!.audience).toEqual({ segmentId: SEGMENT_A, rule: japanese, label: '荒尾地区' });

    // Route 3 does match on its own.
    const third = await h.receive(alertMail('【荒尾市】がけ崩れ情報', '万田地区でがけ崩れが発生しました。', { messageId: 'alert-2@city.arao.example' }));
    expect((await h.mails.get(third.incoming.mailId))!).toMatchObject({ routeName: '万田の本文', reason: '3番目のルール「万田の本文」に一致' });
    expect((await h.deliveries.get(third.incoming.mailId))!.audience.segmentId).toBe(SEGMENT_B);
  });

  it('matches keywords after NFKC: full-width ＡＢＣ against ABC, half-width kana against full-width', async () => {
    const h = intakeHarness({
      ...BASE_SETTINGS,
      routes: [route('abc', { name: 'ABC地区', subjectKeywords: ['ABC'] }), route('kana', { name: 'アラオシ', bodyKeywords: ['アラオシ'] })],
      defaultRoute: null,
    });
    const wide = await h.receive(alertMail('【荒尾市】ＡＢＣ地区に避難指示', '避難してください。'));
    expect((await h.mails.get(wide.incoming.mailId))!.routeName).toBe('ABC地区');
    // The Shift_JIS fixture's body has ｱﾗｵｼ (half-width).
    const kana = await h.receive(fixture('shift_jis-base64'));
    expect((await h.mails.get(kana.incoming.mailId))!.routeName).toBe('アラオシ');
    expect([wide.outcome.decision, kana.outcome.decision]).toEqual(['sent', 'sent']);
  });

  it('sends a route to two segments as one delivery whose audience is any of both (each friend once)', async () => {
    const h = await withSegments({
      ...BASE_SETTINGS,
      defaultRoute: route('both', { name: '両地区', target: { kind: 'segments', segmentIds: [SEGMENT_A, SEGMENT_B] } }),
    });
    const { incoming, outcome } = await h.receive(fixture('iso-2022-jp-7bit'));
    expect(outcome.decision).toBe('sent');
    expect(h.deliveries.deliveries.size).toBe(1);
    expect((await h.deliveries.get(incoming.mailId))!.audience).toEqual({
      segmentId: null,
      rule: japanese,
      anyOf: [japanese, english],
      label: '荒尾地区 または 万田地区',
    });
    expect((await h.mails.get(incoming.mailId))!.audienceLabel).toBe('荒尾地区 または 万田地区');
  });

  it('sends to the segments that are left when one of a route’s segments was deleted', async () => {
    const h = await withSegments({ ...BASE_SETTINGS, defaultRoute: route('r', { target: { kind: 'segments', segmentIds: [GONE_1, SEGMENT_B] } }) });
    const { incoming, outcome } = await h.receive(fixture('iso-2022-jp-7bit'));
    expect(outcome.decision).toBe('sent');
    expect((await h.deliveries.get(incoming.mailId))!.audience).toEqual({ segmentId: SEGMENT_B, rule: english, label: '万田地区' });
  });

  it('holds, with the reason, a mail whose route’s segments were all deleted (a draft: never sent by itself)', async () => {
    const h = await withSegments({
      ...BASE_SETTINGS,
      routes: [route('gone', { name: '削除済み地区', target: { kind: 'segments', segmentIds: [GONE_1, GONE_2] } })],
    });
    const { incoming, outcome } = await h.receive(fixture('iso-2022-jp-7bit'));
    expect(outcome.decision).toBe('held');
    const record = (await h.mails.get(incoming.mailId))!;
    expect(record.reason).toBe('1番目のルール「削除済み地区」に一致。送信先のセグメントがすべて削除されているため保留しました。承認すると全員に送信します。');
    expect(record.audienceLabel).toBe('全員（ルールの送信先セグメントが削除されたため）');
    expect((await h.deliveries.get(incoming.mailId))!.status).toBe('draft');
    expect(h.mails.held.has(incoming.mailId)).toBe(true);
    expect(plans(h.planner.messages)).toEqual([]);
  });
});

describe('SES’s verdicts', () => {
  const CHECKS: [keyof MailAuthentication, string][] = [
    ['spf', 'SPF'],
    ['dkim', 'DKIM'],
    ['dmarc', 'DMARC'],
    ['virus', 'ウイルス検査'],
  ];

  it.each(CHECKS)(
    '%s FAIL: held as a draft (no release) with the failed check named, no key claimed; the genuine copy is no duplicate',
    async (check, label) => {
      // Even a route that would release a held mail by itself does not release an unauthenticated one.
      const h = intakeHarness({ ...BASE_SETTINGS, defaultRoute: route('default', { name: 'すべてのメール', mode: 'hold', releaseAfterMinutes: 10 }) });
      const pass: MailAuthentication = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', virus: 'PASS' };
      const forged = await h.receive(fixture('iso-2022-jp-7bit'), { authentication: { ...pass, [check]: 'FAIL' } });

      expect(forged.outcome.decision).toBe('held');
      const record = (await h.mails.get(forged.incoming.mailId))!;
      expect(record.reason).toBe(`どのルールにも当たらないときのルール「すべてのメール」。送信元の認証（${label}）を確認できないため保留しました。`);
      expect(record.authentication).toEqual({ ...pass, [check]: 'FAIL' });
      expect(record.hold).toEqual({});
      expect((await h.deliveries.get(forged.incoming.mailId))!.status).toBe('draft');
      expect(h.scheduler.schedules.size).toBe(0);
      expect(plans(h.planner.messages)).toEqual([]);
      expect(h.mails.keys.size).toBe(0);
      expect(h.mails.held.has(forged.incoming.mailId)).toBe(true);

      // The genuine mail (same Message-ID, same content) is not a duplicate of the forged copy.
      const genuine = await h.receive(fixture('iso-2022-jp-7bit'), { authentication: pass });
      expect(genuine.outcome.decision).toBe('held');
      expect((await h.mails.get(genuine.incoming.mailId))!.duplicateOf).toBeUndefined();
      expect((await h.deliveries.get(genuine.incoming.mailId))!.status).toBe('scheduled');
    },
  );

  it('names every failed check; an auto route sends the genuine copy', async () => {
    const h = intakeHarness();
    const forged = await h.receive(fixture('iso-2022-jp-7bit'), { authentication: { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL', virus: 'PASS' } });
    expect((await h.mails.get(forged.incoming.mailId))!.reason).toContain('送信元の認証（SPF・DKIM・DMARC）を確認できないため保留しました。');
    const genuine = await h.receive(fixture('iso-2022-jp-7bit'), { authentication: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', virus: 'PASS' } });
    expect(genuine.outcome.decision).toBe('sent');
    expect(plans(h.planner.messages)).toEqual([{ type: 'plan', deliveryId: genuine.incoming.mailId }]);
  });

  it('does not hold a mail for verdicts that are not failures (GRAY: no DKIM signature)', async () => {
    const h = intakeHarness();
    const { outcome } = await h.receive(fixture('iso-2022-jp-7bit'), { authentication: { spf: 'PASS', dkim: 'GRAY', dmarc: 'PASS', virus: 'PASS' } });
    expect(outcome.decision).toBe('sent');
  });

  it('holds a mail whose DMARC is not PASS (the From it was accepted on is unproven), unless staff turned that off', async () => {
    const auth = { spf: 'PASS', dkim: 'PASS', dmarc: 'GRAY', virus: 'PASS' } as const;
    const strict = intakeHarness();
    const held = await strict.receive(fixture('iso-2022-jp-7bit'), { authentication: auth });
    expect(held.outcome.decision).toBe('held');
    expect((await strict.mails.get(held.incoming.mailId))!.reason).toContain('送信元の認証（DMARC（GRAY））を確認できないため保留しました。');
    expect(strict.mails.keys.size).toBe(0);
    const lenient = intakeHarness({ ...BASE_SETTINGS, requireDmarcPass: false });
    expect((await lenient.receive(fixture('iso-2022-jp-7bit'), { authentication: auth })).outcome.decision).toBe('sent');
  });

  it('tells staff when a held unauthenticated copy is the same as an alert already sent (approving would send it twice)', async () => {
    const h = intakeHarness();
    const pass = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', virus: 'PASS' } as const;
    expect((await h.receive(fixture('iso-2022-jp-7bit'), { authentication: pass })).outcome.decision).toBe('sent');
    const copy = await h.receive(fixture('iso-2022-jp-7bit'), { authentication: { ...pass, spf: 'FAIL' } });
    expect(copy.outcome.decision).toBe('held');
    expect((await h.mails.get(copy.incoming.mailId))!.reason).toMatch(/に受信したメールと同じ Message-IDです。承認すると二重に届きます）$/);
  });
});

describe('held mail', () => {
  it('with a release time: a delivery scheduled at now + N minutes, its schedule, the held marker and the phrases kept', async () => {
    const h = intakeHarness({
      ...BASE_SETTINGS,
      routes: [route('evac', { name: '避難指示', subjectKeywords: ['避難指示'], mode: 'hold', releaseAfterMinutes: 15 })],
    });
    const { incoming, outcome } = await h.receive(fixture('iso-2022-jp-7bit'));
    const releaseAt = new Date(h.clock.now().getTime() + 15 * 60_000).toISOString();

    expect(outcome).toEqual({ mailId: incoming.mailId, decision: 'held', repeated: false });
    const d = (await h.deliveries.get(incoming.mailId))!;
    expect(d).toMatchObject({ status: 'scheduled', timing: { kind: 'at', at: releaseAt }, scheduleName: `delivery-${incoming.mailId}` });
    expect(d.queuedAt).toBeUndefined();
    expect(h.scheduler.schedules.get(`delivery-${incoming.mailId}`)).toEqual({
      at: new Date(releaseAt),
      message: { type: 'plan', deliveryId: incoming.mailId },
    });
    expect(plans(h.planner.messages)).toEqual([]);
    const record = (await h.mails.get(incoming.mailId))!;
    expect(record).toMatchObject({ decision: 'held', hold: { releaseAt }, deliveryId: incoming.mailId, phrases: DEFAULT_PHRASES.evacuation_order });
    expect(record.reason).toBe(`1番目のルール「避難指示」に一致（承認してから送信）。${jstDateTime(releaseAt)} までに承認されなければ自動で送信します。`);
    expect([...h.mails.held]).toEqual([incoming.mailId]);
  });

  it('without a release time: a draft waiting for staff, no schedule', async () => {
    const h = intakeHarness({ ...BASE_SETTINGS, defaultRoute: route('default', { name: '確認してから', mode: 'hold' }) });
    const { incoming, outcome } = await h.receive(fixture('iso-2022-jp-7bit'));
    expect(outcome.decision).toBe('held');
    expect((await h.deliveries.get(incoming.mailId))!).toMatchObject({ status: 'draft', timing: { kind: 'now' } });
    expect(h.scheduler.schedules.size).toBe(0);
    expect(plans(h.planner.messages)).toEqual([]);
    const record = (await h.mails.get(incoming.mailId))!;
    expect(record.hold).toEqual({});
    expect(record.reason).toBe('どのルールにも当たらないときのルール「確認してから」（承認してから送信）。職員の承認を待っています。');
    expect(h.mails.held.has(incoming.mailId)).toBe(true);
  });
});

describe('languages', () => {
  const EDITED_EN = 'Evacuation order from Arao City: leave dangerous places now. Japanese original below.';

  it('gives a recognised kind the phrase table’s sentence (as staff edited it) first in each other language, and the planner picks by the friend’s LINE language', async () => {
    const phrases = structuredClone(DEFAULT_PHRASES);
    phrases.evacuation_order.en = EDITED_EN;
    const h = intakeHarness({ ...BASE_SETTINGS, phrases });
    const { incoming } = await h.receive(fixture('iso-2022-jp-7bit'));
    const d = (await h.deliveries.get(incoming.mailId))!;

    expect(d.variants.map((v) => v.lang)).toEqual(['ja', 'en', 'ko', 'zh-Hans', 'zh-Hant']);
    const ja = textOf(d, 'ja')!;
    expect(ja.startsWith('【荒尾市】避難指示（警戒レベル４）の発令について\n\n荒尾市災害対策本部からのお知らせです。')).toBe(true);
    expect(textOf(d, 'en')).toBe(`${EDITED_EN}\n\n${ja}`);
    for (const lang of ['ko', 'zh-Hans', 'zh-Hant'] as const) expect(textOf(d, lang)).toBe(`${DEFAULT_PHRASES.evacuation_order[lang]}\n\n${ja}`);

    // The planner's choice (functions/deliveries/planner.ts uses pickVariant) per LINE app language.
    const picked = (language?: string) => pickVariant(d, language).lang;
    expect(picked('ja')).toBe('ja');
    expect(picked('en')).toBe('en');
    expect(picked('ko')).toBe('ko');
    expect(picked('zh-TW')).toBe('zh-Hant');
    expect(picked('zh-Hant')).toBe('zh-Hant');
    expect(picked('zh-CN')).toBe('zh-Hans');
    expect(picked('th')).toBe('ja');
    expect(picked(undefined)).toBe('ja');
  });

  it('sends an unrecognised kind in Japanese only: every friend gets the Japanese text', async () => {
    const h = intakeHarness();
    const { incoming } = await h.receive(fixture('alternative-iso-2022-jp'));
    const d = (await h.deliveries.get(incoming.mailId))!;
    expect(d.variants.map((v) => v.lang)).toEqual(['ja']);
    expect((await h.mails.get(incoming.mailId))!.kind).toBeNull();
    for (const language of ['en', 'ko', 'zh-TW', 'zh-CN', 'th']) expect(pickVariant(d, language).lang).toBe('ja');
  });

  it('leaves out a language whose phrase staff emptied (its friends get Japanese)', async () => {
    const phrases = structuredClone(DEFAULT_PHRASES);
    phrases.evacuation_order.ko = '  ';
    const h = intakeHarness({ ...BASE_SETTINGS, phrases });
    const { incoming } = await h.receive(fixture('iso-2022-jp-7bit'));
    const d = (await h.deliveries.get(incoming.mailId))!;
    expect(d.variants.map((v) => v.lang)).toEqual(['ja', 'en', 'zh-Hans', 'zh-Hant']);
    expect(pickVariant(d, 'ko').lang).toBe('ja');
  });
});

describe('duplicates', () => {
  const evacuation = (messageId: string) => alertMail(EVACUATION_SUBJECT, EVACUATION_BODY, { messageId });

  it('the same mail (same Message-ID) again: a duplicate of the first, nothing sent', async () => {
    const h = intakeHarness();
    const first = await h.receive(evacuation('a@city.arao.example'));
    h.advance(2);
    const second = await h.receive(evacuation('a@city.arao.example'));

    expect(second.outcome).toEqual({ mailId: second.incoming.mailId, decision: 'duplicate', repeated: false });
    const record = (await h.mails.get(second.incoming.mailId))!;
    expect(record.duplicateOf).toEqual({ mailId: first.incoming.mailId, receivedAt: first.incoming.receivedAt, by: 'messageId' });
    expect(record.reason).toBe(`${jstDateTime(first.incoming.receivedAt)} に受信したメールと同じ Message-IDのため、送信しませんでした。`);
    expect(record.content).toBeUndefined();
    expect(record.deliveryId).toBeUndefined();
    expect(h.deliveries.deliveries.size).toBe(1);
    expect(plans(h.planner.messages)).toHaveLength(1);
  });

  it('the same content with another Message-ID (another system) within the window: a duplicate by content', async () => {
    const h = intakeHarness();
    const first = await h.receive(evacuation('a@city.arao.example'));
    h.advance(59);
    const second = await h.receive(
      alertMail(EVACUATION_SUBJECT, EVACUATION_BODY, { messageId: 'b@bousai-mail.example.jp', from: 'alert@bousai-mail.example.jp' }),
    );
    expect(second.outcome.decision).toBe('duplicate');
    expect((await h.mails.get(second.incoming.mailId))!.duplicateOf).toEqual({
      mailId: first.incoming.mailId,
      receivedAt: first.incoming.receivedAt,
      by: 'content',
    });
    expect((await h.mails.get(second.incoming.mailId))!.reason).toContain('と同じ内容のため、送信しませんでした。');
    expect(h.deliveries.deliveries.size).toBe(1);
  });

  it('after the window the same content is sent again; the same Message-ID stays a duplicate for a day', async () => {
    const h = intakeHarness({ ...BASE_SETTINGS, duplicateWindowMinutes: 30 });
    const first = await h.receive(evacuation('a@city.arao.example'));
    h.advance(31);
    const resent = await h.receive(evacuation('b@city.arao.example'));
    expect(resent.outcome.decision).toBe('sent');
    const retried = await h.receive(evacuation('a@city.arao.example'));
    expect(retried.outcome.decision).toBe('duplicate');
    expect((await h.mails.get(retried.incoming.mailId))!.duplicateOf).toMatchObject({ mailId: first.incoming.mailId, by: 'messageId' });
    // A day (and the window) later even the same Message-ID goes out again.
    h.advance(24 * 60 + 1);
    expect((await h.receive(evacuation('a@city.arao.example'))).outcome.decision).toBe('sent');
    expect(h.deliveries.deliveries.size).toBe(3);
  });

  it('two copies processed at once: exactly one is sent, the other is its duplicate', async () => {
    const h = intakeHarness();
    const a = await h.arrive(evacuation('a@city.arao.example'));
    const b = await h.arrive(alertMail(EVACUATION_SUBJECT, EVACUATION_BODY, { messageId: 'b@bousai-mail.example.jp' }));
    const outcomes = await Promise.all([receiveMail(h.deps, a), receiveMail(h.deps, b)]);

    expect(outcomes.map((o) => o.decision).sort()).toEqual(['duplicate', 'sent']);
    const winner = outcomes.find((o) => o.decision === 'sent')!.mailId;
    const loser = outcomes.find((o) => o.decision === 'duplicate')!.mailId;
    expect((await h.mails.get(loser))!.duplicateOf).toMatchObject({ mailId: winner });
    expect([...h.deliveries.deliveries.keys()]).toEqual([winner]);
    expect(plans(h.planner.messages)).toEqual([{ type: 'plan', deliveryId: winner }]);
  });
});

describe('redelivery and crashes', () => {
  it('a redelivered message finds the recorded mail and does nothing again', async () => {
    const h = intakeHarness();
    const incoming = await h.arrive(fixture('iso-2022-jp-7bit'));
    expect(await receiveMail(h.deps, incoming)).toEqual({ mailId: incoming.mailId, decision: 'sent', repeated: false });
    const recorded = await h.mails.get(incoming.mailId);

    expect(await receiveMail(h.deps, incoming)).toEqual({ mailId: incoming.mailId, decision: 'sent', repeated: true });
    expect(h.deliveries.deliveries.size).toBe(1);
    expect(plans(h.planner.messages)).toHaveLength(1);
    expect(await h.mails.get(incoming.mailId)).toEqual(recorded);
  });

  it('a crash between the delivery and the record: the retry finishes with one delivery, planned once, and the record', async () => {
    const h = intakeHarness();
    const record = h.mails.record.bind(h.mails);
    let crash = true;
    h.mails.record = async (...args) => {
      if (crash) {
        crash = false;
        throw new Error('DynamoDB unavailable');
      }
      return record(...args);
    };
    const incoming = await h.arrive(fixture('iso-2022-jp-7bit'));

    await expect(receiveMail(h.deps, incoming)).rejects.toThrow('DynamoDB unavailable');
    expect(await h.mails.get(incoming.mailId)).toBeNull();
    expect((await h.deliveries.get(incoming.mailId))!.status).toBe('queued');
    // Its keys stay claimed: a copy arriving before the retry is its duplicate.
    const copy = await h.receive(alertMail(FIXTURES[0]!.subject, FIXTURES[0]!.body, { messageId: 'copy@bousai-mail.example.jp' }));
    expect(copy.outcome.decision).toBe('duplicate');

    const retry = await receiveMail(h.deps, incoming);
    expect(retry).toEqual({ mailId: incoming.mailId, decision: 'sent', repeated: false });
    expect([...h.deliveries.deliveries.keys()]).toEqual([incoming.mailId]);
    // The plan message may repeat (the planner refuses a second plan of the same delivery).
    expect(plans(h.planner.messages).length).toBeGreaterThanOrEqual(1);
    expect(new Set(plans(h.planner.messages).map((m) => JSON.stringify(m)))).toEqual(new Set([JSON.stringify({ type: 'plan', deliveryId: incoming.mailId })]));
    expect((await h.mails.get(incoming.mailId))!).toMatchObject({ decision: 'sent', deliveryId: incoming.mailId });

    // Every plan message reaches the planner: the first plans (each friend once, in their language), the others are refused.
    const friends = [friend(1), friend(2, { language: 'en' }), friend(3, { language: 'zh-TW' }), friend(4, { language: 'th' })];
    const planner: PlannerDeps = { deliveries: h.deliveries, audience: new MemoryAudience(friends), send: new MemoryJsonQueue<SendMessage>(), clock: h.clock };
    const outcomes = [];
    for (const m of h.planner.messages) if (m.type === 'plan') outcomes.push(await planDelivery(planner, m.deliveryId));
    expect(outcomes).toHaveLength(plans(h.planner.messages).length);
    expect(outcomes[0]).toMatchObject({ kind: 'planned', recipients: 4 });
    for (const o of outcomes.slice(1)) expect(o).toEqual({ kind: 'skipped', reason: 'planned' });
    const chunks = await h.deliveries.listChunks(incoming.mailId);
    const langOf = (userId: string) => chunks.find((c) => c.recipients.includes(userId))!.lang;
    expect(friends.map((f) => langOf(f.userId))).toEqual(['ja', 'en', 'zh-Hant', 'ja']);
    expect(chunks.flatMap((c) => c.recipients).sort()).toEqual(friends.map((f) => f.userId).sort());
  });

  it('a held mail’s retry keeps its one schedule and plans nothing', async () => {
    const h = intakeHarness({ ...BASE_SETTINGS, defaultRoute: route('default', { mode: 'hold', releaseAfterMinutes: 15 }) });
    const record = h.mails.record.bind(h.mails);
    let crash = true;
    h.mails.record = async (...args) => {
      if (crash) {
        crash = false;
        throw new Error('DynamoDB unavailable');
      }
      return record(...args);
    };
    const incoming = await h.arrive(fixture('iso-2022-jp-7bit'));
    await expect(receiveMail(h.deps, incoming)).rejects.toThrow();
    h.advance(1);
    expect((await receiveMail(h.deps, incoming)).decision).toBe('held');
    expect(h.scheduler.schedules.size).toBe(1);
    expect((await h.deliveries.get(incoming.mailId))!.status).toBe('scheduled');
    expect(plans(h.planner.messages)).toEqual([]);
    expect(h.mails.held.has(incoming.mailId)).toBe(true);
  });
});

describe('unreadable and missing mail', () => {
  it('a mail without From: unreadable with the reason, the raw mail kept, nothing sent', async () => {
    const h = intakeHarness();
    const raw = Buffer.from('Subject: test\r\n\r\nbody\r\n');
    const { incoming, outcome } = await h.receive(raw);
    expect(outcome).toEqual({ mailId: incoming.mailId, decision: 'unreadable', repeated: false });
    expect((await h.mails.get(incoming.mailId))!).toMatchObject({ decision: 'unreadable', reason: '差出人（From）がありません', bytes: raw.byteLength });
    expect(await h.blobs.get(incoming.storageKey)).toEqual(raw);
    expectNothingStarted(h);
  });

  it('a mail over 10 MB: unreadable with its size, the raw mail kept, nothing sent', async () => {
    const h = intakeHarness();
    const raw = Buffer.concat([fixture('utf-8-8bit'), Buffer.alloc(MAIL_MAX_BYTES, 0x41)]);
    const { incoming, outcome } = await h.receive(raw);
    expect(outcome.decision).toBe('unreadable');
    expect((await h.mails.get(incoming.mailId))!.reason).toBe('メールが大きすぎます（10.0 MB、上限 10 MB）');
    expect((await h.blobs.get(incoming.storageKey))!.byteLength).toBe(raw.byteLength);
    expectNothingStarted(h);
  });

  it('raw mail not (yet) in the store: RawMailMissingError for the queue to retry, nothing recorded', async () => {
    const h = intakeHarness();
    const incoming = await h.arrive(fixture('utf-8-8bit'));
    h.blobs.blobs.clear();
    await expect(receiveMail(h.deps, incoming)).rejects.toBeInstanceOf(RawMailMissingError);
    expect(h.mails.mails.size).toBe(0);
    expectNothingStarted(h);
  });
});

/*
 * SES's verdicts are checked before anything else that holds a mail: an unauthenticated copy never
 * claims keys, also on a route whose segments were deleted, so a forged copy can never suppress
 * the real alert.
 */
describe('a forged copy to a route whose segments were deleted', () => {
  it('claims no keys, so the genuine copy is held itself rather than logged as the forgery’s duplicate', async () => {
    const h = await withSegments({
      ...BASE_SETTINGS,
      defaultRoute: route('gone', { name: '削除済み地区', target: { kind: 'segments', segmentIds: [GONE_1] } }),
    });
    const forged = await h.receive(fixture('iso-2022-jp-7bit'), { authentication: { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL', virus: 'PASS' } });
    expect(forged.outcome.decision).toBe('held');
    // The forged copy holds no key.
    expect(h.mails.keys.size).toBe(0);

    const genuine = await h.receive(fixture('iso-2022-jp-7bit'), { authentication: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', virus: 'PASS' } });
    // Not a duplicate of the forged mail: staff see the genuine copy too.
    expect(genuine.outcome.decision).toBe('held');
    expect((await h.mails.get(genuine.incoming.mailId))!.duplicateOf).toBeUndefined();
  });
});
