/**
 * The staff console's API on the local runtime over HTTP: sign-in with cookies, 60 staff
 * accounts, a limited account refused (403), signed-out callers refused (401), lockout,
 * audit search and CSV export, and the dashboard's friend figures from real webhooks.
 */
import { createHash } from 'node:crypto';
import { LineSimulatorClient } from '../../../simulator/client';
import { jstDay } from '../../../functions/shared/japan-time';
import { eventually, it_env, partition } from '../../support/integration';
import { ConsoleClient } from './console-client';

const env = it_env();
const ADMIN_ID = process.env.IT_ADMIN_LOGIN_ID!;
const ADMIN_PASSWORD = process.env.IT_ADMIN_PASSWORD!;
const run = Date.now().toString(36).slice(-5);
const today = jstDay(new Date());
const PASSWORD = 'Arao-console-2026';

const admin = new ConsoleClient(env.platformUrl);

/** Creates a general account and lets it sign in with a password it has changed itself. */
async function generalAccount(loginId: string, permissions: string[]): Promise<ConsoleClient> {
  const created = await admin.call('POST', '/staff', {
    loginId,
    displayName: `職員 ${loginId}`,
    role: 'general',
    permissions,
    initialPassword: 'Initial-pass-2026',
  });
  expect(created.status).toBe(201);
  const client = new ConsoleClient(env.platformUrl);
  expect((await client.signIn(loginId, 'Initial-pass-2026')).body.me.mustChangePassword).toBe(true);
  expect((await client.call('POST', '/auth/password', { currentPassword: 'Initial-pass-2026', newPassword: PASSWORD })).status).toBe(204);
  return client;
}

beforeAll(async () => {
  expect(ADMIN_ID).toBe('admin');
  const res = await admin.signIn(ADMIN_ID, ADMIN_PASSWORD);
  expect(res.status).toBe(200);
});

