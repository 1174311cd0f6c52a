import { EVERYONE, describeRule, formIdsOf, matches, type RuleLabels } from '../../../functions/deliveries/segment';
import type { AudienceFriend, SegmentRule } from '../../../functions/deliveries/model';

const friend = (over: Partial<AudienceFriend> = {}): AudienceFriend => ({
  userId: 'U1',
  displayName: '荒尾 太郎',
  status: 'active',
  followedAtMs: Date.parse('2026-04-01T03:00:00.000Z'),
  language: 'ja',
  attributes: { district: 'arao', ageBand: '30s', categories: ['bousai', 'kosodate'] },
  ...over,
});
const none = new Map<string, Set<string>>();

describe('matches', () => {
  it('"everyone" matches every active friend, never a blocked one', () => {
    expect(matches(EVERYONE.rule, friend(), none)).toBe(true);
    expect(matches(EVERYONE.rule, friend({ attributes: undefined, language: undefined }), none)).toBe(true);
    expect(matches(EVERYONE.rule, friend({ status: 'blocked' }), none)).toBe(false);
  });

  it('a rule without conditions is everyone, with "any" as with "all"', () => {
    expect(matches({ match: 'any', conditions: [] }, friend(), none)).toBe(true);
    expect(matches({ match: 'all', conditions: [] }, friend(), none)).toBe(true);
    expect(matches({ match: 'any', conditions: [] }, friend({ status: 'blocked' }), none)).toBe(false);
  });

  it('"any" matches when one condition holds, "all" only when every one does', () => {
    const district = { kind: 'attribute' as const, attribute: 'district' as const, op: 'in' as const, values: ['arao'] };
    const english = { kind: 'language' as const, values: ['en' as const] };
    expect(matches({ match: 'any', conditions: [english, district] }, friend(), none)).toBe(true);
    expect(matches({ match: 'all', conditions: [english, district] }, friend(), none)).toBe(false);
    expect(matches({ match: 'any', conditions: [english] }, friend(), none)).toBe(false);
    expect(matches({ match: 'all', conditions: [district] }, friend(), none)).toBe(true);
  });

  it('a blocked friend does not match even a rule he satisfies', () => {
    const rule: SegmentRule = { match: 'any', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: ['arao'] }] };
    expect(matches(rule, friend(), none)).toBe(true);
    expect(matches(rule, friend({ status: 'blocked' }), none)).toBe(false);
  });

  it('single-valued attribute: in / notIn', () => {
    const inRule: SegmentRule = { match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: ['arao', 'midorigaoka'] }] };
    const notIn: SegmentRule = { match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'notIn', values: ['arao'] }] };
    expect(matches(inRule, friend(), none)).toBe(true);
    expect(matches(inRule, friend({ attributes: { district: 'yotsuyama' } }), none)).toBe(false);
    expect(matches(notIn, friend(), none)).toBe(false);
    expect(matches(notIn, friend({ attributes: { district: 'yotsuyama' } }), none)).toBe(true);
  });

  it('categories (multi-valued): in when any wanted category is listed; notIn when none is', () => {
    const inRule: SegmentRule = { match: 'all', conditions: [{ kind: 'attribute', attribute: 'categories', op: 'in', values: ['kosodate', 'kanko'] }] };
    const notIn: SegmentRule = { match: 'all', conditions: [{ kind: 'attribute', attribute: 'categories', op: 'notIn', values: ['kosodate'] }] };
    expect(matches(inRule, friend(), none)).toBe(true);
    expect(matches(inRule, friend({ attributes: { categories: ['bousai'] } }), none)).toBe(false);
    expect(matches(inRule, friend({ attributes: { categories: [] } }), none)).toBe(false);
    expect(matches(notIn, friend(), none)).toBe(false);
    expect(matches(notIn, friend({ attributes: { categories: ['bousai', 'kanko'] } }), none)).toBe(true);
  });

  it('a friend without the attribute matches notIn and not in', () => {
    const inRule: SegmentRule = { match: 'all', conditions: [{ kind: 'attribute', attribute: 'gender', op: 'in', values: ['female'] }] };
    const notIn: SegmentRule = { match: 'all', conditions: [{ kind: 'attribute', attribute: 'gender', op: 'notIn', values: ['female'] }] };
    expect(matches(inRule, friend(), none)).toBe(false);
    expect(matches(notIn, friend(), none)).toBe(true);
    expect(matches(notIn, friend({ attributes: undefined }), none)).toBe(true);
  });

  it('answeredForm: answered / not answered (a form nobody answered counts as not answered)', () => {
    const answered = new Map([['F1', new Set(['U1', 'U9'])]]);
    const yes: SegmentRule = { match: 'all', conditions: [{ kind: 'answeredForm', formId: 'F1', answered: true }] };
    const no: SegmentRule = { match: 'all', conditions: [{ kind: 'answeredForm', formId: 'F1', answered: false }] };
    expect(matches(yes, friend(), answered)).toBe(true);
    expect(matches(yes, friend({ userId: 'U2' }), answered)).toBe(false);
    expect(matches(no, friend({ userId: 'U2' }), answered)).toBe(true);
    expect(matches(no, friend(), answered)).toBe(false);
    expect(matches(no, friend(), none)).toBe(true);
  });

  it('followed compares with 00:00 Asia/Tokyo of the date', () => {
    const before: SegmentRule = { match: 'all', conditions: [{ kind: 'followed', op: 'before', date: '2026-04-01' }] };
    const onOrAfter: SegmentRule = { match: 'all', conditions: [{ kind: 'followed', op: 'onOrAfter', date: '2026-04-01' }] };
    // 2026-03-31T15:00Z is exactly 2026-04-01 00:00 JST.
    const atMidnight = friend({ followedAtMs: Date.parse('2026-03-31T15:00:00.000Z') });
    const justBefore = friend({ followedAtMs: Date.parse('2026-03-31T14:59:59.999Z') });
    expect(matches(onOrAfter, atMidnight, none)).toBe(true);
    expect(matches(before, atMidnight, none)).toBe(false);
    expect(matches(before, justBefore, none)).toBe(true);
    expect(matches(onOrAfter, justBefore, none)).toBe(false);
    // An unknown first follow matches neither side.
    expect(matches(before, friend({ followedAtMs: NaN }), none)).toBe(false);
    expect(matches(onOrAfter, friend({ followedAtMs: NaN }), none)).toBe(false);
  });

  it('language maps LINE languages to the five supported ones (others are ja)', () => {
    const en: SegmentRule = { match: 'all', conditions: [{ kind: 'language', values: ['en'] }] };
    const ja: SegmentRule = { match: 'all', conditions: [{ kind: 'language', values: ['ja'] }] };
    const hant: SegmentRule = { match: 'all', conditions: [{ kind: 'language', values: ['zh-Hant'] }] };
    expect(matches(en, friend({ language: 'en-US' }), none)).toBe(true);
    expect(matches(ja, friend({ language: 'th' }), none)).toBe(true);
    expect(matches(ja, friend({ language: undefined }), none)).toBe(true);
    expect(matches(hant, friend({ language: 'zh-TW' }), none)).toBe(true);
    expect(matches(en, friend({ language: 'ja' }), none)).toBe(false);
  });

  it('all = every condition, any = at least one', () => {
    const conditions: SegmentRule['conditions'] = [
      { kind: 'attribute', attribute: 'district', op: 'in', values: ['arao'] },
      { kind: 'attribute', attribute: 'ageBand', op: 'in', values: ['40s'] },
    ];
    expect(matches({ match: 'all', conditions }, friend(), none)).toBe(false);
    expect(matches({ match: 'any', conditions }, friend(), none)).toBe(true);
    expect(matches({ match: 'any', conditions }, friend({ attributes: { district: 'x', ageBand: 'y' } }), none)).toBe(false);
    expect(matches({ match: 'all', conditions }, friend({ attributes: { district: 'arao', ageBand: '40s' } }), none)).toBe(true);
  });
});

