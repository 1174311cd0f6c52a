/** The forms routes of the admin API (docs/forms-api.md, "Staff API"), function `surveys`. */
import { PassThrough, Readable } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ZodType } from 'zod';
import { ulid } from 'ulid';
import { responsesCsvStream } from '../forms/csv';
import { exportBlobKey } from '../forms/keys';
import type { Form } from '../forms/form';
import { createFormBody, formIdParam, lineUserIdParam, responsesQuery, updateFormBody } from '../forms/schemas';
import type { FormSummary, WithLiffId } from '../forms/views';
import {
  attributeDefinitions,
  citizenAnswer,
  createForm,
  getForm,
  listForms,
  listResponses,
  readUpload,
  setPublished,
  summarize,
  updateForm,
  type StaffFormsDeps,
} from '../forms/staff-forms';
import { DomainError } from '../shared/errors';
import { csvHeaders, json, requestOrigin, type StreamedResult } from '../shared/http';
import { metrics, MetricUnit } from '../shared/powertools';
import { recordAudit } from '../audit/trail';
import type { RequestInfo, SignedIn } from '../staff/context';
import { RouteNotFoundError } from './errors';
import { staffDirectory } from '../staff/directory';
import type { RouteDefinition } from '../shared/router';
import type { StaffRepository } from '../staff/staff';

/**
 * How the responses CSV leaves the handler. `stream`: a Node stream the local gateway pipes out
 * (flat memory, any size). `buffered` (API Gateway + Lambda, 6 MB response limit): inline up to
 * CSV_INLINE_MAX_BYTES, larger exports are streamed to the BlobStore and answered with a 303 to
 * a short-lived download URL (507 while the store cannot sign one).
 */
export type CsvDelivery = 'stream' | 'buffered';
export const CSV_INLINE_MAX_BYTES = 5 * 1024 * 1024;
/** Validity of the signed link a staff download of an upload is redirected to (AWS). */
const UPLOAD_LINK_SECONDS = 300;

export interface FormRouteDeps extends StaffFormsDeps {
  csvDelivery?: CsvDelivery;
  /** Creates the standard profile form on first use (AWS cold start). */
  formsBootstrap?: () => Promise<void>;
  /** The city's LIFF app: the console shows form addresses as https://liff.line.me/<liffId>/forms/<formId>. */
  liffId?: string;
}

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  who?: SignedIn;
}
type Result = StreamedResult;

class ExportTooLargeError extends DomainError {
  override readonly status = 507;
  override readonly code = 'export_too_large';
  constructor() {
    super('回答が多く、CSVを一度に出力できません。しばらくしてからお試しいただくか、システム担当にご連絡ください。');
  }
}