describe('sign-in over HTTP', () => {
  it('sets the session cookie as specified and answers /auth/me with it', async () => {
    const client = new ConsoleClient(env.platformUrl);
    const res = await client.signIn(ADMIN_ID, ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    expect(client.setCookies).toHaveLength(1);
    expect(client.setCookies[0]).toMatch(/^cl_session=[A-Za-z0-9_-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/api\/admin/);
    const me = await client.call('GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.me).toMatchObject({ loginId: 'admin', displayName: '管理者', role: 'admin', mustChangePassword: false });
    expect(me.body.csrfToken).toBe(res.body.csrfToken);
    // The table holds the token's hash only.
    const token = client.cookie!.split('=')[1];
    expect((await partition(`SESSION#${token}`)).length).toBe(0);
    const stored = await partition(`SESSION#${createHash('sha256').update(token).digest('hex')}`);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ loginId: 'admin', expiresAt: expect.any(Number) });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await client.call('POST', '/auth/logout', {})).status).toBe(204);
    expect((await client.call('GET', '/auth/me')).status).toBe(401);
  });

  it('refuses a sign-in posted from another site', async () => {
    const res = await fetch(`${env.platformUrl}/api/admin/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ loginId: ADMIN_ID, password: ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(403);
  });
});

describe('staff accounts', () => {
  it('creates 60 accounts and lists them', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `s${run}-${String(i).padStart(2, '0')}`);
    for (let i = 0; i < ids.length; i += 10) {
      const answers = await Promise.all(
        ids.slice(i, i + 10).map((loginId, j) =>
          admin.call('POST', '/staff', {
            loginId,
            displayName: `職員${i + j}`,
            role: 'general',
            permissions: j % 2 ? ['deliveries'] : ['chat', 'reports'],
            initialPassword: 'Initial-pass-2026',
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(answers.length).fill(201));
    }
    const again = await admin.call('POST', '/staff', {
      loginId: ids[0],
      displayName: '重複',
      role: 'general',
      permissions: [],
      initialPassword: 'Initial-pass-2026',
    });
    expect(again.status).toBe(409);

    const list = await admin.call('GET', '/staff');
    expect(list.status).toBe(200);
    const mine = list.body.items.filter((s: { loginId: string }) => s.loginId.startsWith(`s${run}-`));
    expect(mine).toHaveLength(60);
    expect(mine[1]).toMatchObject({
      loginId: ids[1],
      displayName: '職員1',
      role: 'general',
      permissions: ['deliveries'],
      disabled: false,
      locked: false,
      lastLoginAt: null,
    });
    expect(list.text).not.toMatch(/scrypt|passwordHash/);
  });

  it('a limited general account is refused (403) and signed-out callers too (401)', async () => {
    // Arrange: only deliveries.
    const limited = await generalAccount(`lim${run}`, ['deliveries']);
    const signedOut = new ConsoleClient(env.platformUrl);
    const calls: [string, string, unknown?, Record<string, string>?][] = [
      ['GET', '/staff'],
      ['POST', '/staff', { loginId: `x${run}`, displayName: 'x', role: 'general', permissions: [], initialPassword: 'Initial-pass-2026' }],
      ['PATCH', `/staff/lim${run}`, { permissions: ['deliveries', 'staff'] }],
      ['POST', `/staff/${ADMIN_ID}/reset-password`, { newPassword: 'Takeover-2026-x' }],
      ['GET', '/audit', undefined, { from: today, to: today }],
      ['GET', '/audit.csv', undefined, { from: today, to: today }],
      ['POST', '/auth/totp/setup', {}],
      ['POST', '/auth/totp/enable', { code: '123456' }],
      ['POST', '/auth/totp/disable', { code: '123456' }],
    ];

    // Act + Assert
    for (const [method, path, body, query] of calls) {
      const refused = await limited.call(method, path, body, { query });
      expect({ path, status: refused.status, code: refused.body?.error?.code }).toEqual({ path, status: 403, code: 'forbidden' });
      const anonymous = await signedOut.call(method, path, body, { query });
      expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
    }
    for (const [method, path, body] of [
      ['GET', '/auth/me'],
      ['GET', '/dashboard'],
      ['POST', '/auth/logout', {}],
      ['POST', '/auth/password', { currentPassword: 'x', newPassword: 'y' }],
    ] as const) {
      expect({ path, status: (await signedOut.call(method, path, body)).status }).toEqual({ path, status: 401 });
    }
    expect((await limited.call('GET', '/dashboard')).status).toBe(200);
    // Without the CSRF header a state change is refused even for an allowed route.
    expect((await limited.call('POST', '/auth/logout', {}, { csrf: null })).status).toBe(403);
  });

  it('locks an account after 5 failures; the administrator’s reset unlocks it', async () => {
    const loginId = `lock${run}`;
    await generalAccount(loginId, ['chat']);
    const client = new ConsoleClient(env.platformUrl);

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await client.signIn(loginId, 'Wrong-password-1')).status);
    const locked = await client.signIn(loginId, PASSWORD);

    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('locked');
    const until = Date.parse(locked.body.error.lockedUntil);
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const list = await admin.call('GET', '/staff');
    expect(list.body.items.find((s: { loginId: string }) => s.loginId === loginId).locked).toBe(true);

    expect((await admin.call('POST', `/staff/${loginId}/reset-password`, { newPassword: 'After-reset-2026' })).status).toBe(204);
    const back = await client.signIn(loginId, 'After-reset-2026');
    expect(back.status).toBe(200);
    expect(back.body.me.mustChangePassword).toBe(true);
  });

  it('locks an unknown login ID after 5 failures exactly as an account (nothing tells which IDs exist)', async () => {
    const client = new ConsoleClient(env.platformUrl);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await client.signIn(`ghost${run}`, 'Wrong-password-1'));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 423, 423]);
    expect(answers[4].body.error.code).toBe('locked');
    // Only a keyed hash of the typed ID is stored.
    expect((await partition(`SIGNIN_FAILURES#ghost${run}`)).length).toBe(0);
  });
});

