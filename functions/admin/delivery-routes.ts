/** The deliveries and segments routes of the admin API (docs/deliveries-api.md). */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import type { ZodType } from 'zod';
import { historyCsvStream } from '../deliveries/history-csv';
import {
  countBody,
  deliveryBody,
  deliveryUpdateBody,
  estimateBody,
  historyQuery,
  previewBody,
  recurringBody,
  recurringUpdateBody,
  rejectBody,
  segmentBody,
  segmentUpdateBody,
  sendBody,
  settingsBody,
  ULID_PATTERN,
} from '../deliveries/schemas';
import {
  approveDelivery,
  cancelDelivery,
  createDelivery,
  deleteDelivery,
  estimateDelivery,
  getDelivery,
  getSettings,
  listDeliveries,
  monthQuota,
  rejectRequest,
  requestApproval,
  resendFailed,
  sendDelivery,
  updateDelivery,
  updateSettings,
} from '../deliveries/staff-deliveries';
import { uploadMedia, type StaffMediaDeps } from '../deliveries/staff-media';
import {
  changeRecurringStatus,
  createRecurring,
  getRecurring,
  listRecurrings,
  previewOccurrences,
  updateRecurring,
  type StaffRecurringsDeps,
} from '../deliveries/staff-recurrings';
import {
  countAudience,
  createSegment,
  deleteSegment,
  EVERYONE_ID,
  getSegment,
  listSegments,
  segmentFields,
  updateSegment,
  type StaffSegmentsDeps,
} from '../deliveries/staff-segments';
import { DELIVERY_IMAGE, type Recurring, type Segment } from '../deliveries/model';
import type { AudienceCountAnswer, ItemList, OccurrencePreview, QuotaAnswer } from '../deliveries/views';
import { jstDay } from '../shared/japan-time';
import { PayloadTooLargeError } from '../shared/errors';
import { csvHeaders, json, rawBody, type StreamedResult } from '../shared/http';
import { metrics, MetricUnit } from '../shared/powertools';
import { recordAudit } from '../audit/trail';
import type { RequestInfo, SignedIn } from '../staff/context';
import { RouteNotFoundError } from './errors';
import type { StaffRepository } from '../staff/staff';
import { staffDirectory } from '../staff/directory';
import type { RouteDefinition } from '../shared/router';

export type DeliveryRouteDeps = StaffRecurringsDeps &
  StaffSegmentsDeps &
  StaffMediaDeps & {
    /** `stream` only where the caller can pipe a Node stream (the local gateway); Lambda buffers. */
    csvDelivery?: 'stream' | 'buffered';
  };

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  who?: SignedIn;
}
type Route = RouteDefinition<Ctx, StreamedResult>;

/** Images for deliveries: JPEG/PNG up to 5 MB (resized on the server; API Gateway allows 6 MB). */
export const MEDIA_MAX_BYTES = DELIVERY_IMAGE.maxBytes;

const ULID = z.string().regex(ULID_PATTERN);

