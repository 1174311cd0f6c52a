import * as z from 'zod';
import type { ZodType } from 'zod';
import {
  countBody,
  deliveryBody,
  deliveryUpdateBody,
  estimateBody,
  historyQuery,
  isAllowedUrl,
  previewBody,
  recurrenceRule,
  recurringBody,
  recurringUpdateBody,
  rejectBody,
  segmentBody,
  segmentIdParam,
  segmentUpdateBody,
  sendBody,
  settingsBody,
  ulidParam,
} from '../../../functions/deliveries/schemas';

const japaneseErrors = z.locales.ja().localeError;
const ULID = '01JABCDEFGHJKMNPQRSTVWXYZ0';

function ok<T>(schema: ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input, { error: japaneseErrors });
  if (!r.success) throw new Error(`expected success: ${JSON.stringify(r.error.issues)}`);
  return r.data;
}
/** The messages of a failed parse (Japanese for staff). */
function errors(schema: ZodType, input: unknown): string[] {
  const r = schema.safeParse(input, { error: japaneseErrors });
  expect(r.success).toBe(false);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

const delivery = (over: Record<string, unknown> = {}) => ({
  title: ' 防災訓練のお知らせ ',
  category: '防災',
  variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: '{name}さん、訓練があります。' }] }],
  audience: { segmentId: 'everyone' },
  timing: { kind: 'now' },
  ...over,
});
const rule = (over: Record<string, unknown> = {}) => ({ freq: 'weekly', time: '08:00', start: '2026-04-01', byWeekday: ['MO'], ...over });

describe('segments', () => {
  it('accepts every kind of condition and trims the name', () => {
    const body = ok(segmentBody, {
      name: ' 荒尾の子育て世帯 ',
      rule: {
        match: 'all',
        conditions: [
          { kind: 'attribute', attribute: 'district', op: 'in', values: ['arao'] },
          { kind: 'attribute', attribute: 'categories', op: 'notIn', values: ['kosodate', 'bousai'] },
          { kind: 'answeredForm', formId: ULID, answered: true },
          { kind: 'followed', op: 'onOrAfter', date: '2026-04-01' },
          { kind: 'language', values: ['en', 'zh-Hant'] },
        ],
      },
    });
    expect(body.name).toBe('荒尾の子育て世帯');
    expect(body.rule.conditions).toHaveLength(5);
    expect(ok(segmentUpdateBody, { name: 'x', rule: { match: 'any', conditions: [] }, version: 3 }).version).toBe(3);
    expect(ok(countBody, { rule: { match: 'any', conditions: [] } }).rule).toEqual({ match: 'any', conditions: [] });
  });

  it('refuses unknown attributes, empty or duplicated values, bad dates, and no version on update', () => {
    const r = (c: unknown) => ({ name: 'x', rule: { match: 'all', conditions: [c] } });
    expect(errors(segmentBody, r({ kind: 'attribute', attribute: 'income', op: 'in', values: ['a'] }))).toContain('属性の指定に誤りがあります。');
    expect(errors(segmentBody, r({ kind: 'attribute', attribute: 'district', op: 'in', values: [] }))).toContain('選択肢を1つ以上選んでください。');
    expect(errors(segmentBody, r({ kind: 'attribute', attribute: 'district', op: 'in', values: ['a', 'a'] }))).toContain('選択肢が重複しています。');
    expect(errors(segmentBody, r({ kind: 'followed', op: 'before', date: '2026-02-30' }))).toContain('日付は yyyy-mm-dd 形式の正しい日付にしてください。');
    expect(errors(segmentBody, r({ kind: 'language', values: ['fr'] }))).toContain('言語の指定に誤りがあります。');
    expect(errors(segmentBody, r({ kind: 'age', values: [] }))).toContain('条件の種類に誤りがあります。');
    expect(errors(segmentBody, { name: '  ', rule: { match: 'all', conditions: [] } })).toContain('セグメント名を入力してください。');
    expect(errors(segmentUpdateBody, { name: 'x', rule: { match: 'all', conditions: [] } })).toContain('version を指定してください。');
  });

  it('segment ids: ULID or "everyone"', () => {
    expect(ok(segmentIdParam, 'everyone')).toBe('everyone');
    expect(ok(segmentIdParam, ULID)).toBe(ULID);
    expect(errors(segmentIdParam, '../etc')).toHaveLength(1);
    expect(errors(ulidParam, ULID.toLowerCase())).toEqual(['IDの形式に誤りがあります。']);
  });
});

