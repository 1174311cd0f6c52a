/** Citizen report routes of the admin API (docs/reports-api.md): staff with the reports function (a category limit applies inside). */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ZodType } from 'zod';
import type { ReportSettings } from '../reports/model';
import { assignBody, listQuery, noteBody, reportIdParam, settingsBody, statusBody } from '../reports/schemas';
import {
  assignReport,
  changeStatus,
  exportReports,
  getReport,
  listReports,
  noteReport,
  previewStatus,
  reportMap,
  reportPhoto,
  reportSettings,
  saveReportSettings,
  type StaffReportsDeps,
} from '../reports/staff-reports';
import type { ReportListView, ReportMapView, ReportView, StatusPreview } from '../reports/views';
import { csvHeaders, json, type StreamedResult } from '../shared/http';
import type { RouteDefinition } from '../shared/router';
import type { RequestInfo, SignedIn } from '../staff/context';
import { RouteNotFoundError } from './errors';

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  who?: SignedIn;
}

export type ReportRouteDeps = StaffReportsDeps & {
  /** The starter report scenario, created once (also at the local start). */
  reportsBootstrap?: () => Promise<void>;
};

const GONE = 'この通報は見つかりません。';

export function reportRoutes(
  deps: ReportRouteDeps,
  helpers: { parse<T>(schema: ZodType<T>, input: unknown, message?: string): T; jsonBody(event: APIGatewayProxyEventV2, maxBytes?: number): unknown },
): RouteDefinition<Ctx, StreamedResult>[] {
  const access = { fn: 'reports' } as const;
  const body = <T>(schema: ZodType<T>, ctx: Ctx, maxBytes = 16 * 1024) => helpers.parse(schema, helpers.jsonBody(ctx.event, maxBytes));
  const query = (ctx: Ctx) => helpers.parse(listQuery, ctx.event.queryStringParameters ?? {}, '表示の条件に誤りがあります。');
  const id = (params: Record<string, string>) => {
    if (!reportIdParam.safeParse(params.reportId).success) throw new RouteNotFoundError(GONE);
    return params.reportId!;
  };
  const r = (method: 'GET' | 'POST' | 'PUT', path: string, run: RouteDefinition<Ctx, StreamedResult>['run']): RouteDefinition<Ctx, StreamedResult> => ({
    method,
    path,
    access,
    run: async (ctx, params) => {
      await deps.reportsBootstrap?.();
      return run(ctx, params);
    },
  });
  return [
    r('GET', '/reports', async (ctx) => json(200, (await listReports(deps, ctx.who!, query(ctx))) satisfies ReportListView)),
    r('GET', '/reports/map', async (ctx) => json(200, (await reportMap(deps, ctx.who!, query(ctx))) satisfies ReportMapView)),
    r('GET', '/reports/export.csv', async (ctx) => {
      const file = await exportReports(deps, ctx.who!, query(ctx));
      return {
        statusCode: 200,
        headers: csvHeaders(file.filename),
        body: file.body,
      };
    }),
    r('GET', '/reports/settings', async () => json(200, (await reportSettings(deps)) satisfies ReportSettings)),
    // Settings take a boundary GeoJSON of up to 512 KB.
    r('PUT', '/reports/settings', async (ctx) =>
      json(200, (await saveReportSettings(deps, ctx.who!, body(settingsBody, ctx, 600 * 1024))) satisfies ReportSettings),
    ),
    r('GET', '/reports/:reportId', async (ctx, p) => json(200, (await getReport(deps, ctx.who!, id(p))) satisfies ReportView)),
    r('GET', '/reports/:reportId/photos/:photoId', async (ctx, p) => {
      const photoId = p.photoId ?? '';
      if (!/^[0-9A-Za-z]{1,64}$/.test(photoId)) throw new RouteNotFoundError('この写真は見つかりません。');
      const preview = ctx.event.queryStringParameters?.size === 'preview';
      const { contentType, bytes } = await reportPhoto(deps, ctx.who!, id(p), photoId, preview);
      return {
        statusCode: 200,
        headers: {
          'content-type': contentType,
          'content-disposition': 'inline',
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; img-src 'self'; sandbox",
        },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      };
    }),
    r('POST', '/reports/:reportId/status/preview', async (ctx, p) =>
      json(200, (await previewStatus(deps, ctx.who!, id(p), body(statusBody, ctx))) satisfies StatusPreview),
    ),
    r('POST', '/reports/:reportId/status', async (ctx, p) =>
      json(200, (await changeStatus(deps, ctx.who!, id(p), body(statusBody, ctx))) satisfies ReportView),
    ),
    r('POST', '/reports/:reportId/assign', async (ctx, p) =>
      json(200, (await assignReport(deps, ctx.who!, id(p), body(assignBody, ctx))) satisfies ReportView),
    ),
    r('POST', '/reports/:reportId/notes', async (ctx, p) => json(200, (await noteReport(deps, ctx.who!, id(p), body(noteBody, ctx))) satisfies ReportView)),
  ];
}
