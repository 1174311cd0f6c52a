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
    const csv = auditCsv([entry({ after: { displayName: '=HYPERLINK("http://evil")' }, summary: '@危険', target: 'staff:-x' })]);
    const buf = Buffer.from(csv, 'utf8');
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('日時（日本時間）,職員ID,操作,操作コード,対象,概要,IPアドレス,変更前,変更後,ID');
    expect(lines[1]).toContain('2026-11-24 10:00:00,boss,職員アカウント変更,staff.updated,staff:-x,\'@危険,203.0.113.7');
    // The JSON cell does not start with '=' but is quoted because it holds quotes and commas.
    expect(lines[1]).toContain('"{""displayName"":""=HYPERLINK(\\""http://evil\\"")""}"');
  });
});

describe('GET /audit and /audit.csv', () => {
  async function withEntries() {
    const h = adminHarness();
    await h.seed('boss', { role: 'admin' });
    for (let i = 0; i < 7; i++) {
      await h.deps.audit.append(entry({ id: `01JDA70000000000000000000${i}`, at: `2026-11-0${i + 1}T03:00:00.000Z`, actor: i % 2 ? 'sato' : 'boss', summary: i === 3 ? '=cmd|calc' : '職員アカウント変更' }));
    }
    const { token } = await h.signIn('boss');
    return { h, token };
  }

  it('searches by JST dates, actor and action, newest first, with cursor paging', async () => {
    const { h, token } = await withEntries();
    const first = await h.call({ path: '/audit', token, query: { from: '2026-11-02', to: '2026-11-06', limit: '2', action: 'staff.updated' } });
    expect(first.statusCode).toBe(200);
    expect(first.json.items.map((e: AuditEntry) => e.at)).toEqual(['2026-11-06T03:00:00.000Z', '2026-11-05T03:00:00.000Z']);
    const second = await h.call({ path: '/audit', token, query: { from: '2026-11-02', to: '2026-11-06', limit: '2', action: 'staff.updated', cursor: first.json.nextCursor } });
    expect(second.json.items.map((e: AuditEntry) => e.at)).toEqual(['2026-11-04T03:00:00.000Z', '2026-11-03T03:00:00.000Z']);
    const byActor = await h.call({ path: '/audit', token, query: { from: '2026-11-01', to: '2026-11-30', actor: 'sato' } });
    expect(byActor.json.items).toHaveLength(3);
  });

  it('refuses bad filters with 400 and Japanese messages', async () => {
    const { h, token } = await withEntries();
    for (const query of [{ from: '2026-11-30', to: '2026-11-01' }, { from: '2026-02-30', to: '2026-03-01' }, { from: '2025-01-01', to: '2026-11-01' }, { from: '2026-11-01', to: '2026-11-02', action: 'drop' }, { to: '2026-11-01' }, { from: '2026-11-01', to: '2026-11-02', limit: '0' }]) {
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