describe('formIdsOf', () => {
  it('lists each answeredForm form once, in order', () => {
    const rule: SegmentRule = {
      match: 'any',
      conditions: [
        { kind: 'answeredForm', formId: 'F2', answered: true },
        { kind: 'language', values: ['en'] },
        { kind: 'answeredForm', formId: 'F1', answered: false },
        { kind: 'answeredForm', formId: 'F2', answered: false },
      ],
    };
    expect(formIdsOf(rule)).toEqual(['F2', 'F1']);
    expect(formIdsOf(EVERYONE.rule)).toEqual([]);
  });
});

describe('EVERYONE and describeRule', () => {
  it('is the built-in "全員" with no conditions', () => {
    expect(EVERYONE.segmentId).toBe('everyone');
    expect(EVERYONE.name).toBe('全員');
    expect(EVERYONE.rule).toEqual({ match: 'all', conditions: [] });
    expect(describeRule({ match: 'any', conditions: [] })).toBe('全員');
  });

  const labels: RuleLabels = {
    attributes: {
      district: {
        label: '居住地区',
        choices: [
          { choiceId: 'arao', label: '荒尾' },
          { choiceId: 'midori', label: '緑ケ丘' },
        ],
      },
      ageBand: { label: '年代', choices: [{ choiceId: '30s', label: '30代' }] },
    },
    forms: [{ formId: 'F1', title: '子育てアンケート' }],
  };

  it('uses attribute, choice and form names and joins with かつ / または', () => {
    const rule: SegmentRule = {
      match: 'all',
      conditions: [
        { kind: 'attribute', attribute: 'district', op: 'in', values: ['arao', 'midori'] },
        { kind: 'attribute', attribute: 'ageBand', op: 'in', values: ['30s'] },
      ],
    };
    expect(describeRule(rule, labels)).toBe('居住地区: 荒尾・緑ケ丘 かつ 年代: 30代');
    expect(describeRule({ ...rule, match: 'any' }, labels)).toBe('居住地区: 荒尾・緑ケ丘 または 年代: 30代');
  });

  it('describes every kind of condition, falling back to ids without labels', () => {
    const rule: SegmentRule = {
      match: 'all',
      conditions: [
        { kind: 'attribute', attribute: 'gender', op: 'notIn', values: ['male'] },
        { kind: 'answeredForm', formId: 'F1', answered: true },
        { kind: 'answeredForm', formId: 'F9', answered: false },
        { kind: 'followed', op: 'onOrAfter', date: '2026-04-01' },
        { kind: 'followed', op: 'before', date: '2025-01-01' },
        { kind: 'language', values: ['en', 'zh-Hans'] },
      ],
    };
    expect(describeRule(rule, labels)).toBe(
      '性別: male 以外 かつ 「子育てアンケート」に回答済み かつ 「F9」に未回答 かつ 友だち追加: 2026/04/01以降 かつ 友だち追加: 2025/01/01より前 かつ 言語: 英語・中国語（簡体字）',
    );
  });

  it('keeps a long label within 200 characters', () => {
    const values = Array.from({ length: 80 }, (_, i) => `choice${i}`);
    const label = describeRule({ match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values }] });
    expect(label.length).toBe(200);
    expect(label.endsWith('…')).toBe(true);
  });
});
