import { parse } from 'csv-parse/sync';
import { auditCsv, neutraliseFormula } from '../../../functions/audit/csv';
import type { AuditEntry } from '../../../functions/audit/audit';
import { adminHarness } from '../../support/admin-fakes';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: '01JDA7000000000000000000000',
  at: '2026-11-24T01:00:00.000Z',
  actor: 'boss',
  action: 'staff.updated',
  target: 'staff:clerk',
  summary: '職員アカウント変更',
  ip: '203.0.113.7',
  ...over,
});

describe('audit CSV', () => {
  it.each(['=1+1', '+81', '-2', '@SUM(A1)', '\tx', '\rx'])('neutralises a cell starting with %j', (value) => {
    expect(neutraliseFormula(value)).toBe(`'${value}`);
  });

  it('leaves ordinary cells alone', () => {
    expect(neutraliseFormula('荒尾市 職員')).toBe('荒尾市 職員');
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });

  it('is UTF-8 with a BOM, Japanese headers, JST times and formula-safe cells', () => {
    const csv = auditCsv([entry({ after: { displayName: '=HYPERLINK("http://evil")' }, summary: '@危険', target: 'staff:-x' })], {
      staff: { boss: '総務課 荒尾 花子' },
    });
    const buf = Buffer.from(csv, 'utf8');
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('日時（日本時間）,職員ID,職員名,操作,操作コード,対象,概要,IPアドレス,変更前,変更後,ID');
    expect(lines[1]).toContain(
      '2026-11-24 10:00:00,boss,総務課 荒尾 花子,職員アカウント変更,staff.updated,"職員アカウント =HYPERLINK(""http://evil"")（-x）",\'@危険,203.0.113.7',
    );
    // The picture cell starts with its field name, so the formula inside it stays text; quoted for its quotes.
    expect(lines[1]).toContain('"表示名: =HYPERLINK(""http://evil"")"');
  });

  it("has the screen's words: delivery details in plain Japanese, reserved times in Japan time, no JSON", () => {
    const rows = parse(
      auditCsv(
        [
          entry({
            action: 'delivery.scheduled',
            target: 'delivery:01KAAAAAAAAAAAAAAAAAAAAAAA',
            summary: '配信の予約（2026-12-07T01:00:00.000Z）',
            after: {
              title: '断水のお知らせ（有明地区）',
              status: 'draft',
              audience: '有明地区',
              timing: { kind: 'at', at: '2026-12-07T01:00:00.000Z' },
              languages: ['ja', 'en'],
            },
          }),
          entry({
            action: 'segment.created',
            target: 'segment:01KB',
            after: {
              name: '有明・平井',
              rule: { match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: ['ariake', 'hirai'] }] },
            },
          }),
          entry({ action: 'media.uploaded', target: 'media:01KC', after: { width: 1200, height: 800, bytes: 245_760 } }),
        ],
        {
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
          },
        },
      ).slice(1),
      { columns: true },
    ) as Record<string, string>[];
    expect(rows.map((r) => r['操作'])).toEqual(['配信の予約', 'セグメント作成', '画像のアップロード']);
    expect(rows[0]['対象']).toBe('配信「断水のお知らせ（有明地区）」');
    expect(rows[0]['概要']).toBe('配信の予約（2026/12/07 10:00）');
    expect(rows[0]['変更後']).toBe('タイトル: 断水のお知らせ（有明地区）\n状態: 下書き\n配信先: 有明地区\n送る日時: 2026/12/07 10:00\n言語: 日本語・英語');
    expect(rows[1]['変更後']).toBe('名前: 有明・平井\n条件: 地区が 有明・平井 のどれか');
    expect(rows[2]['変更後']).toBe('幅: 1200px\n高さ: 800px\nファイルの大きさ: 240KB');
    for (const r of rows) expect(`${r['変更前']}${r['変更後']}${r['概要']}`).not.toMatch(/[{}"]|\d{4}-\d{2}-\d{2}T/);
  });
});

