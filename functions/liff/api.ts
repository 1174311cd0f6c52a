// ANY /api/liff/{proxy+}: API Gateway → route → LIFF ID token (LINE verify) → zod → use case → adapters.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Router, type RouteDefinition } from '../shared/router';
import { completeUpload, createUploadIntent, openForm, readOwnUpload, submitResponse, type DirectUploadDeps } from '../forms/citizen-forms';
import { FormError } from '../forms/errors';
import { normalizeLang, type Lang } from '../shared/languages';
import { message, type MessageKey } from '../forms/messages';
import { formIdParam, liffClickBody, submitBody, uploadIntentBody } from '../forms/schemas';
import type { LiffErrorBody, UploadLink } from '../forms/views';
import { recordLiffClick } from '../deliveries/liff-clicks';
import type { DeliveryRepository } from '../deliveries/ports';
import { InvalidIdTokenError, type IdTokenVerifier, type VerifiedIdToken } from '../ports/id-token-verifier';
import { header, json, rawBody } from '../shared/http';
import { logger, metrics, MetricUnit } from '../shared/powertools';

export const LIFF_PREFIX = '/api/liff';
const MAX_JSON_BYTES = 256 * 1024;

export interface LiffDeps extends DirectUploadDeps {
  verifier: IdTokenVerifier;
  /** Clicks on links to the city's LIFF app in deliveries (POST /clicks). */
  clicks: Pick<DeliveryRepository, 'clickOnce'>;
  /** The city's LIFF app (only links to it are counted by the page). */
  liffId?: string;
  /** Creates the standard profile form on first use (AWS cold start); no-op when it exists. */
  bootstrap?: () => Promise<void>;
}

type Result = APIGatewayProxyStructuredResultV2;

interface Ctx {
  event: APIGatewayProxyEventV2;
  who: VerifiedIdToken;
  lang: Lang;
}

/** A refusal with a message in the citizen's language. */
class LiffRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: MessageKey,
  ) {
    super(code);
  }
}

function errorBody(status: number, code: string, text: string, fields?: Record<string, string>): Result {
  return json(status, { error: { code, message: text, ...(fields ? { fields } : {}) } } satisfies LiffErrorBody);
}

function jsonBody(event: APIGatewayProxyEventV2): unknown {
  const body = rawBody(event);
  if (body.length > MAX_JSON_BYTES) throw new LiffRefusal(413, 'payload_too_large', 'badRequest');
  try {
    return body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    throw new LiffRefusal(400, 'bad_request', 'badRequest');
  }
}

function formId(params: Record<string, string>): string {
  const parsed = formIdParam.safeParse(params.formId);
  if (!parsed.success) throw new LiffRefusal(404, 'not_found', 'formNotFound');
  return parsed.data;
}

function uploadId(params: Record<string, string>): string {
  const parsed = formIdParam.safeParse(params.uploadId);
  if (!parsed.success) throw new LiffRefusal(404, 'upload_not_found', 'uploadNotFound');
  return parsed.data;
}

