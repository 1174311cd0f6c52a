/**
 * The audit log in plain Japanese (functions/audit/labels.ts): one table of action names for the
 * API, the console's list and filter and the CSV; details without codes, braces or UTC times.
 */
import {
  AUDIT_ACTIONS,
  AUDIT_ACTION_GROUPS,
  auditActionLabel,
  auditActorText,
  auditChanges,
  auditPictureText,
  auditSummaryText,
  auditTargetText,
  type AuditNames,
} from '../../../functions/audit/labels';

/** The profile form's names, as GET /api/admin/attributes answers them. */
const names: AuditNames = {
  staff: { sato: '佐藤 花子', tanaka: '田中 一郎' },
  rule: {
    attributes: {
      district: {
        label: '地区',
        choices: [
          { choiceId: 'ariake', label: '有明' },
          { choiceId: 'hirai', label: '平井' },
        ],
      },
    },
    forms: [{ formId: 'f1', title: '防災アンケート' }],
  },
};

/** What a person must never see: action codes, JSON, UTC timestamps, field codes. */
function expectPlain(text: string) {
  expect(text).not.toMatch(/[{}[\]"]/);
  expect(text).not.toMatch(/\b[a-z_]+\.[a-z_]+\b/);
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(text).not.toMatch(/\b(kind|values|match|conditions|timing|approvalRequired|permissions)\b/);
}

describe('action names', () => {
  it('names every action, including deliveries, segments, recurring deliveries and images', () => {
    expect(auditActionLabel('delivery.sent')).toBe('配信の送信');
    expect(auditActionLabel('segment.created')).toBe('セグメント作成');
    expect(auditActionLabel('media.uploaded')).toBe('画像のアップロード');
    expect(auditActionLabel('recurring.paused')).toBe('くり返し配信の一時停止');
    expect(auditActionLabel('toString')).toBe('その他の操作');
  });

  it('offers every action in the filter, grouped, each once', () => {
    const offered = AUDIT_ACTION_GROUPS.flatMap((g) => g.actions.map((a) => a.code));
    expect([...offered].sort()).toEqual(Object.keys(AUDIT_ACTIONS).sort());
    expect(AUDIT_ACTION_GROUPS.map((g) => g.label)).toEqual([
      'サインイン・職員アカウント',
      'フォーム',
      'セグメント',
      '配信',
      'くり返し配信',
      '防災メール連携',
      'キーワード応答',
      'リッチメニュー',
      'シナリオ',
      '1:1チャット',
      '市民通報',
    ]);
    expect(AUDIT_ACTION_GROUPS.find((g) => g.label === '1:1チャット')!.actions.map((a) => a.code)).toEqual([
      'chat.replied',
      'chat.assigned',
      'chat.closed',
      'chat.reopened',
      'chat_settings.updated',
      'chat_canned.updated',
    ]);
    expect(AUDIT_ACTION_GROUPS.find((g) => g.label === '配信')!.actions.map((a) => a.label)).toEqual(
      expect.arrayContaining(['配信の送信', '配信の予約', '画像のアップロード', '配信履歴のCSV出力', '配信設定の変更']),
    );
  });
});

describe('details in plain Japanese', () => {
  it('a delivery sent now and one reserved: timing, status, audience and languages in words, Japan time', () => {
    const now = auditChanges(
      {
        action: 'delivery.sent',
        actor: 'sato',
        after: { title: '市民祭り', category: 'イベント', status: 'draft', audience: '全員', timing: { kind: 'now' }, languages: ['ja', 'en'] },
      },
      names,
    );
    expect(now).toEqual([
      { label: 'タイトル', after: '市民祭り' },
      { label: 'カテゴリ', after: 'イベント' },
      { label: '状態', after: '下書き' },
      { label: '配信先', after: '全員' },
      { label: '送る日時', after: 'すぐに送信' },
      { label: '言語', after: '日本語・英語' },
    ]);
    const reserved = auditChanges(
      { action: 'delivery.scheduled', actor: 'sato', after: { title: '断水', timing: { kind: 'at', at: '2026-12-07T01:00:00.000Z' } } },
      names,
    );
    expect(reserved).toContainEqual({ label: '送る日時', after: '2026/12/07 10:00' });
  });

  it('a change shows only what changed, before → after', () => {
    const lines = auditChanges(
      {
        action: 'delivery.updated',
        actor: 'sato',
        before: { title: '市民祭り', status: 'scheduled', timing: { kind: 'at', at: '2026-12-07T01:00:00.000Z' } },
        after: { title: '市民祭り', status: 'scheduled', timing: { kind: 'at', at: '2026-12-08T00:30:00.000Z' } },
      },
      names,
    );
    expect(lines).toEqual([{ label: '送る日時', before: '2026/12/07 10:00', after: '2026/12/08 09:30' }]);
  });

  it("segment conditions read with the profile form's names (地区が 有明・平井), with the ids when no name is known", () => {
    const entry = {
      action: 'segment.created',
      actor: 'sato',
      after: {
        name: '有明・平井の方',
        rule: {
          match: 'all',
          conditions: [
            { kind: 'attribute', attribute: 'district', op: 'in', values: ['ariake', 'hirai'] },
            { kind: 'answeredForm', formId: 'f1', answered: false },
          ],
        },
      },
    };
    const [name, rule] = auditChanges(entry, names);
    expect(name).toEqual({ label: '名前', after: '有明・平井の方' });
    expect(rule.label).toBe('条件');
    expect(rule.after).toBe('次のすべて: 地区が 有明・平井 のどれか、かつ 「防災アンケート」にまだ回答していない');
    expect(auditChanges(entry, {})[1].after).toContain('居住地区が ariake・hirai のどれか');
    expectPlain(rule.after!);
  });

  it('staff accounts: roles, functions, account state and lock times in words', () => {
    const lines = auditChanges(
      {
        action: 'staff.updated',
        actor: 'sato',
        before: { displayName: '田中', role: 'general', permissions: ['deliveries'], disabled: false },
        after: { displayName: '田中 一郎', role: 'admin', permissions: ['deliveries', 'audit'], disabled: true },
      },
      names,
    );
    expect(lines).toEqual([
      { label: '表示名', before: '田中', after: '田中 一郎' },
      { label: '権限', before: '一般', after: '管理者' },
      { label: '使える機能', before: '配信', after: '配信、操作履歴' },
      { label: 'アカウントの状態', before: '有効', after: '無効' },
    ]);
    expect(auditChanges({ action: 'auth.locked', actor: 'x', after: { lockedUntil: '2026-11-24T01:15:00.000Z' } })).toEqual([
      { label: 'ロック解除の予定', after: '2026/11/24 10:15' },
    ]);
    expect(auditChanges({ action: 'staff.password_reset', actor: 'x', before: { locked: true }, after: { locked: false, mustChangePassword: true } })).toEqual([
      { label: 'ロック', before: 'ロック中', after: 'ロックなし' },
      { label: '次のサインインでのパスワード変更', before: 'なし', after: '必要' },
    ]);
  });

  it('images, settings, exports, recurring deliveries and forms: no codes, no braces', () => {
    const cases = [
      { action: 'media.uploaded', actor: 'sato', after: { width: 1200, height: 800, bytes: 245_760 } },
      { action: 'delivery_settings.updated', actor: 'sato', before: { approvalRequired: false }, after: { approvalRequired: true } },
      { action: 'deliveries.exported', actor: 'sato', after: { from: '2026-11-01', to: '2026-11-30', status: ['sent', 'partly_failed'] } },
      {
        action: 'recurring.created',
        actor: 'sato',
        after: {
          title: 'ごみ収集',
          status: 'active',
          audience: '全員',
          rule: {
            freq: 'weekly',
            interval: 1,
            byWeekday: ['MO'],
            time: '07:00',
            start: '2026-12-07',
            excludeDates: [],
            excludeWeekdays: [],
            excludeHolidays: true,
          },
        },
      },
      { action: 'form.unpublished', actor: 'sato', before: { status: 'published' }, after: { status: 'unpublished' } },
    ];
    const text = cases
      .map((e) =>
        auditChanges(e, names)
          .map((l) => `${l.label}: ${l.before ?? ''} ${l.after ?? ''}`)
          .join('\n'),
      )
      .join('\n');
    expect(text).toContain('幅:  1200px');
    expect(text).toContain('ファイルの大きさ:  240KB');
    expect(text).toContain('配信に管理者の承認: 不要 必要');
    expect(text).toContain('期間（開始日）:  2026/11/01');
    expect(text).toContain('状態:  送信済み・一部失敗');
    expect(text).toContain('くり返し:  毎週月曜日 7:00（祝日を除く）');
    expect(text).toContain('公開の状態: 公開中 非公開');
    expectPlain(text);
  });

  it('the CSV cell holds the whole picture, one field a line, in the same words', () => {
    const entry = {
      action: 'delivery.scheduled',
      actor: 'sato',
      after: { title: '断水のお知らせ', audience: '有明地区', timing: { kind: 'at', at: '2026-12-07T01:00:00.000Z' } },
    };
    expect(auditPictureText(entry, 'after', names)).toBe('タイトル: 断水のお知らせ\n配信先: 有明地区\n送る日時: 2026/12/07 10:00');
    expect(auditPictureText(entry, 'before', names)).toBe('');
  });
});

describe('who, what and the summary', () => {
  it('names people and things, not codes', () => {
    expect(auditActorText('sato', names)).toBe('佐藤 花子（sato）');
    expect(auditActorText('system', names)).toBe('システム');
    expect(auditActorText('-', names)).toBe('（不明）');
    expect(auditTargetText({ action: 'staff.updated', actor: 'sato', target: 'staff:tanaka' }, names)).toBe('職員アカウント 田中 一郎（tanaka）');
    expect(auditTargetText({ action: 'auth.login_failed', actor: '-', target: 'staff:(未登録のID)' }, names)).toBe('職員アカウント（未登録のID）');
    expect(
      auditTargetText({ action: 'delivery.sent', actor: 'sato', target: 'delivery:01KAAAAAAAAAAAAAAAAAAAAAAA', after: { title: '市民祭り' } }, names),
    ).toBe('配信「市民祭り」');
    expect(auditTargetText({ action: 'delivery.rejected', actor: 'sato', target: 'delivery:01KAAAAAAAAAAAAAAAAAAAAAAA' }, names)).toBe(
      '配信（ID 01KAAAAAAAAAAAAAAAAAAAAAAA）',
    );
    expect(auditTargetText({ action: 'segment.created', actor: 'sato', target: 'segment:01K', after: { name: '高齢者' } }, names)).toBe('セグメント「高齢者」');
    expect(auditTargetText({ action: 'media.uploaded', actor: 'sato', target: 'media:01K' }, names)).toBe('画像');
    expect(auditTargetText({ action: 'delivery_settings.updated', actor: 'sato', target: 'settings:deliveries' }, names)).toBe('配信の設定');
    expect(auditTargetText({ action: 'deliveries.exported', actor: 'sato', target: 'deliveries' }, names)).toBe('配信履歴');
  });

  it('a stored summary with a UTC time reads in Japan time; no summary reads as the action', () => {
    expect(auditSummaryText({ action: 'delivery.scheduled', actor: 'sato', summary: '配信の予約（2026-12-07T01:00:00.000Z）' })).toBe(
      '配信の予約（2026/12/07 10:00）',
    );
    expect(auditSummaryText({ action: 'delivery.sent', actor: 'sato' })).toBe('配信の送信');
  });
});
