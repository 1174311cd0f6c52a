/**
 * Public routes of deliveries (no session; CloudFront in front in AWS):
 * - `GET /r/{deliveryId}/{linkIndex}` — the click redirect of URLs sent in bubbles: +1 on the
 *   link's counter, then 302 to the URL stored when the delivery was sent. Only stored URLs are
 *   ever redirected to (never a URL taken from the request: no open redirect); unknown links get
 *   a Japanese 404 page. `no-store`, so every tap reaches the counter.
 * - `GET /media/{mediaId}/{original|preview}` — delivery images for LINE (LINE fetches them
 *   from the URLs in image messages): the bytes from the uploads store with their content type
 *   and a long cache (a mediaId's bytes never change).
 *
 * handler → validate the path (zod) → repository / blob store → response.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import type { BlobStore } from '../ports/blob-store';
import type { DeliveryRepository, MediaRepository } from './ports';

export interface PublicDeps {
  deliveries: Pick<DeliveryRepository, 'click'>;
  media: Pick<MediaRepository, 'get'>;
  blobs: Pick<BlobStore, 'get'>;
  /** Metric hook (Powertools in the Lambda entry). */
  onClick?: (deliveryId: string) => void;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

const id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);
const redirectPath = z.tuple([
  z.literal('r'),
  id,
  z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number),
]);
const mediaPath = z.tuple([z.literal('media'), id, z.enum(['original', 'preview'])]);

/** A year: media bytes under one id never change. */
export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const SECURITY = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function notFoundPage(what: 'link' | 'media'): APIGatewayProxyStructuredResultV2 {
  const message =
    what === 'link' ? 'このリンクは見つかりませんでした。配信されたメッセージのリンクから開き直してください。' : 'この画像は見つかりませんでした。';
  return {
    statusCode: 404,
    headers: {
      ...SECURITY,
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    },
    body: `<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>ページが見つかりません</title><style>body{font-family:sans-serif;margin:2rem;line-height:1.7;color:#222}</style></head><body><h1>ページが見つかりません</h1><p>${message}</p></body></html>`,
  };
}

/** Only http(s) URLs are redirected to, even among stored ones (defence in depth). */
function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

export async function handlePublicRequest(
  deps: PublicDeps,
  event: Pick<APIGatewayProxyEventV2, 'rawPath' | 'requestContext'>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const segments = event.rawPath.split('/').filter((s) => s !== '');
  const isRedirect = segments[0] === 'r';
  if (method !== 'GET' && method !== 'HEAD') return { statusCode: 405, headers: { ...SECURITY, allow: 'GET, HEAD', 'cache-control': 'no-store' } };

  if (isRedirect) {
    const parsed = redirectPath.safeParse(segments);
    if (!parsed.success) return notFoundPage('link');
    const [, deliveryId, linkIndex] = parsed.data;
    const url = safeUrl(await deps.deliveries.click(deliveryId, linkIndex));
    if (!url) return notFoundPage('link');
    deps.onClick?.(deliveryId);
    return { statusCode: 302, headers: { ...SECURITY, location: url, 'cache-control': 'no-store' } };
  }

  const parsed = mediaPath.safeParse(segments);
  if (!parsed.success) return notFoundPage('media');
  const [, mediaId, variant] = parsed.data;
  const media = await deps.media.get(mediaId);
  if (!media) return notFoundPage('media');
  const bytes = await deps.blobs.get(variant === 'original' ? media.originalKey : media.previewKey);
  if (!bytes) {
    deps.log?.('Media bytes missing', { mediaId, variant });
    return notFoundPage('media');
  }
  return {
    statusCode: 200,
    headers: { ...SECURITY, 'content-type': media.contentType, 'content-length': String(bytes.length), 'cache-control': MEDIA_CACHE_CONTROL },
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  };
}

/** The handler factory (the Lambda entry and the local gateway use the same one). */
export function createPublicHandler(deps: PublicDeps) {
  return (event: APIGatewayProxyEventV2) => handlePublicRequest(deps, event);
}