describe('deliveries', () => {
  it('accepts a delivery and trims the title; timing "at" is stored as UTC ISO', () => {
    const body = ok(deliveryBody, delivery({ timing: { kind: 'at', at: '2026-04-01T09:00:00+09:00' } }));
    expect(body.title).toBe('防災訓練のお知らせ');
    expect(body.timing).toEqual({ kind: 'at', at: '2026-04-01T00:00:00.000Z' });
    expect(body.variants[0].bubbles[0]).toEqual({ type: 'text', text: '{name}さん、訓練があります。' });
  });

  it('accepts every bubble type and a rule as audience', () => {
    const body = ok(
      deliveryBody,
      delivery({
        variants: [
          {
            lang: 'ja',
            bubbles: [
              { type: 'image', mediaId: ULID },
              {
                type: 'card',
                template: 'event',
                title: '夏祭り',
                body: 'どうぞ',
                when: '8/1 18:00',
                where: '荒尾運動公園',
                mediaId: ULID,
                button: { label: '詳しく見る', url: 'https://www.city.arao.lg.jp/' },
              },
              { type: 'link', text: '詳細', label: '開く', url: 'http://localhost:3000/page' },
            ],
          },
          { lang: 'en', bubbles: [{ type: 'text', text: 'Hello' }] },
        ],
        audience: { rule: { match: 'all', conditions: [] }, label: '全員（手動）' },
      }),
    );
    expect(body.variants.map((v) => v.lang)).toEqual(['ja', 'en']);
    expect(body.audience).toEqual({ rule: { match: 'all', conditions: [] }, label: '全員（手動）' });
  });

  it('requires ja, unique languages and 1..5 bubbles', () => {
    expect(errors(deliveryBody, delivery({ variants: [{ lang: 'en', bubbles: [{ type: 'text', text: 'x' }] }] }))).toContain('日本語の配信内容は必須です。');
    const ja = { lang: 'ja', bubbles: [{ type: 'text', text: 'x' }] };
    expect(errors(deliveryBody, delivery({ variants: [ja, ja] }))).toContain('同じ言語の配信内容が重複しています。');
    expect(errors(deliveryBody, delivery({ variants: [{ lang: 'ja', bubbles: [] }] }))).toContain('吹き出しを1つ以上入れてください。');
    const six = Array.from({ length: 6 }, () => ({ type: 'text', text: 'x' }));
    expect(errors(deliveryBody, delivery({ variants: [{ lang: 'ja', bubbles: six }] }))).toContain('吹き出しは5個までです（LINEの上限）。');
  });

  it('refuses blank or too long texts, labels over 20 characters, unknown templates', () => {
    const one = (b: unknown) => delivery({ variants: [{ lang: 'ja', bubbles: [b] }] });
    expect(errors(deliveryBody, one({ type: 'text', text: '   ' }))).toContain('テキストを入力してください。');
    expect(errors(deliveryBody, one({ type: 'text', text: 'あ'.repeat(5001) }))).toContain('テキストは5,000文字以内にしてください。');
    expect(errors(deliveryBody, one({ type: 'link', text: 't', label: 'あ'.repeat(21), url: 'https://x.jp' }))).toContain(
      'ボタンの文言は20文字以内にしてください。',
    );
    expect(errors(deliveryBody, one({ type: 'card', template: 'party', title: 't', body: 'b' }))).toContain('カードの種類に誤りがあります。');
    expect(errors(deliveryBody, one({ type: 'video', url: 'https://x.jp' }))).toContain('吹き出しの種類に誤りがあります。');
    expect(errors(deliveryBody, one({ type: 'image', mediaId: '../../secret' }))).toContain('画像を選び直してください。');
  });

  it('URLs: https anywhere, http only for localhost / 127.0.0.1', () => {
    expect(isAllowedUrl('https://www.city.arao.lg.jp/a?b=c#d')).toBe(true);
    expect(isAllowedUrl('http://localhost:3000/x')).toBe(true);
    expect(isAllowedUrl('http://127.0.0.1/x')).toBe(true);
    expect(isAllowedUrl('http://www.city.arao.lg.jp/')).toBe(false);
    expect(isAllowedUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedUrl('https://user:pw@example.jp/')).toBe(false);
    expect(isAllowedUrl('https://exa mple.jp/')).toBe(false);
    expect(isAllowedUrl('not a url')).toBe(false);
    const link = (url: string) => delivery({ variants: [{ lang: 'ja', bubbles: [{ type: 'link', text: 't', label: 'l', url }] }] });
    expect(errors(deliveryBody, link('http://example.jp/'))).toContain('URLは https:// で始まる正しいURLにしてください。');
    expect(errors(deliveryBody, link(`https://example.jp/${'a'.repeat(1000)}`))).toContain('URLは1,000文字以内にしてください。');
  });

  it('timing "at" needs an offset; audience must be a segment or a rule', () => {
    expect(errors(deliveryBody, delivery({ timing: { kind: 'at', at: '2026-04-01T09:00:00' } }))).toContain(
      '配信日時はタイムゾーン付きのISO 8601形式で指定してください。',
    );
    expect(errors(deliveryBody, delivery({ timing: { kind: 'later' } }))).toContain('配信のタイミング（今すぐ／日時指定）を指定してください。');
    expect(errors(deliveryBody, delivery({ audience: {} }))).toContain('配信先（セグメントか条件）を指定してください。');
    expect(errors(deliveryBody, delivery({ title: '' }))).toContain('タイトルを入力してください。');
    expect(errors(deliveryBody, delivery({ title: 'あ'.repeat(101) }))).toContain('タイトルは100文字以内にしてください。');
  });

  it('update, reject, send, estimate and settings bodies', () => {
    expect(ok(deliveryUpdateBody, delivery({ version: 2 })).version).toBe(2);
    expect(errors(deliveryUpdateBody, delivery())).toContain('version を指定してください。');
    expect(ok(rejectBody, { reason: ' 表現を見直してください ' }).reason).toBe('表現を見直してください');
    expect(errors(rejectBody, { reason: '' })).toContain('差し戻しの理由を入力してください。');
    expect(ok(sendBody, {})).toEqual({});
    expect(ok(sendBody, { force: true })).toEqual({ force: true });
    const estimate = ok(estimateBody, { audience: { segmentId: 'everyone' }, variants: delivery().variants });
    expect(estimate).toMatchObject({ title: '', category: '' });
    expect(ok(settingsBody, { approvalRequired: true })).toEqual({ approvalRequired: true });
    expect(errors(settingsBody, { approvalRequired: 'yes' })).toContain('承認の要否を指定してください。');
  });
});

