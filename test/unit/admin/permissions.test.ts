/**
 * The permission matrix, route by route: signed-out callers get 401, a general account lacking
 * the route's function (or role) gets 403, and one holding it gets through. The contract list pins
 * who may call each route, so changing a route's access fails here until the list says so too.
 */
import { adminRoutes } from '../../../functions/admin/api';
import { DEFAULT_BRIDGE_SETTINGS } from '../../../functions/disaster-mail/model';
import { DEFAULT_OFFICE_HOURS } from '../../../functions/chat/model';
import { DEFAULT_REPORT_SETTINGS } from '../../../functions/reports/defaults';
import { AccessDeniedError } from '../../../functions/admin/errors';
import { FUNCTION_IDS, type FunctionId } from '../../../functions/staff/staff';
import {
  adminHarness,
  CHAT_CLOSED_USER,
  CONTENT_TARGET,
  GOOD_PASSWORD,
  KEYWORD_TARGET,
  REPORT_PHOTO,
  REPORT_TARGET,
  RICHMENU_AREAS,
  RICHMENU_PUBLISHED,
  RICHMENU_TARGET,
  MAIL_TARGET,
  SCENARIO_DRAFT,
  SCENARIO_PUBLISHED,
  SCENARIO_TARGET,
  TARGET_USER,
  type Call,
} from '../../support/admin-fakes';
import { DELIVERY_TARGETS as T } from '../../support/delivery-fakes';
import { menuImage } from '../../support/richmenu-fakes';

const h0 = adminHarness();
const routes = adminRoutes(h0.deps).filter((r) => r.access !== 'public');

/** The target every harness holds, by path parameter. */
const PARAMS: Record<string, string> = {
  ':loginId': 'target',
  ':formId': 'target-form',
  ':uploadId': 'target-upload',
  ':userId': TARGET_USER,
  ':segmentId': T.segment,
  ':deliveryId': T.draft,
  ':recurringId': T.activeRecurring,
  ':mailId': MAIL_TARGET,
  ':ruleId': KEYWORD_TARGET,
  ':messageId': CONTENT_TARGET,
  ':menuId': RICHMENU_TARGET,
  ':scenarioId': SCENARIO_TARGET,
  ':version': '1',
  ':reportId': REPORT_TARGET,
  ':photoId': REPORT_PHOTO,
};
/** Routes that act on a delivery or recurring delivery in another state than the draft / active one. */
const TARGET_OF: Record<string, string> = {
  'POST /deliveries/:deliveryId/approve': T.pendingApproval,
  'POST /deliveries/:deliveryId/reject': T.pendingApproval,
  'POST /deliveries/:deliveryId/cancel': T.scheduled,
  'POST /deliveries/:deliveryId/resend-failed': T.failed,
  'POST /recurrings/:recurringId/resume': T.pausedRecurring,
  'POST /richmenus/:menuId/unpublish': RICHMENU_PUBLISHED,
  'POST /richmenus/:menuId/refresh': RICHMENU_PUBLISHED,
  'POST /scenarios/:scenarioId/unpublish': SCENARIO_PUBLISHED,
  'POST /chat/threads/:userId/reopen': CHAT_CLOSED_USER,
};