export function deliveryRoutes(
  deps: DeliveryRouteDeps,
  helpers: {
    parse<T>(schema: ZodType<T>, input: unknown, message?: string): T;
    jsonBody(event: APIGatewayProxyEventV2): unknown;
    staff?: Pick<StaffRepository, 'list'>;
  },
): Route[] {
  const people = staffDirectory(helpers.staff);
  /** A JSON answer whose people carry their display names. */
  const named = async (status: number, body: unknown) => json(status, await people.decorate(body));
  const who = (ctx: Ctx) => ctx.who!;
  const body = <T>(schema: ZodType<T>, ctx: Ctx) => helpers.parse(schema, helpers.jsonBody(ctx.event));
  const id = (params: Record<string, string>, key: string, what: string) => {
    const parsed = ULID.safeParse(params[key]);
    if (!parsed.success) throw new RouteNotFoundError(`${what}が見つかりません。`);
    return parsed.data;
  };
  const deliveryId = (p: Record<string, string>) => id(p, 'deliveryId', '配信');
  const recurringId = (p: Record<string, string>) => id(p, 'recurringId', 'くり返し配信');
  const segmentId = (p: Record<string, string>) => (p.segmentId === EVERYONE_ID ? EVERYONE_ID : id(p, 'segmentId', 'セグメント'));
  const deliveries = { fn: 'deliveries' } as const;
  const segments = { fn: 'segments' } as const;
  const either = { fn: ['segments', 'deliveries'] } as Route['access'];
  const r = (method: Route['method'], path: string, access: Route['access'], run: Route['run']): Route => ({ method, path, access, run });

  return [
    // ---- segments
    r('GET', '/segments', either, async () => named(200, { items: await listSegments(deps) } satisfies ItemList<Segment>)),
    r('GET', '/segments/fields', either, async () => json(200, await segmentFields(deps))),
    r('POST', '/segments/count', either, async (ctx) => {
      const { rule } = body(countBody, ctx);
      const { matching, activeFriends } = await countAudience(deps, rule);
      return json(200, { matching, activeFriends } satisfies AudienceCountAnswer);
    }),
    r('POST', '/segments', segments, async (ctx) => named(201, await createSegment(deps, who(ctx), body(segmentBody, ctx)))),
    r('GET', '/segments/:segmentId', either, async (_ctx, p) => named(200, await getSegment(deps, segmentId(p)))),
    r('PUT', '/segments/:segmentId', segments, async (ctx, p) => named(200, await updateSegment(deps, who(ctx), segmentId(p), body(segmentUpdateBody, ctx)))),
    r('DELETE', '/segments/:segmentId', segments, async (ctx, p) => {
      await deleteSegment(deps, who(ctx), segmentId(p));
      return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
    }),

    // ---- deliveries
    r('GET', '/deliveries', deliveries, async (ctx) => {
      const q = helpers.parse(historyQuery, ctx.event.queryStringParameters ?? {}, '検索条件に誤りがあります。');
      return named(200, await listDeliveries(deps, q));
    }),
    r('GET', '/deliveries.csv', deliveries, async (ctx) => {
      const { cursor: _c, limit: _l, ...q } = helpers.parse(historyQuery, ctx.event.queryStringParameters ?? {}, '検索条件に誤りがあります。');
      await recordAudit(deps, { actor: who(ctx).account.loginId, action: 'deliveries.exported', target: 'deliveries', ip: who(ctx).ip, after: { ...q } });
      let rows = 0;
      const stream = historyCsvStream(deps.deliveries.iterate(q), () => void (rows += 1), await people.map());
      stream.once('end', () => metrics.addMetric('DeliveryHistoryExported', MetricUnit.Count, rows));
      const headers = csvHeaders(`deliveries-${jstDay(deps.clock.now())}.csv`);
      if ((deps.csvDelivery ?? 'buffered') === 'stream') return { statusCode: 200, headers, bodyStream: stream };
      // The history is thousands of rows at most (a few MB): buffered inside Lambda's response limit.
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      return { statusCode: 200, headers, body: Buffer.concat(chunks).toString('utf8') };
    }),
    r('POST', '/deliveries', deliveries, async (ctx) => named(201, await createDelivery(deps, who(ctx), body(deliveryBody, ctx)))),
    r('POST', '/deliveries/estimate', deliveries, async (ctx) => json(200, await estimateDelivery(deps, body(estimateBody, ctx)))),
    r('GET', '/deliveries/:deliveryId', deliveries, async (_ctx, p) => named(200, await getDelivery(deps, deliveryId(p)))),
    r('PUT', '/deliveries/:deliveryId', deliveries, async (ctx, p) =>
      named(200, await updateDelivery(deps, who(ctx), deliveryId(p), body(deliveryUpdateBody, ctx))),
    ),
    r('DELETE', '/deliveries/:deliveryId', deliveries, async (ctx, p) => {
      await deleteDelivery(deps, who(ctx), deliveryId(p));
      return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
    }),
    r('POST', '/deliveries/:deliveryId/request', deliveries, async (ctx, p) => named(200, await requestApproval(deps, who(ctx), deliveryId(p)))),
    r('POST', '/deliveries/:deliveryId/approve', deliveries, async (ctx, p) =>
      named(200, await approveDelivery(deps, who(ctx), deliveryId(p), body(sendBody, ctx))),
    ),
    r('POST', '/deliveries/:deliveryId/reject', deliveries, async (ctx, p) =>
      named(200, await rejectRequest(deps, who(ctx), deliveryId(p), body(rejectBody, ctx).reason)),
    ),
    r('POST', '/deliveries/:deliveryId/send', deliveries, async (ctx, p) => {
      const delivery = await sendDelivery(deps, who(ctx), deliveryId(p), body(sendBody, ctx));
      metrics.addMetric('DeliveriesStarted', MetricUnit.Count, 1);
      return named(200, delivery);
    }),
    r('POST', '/deliveries/:deliveryId/cancel', deliveries, async (ctx, p) => named(200, await cancelDelivery(deps, who(ctx), deliveryId(p)))),
    r('POST', '/deliveries/:deliveryId/resend-failed', deliveries, async (ctx, p) => named(200, await resendFailed(deps, who(ctx), deliveryId(p)))),
    r('GET', '/quota', deliveries, async () => {
      const quota = await monthQuota(deps);
      return json(200, {
        ...(quota ?? { limit: null, used: null, remaining: null, unavailable: true as const }),
        month: jstDay(deps.clock.now()).slice(0, 7),
      } satisfies QuotaAnswer);
    }),
    // Images of deliveries, keyword replies, scenario steps and chat replies: the same checked, resized media.
    r('POST', '/media', { fn: ['deliveries', 'keywords', 'scenarios', 'chat', 'reports'] }, async (ctx) => {
      const bytes = rawBody(ctx.event);
      if (bytes.length > MEDIA_MAX_BYTES) throw new PayloadTooLargeError('画像が大きすぎます（5MBまで）。');
      return named(201, await uploadMedia(deps, who(ctx), bytes));
    }),

    // ---- recurring
    r('GET', '/recurrings', deliveries, async () => named(200, { items: await listRecurrings(deps) } satisfies ItemList<Recurring>)),
    r('POST', '/recurrings/preview', deliveries, async (ctx) =>
      json(200, { next: previewOccurrences(deps, body(previewBody, ctx).rule) } satisfies OccurrencePreview),
    ),
    r('POST', '/recurrings', deliveries, async (ctx) => named(201, await createRecurring(deps, who(ctx), body(recurringBody, ctx)))),
    r('GET', '/recurrings/:recurringId', deliveries, async (_ctx, p) => named(200, await getRecurring(deps, recurringId(p)))),
    r('PUT', '/recurrings/:recurringId', deliveries, async (ctx, p) =>
      named(200, await updateRecurring(deps, who(ctx), recurringId(p), body(recurringUpdateBody, ctx))),
    ),
    r('POST', '/recurrings/:recurringId/pause', deliveries, async (ctx, p) => named(200, await changeRecurringStatus(deps, who(ctx), recurringId(p), 'pause'))),
    r('POST', '/recurrings/:recurringId/resume', deliveries, async (ctx, p) =>
      named(200, await changeRecurringStatus(deps, who(ctx), recurringId(p), 'resume')),
    ),
    r('POST', '/recurrings/:recurringId/end', deliveries, async (ctx, p) => named(200, await changeRecurringStatus(deps, who(ctx), recurringId(p), 'end'))),

    // ---- settings
    r('GET', '/settings/deliveries', deliveries, async () => json(200, await getSettings(deps))),
    r('PUT', '/settings/deliveries', 'admin', async (ctx) => json(200, await updateSettings(deps, who(ctx), body(settingsBody, ctx)))),
  ];
}
