import { hashToken } from '../../../functions/staff/session';
import { currentTotp } from '../../../functions/staff/totp';
import { adminHarness, advance, GOOD_PASSWORD } from '../../support/admin-fakes';

const MIN = 60_000;

describe('sign-in', () => {
  it('sets an HttpOnly, Secure, SameSite=Strict cookie on /api/admin and stores only the token hash', async () => {
    // Arrange
    const h = adminHarness();
    await h.seed('tanaka', { permissions: ['chat'] });

    // Act
    const { token, cookie, res } = await h.signIn('tanaka');

    // Assert
    expect(cookie).toMatch(/^cl_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/api/admin');
    expect(res.json.me).toEqual({
      loginId: 'tanaka',
      displayName: '職員 tanaka',
      role: 'general',
      permissions: ['chat'],
      totpEnabled: false,
      mustChangePassword: false,
    });
    expect(res.json.csrfToken).toEqual(expect.any(String));
    expect([...h.deps.sessions.sessions.keys()]).toEqual([hashToken(token)]);
    expect(JSON.stringify([...h.deps.sessions.sessions.values()])).not.toContain(token);
    expect(h.deps.audit.entries.map((e) => e.action)).toEqual(['auth.login']);
    expect(h.deps.audit.entries[0]).toMatchObject({ actor: 'tanaka', ip: '203.0.113.7', target: 'staff:tanaka' });
  });

  it('answers unknown IDs and wrong passwords identically', async () => {
    const h = adminHarness();
    await h.seed('tanaka');
    const unknown = await h.call({ path: '/auth/login', body: { loginId: 'nobody', password: GOOD_PASSWORD } });
    const wrong = await h.call({ path: '/auth/login', body: { loginId: 'tanaka', password: 'Wrong-password-1' } });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json).toEqual(wrong.json);
    expect(unknown.json.error.code).toBe('invalid_credentials');
    // The typed ID of an unknown account is not recorded (it may be a password typed in the wrong field).
    expect(JSON.stringify(h.deps.audit.entries)).not.toContain('nobody');
  });

  it('refuses a foreign Origin, accepts its own host', async () => {
    const h = adminHarness();
    await h.seed('tanaka');
    const foreign = await h.call({ path: '/auth/login', body: { loginId: 'tanaka', password: GOOD_PASSWORD }, headers: { origin: 'https://evil.example' } });
    const own = await h.call({ path: '/auth/login', body: { loginId: 'tanaka', password: GOOD_PASSWORD }, headers: { origin: 'https://console.example.jp' } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json.error.code).toBe('csrf_failed');
    expect(own.statusCode).toBe(200);
  });

  it('accepts a configured console origin (the console behind CloudFront)', async () => {
    const h = adminHarness({ allowedOrigins: ['https://d111.cloudfront.net'] });
    await h.seed('tanaka');
    const res = await h.call({ path: '/auth/login', body: { loginId: 'tanaka', password: GOOD_PASSWORD }, headers: { origin: 'https://d111.cloudfront.net' } });
    expect(res.statusCode).toBe(200);
  });

  it('validates the body with Japanese messages', async () => {
    const h = adminHarness();
    const res = await h.call({ path: '/auth/login', body: { loginId: '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json.error.code).toBe('validation_failed');
    expect(res.json.error.message).toMatch(/[ぁ-んァ-ン一-龯]/);
  });
});

describe('lockout', () => {
  it('locks after 5 consecutive failures for 15 minutes, audit-logged, then lets the right password in', async () => {
    // Arrange
    const h = adminHarness();
    await h.seed('tanaka');
    const attempt = (password: string) => h.call({ path: '/auth/login', body: { loginId: 'tanaka', password } });

    // Act
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await attempt('Wrong-password-1'));
    const whileLocked = await attempt(GOOD_PASSWORD);

    // Assert
    expect(answers.slice(0, 4).map((a) => a.statusCode)).toEqual([401, 401, 401, 401]);
    expect(answers[4].statusCode).toBe(423);
    expect(answers[4].json.error.code).toBe('locked');
    const lockedUntil = answers[4].json.error.lockedUntil;
    expect(lockedUntil).toBe(new Date(h.clock.now().getTime() + 15 * MIN).toISOString());
    expect(whileLocked.statusCode).toBe(423);
    expect(h.deps.audit.entries.filter((e) => e.action === 'auth.locked')).toHaveLength(1);

    advance(h.clock, 15 * MIN);
    expect((await attempt(GOOD_PASSWORD)).statusCode).toBe(200);
  });

  it('answers an unknown ID exactly as an existing one, locks included (no way to tell which IDs exist)', async () => {
    const h = adminHarness();
    await h.seed('tanaka');
    const run = async (loginId: string) => {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await h.call({ path: '/auth/login', body: { loginId, password: 'Wrong-password-1' } }));
      return answers.map((a) => [a.statusCode, a.json]);
    };
    const known = await run('tanaka');
    const unknown = await run('nobody');
    expect(unknown).toEqual(known);
    expect(known.map(([status]) => status)).toEqual([401, 401, 401, 401, 423, 423]);
    // The typed unknown ID is never kept: the audit names no ID, the failure store a keyed hash.
    expect(JSON.stringify(h.deps.audit.entries)).not.toContain('nobody');
    expect(h.deps.audit.entries.filter((e) => e.action === 'auth.locked').map((e) => e.target)).toEqual(['staff:tanaka', 'staff:(未登録のID)']);
    advance(h.clock, 15 * MIN);
    expect((await h.call({ path: '/auth/login', body: { loginId: 'nobody', password: 'Wrong-password-1' } })).statusCode).toBe(401);
  });

  it('counts only consecutive failures (a success resets the count)', async () => {
    const h = adminHarness();
    await h.seed('tanaka');
    for (let i = 0; i < 4; i++) await h.call({ path: '/auth/login', body: { loginId: 'tanaka', password: 'Wrong-password-1' } });
    await h.signIn('tanaka');
    for (let i = 0; i < 4; i++) expect((await h.call({ path: '/auth/login', body: { loginId: 'tanaka', password: 'Wrong-password-1' } })).statusCode).toBe(401);
  });

  it('refuses a disabled account with the same answer as a wrong password', async () => {
    const h = adminHarness();
    const a = await h.seed('tanaka');
    h.deps.staff.accounts.set('tanaka', { ...a, disabled: true });
    const res = await h.call({ path: '/auth/login', body: { loginId: 'tanaka', password: GOOD_PASSWORD } });
    expect(res.statusCode).toBe(401);
    expect(res.json.error.code).toBe('invalid_credentials');
  });
});

describe('sessions', () => {
  it('ends after 30 idle minutes; activity keeps it alive', async () => {
    const h = adminHarness();
    await h.seed('tanaka');
    const { token } = await h.signIn('tanaka');

    advance(h.clock, 29 * MIN);
    expect((await h.call({ path: '/auth/me', token })).statusCode).toBe(200);
    advance(h.clock, 29 * MIN);
    expect((await h.call({ path: '/auth/me', token })).statusCode).toBe(200);
    advance(h.clock, 30 * MIN);
    const expired = await h.call({ path: '/auth/me', token });
    expect(expired.statusCode).toBe(401);
    expect(expired.json.error.code).toBe('unauthenticated');
    expect(expired.cookies?.[0]).toContain('Max-Age=0');
    expect(h.deps.sessions.sessions.size).toBe(0);
  });

  it('ends 12 hours after sign-in even with constant activity', async () => {
    const h = adminHarness();
    await h.seed('tanaka');
    const { token } = await h.signIn('tanaka');
    for (let i = 0; i < 47; i++) {
      advance(h.clock, 15 * MIN);
      expect((await h.call({ path: '/dashboard', token })).statusCode).toBe(200);
    }
    advance(h.clock, 15 * MIN); // 12 h
    expect((await h.call({ path: '/dashboard', token })).statusCode).toBe(401);
  });

  it('logout deletes the session (CSRF token required)', async () => {
    const h = adminHarness();
    await h.seed('tanaka');
    const { token, csrf } = await h.signIn('tanaka');
    expect((await h.call({ method: 'POST', path: '/auth/logout', token })).statusCode).toBe(403);
    const out = await h.call({ method: 'POST', path: '/auth/logout', token, csrf });
    expect(out.statusCode).toBe(204);
    expect(out.cookies?.[0]).toContain('Max-Age=0');
    expect((await h.call({ path: '/auth/me', token })).statusCode).toBe(401);
    expect(h.deps.audit.entries.map((e) => e.action)).toContain('auth.logout');
  });

  it('ends sessions of a disabled account and after a password reset', async () => {
    const h = adminHarness();
    await h.seed('boss', { role: 'admin' });
    await h.seed('tanaka');
    await h.seed('suzuki');
    const boss = await h.signIn('boss');
    const tanaka = await h.signIn('tanaka');
    const suzuki = await h.signIn('suzuki');

    expect((await h.call({ method: 'PATCH', path: '/staff/tanaka', body: { disabled: true }, token: boss.token, csrf: boss.csrf })).statusCode).toBe(200);
    expect(
      (await h.call({ method: 'POST', path: '/staff/suzuki/reset-password', body: { newPassword: 'Fresh-start-2026' }, token: boss.token, csrf: boss.csrf }))
        .statusCode,
    ).toBe(204);

    expect((await h.call({ path: '/auth/me', token: tanaka.token })).statusCode).toBe(401);
    expect((await h.call({ path: '/auth/me', token: suzuki.token })).statusCode).toBe(401);
  });
});

describe('CSRF', () => {
  it('requires x-csrf-token equal to the session’s on every non-GET route', async () => {
    const h = adminHarness();
    await h.seed('boss', { role: 'admin' });
    const { token, csrf } = await h.signIn('boss');
    const body = { loginId: 'sato', displayName: '佐藤', role: 'general', permissions: [], initialPassword: 'Welcome-2026-x' };

    const missing = await h.call({ path: '/staff', body, token });
    const wrong = await h.call({ path: '/staff', body, token, csrf: csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A') });
    const right = await h.call({ path: '/staff', body, token, csrf });

    expect([missing.statusCode, wrong.statusCode]).toEqual([403, 403]);
    expect(missing.json.error.code).toBe('csrf_failed');
    expect(right.statusCode).toBe(201);
    expect((await h.call({ path: '/staff', token })).statusCode).toBe(200); // GET needs none
  });

  it('checks the session before CSRF (a signed-out caller gets 401, not 403)', async () => {
    const h = adminHarness();
    expect((await h.call({ path: '/staff', body: {} })).statusCode).toBe(401);
  });
});

describe('own password', () => {
  it('a new account must change its password before anything else', async () => {
    const h = adminHarness();
    await h.seed('tanaka', { permissions: ['audit'], mustChangePassword: true });
    const { token, csrf } = await h.signIn('tanaka');

    expect((await h.call({ path: '/auth/me', token })).json.me.mustChangePassword).toBe(true);
    const blocked = await h.call({ path: '/dashboard', token });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json.error.code).toBe('password_change_required');

    const weak = await h.call({ path: '/auth/password', body: { currentPassword: GOOD_PASSWORD, newPassword: 'short' }, token, csrf });
    expect(weak.statusCode).toBe(400);
    expect(weak.json.error.code).toBe('password_policy');
    expect(weak.json.error.message).toContain('12文字以上');
    const wrongCurrent = await h.call({ path: '/auth/password', body: { currentPassword: 'Not-it-12345', newPassword: 'Brand-new-2026' }, token, csrf });
    expect(wrongCurrent.statusCode).toBe(400);
    expect(wrongCurrent.json.error.code).toBe('invalid_current_password');

    const ok = await h.call({ path: '/auth/password', body: { currentPassword: GOOD_PASSWORD, newPassword: 'Brand-new-2026' }, token, csrf });
    expect(ok.statusCode).toBe(204);
    expect((await h.call({ path: '/dashboard', token })).statusCode).toBe(200);
    expect((await h.call({ path: '/auth/login', body: { loginId: 'tanaka', password: 'Brand-new-2026' } })).statusCode).toBe(200);
    const audit = h.deps.audit.entries.find((e) => e.action === 'auth.password_changed');
    expect(JSON.stringify(audit)).not.toContain('Brand-new-2026');
  });
});

describe('TOTP for administrators', () => {
  it('setup → enable → sign-in asks for the code, accepts it once, disable', async () => {
    // Arrange
    const h = adminHarness();
    await h.seed('boss', { role: 'admin' });
    const { token, csrf } = await h.signIn('boss');

    // Act: setup and enable
    const setup = await h.call({ method: 'POST', path: '/auth/totp/setup', token, csrf });
    expect(setup.statusCode).toBe(200);
    expect(setup.json.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const secret = setup.json.secret as string;
    expect((await h.call({ path: '/auth/me', token })).json.me.totpEnabled).toBe(false);
    expect((await h.call({ path: '/auth/totp/enable', body: { code: '000000' }, token, csrf })).statusCode).toBe(400);
    expect((await h.call({ path: '/auth/totp/enable', body: { code: currentTotp(secret, h.clock.now()) }, token, csrf })).statusCode).toBe(204);
    expect((await h.call({ path: '/auth/me', token })).json.me.totpEnabled).toBe(true);

    // Assert: sign-in
    advance(h.clock, 60_000);
    const noCode = await h.call({ path: '/auth/login', body: { loginId: 'boss', password: GOOD_PASSWORD } });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json.error.code).toBe('totp_required');
    const wrongCode = await h.call({
      path: '/auth/login',
      body: { loginId: 'boss', password: GOOD_PASSWORD, totp: '123456' === currentTotp(secret, h.clock.now()) ? '654321' : '123456' },
    });
    expect(wrongCode.json.error.code).toBe('totp_required');
    const code = currentTotp(secret, h.clock.now());
    const again = await h.signIn('boss', GOOD_PASSWORD, code);
    const replay = await h.call({ path: '/auth/login', body: { loginId: 'boss', password: GOOD_PASSWORD, totp: code } });
    expect(replay.statusCode).toBe(401);

    // Disable with a fresh code
    advance(h.clock, 30_000);
    expect(
      (await h.call({ path: '/auth/totp/disable', body: { code: currentTotp(secret, h.clock.now()) }, token: again.token, csrf: again.csrf })).statusCode,
    ).toBe(204);
    expect(h.deps.audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.totp_setup', 'auth.totp_enabled', 'auth.totp_disabled']));
    expect(JSON.stringify(h.deps.audit.entries)).not.toContain(secret);
  });

  it('general accounts cannot set up TOTP (403)', async () => {
    const h = adminHarness();
    await h.seed('tanaka', { permissions: ['staff', 'audit'] });
    const { token, csrf } = await h.signIn('tanaka');
    expect((await h.call({ method: 'POST', path: '/auth/totp/setup', token, csrf })).statusCode).toBe(403);
  });
});
