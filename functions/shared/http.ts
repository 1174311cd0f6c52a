/**
 * The one place where results and errors become API Gateway v2 responses.
 */
import type { Readable } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ZodError } from 'zod';
import { DomainError, ValidationError } from './errors';
import { logger } from './powertools';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/**
 * A result whose body is a Node stream (large CSV exports). Only the local gateway understands
 * `bodyStream`; API Gateway + Lambda buffer responses, so handlers there must not return one.
 */
export interface StreamedResult extends APIGatewayProxyStructuredResultV2 {
  bodyStream?: Readable;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** The headers of a CSV file the console downloads (never cached, never sniffed as something else). */
export function csvHeaders(filename: string): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}

/** Maps a thrown value to a response: domain errors keep their status and message, others are a logged 500. */
export function errorResponse(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof DomainError) {
    return json(error.status, { error: { code: error.code, message: error.message, details: error.details } });
  }
  logger.error('Unhandled error', error as Error);
  return json(500, { error: { code: 'internal_error', message: 'サーバー内部でエラーが発生しました。時間をおいて再度お試しください。' } });
}

/** Raw request body as a Buffer, whatever API Gateway did with it (base64 for binary payloads). */
export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/** Case-insensitive header lookup (API Gateway v2 lower-cases, local callers may not). */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Turns a zod error into a ValidationError listing each failing path. */
export function zodToValidationError(error: ZodError, message = '入力内容に誤りがあります。'): ValidationError {
  return new ValidationError(
    message,
    error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

/**
 * The origin the caller reached (the console's, as its browser sees it): behind CloudFront the
 * viewer's Host arrives as x-forwarded-host (a CloudFront Function sets it, web stack); https
 * except on the local loopback. Used for links staff open later (e.g. in a CSV export).
 */
export function requestOrigin(event: APIGatewayProxyEventV2): string {
  const candidates = [header(event, 'x-forwarded-host'), header(event, 'host'), event.requestContext?.domainName];
  const host =
    candidates.find((h): h is string => typeof h === 'string' && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(h)) ?? 'localhost';
  const loopback = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host);
  return `${loopback ? 'http' : 'https'}://${host}`;
}

/**
 * The caller's IP for audit records. Behind CloudFront, API Gateway's sourceIp is an edge
 * address: prefer CloudFront's viewer-address header, then the first X-Forwarded-For entry
 * of a request that came through CloudFront.
 */
export function clientIp(event: APIGatewayProxyEventV2): string {
  const viewer = header(event, 'cloudfront-viewer-address');
  if (viewer) return viewer.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const via = header(event, 'via') ?? '';
  const forwarded = header(event, 'x-forwarded-for');
  if (forwarded && /cloudfront/i.test(via)) return forwarded.split(',')[0].trim();
  return event.requestContext?.http?.sourceIp ?? 'unknown';
}
