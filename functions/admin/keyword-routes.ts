/** Keyword auto-replies' routes of the admin API (docs/keywords-api.md): staff with the keywords function. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import type { ZodType } from 'zod';
import { createRuleBody, deleteRuleBody, importBody, IMPORT_MAX_BYTES, ruleIdParam, tryBody, updateRuleBody } from '../keywords/schemas';
import type { KeywordRule } from '../keywords/model';
import {
  createRule,
  deleteRule,
  exportRules,
  getRule,
  importRules,
  listRules,
  listUnanswered,
  ruleHits,
  tryMessage,
  updateRule,
  type HitsView,
  type KeywordListView,
  type StaffKeywordsDeps,
  type TryView,
  type UnansweredView,
} from '../keywords/staff-keywords';
import { json, type StreamedResult } from '../shared/http';
import type { RouteDefinition } from '../shared/router';
import type { RequestInfo, SignedIn } from '../staff/context';
import { canUse } from '../staff/staff';
import { RouteNotFoundError } from './errors';

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  who?: SignedIn;
}

export interface KeywordRouteDeps extends StaffKeywordsDeps {
  /** Where LINE fetches reply images (PUBLIC_BASE_URL): the "try" preview shows the messages as sent. */
  publicBaseUrl: string;
  /** The starter set, loaded once at the first request (functions/keywords/starter.ts). */
  keywordsBootstrap?: () => Promise<void>;
}

const unansweredQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).optional(), cursor: z.string().max(2048).optional() }).strict();
const hitsQuery = z.object({ days: z.coerce.number().int().min(1).max(90).optional() }).strict();
const exportQuery = z.object({ format: z.enum(['csv', 'json']) }).strict();
/** A rule with up to 5 bubbles in 5 languages: well under this. */
const RULE_MAX_BYTES = 256 * 1024;

export function keywordRoutes(
  deps: KeywordRouteDeps,
  helpers: { parse<T>(schema: ZodType<T>, input: unknown, message?: string): T; jsonBody(event: APIGatewayProxyEventV2, maxBytes?: number): unknown },
): RouteDefinition<Ctx, StreamedResult>[] {
  const access = { fn: 'keywords' } as const;
  const body = <T>(schema: ZodType<T>, ctx: Ctx, maxBytes = RULE_MAX_BYTES) => helpers.parse(schema, helpers.jsonBody(ctx.event, maxBytes));
  const ruleId = (params: Record<string, string>) => {
    if (!ruleIdParam.safeParse(params.ruleId).success) throw new RouteNotFoundError('このルールは見つかりません。');
    return params.ruleId!;
  };
  const query = <T>(schema: ZodType<T>, ctx: Ctx) => helpers.parse(schema, ctx.event.queryStringParameters ?? {}, '表示の条件に誤りがあります。');
  // The starter set before anything else touches the rules (a first create would otherwise make the set's marker and skip it).
  const ready = async () => deps.keywordsBootstrap?.();
  const r = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    run: RouteDefinition<Ctx, StreamedResult>['run'],
  ): RouteDefinition<Ctx, StreamedResult> => ({
    method,
    path,
    access,
    run: async (ctx, params) => {
      await ready();
      return run(ctx, params);
    },
  });
  return [
    r('GET', '/keywords', async () => json(200, (await listRules(deps)) satisfies KeywordListView)),
    r('POST', '/keywords', async (ctx) => json(201, (await createRule(deps, ctx.who!, body(createRuleBody, ctx))) satisfies KeywordRule)),
    r('GET', '/keywords/hits', async (ctx) => json(200, (await ruleHits(deps, query(hitsQuery, ctx).days ?? 30)) satisfies HitsView)),
    r('GET', '/keywords/unanswered', async (ctx) => {
      const view = await listUnanswered(deps, query(unansweredQuery, ctx));
      // Who wrote it is personal data: only staff who may also see friends get the name and user ID.
      if (!canUse(ctx.who!.account, 'friends')) view.items = view.items.map(({ userId: _u, displayName: _d, ...rest }) => ({ ...rest, userId: '' }));
      return json(200, view satisfies UnansweredView);
    }),
    r('POST', '/keywords/try', async (ctx) => json(200, (await tryMessage(deps, body(tryBody, ctx), deps.publicBaseUrl)) satisfies TryView)),
    r('GET', '/keywords/export', async (ctx) => {
      const file = await exportRules(deps, ctx.who!, query(exportQuery, ctx).format);
      return {
        statusCode: 200,
        headers: {
          'content-type': file.contentType,
          'content-disposition': `attachment; filename="${file.filename}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: file.body,
      };
    }),
    r('POST', '/keywords/import', async (ctx) => json(200, await importRules(deps, ctx.who!, body(importBody, ctx, IMPORT_MAX_BYTES * 2 + 1024)))),
    r('GET', '/keywords/:ruleId', async (_ctx, p) => json(200, (await getRule(deps, ruleId(p))) satisfies KeywordRule)),
    r('PUT', '/keywords/:ruleId', async (ctx, p) => json(200, (await updateRule(deps, ctx.who!, ruleId(p), body(updateRuleBody, ctx))) satisfies KeywordRule)),
    r('DELETE', '/keywords/:ruleId', async (ctx, p) => {
      await deleteRule(deps, ctx.who!, ruleId(p), body(deleteRuleBody, ctx).version);
      return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
    }),
  ];
}
