/**
 * A bounded version of the first release's hostile probe, in CI: hostile paths, queries, cursors
 * and bodies on every route of the admin API (signed in as an administrator, CSRF token sent, so
 * input reaches validation), the LIFF API (with a citizen's valid ID token), the public routes
 * and the signed webhook. The platform may refuse anything, but nothing may answer 5xx: a 5xx is
 * a crash (the probe found 35, 31 of them malformed percent-encoding) or, for LINE's webhook, an
 * invitation to redeliver for ever.
 *
 * Deterministic: a fixed seed picks the values, so a failure names a request that fails again.
 */
import { adminRoutes, type AdminDeps } from '../../../functions/admin/api';
import { liffRoutes, type LiffDeps } from '../../../functions/liff/api';
import { LineSimulatorClient } from '../../../simulator/client';
import { ConsoleClient } from '../admin/console-client';
import { it_env, queueIdle, signBody } from '../../support/integration';

jest.setTimeout(240_000);

const env = it_env();

/** mulberry32: a small seeded generator, so every run sends the same requests. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(20261207);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

/** Path segments: malformed escapes, traversal, huge, markup, wrong shapes. */
const SEGMENTS = [
  '%ff',
  '%e3%81',
  '%',
  '..%2f..%2fetc%2fpasswd',
  '..',
  'a'.repeat(3000),
  '%3Cscript%3E',
  '0',
  '-1',
  '01JDELIVERY0000000000000AA',
  'U' + 'f'.repeat(32),
  'profile',
  '%00',
  '%E8%8D%92%E5%B0%BE',
  'null',
  'undefined',
  '__proto__',
];

/** Query values, cursors among them. */
const QUERY_VALUES = [
  forged({ m: '2026-12', k: { PK: 'FRIEND#U0', SK: 'PROFILE' } }),
  forged({ PK: 'STAFF#admin', SK: 'ACCOUNT', GSI1PK: 'DELIVERIES', GSI1SK: '2026' }),
  forged({ PK: 'FORM#x', SK: 'RESPONSE#U1', GSI1PK: 'x', GSI1SK: 'y' }),
  'not-a-cursor',
  'x'.repeat(5000),
  '-1',
  '1e309',
  'NaN',
  '2026-02-30',
  '9999-99-99',
  '<script>alert(1)</script>',
  '%ff',
  '',
  'draft,sent,<b>',
  '{"$gt":""}',
];
const QUERY_KEYS = ['cursor', 'limit', 'from', 'to', 'q', 'status', 'category', 'actor', 'action', 'recurringId', 'lang'];

/** Bodies: not JSON, deep, huge, wrong types everywhere, prototype keys. */
function hostileBodies(): string[] {
  const wrong = [
    null,
    0,
    -1,
    Number.POSITIVE_INFINITY,
    true,
    'x'.repeat(70_000),
    [],
    {},
    [[[]]],
    { __proto__: { admin: true } },
    '<img src=x onerror=alert(1)>',
    '2026-02-30T25:61:00Z',
  ];
  const shapes = [
    '{oops',
    '',
    'null',
    '[]',
    '"string"',
    `{"a":${deep(100_000)}}`,
    JSON.stringify({ __proto__: { isAdmin: true }, constructor: { prototype: { x: 1 } } }),
    JSON.stringify({ title: 'x'.repeat(60_000) }),
    JSON.stringify({
      variants: [{ lang: 'ja', bubbles: [{ type: 'link', text: 't', label: 'あ'.repeat(60_000), url: 'https://x.jp' }] }],
      audience: { segmentId: 'everyone' },
    }),
    JSON.stringify({ items: Array.from({ length: 5 }, () => ({ type: 'text', label: { ja: 'q' }, text: { pattern: '(a+)+' } })), title: { ja: 't' } }),
    JSON.stringify({
      rule: { match: 'all', conditions: Array.from({ length: 50 }, () => ({ kind: 'attribute', attribute: 'district', op: 'in', values: ['x'] })) },
    }),
    JSON.stringify({ answers: { a: { b: { c: [1, 2, { d: 'x'.repeat(10_000) }] } } }, consent: 'yes', lang: 123 }),
    JSON.stringify({ ref: '01JDELIVERY0000000000000AA.999' }),
  ];
  const fields = [
    'title',
    'name',
    'loginId',
    'password',
    'newPassword',
    'displayName',
    'role',
    'permissions',
    'items',
    'variants',
    'audience',
    'timing',
    'rule',
    'answers',
    'contentType',
    'bytes',
    'formId',
    'itemId',
    'ref',
    'code',
    'reason',
    'version',
    'expectedVersion',
    'approvalRequired',
  ];
  const random = Array.from({ length: 6 }, () => JSON.stringify(Object.fromEntries(fields.map((f) => [f, pick(wrong)]))));
  return [...shapes, ...random];
}