describe('audit log', () => {
  it('searches by actor and action with cursor paging, newest first', async () => {
    const seen: { id: string; at: string; target: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.call('GET', '/audit', undefined, {
        query: { from: today, to: today, actor: ADMIN_ID, action: 'staff.created', limit: '25', ...(cursor ? { cursor } : {}) },
      });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(25);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);

    const bulk = seen.filter((e) => e.target.startsWith(`staff:s${run}-`));
    expect(bulk).toHaveLength(60);
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    const times = seen.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(seen[0]).toMatchObject({ actor: ADMIN_ID, action: 'staff.created', ip: expect.any(String), summary: expect.any(String) });
    expect(JSON.stringify(seen)).not.toMatch(/Initial-pass-2026|scrypt/);

    const locks = await admin.call('GET', '/audit', undefined, { query: { from: today, to: today, action: 'auth.locked' } });
    expect(locks.body.items.map((e: { target: string }) => e.target)).toContain(`staff:lock${run}`);
  });

  it('exports CSV: UTF-8 with BOM, one row per entry, formula-safe', async () => {
    const res = await admin.call('GET', '/audit.csv', undefined, { query: { from: today, to: today, actor: ADMIN_ID, action: 'staff.created' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect([...res.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.raw.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('日時（日本時間）,職員ID,職員名,操作,操作コード,対象,概要,IPアドレス,変更前,変更後,ID');
    // The target in the console's words: 職員アカウント <display name>（<login ID>）.
    expect(lines.filter((l) => l.includes(`（s${run}-`))).toHaveLength(60);
    expect(lines.slice(1).every((l) => !/^[=+\-@\t\r]/.test(l) && !/,[=+\-@]/.test(l.replace(/"[^"]*"/g, '')))).toBe(true);
  });
});

describe('dashboard', () => {
  it('shows friends added and blocked today, and a total that matches the day counters', async () => {
    // Arrange
    const sim = new LineSimulatorClient(env.simulatorUrl);
    const todayOf = (d: any) => d.friends.series.find((s: { date: string }) => s.date === today);
    const before = (await admin.call('GET', '/dashboard')).body;

    // Act: three citizens follow, one blocks.
    const citizens = await Promise.all([1, 2, 3].map((i) => sim.createCitizen({ displayName: `ダッシュボード ${i}` })));
    await Promise.all(citizens.map(({ citizen }) => sim.waitForReceived(citizen.userId, (m) => m.length > 0, 10_000)));
    await sim.block(citizens[0].citizen.userId);

    // Assert
    const after = await eventually(
      async () => {
        const d = (await admin.call('GET', '/dashboard')).body;
        return todayOf(d).added >= todayOf(before).added + 3 && todayOf(d).blocked >= todayOf(before).blocked + 1 ? d : undefined;
      },
      10_000,
      'dashboard figures',
    );
    expect(after.friends.series).toHaveLength(30);
    expect(after.friends.series[29].date).toBe(today);
    expect(after.friends.total).toBeGreaterThanOrEqual(before.friends.total + 2);
    // The administrator uses 配信 and 市民通報: their cards (maybe empty); イベント予約, not built yet, answers null.
    expect(after).toMatchObject({
      deliveries: { recent: expect.any(Array) },
      reports: { received: expect.any(Number), inProgress: expect.any(Number), recent: expect.any(Array) },
      reservations: null,
    });
    // Total = Σadded − Σblocked of the stored day counters (other test files may add friends meanwhile).
    await eventually(
      async () => {
        const days = await partition('FRIEND_STATS');
        const expected = days.reduce((sum, d) => sum + Number(d.added ?? 0) - Number(d.blocked ?? 0), 0);
        return (await admin.call('GET', '/dashboard')).body.friends.total === expected;
      },
      10_000,
      'total equal to the day counters',
    );
  });
});
