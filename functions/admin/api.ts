// ANY /api/admin/{proxy+}: API Gateway → route → session, CSRF, role/function check → zod → use case → adapters.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ZodType } from 'zod';
import type { AuditLog } from '../audit/audit';
import type { Clock } from '../ports/clock';
import { DomainError, PayloadTooLargeError, ValidationError } from '../shared/errors';
import { clientIp, csvHeaders, errorResponse, header, json, rawBody, zodToValidationError, type StreamedResult } from '../shared/http';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import type { PasswordHasher } from '../staff/password';
import { clearedSessionCookie, SESSION_COOKIE, sameToken, sessionCookie, type SessionRepository, type UnknownIdFailures } from '../staff/session';
import { canUse, type StaffRepository } from '../staff/staff';
import { exportAuditCsv, searchAudit } from './audit-search';
import { authenticate, changeOwnPassword, disableTotp, enableTotp, login, logout, me, setupTotp } from './auth';
import type { RequestInfo, SignedIn } from '../staff/context';
import type { FriendStatsReader } from '../friends/friend-stats';
import { dashboard } from './dashboard';
import {
  AccessDeniedError,
  CsrfError,
  LockedError,
  MethodNotAllowedError,
  PasswordChangeRequiredError,
  RouteNotFoundError,
  UnauthenticatedError,
} from './errors';
import { deliveryRoutes, type DeliveryRouteDeps } from './delivery-routes';
import { formRoutes, type FormRouteDeps } from './form-routes';
import { disasterMailRoutes, type DisasterMailRouteDeps } from './disaster-mail-routes';
import { keywordRoutes, type KeywordRouteDeps } from './keyword-routes';
import { friendRoutes, type FriendRouteDeps } from './friend-routes';
import { richMenuRoutes, type RichMenuRouteDeps } from './richmenu-routes';
import { scenarioRoutes, type ScenarioRouteDeps } from './scenario-routes';
import { chatRoutes, type ChatRouteDeps } from './chat-routes';
import { reportRoutes, type ReportRouteDeps } from './report-routes';

import { Router, type RouteDefinition } from '../shared/router';
import {
  auditCsvQuery,
  auditSearchQuery,
  changePasswordBody,
  createStaffBody,
  japaneseErrors,
  loginBody,
  resetPasswordBody,
  staffLoginIdParam,
  totpCodeBody,
  updateStaffBody,
} from './schemas';
import { createStaff, listStaff, resetStaffPassword, updateStaff } from './staff-accounts';
import type { StaffListAnswer } from './views';

export const ADMIN_PREFIX = '/api/admin';
const MAX_BODY_BYTES = 64 * 1024;

export interface AdminDeps extends FormRouteDeps {
  staff: StaffRepository;
  sessions: SessionRepository;
  /** Failed sign-ins with IDs no account has (they lock like an account's). */
  unknownIds: UnknownIdFailures;
  audit: AuditLog;
  friendStats: FriendStatsReader;
  hasher: PasswordHasher;
  clock: Clock;
  /** Origins allowed to sign in besides the request's own host (e.g. the CloudFront domain). */
  allowedOrigins?: string[];
  /** Segments, deliveries, recurring deliveries (docs/deliveries-api.md). */
  deliveries?: DeliveryRouteDeps;
  /** The disaster-mail bridge's settings (docs/disaster-mail-api.md). */
  disasterMail?: DisasterMailRouteDeps;
  /** Keyword auto-replies (docs/keywords-api.md). */
  keywords?: KeywordRouteDeps;
  /** The friends list and a friend's page (docs/friends-api.md). */
  friends?: FriendRouteDeps;
  /** Rich menus (docs/richmenus-api.md). */
  richMenus?: RichMenuRouteDeps;
  /** Scenarios (docs/scenarios-api.md). */
  scenarios?: ScenarioRouteDeps;
  /** 1:1 chat (docs/chat-api.md). */
  chat?: ChatRouteDeps;
  /** Citizen reports (docs/reports-api.md). */
  reports?: ReportRouteDeps;
}

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  /** Set for every route except public ones. */
  who?: SignedIn;
}

type Result = StreamedResult;

function parse<T>(schema: ZodType<T>, input: unknown, message?: string): T {
  const result = schema.safeParse(input, { error: japaneseErrors });
  if (!result.success) throw zodToValidationError(result.error, message);
  return result.data;
}

/** The JSON body, refused above 64 KB (a route that takes more says how much: the raw length is capped before parsing). */
function jsonBody(event: APIGatewayProxyEventV2, maxBytes = MAX_BODY_BYTES): unknown {
  const body = rawBody(event);
  if (body.length > maxBytes) throw new PayloadTooLargeError('送信内容が大きすぎます。');
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ValidationError('送信内容の形式（JSON）に誤りがあります。');
  }
}

