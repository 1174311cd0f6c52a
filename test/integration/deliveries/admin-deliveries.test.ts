/**
 * Deliveries through the admin API on the local runtime (DynamoDB Local, local queues, the LINE
 * simulator): a saved segment from profile answers with its live count, a two-language delivery
 * sent now reaching exactly the matching friends once each in their language (blocked ones never),
 * approval for general accounts, refusals that change nothing, and the history CSV.
 */
import { LineSimulatorClient } from '../../../simulator/client';
import { eventually, getItem, it_env } from '../../support/integration';
import { ConsoleClient } from '../admin/console-client';

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const admin = new ConsoleClient(env.platformUrl);
const tag = Date.now().toString(36);

interface Citizen {
  userId: string;
  idToken: string;
}

async function citizen(displayName: string, language: string): Promise<Citizen> {
  const { citizen: c } = await sim.createCitizen({ displayName, language });
  await eventually(() => getItem(`FRIEND#${c.userId}`, 'PROFILE'), 10_000, 'friend stored');
  const { idToken } = await sim.issueIdToken({ userId: c.userId });
  return { userId: c.userId, idToken };
}

async function answerProfile(c: Citizen, profileId: string, district: string) {
  const res = await fetch(`${env.platformUrl}/api/liff/forms/${profileId}/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.idToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ lang: 'ja', consent: true, answers: { district, age_band: '40s', gender: 'female', categories: ['disaster'] } }),
  });
  expect(res.status).toBe(201);
}

const content = (title: string) => ({
  title,
  category: '防災',
  variants: [
    { lang: 'ja', bubbles: [{ type: 'text', text: `【${title}】避難所を開設しました。` }] },
    { lang: 'en', bubbles: [{ type: 'text', text: `[${title}] Evacuation shelters are open.` }] },
  ],
});

async function deliveredTexts(userId: string, marker: string): Promise<string[]> {
  const received = await sim.received(userId);
  return received.flatMap((m) => {
    const text = JSON.stringify(m);
    return text.includes(marker) ? [text] : [];
  });
}

let profileId: string;
let arao: Citizen;
let araoEn: Citizen;
let other: Citizen;
let blocked: Citizen;
let segmentId: string;

beforeAll(async () => {
  expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
  const forms = await admin.call('GET', '/forms');
  profileId = forms.body.items.find((f: { kind: string }) => f.kind === 'profile').formId;
  [arao, araoEn, other, blocked] = await Promise.all([
    citizen(`荒尾 花子${tag}`, 'ja'),
    citizen(`Arao Ann${tag}`, 'en'),
    citizen(`平井 太郎${tag}`, 'ja'),
    citizen(`荒尾 封鎖${tag}`, 'ja'),
  ]);
  await Promise.all([
    answerProfile(arao, profileId, 'arao'),
    answerProfile(araoEn, profileId, 'arao'),
    answerProfile(other, profileId, 'hirai'),
    answerProfile(blocked, profileId, 'arao'),
  ]);
  await sim.block(blocked.userId);
  await eventually(async () => (await getItem(`FRIEND#${blocked.userId}`, 'PROFILE'))?.status === 'blocked', 10_000, 'blocked stored');
});

describe('segments', () => {
  it('saves a segment and counts the active friends it matches (blocked ones never)', async () => {
    const rule = { match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: ['arao'] }] };
    const before = await admin.call('POST', '/segments/count', { rule });
    expect(before.status).toBe(200);
    const created = await admin.call('POST', '/segments', { name: `荒尾地区${tag}`, rule });
    expect(created.status).toBe(201);
    segmentId = created.body.segmentId;
    const list = await admin.call('GET', '/segments');
    expect(list.body.items[0].segmentId).toBe('everyone');
    expect(list.body.items.map((s: { segmentId: string }) => s.segmentId)).toContain(segmentId);
    // Other tests' citizens may also live in arao: the count includes ours and never the blocked one.
    expect(before.body.matching).toBeGreaterThanOrEqual(2);
    expect(before.body.activeFriends).toBeGreaterThanOrEqual(before.body.matching);
  });

  it('refuses a malformed rule in Japanese and stores nothing', async () => {
    const res = await admin.call('POST', '/segments', {
      name: '',
      rule: { match: 'some', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: [] }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    const list = await admin.call('GET', '/segments');
    expect(list.body.items.some((s: { name: string }) => s.name === '')).toBe(false);
  });
});