const everyone = { match: 'all', conditions: [] };
const content = { title: 'お知らせ', category: 'その他', variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: 'お知らせです' }] }] };
const daily = { freq: 'daily', time: '08:00', start: '2026-11-24' };
const richMenu = { name: '通常メニュー', chatBarText: 'メニュー', size: 'compact', areas: RICHMENU_AREAS };
const keywordRule = {
  name: '窓口の時間',
  match: 'contains',
  patterns: ['窓口', '開庁時間'],
  priority: 100,
  enabled: true,
  replies: [{ lang: 'ja', bubbles: [{ type: 'text', text: '平日の8時30分から17時15分までです。' }] }],
};
/** A staff message's client id (a ULID made by the console). */
const CLIENT_ID = '01KB00000000000000000CH001';
/** A 1×1 PNG, for the image upload. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A valid request per route, so only access decides the answer. */
function request(method: string, path: string): Call {
  const key = `${method} ${path}`;
  const concrete = path.replace(/:\w+/g, (param) => TARGET_OF[key] ?? PARAMS[param]);
  const query: Record<string, string> | undefined = path.startsWith('/audit')
    ? { from: '2026-11-01', to: '2026-11-30' }
    : path === '/keywords/export'
      ? { format: 'json' }
      : undefined;
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
    'POST /segments/count': { rule: everyone },
    'POST /segments': { name: '新しいセグメント', rule: everyone },
    'PUT /segments/:segmentId': { name: '変更後', rule: everyone, version: 1 },
    'POST /deliveries': { ...content, audience: { rule: everyone }, timing: { kind: 'now' } },
    'POST /deliveries/estimate': { ...content, audience: { segmentId: 'everyone' } },
    'PUT /deliveries/:deliveryId': { ...content, audience: { segmentId: T.segment }, timing: { kind: 'now' }, version: 1 },
    'POST /deliveries/:deliveryId/request': {},
    'POST /deliveries/:deliveryId/approve': {},
    'POST /deliveries/:deliveryId/reject': { reason: '本文を見直してください。' },
    'POST /deliveries/:deliveryId/send': {},
    'POST /deliveries/:deliveryId/cancel': {},
    'POST /deliveries/:deliveryId/resend-failed': {},
    'POST /media': PNG,
    'PUT /reports/settings': { ...DEFAULT_REPORT_SETTINGS, rev: 0 },
    'POST /reports/:reportId/status/preview': { rev: 1, status: 'in_progress', message: '来週補修します。' },
    'POST /reports/:reportId/status': { rev: 1, status: 'in_progress', message: '来週補修します。' },
    'POST /reports/:reportId/assign': { rev: 1, department: '土木課' },
    'POST /reports/:reportId/notes': { rev: 1, text: '現地確認済み' },
    'POST /recurrings/preview': { rule: daily },
    'POST /recurrings': { ...content, audience: { rule: everyone }, rule: daily },
    'PUT /recurrings/:recurringId': { ...content, audience: { rule: everyone }, rule: daily, version: 1 },
    'POST /recurrings/:recurringId/pause': {},
    'POST /recurrings/:recurringId/resume': {},
    'POST /recurrings/:recurringId/end': {},
    'PUT /settings/deliveries': { approvalRequired: true },
    'PUT /disaster-mail/settings': { settings: DEFAULT_BRIDGE_SETTINGS, expectedVersion: 0 },
    'POST /disaster-mail/mails/:mailId/approve': {},
    'POST /disaster-mail/mails/:mailId/discard': {},
    'POST /disaster-mail/test': { segmentId: T.segment },
    'POST /disaster-mail/dry-run': { raw: 'From: bousai@city.arao.example\r\nSubject: 避難指示\r\n\r\n避難指示を発令しました。\r\n' },
    'POST /keywords': keywordRule,
    'PUT /keywords/:ruleId': { ...keywordRule, version: 1 },
    'DELETE /keywords/:ruleId': { version: 1 },
    'POST /keywords/try': { text: 'ごみの日はいつ？' },
    'POST /richmenus': richMenu,
    'PUT /richmenus/:menuId': { ...richMenu, version: 1 },
    'DELETE /richmenus/:menuId': { version: 1 },
    'POST /richmenus/:menuId/image': menuImage(2500, 843),
    'POST /richmenus/:menuId/publish': { version: 1 },
    'POST /richmenus/:menuId/unpublish': { version: 1 },
    'POST /richmenus/:menuId/refresh': { version: 1 },
    'PUT /richmenu-links': { version: 0, segmentMenus: [], disaster: { onKinds: ['evacuation_order'], offWhenLifted: true } },
    'POST /richmenu-links/disaster': { on: false, version: 0 },
    'POST /scenarios': { name: '新しい案内' },
    'PUT /scenarios/settings': { onboardingScenarioId: null, rev: 0 },
    'PUT /scenarios/:scenarioId': { ...SCENARIO_DRAFT, rev: 2 },
    'POST /scenarios/:scenarioId/publish': { version: 1, rev: 2 },
    'POST /scenarios/:scenarioId/unpublish': { rev: 3 },
    'DELETE /scenarios/:scenarioId': { rev: 2 },
    'PUT /chat/settings': { officeHours: DEFAULT_OFFICE_HOURS, markAsRead: true, rev: 0 },
    'PUT /chat/canned': { items: [{ title: '受付時間', text: '受付は平日8時30分から17時15分までです。' }], rev: 0 },
    'POST /chat/threads/:userId/read': {},
    'POST /chat/threads/:userId/messages': { clientId: CLIENT_ID, text: 'お待たせしました。市民課です。' },
    'POST /chat/threads/:userId/notes': { clientId: CLIENT_ID, text: '住民票の件' },
    'PUT /chat/threads/:userId/assignee': { loginId: null },
    'POST /chat/threads/:userId/close': {},
    'POST /chat/threads/:userId/reopen': {},
    'POST /keywords/import': { format: 'json', mode: 'add', content: JSON.stringify({ format: 'civic-line.keywords', version: 1, rules: [keywordRule] }) },
  };
  return { method, path: concrete, body: bodies[key], query };
}

