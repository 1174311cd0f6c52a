/**
 * The permission matrix, route by route: signed-out callers get 401, a general account lacking
 * the route's function (or role) gets 403, and one holding it gets through.
 */
import { adminRoutes } from '../../../functions/admin/api';
import { FUNCTION_IDS, type FunctionId } from '../../../functions/staff/staff';
import { adminHarness, GOOD_PASSWORD, TARGET_USER, type Call } from '../../support/admin-fakes';

const h0 = adminHarness();
const routes = adminRoutes(h0.deps).filter((r) => r.access !== 'public');

/** A valid request per route, so only access decides the answer. */
function request(method: string, path: string): Call {
  const concrete = path.replace(':loginId', 'target').replace(':formId', 'target-form').replace(':uploadId', 'target-upload').replace(':userId', TARGET_USER);
  const query = path.startsWith('/audit') ? { from: '2026-11-01', to: '2026-11-30' } : undefined;
  const bodies: Record<string, unknown> = {
    'POST /auth/logout': {},
    'POST /auth/password': { currentPassword: GOOD_PASSWORD, newPassword: 'Another-pass-2026' },
    'POST /auth/totp/setup': {},
    'POST /auth/totp/enable': { code: '123456' },
    'POST /auth/totp/disable': { code: '123456' },
    'POST /staff': { loginId: 'newbie', displayName: '新人', role: 'general', permissions: [], initialPassword: 'Welcome-2026-x' },
    'PATCH /staff/:loginId': { displayName: '変更後' },
    'POST /staff/:loginId/reset-password': { newPassword: 'Reset-pass-2026' },
    'POST /forms': { title: { ja: '新しいアンケート' }, items: [] },
    'PUT /forms/:formId': { title: { ja: '変更' }, items: [], expectedVersion: 1 },
    'POST /forms/:formId/publish': {},
    'POST /forms/:formId/unpublish': {},
  };
  return { method, path: concrete, body: bodies[`${method} ${path}`], query };
}

type Access = (typeof routes)[number]['access'];
/** The functions that open a route (any of them suffices). */
const opening = (access: Access): FunctionId[] => (typeof access === 'object' ? (Array.isArray(access.fn) ? access.fn : [access.fn]) : []);
const needed = (access: Access): FunctionId | 'admin' | null =>
  access === 'signedIn' || access === 'public' ? null : access === 'admin' ? 'admin' : opening(access)[0];

describe('admin API permission matrix', () => {
  it('covers every route of the contract', () => {
    expect(
      adminRoutes(h0.deps)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(
      [
        'POST /auth/login',
        'POST /auth/logout',
        'GET /auth/me',
        'POST /auth/password',
        'POST /auth/totp/setup',
        'POST /auth/totp/enable',
        'POST /auth/totp/disable',
        'GET /staff',
        'POST /staff',
        'PATCH /staff/:loginId',
        'POST /staff/:loginId/reset-password',
        'GET /audit',
        'GET /audit.csv',
        'GET /dashboard',
        'GET /forms',
        'POST /forms',
        'GET /forms/:formId',
        'PUT /forms/:formId',
        'POST /forms/:formId/publish',
        'POST /forms/:formId/unpublish',
        'GET /forms/:formId/summary',
        'GET /forms/:formId/responses',
        'GET /forms/:formId/responses.csv',
        'GET /forms/:formId/responses/:userId',
        'GET /uploads/:uploadId',
        'GET /attributes',
      ].sort(),
    );
  });

  describe.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
    const fn = needed(route.access);

    it('refuses a signed-out caller with 401, also with a made-up session cookie', async () => {
      const h = adminHarness();
      const none = await h.call(request(route.method, route.path));
      const forged = await h.call({ ...request(route.method, route.path), token: 'x'.repeat(43), csrf: 'y' });
      expect([none.statusCode, forged.statusCode]).toEqual([401, 401]);
      expect(none.json.error.code).toBe('unauthenticated');
    });

    it(fn ? `refuses a general account without ${fn} with 403` : 'lets any signed-in account through', async () => {
      const h = adminHarness();
      await h.seed('target');
      // Holds every function except the one the route needs.
      await h.seed('limited', { permissions: FUNCTION_IDS.filter((f) => f !== fn && !opening(route.access).includes(f)) });
      const { token, csrf } = await h.signIn('limited');
      const res = await h.call({ ...request(route.method, route.path), token, csrf });
      if (fn) {
        expect(res.statusCode).toBe(403);
        expect(res.json.error.code).toBe('forbidden');
      } else {
        expect(res.statusCode).toBeLessThan(300);
      }
    });

    if (fn && fn !== 'admin') {
      it(`lets a general account with ${fn} through`, async () => {
        const h = adminHarness();
        await h.seed('target');
        await h.seed('holder', { permissions: [fn] });
        const { token, csrf } = await h.signIn('holder');
        const res = await h.call({ ...request(route.method, route.path), token, csrf });
        expect(res.statusCode).toBeLessThan(300);
      });
    }

    if (fn === 'admin') {
      it('lets an administrator through', async () => {
        const h = adminHarness();
        await h.seed('boss', { role: 'admin' });
        const { token, csrf } = await h.signIn('boss');
        const res = await h.call({ ...request(route.method, route.path), token, csrf });
        // Past the access check: a success, or the TOTP use case's own refusal of the made-up state.
        expect([200, 204, 400, 409]).toContain(res.statusCode);
        expect(res.json?.error?.code).not.toBe('forbidden');
      });
    }
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    const h = adminHarness();
    expect((await h.call({ path: '/nothing' })).statusCode).toBe(404);
    expect((await h.call({ method: 'DELETE', path: '/staff' })).statusCode).toBe(405);
  });
});
