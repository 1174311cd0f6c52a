/** Scenario routes of the admin API (docs/scenarios-api.md): staff with the scenarios function. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ZodType } from 'zod';
import type { ScenarioHeader } from '../scenarios/model';
import { createBody, publishBody, revBody, runsQuery, saveBody, scenarioIdParam, settingsBody, versionParam } from '../scenarios/schemas';
import {
  createScenario,
  deleteScenario,
  exportRuns,
  getScenario,
  listRuns,
  listScenarios,
  publishedScenarios,
  publishScenario,
  saveScenario,
  saveSettings,
  scenarioResults,
  unpublishScenario,
  type StaffScenariosDeps,
} from '../scenarios/staff-scenarios';
import type { RunListView, ScenarioListView, ScenarioResultsView, ScenarioView } from '../scenarios/views';
import { SCENARIO_LIMITS } from '../scenarios/model';
import { csvHeaders, json, type StreamedResult } from '../shared/http';
import type { RouteDefinition } from '../shared/router';
import type { RequestInfo, SignedIn } from '../staff/context';
import { canUse } from '../staff/staff';
import { RouteNotFoundError } from './errors';

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  who?: SignedIn;
}

export type ScenarioRouteDeps = StaffScenariosDeps;

export function scenarioRoutes(
  deps: ScenarioRouteDeps,
  helpers: { parse<T>(schema: ZodType<T>, input: unknown, message?: string): T; jsonBody(event: APIGatewayProxyEventV2, maxBytes?: number): unknown },
): RouteDefinition<Ctx, StreamedResult>[] {
  const access = { fn: 'scenarios' } as const;
  const body = <T>(schema: ZodType<T>, ctx: Ctx, maxBytes = 16 * 1024) => helpers.parse(schema, helpers.jsonBody(ctx.event, maxBytes));
  const id = (params: Record<string, string>) => {
    if (!scenarioIdParam.safeParse(params.scenarioId).success) throw new RouteNotFoundError('このシナリオは見つかりません。');
    return params.scenarioId!;
  };
  const r = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    run: RouteDefinition<Ctx, StreamedResult>['run'],
  ): RouteDefinition<Ctx, StreamedResult> => ({
    method,
    path,
    access,
    run,
  });
  return [
    // Names only (no personal data): the content editor of deliveries and keyword replies offers them for a scenario button.
    {
      method: 'GET',
      path: '/scenarios/published',
      access: { fn: ['scenarios', 'deliveries', 'keywords', 'richMenus'] },
      run: async () => json(200, { items: await publishedScenarios(deps) }),
    },
    r('GET', '/scenarios', async () => json(200, (await listScenarios(deps)) satisfies ScenarioListView)),
    r('POST', '/scenarios', async (ctx) => json(201, (await createScenario(deps, ctx.who!, body(createBody, ctx))) satisfies ScenarioView)),
    r('PUT', '/scenarios/settings', async (ctx) => json(200, (await saveSettings(deps, ctx.who!, body(settingsBody, ctx))) satisfies ScenarioListView)),
    r('GET', '/scenarios/:scenarioId', async (_ctx, p) => json(200, (await getScenario(deps, id(p))) satisfies ScenarioView)),
    r('GET', '/scenarios/:scenarioId/versions/:version', async (_ctx, p) => {
      const version = versionParam.safeParse(p.version);
      if (!version.success) throw new RouteNotFoundError('この版は見つかりません。');
      return json(200, (await getScenario(deps, id(p), version.data)) satisfies ScenarioView);
    }),
    r('PUT', '/scenarios/:scenarioId', async (ctx, p) =>
      json(200, (await saveScenario(deps, ctx.who!, id(p), body(saveBody, ctx, SCENARIO_LIMITS.bodyBytes))) satisfies ScenarioView),
    ),
    r('POST', '/scenarios/:scenarioId/publish', async (ctx, p) =>
      json(200, (await publishScenario(deps, ctx.who!, id(p), body(publishBody, ctx))) satisfies ScenarioHeader),
    ),
    r('POST', '/scenarios/:scenarioId/unpublish', async (ctx, p) =>
      json(200, (await unpublishScenario(deps, ctx.who!, id(p), body(revBody, ctx).rev)) satisfies ScenarioHeader),
    ),
    r('DELETE', '/scenarios/:scenarioId', async (ctx, p) => {
      await deleteScenario(deps, ctx.who!, id(p), body(revBody, ctx).rev);
      return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
    }),
    r('GET', '/scenarios/:scenarioId/results', async (_ctx, p) => json(200, (await scenarioResults(deps, id(p))) satisfies ScenarioResultsView)),
    r('GET', '/scenarios/:scenarioId/runs', async (ctx, p) => {
      const query = helpers.parse(runsQuery, ctx.event.queryStringParameters ?? {}, '表示の条件に誤りがあります。');
      const view = await listRuns(deps, id(p), query);
      // Who answered is personal data: only staff who may also see friends get the user ID.
      if (!canUse(ctx.who!.account, 'friends')) view.items = view.items.map((item) => ({ ...item, userId: '' }));
      return json(200, view satisfies RunListView);
    }),
    r('GET', '/scenarios/:scenarioId/runs.csv', async (ctx, p) => {
      const file = await exportRuns(deps, ctx.who!, id(p), canUse(ctx.who!.account, 'friends'));
      return {
        statusCode: 200,
        headers: csvHeaders(file.filename),
        body: file.body,
      };
    }),
  ];
}
