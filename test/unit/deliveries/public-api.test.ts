import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Media } from '../../../functions/deliveries/model';
import { handlePublicRequest, MEDIA_CACHE_CONTROL, type PublicDeps } from '../../../functions/deliveries/public-api';

const get = (rawPath: string, method = 'GET') => ({ rawPath, requestContext: { http: { method } } }) as unknown as APIGatewayProxyEventV2;

function harness() {
  const links = new Map<string, { url: string; clicks: number }>([
    ['01DELIVERY/0', { url: 'https://www.city.arao.lg.jp/event?id=1', clicks: 0 }],
    ['01DELIVERY/1', { url: 'javascript:alert(1)', clicks: 0 }],
  ]);
  const media: Media = {
    mediaId: '01MEDIA',
    contentType: 'image/png',
    width: 100,
    height: 80,
    originalKey: 'media/01MEDIA/original.png',
    previewKey: 'media/01MEDIA/preview.png',
    bytes: 4,
    createdAt: '2026-11-24T00:00:00Z',
    createdBy: 'staff',
  };
  const blobs = new Map([
    ['media/01MEDIA/original.png', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
    ['media/01MEDIA/preview.png', Buffer.from([0x89, 0x50])],
  ]);
  const clicked: string[] = [];
  const deps: PublicDeps = {
    deliveries: {
      click: async (deliveryId, linkIndex) => {
        const link = links.get(`${deliveryId}/${linkIndex}`);
        if (!link) return undefined;
        link.clicks++;
        return link.url;
      },
    },
    media: { get: async (id) => (id === media.mediaId ? media : null) },
    blobs: { get: async (key) => blobs.get(key) ?? null },
    onClick: (id) => clicked.push(id),
  };
  return { deps, links, clicked };
}

describe('click redirect', () => {
  it('counts the click and answers 302 to the stored URL, never cached', async () => {
    const { deps, links, clicked } = harness();
    const res = await handlePublicRequest(deps, get('/r/01DELIVERY/0'));
    expect(res.statusCode).toBe(302);
    expect(res.headers).toMatchObject({ location: 'https://www.city.arao.lg.jp/event?id=1', 'cache-control': 'no-store' });
    expect(links.get('01DELIVERY/0')!.clicks).toBe(1);
    expect(clicked).toEqual(['01DELIVERY']);
  });

  it('answers a Japanese 404 page for unknown links and malformed paths, and never redirects elsewhere', async () => {
    const { deps } = harness();
    for (const path of ['/r/01DELIVERY/7', '/r/01DELIVERY/x', '/r/01DELIVERY', '/r/../0', '/r/01DELIVERY/0/extra', '/r/01DELIVERY/1']) {
      const res = await handlePublicRequest(deps, get(path));
      expect(res.statusCode).toBe(404);
      expect(res.headers?.location).toBeUndefined();
      expect(res.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('このリンクは見つかりませんでした');
    }
  });
});

describe('media', () => {
  it('serves the original and the preview with their content type and a long cache', async () => {
    const { deps } = harness();
    const original = await handlePublicRequest(deps, get('/media/01MEDIA/original'));
    expect(original.statusCode).toBe(200);
    expect(original.isBase64Encoded).toBe(true);
    expect(Buffer.from(original.body!, 'base64')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(original.headers).toMatchObject({ 'content-type': 'image/png', 'cache-control': MEDIA_CACHE_CONTROL, 'content-length': '4' });
    const preview = await handlePublicRequest(deps, get('/media/01MEDIA/preview'));
    expect(Buffer.from(preview.body!, 'base64')).toHaveLength(2);
  });

  it('404 for unknown media or variants; 405 for other methods', async () => {
    const { deps } = harness();
    expect((await handlePublicRequest(deps, get('/media/NOPE/original'))).statusCode).toBe(404);
    expect((await handlePublicRequest(deps, get('/media/01MEDIA/thumbnail'))).statusCode).toBe(404);
    expect((await handlePublicRequest(deps, get('/media/01MEDIA/original', 'POST'))).statusCode).toBe(405);
  });
});