interface Probe {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

const deadLettered = async () =>
  ((await (await fetch(`${env.platformUrl}/__local/status`)).json()) as { queues: { webhook: { deadLettered: number } } }).queues.webhook.deadLettered;

let failures: string[] = [];
let sent = 0;
let fiveHundreds = 0;

async function send(p: Probe): Promise<void> {
  sent += 1;
  let status: number;
  try {
    const res = await fetch(p.url, {
      method: p.method,
      headers: p.headers,
      body: p.method === 'GET' || p.method === 'HEAD' ? undefined : p.body,
      redirect: 'manual',
    });
    await res.arrayBuffer();
    status = res.status;
  } catch (error) {
    failures.push(`${p.method} ${p.url.slice(0, 200)} → no answer: ${String(error).slice(0, 120)}`);
    return;
  }
  if (status >= 500) {
    fiveHundreds += 1;
    failures.push(`${p.method} ${p.url.slice(0, 200)} body ${String(p.body).slice(0, 120)} → ${status}`);
  }
}

/** Runs probes a few at a time (loopback, bounded). */
async function run(probes: Probe[], concurrency = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < probes.length) await send(probes[next++]!);
    }),
  );
}

/** Every concrete path of a route pattern with hostile segments (and one plausible one). */
function paths(pattern: string): string[] {
  const params = pattern.split('/').filter((s) => s.startsWith(':')).length;
  if (params === 0) return [pattern];
  return Array.from({ length: 6 }, (_, i) => pattern.replace(/:[A-Za-z]+/g, () => (i === 0 ? 'U' + 'f'.repeat(32) : pick(SEGMENTS))));
}

function query(): string {
  const n = 1 + Math.floor(random() * 4);
  const parts = Array.from({ length: n }, () => `${pick(QUERY_KEYS)}=${encodeURIComponent(pick(QUERY_VALUES))}`);
  if (random() < 0.2) parts.push('limit=1&limit=2');
  return parts.join('&');
}

