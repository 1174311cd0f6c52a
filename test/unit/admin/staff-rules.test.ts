import { adminHarness } from '../../support/admin-fakes';
import { FUNCTION_IDS } from '../../../functions/staff/staff';

const newStaff = (over: Record<string, unknown> = {}) => ({
  loginId: 'newbie',
  displayName: '新人 職員',
  role: 'general',
  permissions: ['deliveries'],
  initialPassword: 'Welcome-2026-x',
  ...over,
});

async function withManager() {
  const h = adminHarness();
  await h.seed('boss', { role: 'admin' });
  await h.seed('manager', { permissions: ['staff', 'deliveries', 'chat'] });
  await h.seed('clerk', { permissions: ['surveys'] });
  const manager = await h.signIn('manager');
  const boss = await h.signIn('boss');
  const as = (who: { token: string; csrf: string }) => (c: { method?: string; path: string; body?: unknown }) =>
    h.call({ ...c, token: who.token, csrf: who.csrf });
  return { h, asManager: as(manager), asBoss: as(boss) };
}

describe('managing staff accounts', () => {
  it('an administrator creates an account: 201, must change password, audit without secrets', async () => {
    const { h, asBoss } = await withManager();
    const res = await asBoss({ path: '/staff', body: newStaff({ loginId: 'Sato.Hanako', permissions: ['chat', 'deliveries', 'chat'] }) });
    expect(res.statusCode).toBe(201);
    expect(res.json).toEqual({
      loginId: 'sato.hanako',
      displayName: '新人 職員',
      role: 'general',
      permissions: ['deliveries', 'chat'],
      disabled: false,
      locked: false,
      lastLoginAt: null,
      createdAt: '2026-11-24T01:00:00.000Z',
    });
    expect(h.deps.staff.accounts.get('sato.hanako')?.mustChangePassword).toBe(true);
    const entry = h.deps.audit.entries.find((e) => e.action === 'staff.created');
    expect(entry).toMatchObject({
      actor: 'boss',
      target: 'staff:sato.hanako',
      ip: '203.0.113.7',
      after: { role: 'general', permissions: ['deliveries', 'chat'] },
    });
    expect(JSON.stringify(h.deps.audit.entries)).not.toMatch(/Welcome-2026-x|scrypt\$/);
  });

  it('409 for an existing login ID; 400 for a weak initial password or bad ID', async () => {
    const { asBoss } = await withManager();
    expect((await asBoss({ path: '/staff', body: newStaff({ loginId: 'clerk' }) })).json.error.code).toBe('login_id_taken');
    expect((await asBoss({ path: '/staff', body: newStaff({ loginId: 'clerk' }) })).statusCode).toBe(409);
    const weak = await asBoss({ path: '/staff', body: newStaff({ initialPassword: 'newbie-2026-long' }) });
    expect(weak.statusCode).toBe(400);
    expect(weak.json.error.code).toBe('password_policy');
    expect((await asBoss({ path: '/staff', body: newStaff({ loginId: 'x' }) })).statusCode).toBe(400);
    expect((await asBoss({ path: '/staff', body: newStaff({ permissions: ['nuclear'] }) })).statusCode).toBe(400);
  });

  it('a general manager cannot create an administrator', async () => {
    const { h, asManager } = await withManager();
    const res = await asManager({ path: '/staff', body: newStaff({ role: 'admin', permissions: [] }) });
    expect(res.statusCode).toBe(403);
    expect(h.deps.staff.accounts.has('newbie')).toBe(false);
  });

  it('a general manager grants only functions it holds', async () => {
    const { h, asManager } = await withManager();
    const refused = await asManager({ path: '/staff', body: newStaff({ permissions: ['deliveries', 'audit'] }) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json.error.message).toContain('操作履歴');
    expect((await asManager({ path: '/staff', body: newStaff({ permissions: ['deliveries', 'chat', 'staff'] }) })).statusCode).toBe(201);
    // Changing an account within the manager's functions: adding audit is refused, adding chat is fine.
    await h.seed('helper', { permissions: ['deliveries'] });
    expect((await asManager({ method: 'PATCH', path: '/staff/helper', body: { permissions: ['deliveries', 'audit'] } })).statusCode).toBe(403);
    const ok = await asManager({ method: 'PATCH', path: '/staff/helper', body: { permissions: ['deliveries', 'chat'] } });
    expect(ok.statusCode).toBe(200);
    expect(h.deps.staff.accounts.get('helper')?.permissions).toEqual(['deliveries', 'chat']);
  });

  describe('a general manager acts only on accounts whose functions are all its own', () => {
    // The escalation found in the first release: 職員アカウント + 配信 reset the password of an
    // account holding アンケート + セグメント, signed in as it and read the forms.
    async function withVictim() {
      const ctx = await withManager();
      await ctx.h.seed('victim', { permissions: ['surveys', 'segments'] });
      await ctx.h.seed('peer', { permissions: ['deliveries', 'chat'] });
      return ctx;
    }

    it('POST /staff/:loginId/reset-password: 403, the password and sessions unchanged, nothing audited', async () => {
      const { h, asManager } = await withVictim();
      const before = { ...h.deps.staff.accounts.get('victim')! };
      const res = await asManager({ path: '/staff/victim/reset-password', body: { newPassword: 'Takeover-2026-x' } });
      expect(res.statusCode).toBe(403);
      expect(res.json.error.message).toContain('アンケート');
      expect(h.deps.staff.accounts.get('victim')).toEqual(before);
      expect(h.deps.audit.entries.some((e) => e.action === 'staff.password_reset')).toBe(false);
      await expect(h.signIn('victim', 'Takeover-2026-x')).rejects.toThrow('sign-in failed: 401');
    });

    it.each([
      ['a name', { displayName: '乗っ取り' }],
      ['its functions to a subset', { permissions: ['surveys'] }],
      ['its functions to the manager’s', { permissions: ['deliveries'] }],
      ['its disabled flag', { disabled: true }],
    ])('PATCH /staff/:loginId changing %s: 403 and nothing changed', async (_what, body) => {
      const { h, asManager } = await withVictim();
      const before = { ...h.deps.staff.accounts.get('victim')! };
      expect((await asManager({ method: 'PATCH', path: '/staff/victim', body })).statusCode).toBe(403);
      expect(h.deps.staff.accounts.get('victim')).toEqual(before);
      expect(h.deps.audit.entries.some((e) => e.action === 'staff.updated')).toBe(false);
    });

    it('POST /staff: an account with a function beyond its own is refused', async () => {
      const { h, asManager } = await withVictim();
      expect((await asManager({ path: '/staff', body: newStaff({ permissions: ['deliveries', 'surveys'] }) })).statusCode).toBe(403);
      expect(h.deps.staff.accounts.has('newbie')).toBe(false);
    });

    it('accounts within its functions stay manageable: name, functions, disable, reset', async () => {
      const { h, asManager } = await withVictim();
      expect(
        (await asManager({ method: 'PATCH', path: '/staff/peer', body: { displayName: '隣の係', permissions: ['chat'], disabled: true } })).statusCode,
      ).toBe(200);
      expect((await asManager({ path: '/staff/peer/reset-password', body: { newPassword: 'Fresh-start-2026' } })).statusCode).toBe(204);
      expect(h.deps.staff.accounts.get('peer')).toMatchObject({ displayName: '隣の係', permissions: ['chat'], disabled: true, mustChangePassword: true });
    });

    it('GET /staff lists everyone and marks which accounts it may change', async () => {
      const { asManager, asBoss } = await withVictim();
      const manageable = (res: { json: { items: { loginId: string; manageable: boolean }[] } }) =>
        Object.fromEntries(res.json.items.map((s) => [s.loginId, s.manageable]));
      expect(manageable(await asManager({ path: '/staff' }))).toEqual({ boss: false, clerk: false, manager: true, peer: true, victim: false });
      expect(manageable(await asBoss({ path: '/staff' }))).toEqual({ boss: true, clerk: true, manager: true, peer: true, victim: true });
    });
  });

  it('a general manager cannot change, promote or reset an administrator', async () => {
    const { asManager } = await withManager();
    expect((await asManager({ method: 'PATCH', path: '/staff/boss', body: { displayName: '乗っ取り' } })).statusCode).toBe(403);
    expect((await asManager({ method: 'PATCH', path: '/staff/clerk', body: { role: 'admin' } })).statusCode).toBe(403);
    expect((await asManager({ path: '/staff/boss/reset-password', body: { newPassword: 'Takeover-2026-x' } })).statusCode).toBe(403);
  });

  it('nobody changes their own role, functions or disabled flag', async () => {
    const { asManager, asBoss } = await withManager();
    expect((await asManager({ method: 'PATCH', path: '/staff/manager', body: { permissions: ['staff', 'deliveries'] } })).statusCode).toBe(400);
    expect((await asBoss({ method: 'PATCH', path: '/staff/boss', body: { role: 'general' } })).statusCode).toBe(400);
    expect((await asBoss({ method: 'PATCH', path: '/staff/boss', body: { disabled: true } })).statusCode).toBe(400);
    expect((await asBoss({ method: 'PATCH', path: '/staff/boss', body: { displayName: '課長' } })).statusCode).toBe(200);
  });

  it('an administrator updates an account with before/after in the audit log; 404 for unknown IDs', async () => {
    const { h, asBoss } = await withManager();
    const res = await asBoss({ method: 'PATCH', path: '/staff/clerk', body: { displayName: '窓口 担当', permissions: ['chat'], disabled: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ loginId: 'clerk', displayName: '窓口 担当', permissions: ['chat'], disabled: true });
    const entry = h.deps.audit.entries.find((e) => e.action === 'staff.updated');
    expect(entry?.before).toEqual({ displayName: '職員 clerk', role: 'general', permissions: ['surveys'], disabled: false });
    expect(entry?.after).toEqual({ displayName: '窓口 担当', role: 'general', permissions: ['chat'], disabled: true });
    expect((await asBoss({ method: 'PATCH', path: '/staff/ghost', body: { displayName: 'x' } })).statusCode).toBe(404);
    expect((await asBoss({ method: 'PATCH', path: '/staff/clerk', body: {} })).statusCode).toBe(400);
    expect((await asBoss({ method: 'PATCH', path: '/staff/clerk', body: { passwordHash: 'x' } })).statusCode).toBe(400);
  });

  it('reset-password unlocks the account and requires a change at next sign-in', async () => {
    const { h, asBoss } = await withManager();
    for (let i = 0; i < 5; i++) await h.call({ path: '/auth/login', body: { loginId: 'clerk', password: 'Wrong-password-1' } });
    const list = await asBoss({ path: '/staff' });
    expect(list.json.items.find((s: { loginId: string }) => s.loginId === 'clerk').locked).toBe(true);

    expect((await asBoss({ path: '/staff/clerk/reset-password', body: { newPassword: 'Reset-pass-2026' } })).statusCode).toBe(204);

    const signedIn = await h.signIn('clerk', 'Reset-pass-2026');
    expect(signedIn.res.json.me.mustChangePassword).toBe(true);
    expect(h.deps.audit.entries.find((e) => e.action === 'staff.password_reset')).toMatchObject({
      before: { locked: true },
      after: { locked: false, mustChangePassword: true },
    });
  });

  it('lists accounts without secrets', async () => {
    const { asManager } = await withManager();
    const res = await asManager({ path: '/staff' });
    expect(res.statusCode).toBe(200);
    expect(res.json.items.map((s: { loginId: string }) => s.loginId)).toEqual(['boss', 'clerk', 'manager']);
    expect(res.body).not.toMatch(/scrypt|passwordHash|totp|sessionEpoch/);
    expect(res.json.items[0].permissions).toHaveLength(FUNCTION_IDS.length);
  });
});

describe('市民通報で見られる種類 (a general account limited to some report categories)', () => {
  const limit = (h: Awaited<ReturnType<typeof withManager>>['h'], loginId: string, categories: string[]) => {
    h.deps.staff.accounts.get(loginId)!.reportCategories = categories;
  };

  it('an administrator creates a limited account: kept once each, answered, audited', async () => {
    const { h, asBoss } = await withManager();
    const res = await asBoss({ path: '/staff', body: newStaff({ permissions: ['reports'], reportCategories: ['road', 'park', 'road'] }) });
    expect(res.statusCode).toBe(201);
    expect(res.json).toMatchObject({ loginId: 'newbie', permissions: ['reports'], reportCategories: ['road', 'park'] });
    expect(h.deps.staff.accounts.get('newbie')?.reportCategories).toEqual(['road', 'park']);
    expect(h.deps.audit.entries.find((e) => e.action === 'staff.created')?.after).toMatchObject({ reportCategories: ['road', 'park'] });
  });

  it.each([
    ['an empty list (every category)', { permissions: ['reports'], reportCategories: [] }],
    ['an account without 市民通報', { permissions: ['chat'], reportCategories: ['road'] }],
    ['an administrator', { role: 'admin', permissions: [], reportCategories: ['road'] }],
  ])('stores no limit for %s', async (_what, over) => {
    const { h, asBoss } = await withManager();
    const res = await asBoss({ path: '/staff', body: newStaff(over) });
    expect(res.statusCode).toBe(201);
    expect(res.json).not.toHaveProperty('reportCategories');
    expect(h.deps.staff.accounts.get('newbie')).not.toHaveProperty('reportCategories');
  });

  it('400 for an id the report settings would refuse, or more than 30', async () => {
    const { h, asBoss } = await withManager();
    for (const reportCategories of [['Road'], ['道路'], [''], ['a'.repeat(41)], 'road', Array.from({ length: 31 }, (_, i) => `c${i}`)]) {
      const res = await asBoss({ path: '/staff', body: newStaff({ permissions: ['reports'], reportCategories }) });
      expect(res.statusCode).toBe(400);
    }
    const refused = await asBoss({ path: '/staff', body: newStaff({ permissions: ['reports'], reportCategories: ['Road'] }) });
    expect(JSON.stringify(refused.json)).toContain('種類のIDは半角英小文字');
    expect(h.deps.staff.accounts.has('newbie')).toBe(false);
    const thirty = Array.from({ length: 30 }, (_, i) => `c${i}`);
    expect((await asBoss({ path: '/staff', body: newStaff({ permissions: ['reports'], reportCategories: thirty }) })).statusCode).toBe(201);
  });

  it('PATCH sets, keeps, clears the limit, and drops it with 市民通報; before/after in the audit log', async () => {
    const { h, asBoss } = await withManager();
    await h.seed('road', { permissions: ['reports'] });
    const patch = (body: unknown) => asBoss({ method: 'PATCH', path: '/staff/road', body });
    const stored = () => h.deps.staff.accounts.get('road')?.reportCategories;

    const set = await patch({ reportCategories: ['road', 'light'] });
    expect(set.statusCode).toBe(200);
    expect(set.json.reportCategories).toEqual(['road', 'light']);
    expect(h.deps.audit.entries.at(-1)).toMatchObject({ before: { permissions: ['reports'] }, after: { reportCategories: ['road', 'light'] } });
    expect(h.deps.audit.entries.at(-1)?.before).not.toHaveProperty('reportCategories');

    expect((await patch({ displayName: '土木課 道路係' })).json.reportCategories).toEqual(['road', 'light']);
    expect((await patch({ permissions: ['reports', 'chat'] })).json.reportCategories).toEqual(['road', 'light']);
    expect(stored()).toEqual(['road', 'light']);

    const cleared = await patch({ reportCategories: [] });
    expect(cleared.json).not.toHaveProperty('reportCategories');
    expect(h.deps.staff.accounts.get('road')).not.toHaveProperty('reportCategories');

    await patch({ reportCategories: ['water'] });
    const dropped = await patch({ permissions: ['chat'] });
    expect(dropped.json).not.toHaveProperty('reportCategories');
    expect(stored()).toBeUndefined();
    // Given back 市民通報 later, the account sees every category until someone limits it again.
    expect((await patch({ permissions: ['chat', 'reports'] })).json).not.toHaveProperty('reportCategories');
  });

  it('a general manager limited to some categories grants only within them and leaves wider accounts alone', async () => {
    const { h, asManager } = await withManager();
    h.deps.staff.accounts.get('manager')!.permissions = ['chat', 'reports', 'staff'];
    limit(h, 'manager', ['road', 'light']);
    await h.seed('everything', { permissions: ['reports'] });
    await h.seed('lights', { permissions: ['reports'] });
    limit(h, 'lights', ['light']);

    const unlimited = await asManager({ path: '/staff', body: newStaff({ permissions: ['reports'] }) });
    expect(unlimited.statusCode).toBe(403);
    expect(unlimited.json.error.message).toContain('road、light');
    expect((await asManager({ path: '/staff', body: newStaff({ permissions: ['reports'], reportCategories: ['road', 'park'] }) })).statusCode).toBe(403);
    expect(h.deps.staff.accounts.has('newbie')).toBe(false);
    expect((await asManager({ path: '/staff', body: newStaff({ permissions: ['reports'], reportCategories: ['road'] }) })).statusCode).toBe(201);
    // Without 市民通報 the limit does not matter.
    expect((await asManager({ path: '/staff', body: newStaff({ loginId: 'talker', permissions: ['chat'] }) })).statusCode).toBe(201);

    // An account that sees every category (more than the manager): not changed, not reset.
    expect((await asManager({ method: 'PATCH', path: '/staff/everything', body: { reportCategories: ['road'] } })).statusCode).toBe(403);
    expect((await asManager({ path: '/staff/everything/reset-password', body: { newPassword: 'Takeover-2026-x' } })).statusCode).toBe(403);
    expect(h.deps.staff.accounts.get('everything')).not.toHaveProperty('reportCategories');
    // One within its own: changed, but never widened past them.
    expect((await asManager({ method: 'PATCH', path: '/staff/lights', body: { reportCategories: ['light', 'road'] } })).statusCode).toBe(200);
    expect((await asManager({ method: 'PATCH', path: '/staff/lights', body: { reportCategories: [] } })).statusCode).toBe(403);
    expect(h.deps.staff.accounts.get('lights')?.reportCategories).toEqual(['light', 'road']);

    const listed = await asManager({ path: '/staff' });
    const manageable = Object.fromEntries(listed.json.items.map((s: { loginId: string; manageable: boolean }) => [s.loginId, s.manageable]));
    expect(manageable).toMatchObject({ everything: false, lights: true, newbie: true, talker: true });
  });

  it('nobody changes their own categories (the same list in another order is no change)', async () => {
    const { h, asManager } = await withManager();
    h.deps.staff.accounts.get('manager')!.permissions = ['reports', 'staff'];
    // Every category: limiting oneself is a change of one's own permissions too.
    expect((await asManager({ method: 'PATCH', path: '/staff/manager', body: { reportCategories: ['road'] } })).statusCode).toBe(400);
    limit(h, 'manager', ['road', 'light']);
    for (const reportCategories of [[], ['road', 'light', 'park']])
      expect((await asManager({ method: 'PATCH', path: '/staff/manager', body: { reportCategories } })).statusCode).toBeGreaterThanOrEqual(400);
    expect((await asManager({ method: 'PATCH', path: '/staff/manager', body: { reportCategories: ['road'] } })).statusCode).toBe(400);
    expect(
      (await asManager({ method: 'PATCH', path: '/staff/manager', body: { displayName: '土木課長', reportCategories: ['light', 'road'] } })).statusCode,
    ).toBe(200);
    expect(h.deps.staff.accounts.get('manager')).toMatchObject({ displayName: '土木課長', reportCategories: ['light', 'road'] });
  });
});
