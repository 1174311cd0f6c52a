/**
 * The first administrator (local runtime's `admin`, AWS's `npm run create-admin`) gets a generated
 * one-time password and must replace it before the console does anything else.
 */
import { ensureLocalAdministrator } from '../../../functions/admin/bootstrap';
import { adminHarness } from '../../support/admin-fakes';

describe('first administrator', () => {
  it('is created once with a generated password that must be changed at the first sign-in', async () => {
    const h = adminHarness();
    const created = await ensureLocalAdministrator(h.deps);
    expect(created).toMatchObject({ loginId: 'admin' });
    expect(created!.password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(h.deps.staff.accounts.get('admin')).toMatchObject({ role: 'admin', mustChangePassword: true });
    expect(await ensureLocalAdministrator(h.deps)).toBeNull();

    const signedIn = await h.signIn('admin', created!.password);
    expect(signedIn.res.json.me.mustChangePassword).toBe(true);
    const as = { token: signedIn.token, csrf: signedIn.csrf };
    expect((await h.call({ path: '/dashboard', ...as })).statusCode).toBe(403);
    expect((await h.call({ path: '/staff', ...as })).json.error.code).toBe('password_change_required');
    const changed = await h.call({ path: '/auth/password', body: { currentPassword: created!.password, newPassword: 'Arao-city-line-2026' }, ...as });
    expect(changed.statusCode).toBe(204);
    const again = await h.signIn('admin', 'Arao-city-line-2026');
    expect(again.res.json.me.mustChangePassword).toBe(false);
    expect((await h.call({ path: '/dashboard', token: again.token })).statusCode).toBe(200);
  });
});