describe('send now', () => {
  it('reaches each matching friend exactly once in their language, never the blocked or non-matching', async () => {
    const title = `send-now-${tag}`;
    const draft = await admin.call('POST', '/deliveries', { ...content(title), audience: { segmentId }, timing: { kind: 'now' } });
    expect(draft.status).toBe(201);
    expect(draft.body.status).toBe('draft');
    const estimate = await admin.call('POST', '/deliveries/estimate', { ...content(title), audience: { segmentId } });
    expect(estimate.status).toBe(200);
    expect(estimate.body.recipients).toBeGreaterThanOrEqual(2);
    expect(estimate.body.mode).toBe('multicast');

    const sent = await admin.call('POST', `/deliveries/${draft.body.deliveryId}/send`, {});
    expect(sent.status).toBe(200);
    const done = await eventually(
      async () => {
        const d = await admin.call('GET', `/deliveries/${draft.body.deliveryId}`);
        return d.body.delivery.status === 'sent' ? d.body : undefined;
      },
      20_000,
      'delivery sent',
    );
    expect(done.delivery.recipients).toBe(estimate.body.recipients);
    expect(done.delivery.succeeded).toBe(estimate.body.recipients);
    expect(done.chunks).toEqual({ pending: 0, sent: done.delivery.chunksTotal, failed: 0 });

    const ja = await deliveredTexts(arao.userId, title);
    const en = await deliveredTexts(araoEn.userId, title);
    expect(ja).toHaveLength(1);
    expect(ja[0]).toContain('避難所を開設しました');
    expect(en).toHaveLength(1);
    expect(en[0]).toContain('Evacuation shelters are open');
    expect(await deliveredTexts(other.userId, title)).toHaveLength(0);
    expect(await deliveredTexts(blocked.userId, title)).toHaveLength(0);

    // A second send of the same delivery is refused and sends nothing more.
    const again = await admin.call('POST', `/deliveries/${draft.body.deliveryId}/send`, {});
    expect(again.status).toBe(409);
    expect(await deliveredTexts(arao.userId, title)).toHaveLength(1);
  });

  it('refuses content without Japanese or with a non-https link, storing nothing', async () => {
    const before = await admin.call('GET', '/deliveries', undefined, { query: { q: `bad-${tag}` } });
    const noJa = await admin.call('POST', '/deliveries', {
      title: `bad-${tag}`,
      category: '防災',
      variants: [{ lang: 'en', bubbles: [{ type: 'text', text: 'x' }] }],
      audience: { segmentId: 'everyone' },
      timing: { kind: 'now' },
    });
    expect(noJa.status).toBe(400);
    const badLink = await admin.call('POST', '/deliveries', {
      title: `bad-${tag}`,
      category: '防災',
      variants: [{ lang: 'ja', bubbles: [{ type: 'link', text: '詳しく', label: '開く', url: 'javascript:alert(1)' }] }],
      audience: { segmentId: 'everyone' },
      timing: { kind: 'now' },
    });
    expect(badLink.status).toBe(400);
    const after = await admin.call('GET', '/deliveries', undefined, { query: { q: `bad-${tag}` } });
    expect(after.body.items).toHaveLength(before.body.items.length);
  });
});

describe('approval', () => {
  it('lets a general account only request while approval is required; an administrator approves and it is sent', async () => {
    const loginId = `clerk${tag}`.slice(0, 20);
    const password = 'Clerk-pass-2026x';
    const createdStaff = await admin.call('POST', '/staff', {
      loginId,
      displayName: '配信 担当',
      role: 'general',
      permissions: ['deliveries'],
      initialPassword: password,
    });
    expect(createdStaff.status).toBe(201);
    const clerk = new ConsoleClient(env.platformUrl);
    expect((await clerk.signIn(loginId, password)).status).toBe(200);
    const changed = await clerk.call('POST', '/auth/password', { currentPassword: password, newPassword: 'Clerk-pass-2027y' });
    expect(changed.status).toBeLessThan(300);

    expect((await admin.call('PUT', '/settings/deliveries', { approvalRequired: true })).status).toBe(200);
    // Only administrators change the setting.
    expect((await clerk.call('PUT', '/settings/deliveries', { approvalRequired: false })).status).toBe(403);
    try {
      const title = `approval-${tag}`;
      const draft = await clerk.call('POST', '/deliveries', { ...content(title), audience: { segmentId }, timing: { kind: 'now' } });
      expect(draft.status).toBe(201);
      const refused = await clerk.call('POST', `/deliveries/${draft.body.deliveryId}/send`, {});
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('approval_required');
      expect(await deliveredTexts(arao.userId, title)).toHaveLength(0);

      const requested = await clerk.call('POST', `/deliveries/${draft.body.deliveryId}/request`, {});
      expect(requested.body.status).toBe('pending_approval');
      expect((await clerk.call('POST', `/deliveries/${draft.body.deliveryId}/approve`, {})).status).toBe(403);

      const approved = await admin.call('POST', `/deliveries/${draft.body.deliveryId}/approve`, {});
      expect(approved.status).toBe(200);
      const done = await eventually(
        async () => {
          const d = await admin.call('GET', `/deliveries/${draft.body.deliveryId}`);
          return d.body.delivery.status === 'sent' ? d.body.delivery : undefined;
        },
        20_000,
        'approved delivery sent',
      );
      expect(done.approvedBy).toBe(process.env.IT_ADMIN_LOGIN_ID);
      expect(done.requestedBy).toBe(loginId);
      expect(await deliveredTexts(arao.userId, title)).toHaveLength(1);
    } finally {
      await admin.call('PUT', '/settings/deliveries', { approvalRequired: false });
    }
  });
});

describe('history CSV', () => {
  it('is UTF-8 with a BOM, Japanese columns, formula-safe cells', async () => {
    const title = `=HYPERLINK("x")${tag}`;
    const draft = await admin.call('POST', '/deliveries', { ...content(title), audience: { segmentId: 'everyone' }, timing: { kind: 'now' } });
    expect(draft.status).toBe(201);
    const res = await admin.call('GET', '/deliveries.csv', undefined, { query: { q: tag } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = res.raw;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const [header] = text.split('\r\n');
    expect(header).toBe('配信日時,タイトル,カテゴリ,配信先,状態,対象人数,成功,失敗,開封,クリック,送信者,承認者,配信ID');
    expect(text).toContain(`'=HYPERLINK`);
    expect(text).toContain(draft.body.deliveryId);
  });
});