export function liffRoutes(deps: LiffDeps): RouteDefinition<Ctx, Result>[] {
  return [
    { method: 'GET', path: '/forms/:formId', access: 'public', run: async (ctx, p) => json(200, await openForm(deps, ctx.who, formId(p), ctx.lang)) },
    {
      method: 'POST',
      path: '/forms/:formId/responses',
      access: 'public',
      run: async (ctx, p) => {
        const body = submitBody.safeParse(jsonBody(ctx.event));
        if (!body.success) throw new LiffRefusal(400, 'bad_request', 'badRequest');
        ctx.lang = normalizeLang(body.data.lang) ?? ctx.lang;
        const answer = await submitResponse(deps, ctx.who, formId(p), { lang: ctx.lang, consent: body.data.consent, answers: body.data.answers });
        metrics.addMetric('FormResponseSubmitted', MetricUnit.Count, 1);
        return json(201, answer);
      },
    },
    {
      // The page was opened from a counted link of a delivery (`clk` in its address).
      method: 'POST',
      path: '/clicks',
      access: 'public',
      run: async (ctx) => {
        const body = liffClickBody.safeParse(jsonBody(ctx.event));
        if (!body.success) throw new LiffRefusal(400, 'bad_request', 'badRequest');
        const outcome = await recordLiffClick({ deliveries: deps.clicks, liffId: deps.liffId }, ctx.who.userId, body.data.ref);
        if (outcome === 'invalid') throw new LiffRefusal(400, 'bad_request', 'badRequest');
        if (outcome === 'unknown') throw new LiffRefusal(404, 'link_not_found', 'badRequest');
        if (outcome === 'counted') metrics.addMetric('DeliveryLiffLinkOpened', MetricUnit.Count, 1);
        return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
      },
    },
    {
      // Step 1 of an upload: a signed URL for exactly this type and size; the bytes never pass through Lambda.
      method: 'POST',
      path: '/uploads/intents',
      access: 'public',
      run: async (ctx) => {
        const raw = jsonBody(ctx.event);
        ctx.lang = normalizeLang((raw as { lang?: unknown } | null)?.lang) ?? ctx.lang;
        const body = uploadIntentBody.safeParse(raw);
        if (!body.success) throw new LiffRefusal(400, 'bad_request', 'badRequest');
        const intent = await createUploadIntent(deps, ctx.who, body.data);
        metrics.addMetric('FormUploadIntentCreated', MetricUnit.Count, 1);
        return json(201, intent);
      },
    },
    {
      // Step 2: after the PUT, check size and magic bytes of what arrived, then record it.
      method: 'POST',
      path: '/uploads/:uploadId/complete',
      access: 'public',
      run: async (ctx, p) => {
        const answer = await completeUpload(deps, ctx.who, uploadId(p));
        metrics.addMetric('FormMediaUploaded', MetricUnit.Count, 1);
        return json(201, answer);
      },
    },
    {
      method: 'GET',
      path: '/uploads/:uploadId',
      access: 'public',
      run: async (ctx, p) => {
        const own = await readOwnUpload(deps, ctx.who, uploadId(p));
        // AWS: a short-lived signed link as JSON (Lambda answers at most 6 MB). Not a 302: fetch() would
        // follow it with the page's Authorization header, which S3 refuses next to a presigned query.
        if (own.url) return json(200, { url: own.url } satisfies UploadLink);
        return {
          statusCode: 200,
          headers: {
            'content-type': own.upload.contentType,
            'cache-control': 'private, no-store',
            'x-content-type-options': 'nosniff',
            'content-disposition': 'inline',
          },
          body: own.body!.toString('base64'),
          isBase64Encoded: true,
        };
      },
    },
  ];
}

/** Factory of the LIFF API handler; the Lambda entry and the local runtime pass their dependencies. */
export function createLiffHandler(deps: LiffDeps) {
  const router = new Router(liffRoutes(deps));
  const liff = async (event: APIGatewayProxyEventV2): Promise<Result> => {
    // Language: `lang` query (body for submit), then the friend's… the token has none, so ja.
    let lang: Lang = normalizeLang(event.queryStringParameters?.lang) ?? 'ja';
    // A route may learn the language from the body; refusals after that use it too.
    let ctx: Ctx | undefined;
    try {
      const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
      const rawPath = event.rawPath ?? '';
      const path = rawPath.startsWith(LIFF_PREFIX) ? rawPath.slice(LIFF_PREFIX.length) : rawPath;
      const match = router.match(method, path);
      if (match === null) return errorBody(404, 'not_found', message('formNotFound', lang));
      if (match === 'method_not_allowed') return errorBody(405, 'method_not_allowed', message('badRequest', lang));

      // Who: only LINE's answer about the ID token counts (never profile data from the browser).
      const bearer = /^Bearer\s+(\S+)$/i.exec(header(event, 'authorization') ?? '')?.[1];
      if (!bearer || bearer.length > 4096) throw new InvalidIdTokenError('missing');
      const who = await deps.verifier.verify(bearer);
      await deps.bootstrap?.();
      ctx = { event, who, lang };
      const result = await match.route.run(ctx, match.params);
      return method === 'HEAD' ? { ...result, body: undefined } : result;
    } catch (error) {
      lang = ctx?.lang ?? lang;
      if (error instanceof InvalidIdTokenError) {
        metrics.addMetric('LiffTokenRefused', MetricUnit.Count, 1);
        logger.info('LIFF request refused: ID token', { reason: error.reason });
        return errorBody(401, 'invalid_id_token', message('invalidIdToken', lang));
      }
      if (error instanceof LiffRefusal) return errorBody(error.status, error.code, message(error.key, lang));
      if (error instanceof FormError) {
        // Codes only: answers are personal data.
        logger.info('LIFF request refused', { code: error.code, status: error.status, items: error.fields ? Object.keys(error.fields).length : 0 });
        return errorBody(error.status, error.code, error.localized(lang), error.fields);
      }
      logger.error('Unhandled error', error as Error);
      return errorBody(500, 'internal_error', message('internal', lang));
    }
  };
  return middy(liff).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