describe('recurrence rules', () => {
  it('fills defaults (interval 1, no exclusions)', () => {
    expect(ok(recurrenceRule, rule())).toEqual({
      freq: 'weekly',
      interval: 1,
      time: '08:00',
      start: '2026-04-01',
      byWeekday: ['MO'],
      excludeDates: [],
      excludeWeekdays: [],
      excludeHolidays: false,
    });
  });

  it('accepts the documented shapes', () => {
    expect(ok(recurrenceRule, rule({ freq: 'monthly', byWeekday: ['TU'], bySetPos: 2 })).bySetPos).toBe(2);
    expect(ok(recurrenceRule, rule({ freq: 'monthly', byWeekday: undefined, byMonthDay: [1, 15, -1] })).byMonthDay).toEqual([1, 15, -1]);
    expect(ok(recurrenceRule, rule({ freq: 'dates', byWeekday: undefined, dates: ['2026-04-10'] })).dates).toEqual(['2026-04-10']);
    expect(ok(recurrenceRule, rule({ end: '2026-04-01', interval: 12, excludeHolidays: true })).end).toBe('2026-04-01');
  });

  it.each<[Record<string, unknown>, string]>([
    [{ time: '8:00' }, '時刻は HH:mm 形式（00:00〜23:59）にしてください。'],
    [{ time: '24:00' }, '時刻は HH:mm 形式（00:00〜23:59）にしてください。'],
    [{ start: '2026-13-01' }, '日付は yyyy-mm-dd 形式の正しい日付にしてください。'],
    [{ end: '2026-03-31' }, '終了日は開始日以降にしてください。'],
    [{ interval: 0 }, '間隔は1〜12にしてください。'],
    [{ interval: 13 }, '間隔は1〜12にしてください。'],
    [{ freq: 'monthly', byWeekday: undefined, byMonthDay: [0] }, '日は1〜31か末日を指定してください。'],
    [{ freq: 'monthly', byWeekday: undefined, byMonthDay: [32] }, '日は1〜31か末日を指定してください。'],
    [{ freq: 'monthly', byWeekday: ['TU'], bySetPos: 5 }, '第何週は1〜4か最終を指定してください。'],
    [{ freq: 'monthly', byMonthDay: [1] }, '毎月の指定は「日付」か「第何曜日」のどちらか一方にしてください。'],
    [{ freq: 'weekly', bySetPos: 2 }, '第何週の指定は、毎月の曜日指定と一緒に使ってください。'],
    [{ freq: 'dates', byWeekday: undefined }, '配信する日を1日以上指定してください。'],
    [{ byWeekday: ['MO', 'MO'] }, '曜日が重複しています。'],
    [{ byWeekday: ['XX'] }, '曜日の指定に誤りがあります。'],
    [{ freq: 'hourly' }, 'くり返しの種類に誤りがあります。'],
    [{ dates: Array.from({ length: 367 }, () => '2026-04-01'), freq: 'dates', byWeekday: undefined }, '指定日は366日までです。'],
    [{ excludeDates: Array.from({ length: 367 }, () => '2026-04-01') }, '除外日は366日までです。'],
  ])('refuses %j', (over, message) => expect(errors(recurrenceRule, rule(over))).toContain(message));

  it('recurring bodies and preview', () => {
    const body = { ...delivery(), timing: undefined, rule: rule() };
    expect(ok(recurringBody, body).rule.freq).toBe('weekly');
    expect(ok(recurringUpdateBody, { ...body, version: 4 }).version).toBe(4);
    expect(ok(previewBody, { rule: rule() }).rule.time).toBe('08:00');
  });
});

