/**
 * The local API Gateway's own refusals: malformed percent-encoding is the caller's error (400, as
 * API Gateway answers), and every refusal of the gateway — 400, 404, 413, 431 — is the API's JSON
 * error shape with a Japanese message.
 */
import { request } from 'node:http';
import { HttpGateway } from '../../../local/http-gateway';

describe('local HTTP gateway refusals', () => {
  let gateway: HttpGateway;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    const echo = async (event: { pathParameters?: Record<string, string | undefined> }) => {
      seen.push(event.pathParameters?.proxy ?? '');
      return { statusCode: 200, body: JSON.stringify(event.pathParameters ?? {}) };
    };
    gateway = new HttpGateway([
      { routeKey: 'ANY /api/admin/{proxy+}', handler: echo, functionName: 'admin' },
      { routeKey: 'GET /r/{proxy+}', handler: echo, functionName: 'public' },
      { routeKey: 'POST /webhook', handler: echo, functionName: 'webhook' },
    ]);
    base = await gateway.listen(0);
  });
  afterAll(() => gateway.close());

  const expectRefusal = async (res: Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  };

  it.each(['/api/admin/forms/%ff', '/api/admin/forms/%e3%81', '/r/%ff/0', '/api/admin/%'])(
    'answers 400 to the malformed escape in %s without calling the handler',
    async (path) => {
      const before = seen.length;
      await expectRefusal(await fetch(`${base}${path}`), 400, 'bad_request');
      expect(seen.length).toBe(before);
    },
  );

  it('passes well-formed escapes decoded, as API Gateway does', async () => {
    const res = await fetch(`${base}/api/admin/forms/%E8%8D%92%E5%B0%BE`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ proxy: 'forms/荒尾' });
  });

  it('answers unknown routes with 404 in the same shape', async () => {
    await expectRefusal(await fetch(`${base}/nothing/here`), 404, 'not_found');
    await expectRefusal(await fetch(`${base}/webhook`), 404, 'not_found'); // GET: no such route
  });

  it('answers a body over 10 MB with 413 in the same shape', async () => {
    await expectRefusal(await fetch(`${base}/webhook`, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61) }), 413, 'payload_too_large');
  });

  it('answers headers over the limit with 431 in the same shape', async () => {
    const { status, type, body } = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = request(`${base}/api/admin/auth/me`, { headers: { cookie: `x=${'a'.repeat(20_000)}` } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
    expect(type).toContain('application/json');
    expect(JSON.parse(body).error.code).toBe('headers_too_large');
  });
});
