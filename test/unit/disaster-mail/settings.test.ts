/** The bridge's settings through the admin API (in-memory harness): read, saved over the version read, audited in words. */
import { DEFAULT_BRIDGE_SETTINGS } from '../../../functions/disaster-mail/model';
import { auditValueText, AUDIT_FIELD_LABELS } from '../../../functions/audit/labels';
import { adminHarness } from '../../support/admin-fakes';
import { DELIVERY_TARGETS } from '../../support/delivery-fakes';

async function signedIn() {
  const h = adminHarness();
  await h.seed('bousai', { permissions: ['disasterMail'] });
  const session = await h.signIn('bousai');
  const call = (method: string, body?: unknown) => h.call({ method, path: '/disaster-mail/settings', body, ...session });
  return { h, call };
}

const settings = {
  ...DEFAULT_BRIDGE_SETTINGS,
  acceptedSenders: ['bousai@city.arao.example'],
  routes: [
    { id: 'evac', name: '避難情報は全員へ', subjectKeywords: ['避難指示'], target: { kind: 'everyone' }, mode: 'auto' },
    {
      id: 'seg',
      name: '対象地区だけ',
      bodyKeywords: ['万田'],
      target: { kind: 'segments', segmentIds: [DELIVERY_TARGETS.segment] },
      mode: 'hold',
      releaseAfterMinutes: 15,
    },
  ],
  disasterPageUrl: 'https://www.city.arao.example/bousai/',
};

it('answers the defaults before the first save (nothing accepted, no route), then what was saved', async () => {
  const { call } = await signedIn();
  const first = await call('GET');
  expect(first.statusCode).toBe(200);
  expect(first.json).toEqual({ settings: DEFAULT_BRIDGE_SETTINGS, version: 0 });
  const saved = await call('PUT', { settings, expectedVersion: 0 });
  expect(saved.statusCode).toBe(200);
  expect(saved.json).toMatchObject({ version: 1, updatedBy: 'bousai' });
  expect((await call('GET')).json).toMatchObject({
    settings: { acceptedSenders: ['bousai@city.arao.example'], routes: [{ id: 'evac' }, { id: 'seg' }] },
    version: 1,
  });
});

it('refuses a save over an older version (another staff member saved first), and a route to a segment that does not exist', async () => {
  const { call } = await signedIn();
  expect((await call('PUT', { settings, expectedVersion: 0 })).statusCode).toBe(200);
  const stale = await call('PUT', { settings: { ...settings, acceptedSenders: [] }, expectedVersion: 0 });
  expect(stale.statusCode).toBe(409);
  expect(stale.json.error.message).toBe('ほかの職員が先に変更しました。画面を読み込み直してください。');
  const missing = '01JDA7ZQ3V4W5X6Y7Z8A9B0C1D';
  const gone = await call('PUT', {
    settings: { ...settings, routes: [{ ...settings.routes[1], target: { kind: 'segments', segmentIds: [missing] } }] },
    expectedVersion: 1,
  });
  expect(gone.statusCode).toBe(400);
  expect(gone.json.error.message).toContain(missing);
  expect((await call('GET')).json.version).toBe(1);
});

it('refuses invalid settings with a Japanese message and changes nothing', async () => {
  const { call } = await signedIn();
  const bad = await call('PUT', { settings: { ...settings, disasterPageUrl: 'javascript:alert(1)' }, expectedVersion: 0 });
  expect(bad.statusCode).toBe(400);
  expect(JSON.stringify(bad.json)).toContain('防災ページのURLは https:// で始まるアドレスにしてください。');
  expect((await call('GET')).json.version).toBe(0);
});

it('audits every save with the settings in words', async () => {
  const { h, call } = await signedIn();
  await call('PUT', { settings, expectedVersion: 0 });
  const entry = h.deps.audit.entries.find((e) => e.action === 'disaster_mail_settings.updated')!;
  expect(entry).toMatchObject({ actor: 'bousai', target: 'settings:disaster-mail', summary: '防災メール連携の設定変更' });
  expect(entry.after!.routes).toEqual([
    '1. 避難情報は全員へ：件名：避難指示 → 友だち全員、自動で送る',
    '2. 対象地区だけ：本文：万田 → 対象セグメント、承認を待つ（15分たったら送る）',
  ]);
  expect(entry.before!.defaultRoute).toBe('記録だけして送らない');
  expect(Object.keys(entry.after!).every((k) => k in AUDIT_FIELD_LABELS.disasterMailSettings)).toBe(true);
  expect(auditValueText('disasterMailSettings', 'acceptedSenders', entry.after!.acceptedSenders)).toBe('bousai@city.arao.example');
});