/**
 * Routes open to a function whose use case then admits administrators only (staff-deliveries.ts
 * approveDelivery, rejectRequest): a general holder is past the route's access check and gets the
 * use case's own 403 (another message than the route's); an administrator gets through.
 */
const ADMINISTRATORS_IN_USE_CASE = new Set(['POST /deliveries/:deliveryId/approve', 'POST /deliveries/:deliveryId/reject']);

type Access = (typeof routes)[number]['access'];
/** The functions that open a route (any of them suffices). */
const opening = (access: Access): FunctionId[] => (typeof access === 'object' ? (Array.isArray(access.fn) ? access.fn : [access.fn]) : []);
const needed = (access: Access): FunctionId | 'admin' | null =>
  access === 'signedIn' || access === 'public' ? null : access === 'admin' ? 'admin' : opening(access)[0];
/** Who may call a route, as the contract list writes it: public, signedIn, admin or its functions. */
const callers = (access: Access | 'public'): string => (typeof access === 'object' ? opening(access).join(' or ') : access);
/** The route's own refusal (a use case's 403 carries another message). */
const DENIED = new AccessDeniedError().message;

describe('admin API permission matrix', () => {
  it('covers every route of the contract, with who may call each', () => {
    expect(
      adminRoutes(h0.deps)
        .map((r) => `${r.method} ${r.path} — ${callers(r.access)}`)
        .sort(),
    ).toEqual(
      [
        'POST /auth/login — public',
        'POST /auth/logout — signedIn',
        'GET /auth/me — signedIn',
        'POST /auth/password — signedIn',
        'POST /auth/totp/setup — admin',
        'POST /auth/totp/enable — admin',
        'POST /auth/totp/disable — admin',
        'GET /staff — staff',
        'POST /staff — staff',
        'PATCH /staff/:loginId — staff',
        'POST /staff/:loginId/reset-password — staff',
        'GET /audit — audit',
        'GET /audit.csv — audit',
        'GET /dashboard — signedIn',
        'GET /forms — surveys',
        'POST /forms — surveys',
        'GET /forms/:formId — surveys',
        'PUT /forms/:formId — surveys',
        'POST /forms/:formId/publish — surveys',
        'POST /forms/:formId/unpublish — surveys',
        'GET /forms/:formId/summary — surveys',
        'GET /forms/:formId/responses — surveys',
        'GET /forms/:formId/responses.csv — surveys',
        'GET /forms/:formId/responses/:userId — surveys',
        'GET /uploads/:uploadId — surveys',
        'GET /attributes — surveys',
        // functions/admin/delivery-routes.ts
        'GET /segments — segments or deliveries',
        'GET /segments/fields — segments or deliveries',
        'POST /segments/count — segments or deliveries',
        'POST /segments — segments',
        'GET /segments/:segmentId — segments or deliveries',
        'PUT /segments/:segmentId — segments',
        'DELETE /segments/:segmentId — segments',
        'GET /deliveries — deliveries',
        'GET /deliveries.csv — deliveries',
        'POST /deliveries — deliveries',
        'POST /deliveries/estimate — deliveries',
        'GET /deliveries/:deliveryId — deliveries',
        'PUT /deliveries/:deliveryId — deliveries',
        'DELETE /deliveries/:deliveryId — deliveries',
        'POST /deliveries/:deliveryId/request — deliveries',
        'POST /deliveries/:deliveryId/approve — deliveries',
        'POST /deliveries/:deliveryId/reject — deliveries',
        'POST /deliveries/:deliveryId/send — deliveries',
        'POST /deliveries/:deliveryId/cancel — deliveries',
        'POST /deliveries/:deliveryId/resend-failed — deliveries',
        'GET /quota — deliveries',
        'POST /media — deliveries or keywords or scenarios or chat or reports',
        'GET /recurrings — deliveries',
        'POST /recurrings/preview — deliveries',
        'POST /recurrings — deliveries',
        'GET /recurrings/:recurringId — deliveries',
        'PUT /recurrings/:recurringId — deliveries',
        'POST /recurrings/:recurringId/pause — deliveries',
        'POST /recurrings/:recurringId/resume — deliveries',
        'POST /recurrings/:recurringId/end — deliveries',
        'GET /settings/deliveries — deliveries',
        'PUT /settings/deliveries — admin',
        'GET /disaster-mail/settings — disasterMail',
        'PUT /disaster-mail/settings — disasterMail',
        'GET /disaster-mail/mails — disasterMail',
        'GET /disaster-mail/held — disasterMail',
        'GET /disaster-mail/held-mails — disasterMail',
        'GET /disaster-mail/mails/:mailId — disasterMail',
        'GET /disaster-mail/mails/:mailId/raw — disasterMail',
        'POST /disaster-mail/mails/:mailId/approve — disasterMail',
        'POST /disaster-mail/mails/:mailId/discard — disasterMail',
        'POST /disaster-mail/test — disasterMail',
        'POST /disaster-mail/dry-run — disasterMail',
        // functions/admin/keyword-routes.ts
        'GET /keywords — keywords',
        'POST /keywords — keywords',
        'GET /keywords/hits — keywords',
        'GET /keywords/unanswered — keywords',
        'POST /keywords/try — keywords',
        'GET /keywords/export — keywords',
        'POST /keywords/import — keywords',
        'GET /keywords/:ruleId — keywords',
        'PUT /keywords/:ruleId — keywords',
        'DELETE /keywords/:ruleId — keywords',
        // functions/admin/friend-routes.ts
        'GET /friends — friends',
        'GET /friends/fields — friends',
        'GET /friends/:userId — friends',
        'GET /friends/:userId/messages — friends',
        'GET /friends/:userId/messages/:messageId/content — friends',
        // functions/admin/richmenu-routes.ts
        'GET /richmenus — richMenus',
        'POST /richmenus — richMenus',
        'GET /richmenus/:menuId — richMenus',
        'PUT /richmenus/:menuId — richMenus',
        'DELETE /richmenus/:menuId — richMenus',
        'POST /richmenus/:menuId/image — richMenus',
        'GET /richmenus/:menuId/image — richMenus',
        'POST /richmenus/:menuId/publish — richMenus',
        'POST /richmenus/:menuId/unpublish — richMenus',
        'POST /richmenus/:menuId/refresh — richMenus',
        'GET /richmenu-links — richMenus',
        'PUT /richmenu-links — richMenus',
        'POST /richmenu-links/disaster — richMenus',
        // functions/admin/scenario-routes.ts
        'GET /scenarios — scenarios',
        'GET /scenarios/published — scenarios or deliveries or keywords or richMenus',
        'POST /scenarios — scenarios',
        'PUT /scenarios/settings — scenarios',
        'GET /scenarios/:scenarioId — scenarios',
        'GET /scenarios/:scenarioId/versions/:version — scenarios',
        'PUT /scenarios/:scenarioId — scenarios',
        'POST /scenarios/:scenarioId/publish — scenarios',
        'POST /scenarios/:scenarioId/unpublish — scenarios',
        'DELETE /scenarios/:scenarioId — scenarios',
        'GET /scenarios/:scenarioId/results — scenarios',
        'GET /scenarios/:scenarioId/runs — scenarios',
        'GET /scenarios/:scenarioId/runs.csv — scenarios',
        // functions/admin/chat-routes.ts
        'GET /chat/state — chat',
        'GET /chat/inbox — chat',
        'GET /chat/staff — chat',
        'GET /chat/settings — chat',
        'PUT /chat/settings — chat',
        'GET /chat/canned — chat',
        'PUT /chat/canned — chat',
        'GET /chat/threads/:userId — chat',
        'GET /chat/threads/:userId/messages — chat',
        'GET /chat/threads/:userId/messages/:messageId/content — chat',
        'POST /chat/threads/:userId/read — chat',
        'POST /chat/threads/:userId/messages — chat',
        'POST /chat/threads/:userId/notes — chat',
        'PUT /chat/threads/:userId/assignee — chat',
        'POST /chat/threads/:userId/close — chat',
        'POST /chat/threads/:userId/reopen — chat',
        'GET /reports — reports',
        'GET /reports/map — reports',
        'GET /reports/export.csv — reports',
        'GET /reports/settings — reports',
        'PUT /reports/settings — reports',
        'GET /reports/:reportId — reports',
        'GET /reports/:reportId/photos/:photoId — reports',
        'POST /reports/:reportId/status/preview — reports',
        'POST /reports/:reportId/status — reports',
        'POST /reports/:reportId/assign — reports',
        'POST /reports/:reportId/notes — reports',
      ].sort(),
    );
  });

  describe.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (name, route) => {
    const fn = needed(route.access);
    const fns = opening(route.access);

    it('refuses a signed-out caller with 401, also with a made-up session cookie', async () => {
      const h = adminHarness();
      const none = await h.call(request(route.method, route.path));
      const forged = await h.call({ ...request(route.method, route.path), token: 'x'.repeat(43), csrf: 'y' });
      expect([none.statusCode, forged.statusCode]).toEqual([401, 401]);
      expect(none.json.error.code).toBe('unauthenticated');
    });

    it(fn ? `refuses a general account without ${fns.length > 0 ? fns.join(' or ') : fn} with 403` : 'lets any signed-in account through', async () => {
      const h = adminHarness();
      await h.seed('target');
      // Holds every function except those that open the route.
      await h.seed('limited', { permissions: FUNCTION_IDS.filter((f) => f !== fn && !fns.includes(f)) });
      const { token, csrf } = await h.signIn('limited');
      const res = await h.call({ ...request(route.method, route.path), token, csrf });
      if (fn) {
        expect(res.statusCode).toBe(403);
        expect(res.json.error).toMatchObject({ code: 'forbidden', message: DENIED });
      } else {
        expect(res.statusCode).toBeLessThan(300);
      }
    });

    // Each function of a list opens the route on its own.
    for (const holds of fns) {
      it(`lets a general account with ${holds} through`, async () => {
        const h = adminHarness();
        await h.seed('target');
        await h.seed('holder', { permissions: [holds] });
        const { token, csrf } = await h.signIn('holder');
        const res = await h.call({ ...request(route.method, route.path), token, csrf });
        if (ADMINISTRATORS_IN_USE_CASE.has(name)) {
          // Past the route's access check: the use case's own refusal, not the route's.
          expect(res.statusCode).toBe(403);
          expect(res.json.error.message).toMatch(/は管理者だけが行えます。$/);
          expect(res.json.error.message).not.toBe(DENIED);
        } else {
          expect(res.statusCode).toBeLessThan(300);
        }
      });
    }

    if (fn === 'admin' || ADMINISTRATORS_IN_USE_CASE.has(name)) {
      it('lets an administrator through', async () => {
        const h = adminHarness();
        await h.seed('boss', { role: 'admin' });
        const { token, csrf } = await h.signIn('boss');
        const res = await h.call({ ...request(route.method, route.path), token, csrf });
        if (route.path.startsWith('/auth/totp/')) {
          // Past the access check: a success, or the TOTP use case's own refusal of the made-up state.
          expect([200, 204, 400, 409]).toContain(res.statusCode);
          expect(res.json?.error?.code).not.toBe('forbidden');
        } else {
          expect(res.statusCode).toBeLessThan(300);
        }
      });
    }
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    const h = adminHarness();
    expect((await h.call({ path: '/nothing' })).statusCode).toBe(404);
    expect((await h.call({ method: 'DELETE', path: '/staff' })).statusCode).toBe(405);
  });
});