describe('hostile requests on every route answer without a 5xx', () => {
  // Each test reports its own 5xx.
  beforeEach(() => {
    failures = [];
  });
  afterAll(() => {
    // A summary for the closing note / CI log.
    console.log(`hostile probe: ${sent} requests, ${fiveHundreds} answered 5xx`);
  });

  it('admin API, signed in as an administrator with the CSRF token', async () => {
    const admin = new ConsoleClient(env.platformUrl);
    expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
    const routes = adminRoutes({ deliveries: {}, disasterMail: {} } as unknown as AdminDeps).filter(
      (r) => r.path !== '/auth/logout' && r.path !== '/auth/password' && !r.path.startsWith('/auth/totp'),
    );
    expect(routes.length).toBeGreaterThan(50);
    const headers = (json: boolean): Record<string, string> => ({
      origin: env.platformUrl,
      cookie: admin.cookie!,
      'x-csrf-token': admin.csrf!,
      ...(json ? { 'content-type': 'application/json' } : {}),
    });
    const probes: Probe[] = [];
    const bodies = hostileBodies();
    for (const route of routes) {
      for (const path of paths(route.path)) {
        const base = `${env.platformUrl}/api/admin${path}`;
        if (route.method === 'GET') {
          probes.push({ method: 'GET', url: base, headers: headers(false) });
          for (let i = 0; i < 4; i++) probes.push({ method: 'GET', url: `${base}?${query()}`, headers: headers(false) });
        } else {
          for (let i = 0; i < 4; i++) probes.push({ method: route.method, url: base, headers: headers(true), body: pick(bodies) });
        }
      }
      // A wrong method on each route, and HEAD.
      probes.push({ method: route.method === 'GET' ? 'DELETE' : 'GET', url: `${env.platformUrl}/api/admin${paths(route.path)[0]}`, headers: headers(false) });
    }
    // The sign-in itself, signed out: hostile bodies and an unknown route.
    for (const body of bodies.slice(0, 8))
      probes.push({
        method: 'POST',
        url: `${env.platformUrl}/api/admin/auth/login`,
        headers: { origin: env.platformUrl, 'content-type': 'application/json' },
        body,
      });
    probes.push({ method: 'GET', url: `${env.platformUrl}/api/admin/%ff/%ff`, headers: headers(false) });
    await run(probes);
    expect(failures).toEqual([]);
  });

  it('LIFF API with a citizen’s valid ID token, and without one', async () => {
    const sim = new LineSimulatorClient(env.simulatorUrl);
    const { citizen } = await sim.createCitizen({ displayName: '探査 市民' });
    const { idToken } = await sim.issueIdToken({ userId: citizen.userId });
    const routes = liffRoutes({} as LiffDeps);
    const probes: Probe[] = [];
    const bodies = hostileBodies();
    for (const route of routes) {
      for (const path of [...paths(route.path), ...paths(route.path.replace(':formId', 'profile'))]) {
        const url = `${env.platformUrl}/api/liff${path}`;
        for (const auth of [`Bearer ${idToken}`, 'Bearer a.b.c', `Bearer ${'x'.repeat(5000)}`]) {
          const headers = { authorization: auth, 'content-type': 'application/json' };
          if (route.method === 'GET') probes.push({ method: 'GET', url: `${url}?${query()}`, headers });
          else for (let i = 0; i < 3; i++) probes.push({ method: route.method, url, headers, body: pick(bodies) });
        }
      }
    }
    probes.push({ method: 'GET', url: `${env.platformUrl}/api/liff/%ff`, headers: { authorization: `Bearer ${idToken}` } });
    await run(probes);
    expect(failures).toEqual([]);
  });

  it('public routes and static pages: click redirects, media, the console and LIFF files', async () => {
    const probes: Probe[] = [];
    for (const prefix of ['/r/', '/media/', '/liff/', '/', '/assets/', '/__local/']) {
      for (const a of SEGMENTS)
        for (const b of ['0', '%ff', 'original', 'preview', '999', '../x'])
          probes.push({ method: 'GET', url: `${env.platformUrl}${prefix}${a}/${b}`, headers: {} });
    }
    await run(probes);
    expect(failures).toEqual([]);
  });

  it('the LINE webhook: signed hostile bodies are acknowledged or refused, never 5xx', async () => {
    const probes: Probe[] = [];
    const sign = (body: string): Probe => ({
      method: 'POST',
      url: env.webhookUrl,
      headers: { 'content-type': 'application/json', 'x-line-signature': signBody(body, env.channelSecret) },
      body,
    });
    const base = { mode: 'active', deliveryContext: { isRedelivery: false }, source: { type: 'user', userId: 'U' + 'e'.repeat(32) } };
    let n = 0;
    const event = (extra: Record<string, unknown>) => ({
      ...base,
      timestamp: Date.now(),
      webhookEventId: `01JPROBE${String(n++).padStart(18, '0')}`,
      ...extra,
    });
    const bodies = [
      ...hostileBodies(),
      JSON.stringify({ destination: 'U', events: [event({ type: 'message', message: { id: '1', type: 'text', text: { a: 1 } } })] }),
      JSON.stringify({ destination: 'U', events: [event({ type: 'postback', postback: { data: 'x'.repeat(301) } })] }),
      JSON.stringify({ destination: 'U', events: [event({ type: 'follow', timestamp: 8.64e15 })] }),
      JSON.stringify({ destination: 'U', events: [event({ type: 'follow', replyToken: 'never-issued' })] }),
      JSON.stringify({
        destination: 'U',
        events: [event({ type: 'message', replyToken: 'never-issued', message: { id: '2', type: 'text', text: 'こんにちは' } })],
      }),
      JSON.stringify({ destination: 'U', events: Array.from({ length: 1001 }, () => ({})) }),
      JSON.stringify({ destination: 'U', events: [event({ type: 'unfollow', source: { type: 'group', groupId: 'C1' } }), event({ type: 'somethingNew' })] }),
    ];
    const before = await deadLettered();
    for (const body of bodies) probes.push(sign(body));
    // Unsigned and wrongly signed: 401, never 5xx.
    probes.push({ method: 'POST', url: env.webhookUrl, headers: { 'content-type': 'application/json' }, body: bodies[0] });
    probes.push({ method: 'POST', url: env.webhookUrl, headers: { 'x-line-signature': 'x'.repeat(10_000) }, body: 'x' });
    await run(probes, 2);
    expect(failures).toEqual([]);
    // And the consumer: nothing of it was dead-lettered (refused events are recorded, not retried).
    await queueIdle();
    expect(await deadLettered()).toBe(before);
  });
});