describe('GET /audit and /audit.csv', () => {
  async function withEntries() {
    const h = adminHarness();
    await h.seed('boss', { role: 'admin' });
    for (let i = 0; i < 7; i++) {
      await h.deps.audit.append(
        entry({
          id: `01JDA70000000000000000000${i}`,
          at: `2026-11-0${i + 1}T03:00:00.000Z`,
          actor: i % 2 ? 'sato' : 'boss',
          summary: i === 3 ? '=cmd|calc' : '職員アカウント変更',
        }),
      );
    }
    const { token } = await h.signIn('boss');
    return { h, token };
  }

  it('searches by JST dates, actor and action, newest first, with cursor paging', async () => {
    const { h, token } = await withEntries();
    const first = await h.call({ path: '/audit', token, query: { from: '2026-11-02', to: '2026-11-06', limit: '2', action: 'staff.updated' } });
    expect(first.statusCode).toBe(200);
    expect(first.json.items.map((e: AuditEntry) => e.at)).toEqual(['2026-11-06T03:00:00.000Z', '2026-11-05T03:00:00.000Z']);
    const second = await h.call({
      path: '/audit',
      token,
      query: { from: '2026-11-02', to: '2026-11-06', limit: '2', action: 'staff.updated', cursor: first.json.nextCursor },
    });
    expect(second.json.items.map((e: AuditEntry) => e.at)).toEqual(['2026-11-04T03:00:00.000Z', '2026-11-03T03:00:00.000Z']);
    const byActor = await h.call({ path: '/audit', token, query: { from: '2026-11-01', to: '2026-11-30', actor: 'sato' } });
    expect(byActor.json.items).toHaveLength(3);
  });

  it('answers the display names of the people on the page (and only theirs), to name them on the screen', async () => {
    const { h, token } = await withEntries();
    await h.seed('other', { displayName: '載っていない 職員' });
    const res = await h.call({ path: '/audit', token, query: { from: '2026-11-01', to: '2026-11-30', actor: 'boss' } });
    expect(res.statusCode).toBe(200);
    expect(res.json.names.staff).toEqual({ boss: '職員 boss' });
  });

  it('refuses bad filters with 400 and Japanese messages', async () => {
    const { h, token } = await withEntries();
    for (const query of [
      { from: '2026-11-30', to: '2026-11-01' },
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2025-01-01', to: '2026-11-01' },
      { from: '2026-11-01', to: '2026-11-02', action: 'drop' },
      { to: '2026-11-01' },
      { from: '2026-11-01', to: '2026-11-02', limit: '0' },
    ]) {
      const res = await h.call({ path: '/audit', token, query: query as unknown as Record<string, string> });
      expect(res.statusCode).toBe(400);
      expect(res.json.error.message).toMatch(/[ぁ-んァ-ン一-龯]/);
    }
  });

  it('exports CSV with a BOM and an attachment name', async () => {
    const { h, token } = await withEntries();
    const res = await h.call({ path: '/audit.csv', token, query: { from: '2026-11-01', to: '2026-11-30', actor: 'sato' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers?.['content-disposition']).toBe('attachment; filename="audit-2026-11-01_2026-11-30.csv"');
    const body = res.body as string;
    expect(body.startsWith('\uFEFF日時')).toBe(true);
    expect(body.split('\r\n').filter(Boolean)).toHaveLength(1 + 3);
    expect(body).toContain(",'=cmd|calc,");
  });
});

describe('GET /dashboard', () => {
  it('totals Σadded − Σblocked and lists 30 Tokyo days, zero-filled', async () => {
    const h = adminHarness();
    await h.seed('clerk');
    h.deps.friendStats.days = [
      { date: '2026-01-05', added: 100, blocked: 10 },
      { date: '2026-11-20', added: 5, blocked: 1 },
      { date: '2026-11-24', added: 3, blocked: 0 },
    ];
    h.clock.current = new Date('2026-11-24T16:00:00Z'); // already 25 Nov in Tokyo
    const { token } = await h.signIn('clerk');
    const res = await h.call({ path: '/dashboard', token });
    expect(res.statusCode).toBe(200);
    expect(res.json.friends.total).toBe(97);
    const series = res.json.friends.series;
    expect(series).toHaveLength(30);
    expect(series[0].date).toBe('2026-10-27');
    expect(series[29]).toEqual({ date: '2026-11-25', added: 0, blocked: 0 });
    expect(series[28]).toEqual({ date: '2026-11-24', added: 3, blocked: 0 });
    expect(res.json).toMatchObject({ deliveries: null, reports: null, reservations: null });
  });
});