function sessionToken(event: APIGatewayProxyEventV2): string | undefined {
  const cookies = event.cookies ?? (header(event, 'cookie') ?? '').split(';');
  for (const cookie of cookies) {
    const [name, ...rest] = cookie.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}

const noContent = (): Result => ({ statusCode: 204, headers: { 'cache-control': 'no-store' } });

/** The routes of docs/admin-api.md with who may call each. */
export function adminRoutes(deps: AdminDeps): RouteDefinition<Ctx, Result>[] {
  const signedIn = (ctx: Ctx) => ctx.who!;
  const staffId = (params: Record<string, string>) => {
    const parsed = staffLoginIdParam.safeParse(params.loginId);
    if (!parsed.success) throw new RouteNotFoundError('職員アカウントが見つかりません。');
    return parsed.data;
  };
  return [
    {
      method: 'POST',
      path: '/auth/login',
      access: 'public',
      run: async (ctx) => {
        checkOrigin(ctx.event, deps.allowedOrigins ?? []);
        const input = parse(loginBody, jsonBody(ctx.event));
        try {
          const { token, ...answer } = await login(deps, input, ctx.info);
          metrics.addMetric('StaffSignedIn', MetricUnit.Count, 1);
          return { ...json(200, answer), cookies: [sessionCookie(token)] };
        } catch (error) {
          metrics.addMetric(error instanceof LockedError ? 'StaffSignInLocked' : 'StaffSignInFailed', MetricUnit.Count, 1);
          throw error;
        }
      },
    },
    {
      method: 'POST',
      path: '/auth/logout',
      access: 'signedIn',
      beforePasswordChange: true,
      run: async (ctx) => {
        await logout(deps, signedIn(ctx));
        return { ...noContent(), cookies: [clearedSessionCookie()] };
      },
    },
    { method: 'GET', path: '/auth/me', access: 'signedIn', beforePasswordChange: true, run: async (ctx) => json(200, me(signedIn(ctx))) },
    {
      method: 'POST',
      path: '/auth/password',
      access: 'signedIn',
      beforePasswordChange: true,
      run: async (ctx) => {
        await changeOwnPassword(deps, signedIn(ctx), parse(changePasswordBody, jsonBody(ctx.event)));
        return noContent();
      },
    },
    { method: 'POST', path: '/auth/totp/setup', access: 'admin', run: async (ctx) => json(200, await setupTotp(deps, signedIn(ctx))) },
    {
      method: 'POST',
      path: '/auth/totp/enable',
      access: 'admin',
      run: async (ctx) => {
        await enableTotp(deps, signedIn(ctx), parse(totpCodeBody, jsonBody(ctx.event)).code);
        return noContent();
      },
    },
    {
      method: 'POST',
      path: '/auth/totp/disable',
      access: 'admin',
      run: async (ctx) => {
        await disableTotp(deps, signedIn(ctx), parse(totpCodeBody, jsonBody(ctx.event)).code);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/staff',
      access: { fn: 'staff' },
      run: async (ctx) => json(200, { items: await listStaff(deps, signedIn(ctx)) } satisfies StaffListAnswer),
    },
    {
      method: 'POST',
      path: '/staff',
      access: { fn: 'staff' },
      run: async (ctx) => json(201, await createStaff(deps, signedIn(ctx), parse(createStaffBody, jsonBody(ctx.event)))),
    },
    {
      method: 'PATCH',
      path: '/staff/:loginId',
      access: { fn: 'staff' },
      run: async (ctx, params) => json(200, await updateStaff(deps, signedIn(ctx), staffId(params), parse(updateStaffBody, jsonBody(ctx.event)))),
    },
    {
      method: 'POST',
      path: '/staff/:loginId/reset-password',
      access: { fn: 'staff' },
      run: async (ctx, params) => {
        await resetStaffPassword(deps, signedIn(ctx), staffId(params), parse(resetPasswordBody, jsonBody(ctx.event)).newPassword);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/audit',
      access: { fn: 'audit' },
      run: async (ctx) => json(200, await searchAudit(deps, parse(auditSearchQuery, ctx.event.queryStringParameters ?? {}, '検索条件に誤りがあります。'))),
    },
    {
      method: 'GET',
      path: '/audit.csv',
      access: { fn: 'audit' },
      run: async (ctx) => {
        const query = parse(auditCsvQuery, ctx.event.queryStringParameters ?? {}, '検索条件に誤りがあります。');
        const { csv, rows } = await exportAuditCsv(deps, query);
        metrics.addMetric('AuditExported', MetricUnit.Count, rows);
        const filename = `audit-${query.from}_${query.to}.csv`;
        return {
          statusCode: 200,
          headers: csvHeaders(filename),
          body: csv,
        };
      },
    },
    {
      method: 'GET',
      path: '/dashboard',
      access: 'signedIn',
      run: async (ctx) =>
        json(
          200,
          await dashboard(
            { friendStats: deps.friendStats, clock: deps.clock, deliveries: deps.deliveries?.deliveries, reports: deps.reports },
            signedIn(ctx).account,
          ),
        ),
    },
    ...formRoutes(deps, { parse, jsonBody, staff: deps.staff }),
    ...(deps.deliveries ? deliveryRoutes(deps.deliveries, { parse, jsonBody, staff: deps.staff }) : []),
    ...(deps.disasterMail ? disasterMailRoutes(deps.disasterMail, { parse, jsonBody }) : []),
    ...(deps.keywords ? keywordRoutes(deps.keywords, { parse, jsonBody }) : []),
    ...(deps.friends ? friendRoutes(deps.friends, { parse }) : []),
    ...(deps.richMenus ? richMenuRoutes(deps.richMenus, { parse, jsonBody }) : []),
    ...(deps.scenarios ? scenarioRoutes(deps.scenarios, { parse, jsonBody }) : []),
    ...(deps.chat ? chatRoutes(deps.chat, { parse, jsonBody }) : []),
    ...(deps.reports ? reportRoutes(deps.reports, { parse, jsonBody }) : []),
  ];
}

/** Sign-in needs `Origin`, when the browser sends one, to be this host or an allowed origin. */
function checkOrigin(event: APIGatewayProxyEventV2, allowed: string[]): void {
  const origin = header(event, 'origin');
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new CsrfError();
  }
  const hosts = [header(event, 'host'), header(event, 'x-forwarded-host'), event.requestContext?.domainName].filter(Boolean);
  if (hosts.includes(host) || allowed.includes(origin)) return;
  logger.warn('Sign-in refused: foreign origin', { origin });
  throw new CsrfError();
}

function mayCall(ctx: Ctx, route: RouteDefinition<Ctx, Result>): boolean {
  const account = ctx.who!.account;
  if (route.access === 'public' || route.access === 'signedIn') return true;
  if (route.access === 'admin') return account.role === 'admin';
  const fns = Array.isArray(route.access.fn) ? route.access.fn : [route.access.fn];
  return fns.some((fn) => canUse(account, fn));
}

function adminErrorResponse(error: unknown): Result {
  if (error instanceof LockedError) {
    return json(error.status, { error: { code: error.code, message: error.message, details: error.details, lockedUntil: error.lockedUntil } });
  }
  const response = errorResponse(error);
  if (error instanceof UnauthenticatedError) return { ...response, cookies: [clearedSessionCookie()] };
  return response;
}

/** Factory of the admin API handler; the Lambda entry and the local runtime pass their dependencies. */
export function createAdminHandler(deps: AdminDeps) {
  const router = new Router(adminRoutes(deps));
  const admin = async (event: APIGatewayProxyEventV2): Promise<Result> => {
    metrics.addMetric('AdminRequests', MetricUnit.Count, 1);
    try {
      const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
      const rawPath = event.rawPath ?? event.requestContext?.http?.path ?? '';
      const path = rawPath.startsWith(ADMIN_PREFIX) ? rawPath.slice(ADMIN_PREFIX.length) : rawPath;
      const match = router.match(method, path);
      if (match === null) throw new RouteNotFoundError();
      if (match === 'method_not_allowed') throw new MethodNotAllowedError();
      const { route, params } = match;

      const ctx: Ctx = { event, info: { ip: clientIp(event) } };
      if (route.access !== 'public') {
        // 1. Who: a live session (401 otherwise).
        ctx.who = { ...(await authenticate(deps, sessionToken(event))), ...ctx.info };
        // 2. CSRF on anything that changes state.
        if (method !== 'GET' && method !== 'HEAD' && !sameToken(header(event, 'x-csrf-token'), ctx.who.session.csrfToken)) throw new CsrfError();
        // 3. Role or function (403).
        if (!mayCall(ctx, route)) throw new AccessDeniedError();
        // 4. A reset or new account must change its password before anything else.
        if (ctx.who.account.mustChangePassword && !route.beforePasswordChange) throw new PasswordChangeRequiredError();
      }
      const result = await route.run(ctx, params);
      if (method !== 'HEAD') return result;
      result.bodyStream?.destroy();
      return { ...result, body: undefined, bodyStream: undefined };
    } catch (error) {
      if (error instanceof DomainError && error.status >= 400 && error.status < 500 && error.status !== 404) {
        // Codes only: paths can hold login IDs, bodies hold passwords.
        logger.info('Admin request refused', { code: error.code, status: error.status });
      }
      return adminErrorResponse(error);
    }
  };
  return middy(admin).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