export function formRoutes(
  deps: FormRouteDeps,
  helpers: {
    parse<T>(schema: ZodType<T>, input: unknown, message?: string): T;
    jsonBody(event: APIGatewayProxyEventV2): unknown;
    staff?: Pick<StaffRepository, 'list'>;
  },
): RouteDefinition<Ctx, Result>[] {
  const people = staffDirectory(helpers.staff);
  /** A JSON answer whose people (updatedBy) carry their display names. */
  const named = async (status: number, body: unknown) => json(status, await people.decorate(body));
  const access = { fn: 'surveys' } as const;
  const who = (ctx: Ctx) => ctx.who!;
  const id = (params: Record<string, string>, key = 'formId') => {
    const parsed = formIdParam.safeParse(params[key]);
    if (!parsed.success) throw new RouteNotFoundError(key === 'formId' ? 'フォームが見つかりません。' : 'ファイルが見つかりません。');
    return parsed.data;
  };
  const ready = async () => deps.formsBootstrap?.();
  const liff = deps.liffId ? { liffId: deps.liffId } : {};
  const route = (method: RouteDefinition<Ctx, Result>['method'], path: string, run: RouteDefinition<Ctx, Result>['run']): RouteDefinition<Ctx, Result> => ({
    method,
    path,
    access,
    run: async (ctx, params) => {
      await ready();
      return run(ctx, params);
    },
  });
  return [
    route('GET', '/forms', async () => named(200, { items: await listForms(deps), ...liff } satisfies { items: FormSummary[] } & WithLiffId)),
    route('POST', '/forms', async (ctx) => named(201, await createForm(deps, who(ctx), helpers.parse(createFormBody, helpers.jsonBody(ctx.event))))),
    route('GET', '/forms/:formId', async (_ctx, p) => named(200, { ...(await getForm(deps, id(p))), ...liff } satisfies Form & WithLiffId)),
    route('PUT', '/forms/:formId', async (ctx, p) =>
      named(200, { ...(await updateForm(deps, who(ctx), id(p), helpers.parse(updateFormBody, helpers.jsonBody(ctx.event)))), ...liff } satisfies Form &
        WithLiffId),
    ),
    route('POST', '/forms/:formId/publish', async (ctx, p) =>
      named(200, { ...(await setPublished(deps, who(ctx), id(p), true)), ...liff } satisfies Form & WithLiffId),
    ),
    route('POST', '/forms/:formId/unpublish', async (ctx, p) =>
      named(200, { ...(await setPublished(deps, who(ctx), id(p), false)), ...liff } satisfies Form & WithLiffId),
    ),
    route('GET', '/forms/:formId/summary', async (_ctx, p) => json(200, await summarize(deps, id(p)))),
    route('GET', '/forms/:formId/responses', async (ctx, p) => {
      const q = helpers.parse(responsesQuery, ctx.event.queryStringParameters ?? {}, '検索条件に誤りがあります。');
      return json(200, await listResponses(deps, id(p), q.cursor, q.limit));
    }),
    route('GET', '/forms/:formId/responses/:userId', async (_ctx, p) => {
      const userId = lineUserIdParam.safeParse(p.userId);
      if (!userId.success) throw new RouteNotFoundError('この市民の回答は見つかりません。');
      return json(200, await citizenAnswer(deps, id(p), userId.data));
    }),
    route('GET', '/forms/:formId/responses.csv', async (ctx, p) => {
      const form = await getForm(deps, id(p));
      await recordAudit(deps, { actor: who(ctx).account.loginId, action: 'form.responses_exported', target: `form:${form.formId}`, ip: who(ctx).ip });
      let rows = 0;
      // Photos and videos: a link into the console's view of that answer (it asks for sign-in).
      const origin = requestOrigin(ctx.event);
      const answerLink = (userId: string, itemId: string) =>
        `${origin}/surveys/${encodeURIComponent(form.formId)}/responses/${encodeURIComponent(userId)}#item-${encodeURIComponent(itemId)}`;
      const stream = responsesCsvStream(form, deps.responses.scan(form.formId), () => void (rows += 1), answerLink);
      stream.once('end', () => metrics.addMetric('FormResponsesExported', MetricUnit.Count, rows));
      const filename = `form-${form.formId}-responses.csv`;
      const headers = csvHeaders(filename);
      if ((deps.csvDelivery ?? 'buffered') === 'stream') return { statusCode: 200, headers, bodyStream: stream };
      return bufferedCsv(deps, stream, form.formId, filename, headers);
    }),
    route('GET', '/uploads/:uploadId', async (_ctx, p) => {
      // AWS: a 302 to a 5-minute signed S3 link (Lambda answers at most 6 MB; videos reach 50 MB).
      const uploadId = id(p, 'uploadId');
      if (deps.blobs.downloadUrl) {
        const upload = await deps.uploads.get(uploadId);
        const url = upload ? await deps.blobs.downloadUrl(upload.blobKey, upload.uploadId, UPLOAD_LINK_SECONDS, 'inline') : undefined;
        if (url) return redirect(url);
      }
      const { upload, body } = await readUpload(deps, uploadId);
      return {
        statusCode: 200,
        headers: {
          'content-type': upload.contentType,
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
          'content-disposition': 'inline',
        },
        body: body.toString('base64'),
        isBase64Encoded: true,
      };
    }),
    route('GET', '/attributes', async () => json(200, await attributeDefinitions(deps))),
  ];
}

const redirect = (url: string): Result => ({ statusCode: 302, headers: { location: url, 'cache-control': 'private, no-store' }, body: '' });

/** Lambda: the CSV inline when small; otherwise to the BlobStore and a 303 to a signed URL. */
async function bufferedCsv(
  deps: FormRouteDeps,
  stream: Readable,
  formId: string,
  filename: string,
  headers: Record<string, string>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const chunks: Buffer[] = [];
  let size = 0;
  const it = stream[Symbol.asyncIterator]();
  for (;;) {
    const next = await it.next();
    if (next.done) return { statusCode: 200, headers, body: Buffer.concat(chunks).toString('utf8') };
    const buf = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as string);
    chunks.push(buf);
    size += buf.length;
    if (size > CSV_INLINE_MAX_BYTES) break;
  }
  if (!deps.blobs.downloadUrl) {
    stream.destroy();
    throw new ExportTooLargeError();
  }
  const rest = new PassThrough();
  const key = exportBlobKey(formId, ulid());
  const writing = deps.blobs.putStream(key, rest, 'text/csv; charset=utf-8');
  rest.write(Buffer.concat(chunks));
  for (;;) {
    const next = await it.next();
    if (next.done) break;
    if (!rest.write(next.value)) await new Promise((r) => rest.once('drain', r));
  }
  rest.end();
  await writing;
  const url = await deps.blobs.downloadUrl(key, filename, 300);
  if (!url) throw new ExportTooLargeError();
  return { statusCode: 303, headers: { location: url, 'cache-control': 'no-store' }, body: JSON.stringify({ url }) };
}