describe('history query', () => {
  it('parses query-string values (comma list, numbers as text, blanks as absent)', () => {
    const q = ok(historyQuery, { from: '2026-04-01', to: '2026-04-30', q: ' 防災 ', status: 'sent,partly_failed,sent', category: '', limit: '20' });
    expect(q).toEqual({ from: '2026-04-01', to: '2026-04-30', q: '防災', status: ['sent', 'partly_failed'], limit: 20 });
    expect(ok(historyQuery, {})).toEqual({ limit: 50 });
    expect(ok(historyQuery, { recurringId: ULID }).recurringId).toBe(ULID);
  });

  it('refuses unknown statuses, limits over 100 and reversed periods', () => {
    expect(errors(historyQuery, { status: 'sent,lost' })).toContain('状態の指定に誤りがあります。');
    expect(errors(historyQuery, { limit: '101' })).toContain('件数は1〜100にしてください。');
    expect(errors(historyQuery, { limit: 'ten' }).length).toBeGreaterThan(0);
    expect(errors(historyQuery, { from: '2026-05-01', to: '2026-04-01' })).toContain('期間の開始日は終了日以前にしてください。');
    expect(errors(historyQuery, { from: '2026/05/01' })).toContain('日付は yyyy-mm-dd 形式の正しい日付にしてください。');
  });
});
