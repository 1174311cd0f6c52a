/**
 * Segment menus and disaster mode end to end on one machine, in a runtime of its own (disaster mode
 * changes every citizen's menu): menus and settings through the admin API; the link job on the
 * planner queue links the English speakers to their menu; an 避難指示 mail over SMTP goes out and
 * switches every citizen to the disaster menu; a 解除 of another alert changes nothing; the 解除 of
 * 避難指示 brings each citizen's own menu back. Checked on the LINE simulator's side.
 */
import { replaceInitialPassword } from '../../../local/first-admin';
import { alertMail } from '../../support/mail-fakes';
import { menuImage } from '../../support/richmenu-fakes';
import { sendOverSmtp } from '../../support/smtp';
import { ConsoleClient } from '../admin/console-client';
import { startPipelineRuntime, type PipelineEnv } from '../deliveries/pipeline-support';

jest.setTimeout(150_000);

let env: PipelineEnv;
let admin: ConsoleClient;
const citizens: { userId: string; language: string }[] = [];
const lineIds: Record<'normal' | 'english' | 'disaster', string> = { normal: '', english: '', disaster: '' };
let sent = 0;

const mail = (subject: string, body: string) =>
  alertMail(subject, body, { date: 'Mon, 07 Dec 2026 03:00:00 +0900', messageId: `rm-${++sent}@city.arao.example` });

/** The menu each citizen sees on the simulator (their link, else the default). */
async function shown(): Promise<string[]> {
  return Promise.all(
    citizens.map(async (c) => {
      const res = await fetch(`${env.rt.simulatorUrl}/sim/citizens/${c.userId}/richmenu`);
      const body = (await res.json()) as { richMenuId?: string } | null;
      return body?.richMenuId ?? '';
    }),
  );
}

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const expected = (key: (c: { language: string }) => keyof typeof lineIds) => citizens.map((c) => lineIds[key(c)]);

beforeAll(async () => {
  env = await startPipelineRuntime({ dynamodbEndpoint: process.env.IT_DYNAMODB_ENDPOINT, retryDelayMs: 500 });
  const password = await replaceInitialPassword(env.rt.platformUrl, env.rt.initialAdmin!);
  admin = new ConsoleClient(env.rt.platformUrl);
  expect((await admin.signIn(env.rt.initialAdmin!.loginId, password)).status).toBe(200);
  for (const language of ['ja', 'en', 'ja', 'en', 'ko']) {
    const { citizen } = await env.sim.createCitizen({ displayName: `市民 ${language}`, language, follow: true });
    citizens.push({ userId: citizen.userId, language });
  }
  // The follows go through the webhook queue: the link job started by the settings below must find all five
  // friends (on a busy machine it could run before they were recorded, cover none and record that).
  await until(
    'the five friends recorded',
    () => admin.call('GET', '/friends'),
    (r) => citizens.every((c) => JSON.stringify(r.body).includes(c.userId)),
  );
  const english = await admin.call('POST', '/segments', { name: '英語の方', rule: { match: 'all', conditions: [{ kind: 'language', values: ['en'] }] } });
  expect(english.status).toBe(201);
  const menuIds: Record<string, string> = {};
  for (const key of ['normal', 'english', 'disaster'] as const) {
    const made = await admin.call('POST', '/richmenus', {
      name: `${key} menu`,
      chatBarText: key === 'disaster' ? '災害情報' : 'メニュー',
      size: 'compact',
      areas: [{ bounds: { x: 0, y: 0, width: 2500, height: 843 }, label: key, action: { type: 'keyword', text: key } }],
    });
    expect(made.status).toBe(201);
    menuIds[key] = made.body.menuId;
    const headers = { origin: env.rt.platformUrl, 'content-type': 'image/png', cookie: admin.cookie!, 'x-csrf-token': admin.csrf! };
    const res = await fetch(`${env.rt.platformUrl}/api/admin/richmenus/${made.body.menuId}/image`, {
      method: 'POST',
      headers,
      body: new Uint8Array(menuImage(2500, 843)),
    });
    expect(res.status).toBe(200);
  }
  const normal = await admin.call('GET', `/richmenus/${menuIds.normal}`);
  expect((await admin.call('POST', `/richmenus/${menuIds.normal}/publish`, { version: normal.body.version })).status).toBe(200);
  const saved = await admin.call('PUT', '/richmenu-links', {
    version: 0,
    segmentMenus: [{ segmentId: english.body.segmentId, menuId: menuIds.english }],
    disaster: { menuId: menuIds.disaster, onKinds: ['evacuation_order', 'emergency_safety'], offWhenLifted: true },
  });
  expect(saved.status).toBe(200);
  for (const key of ['normal', 'english', 'disaster'] as const) lineIds[key] = (await admin.call('GET', `/richmenus/${menuIds[key]}`)).body.lineRichMenuId;
  expect(Object.values(lineIds).every((id) => id.startsWith('richmenu-'))).toBe(true);
  const bridge = await admin.call('GET', '/disaster-mail/settings');
  const route = { id: 'all', name: '全員へ', target: { kind: 'everyone' }, mode: 'auto' };
  const bridgeSaved = await admin.call('PUT', '/disaster-mail/settings', {
    settings: { ...bridge.body.settings, acceptedSenders: ['city.arao.example'], defaultRoute: route },
    expectedVersion: bridge.body.version,
  });
  expect(bridgeSaved.status).toBe(200);
});

afterAll(async () => {
  await env?.stop();
});

test('the link job gives the English speakers their menu; everyone else sees the default', async () => {
  const menus = await until('segment menus linked', shown, (s) => s.join() === expected((c) => (c.language === 'en' ? 'english' : 'normal')).join());
  expect(menus.filter((m) => m === lineIds.english)).toHaveLength(2);
  // The job records its run after its last LINE call: the phone may show the menus a moment before.
  const links = await until(
    'the link job recorded its run',
    () => admin.call('GET', '/richmenu-links'),
    (l) => l.body.sync?.friends === 5,
  );
  expect(links.body.sync).toMatchObject({ friends: 5, failed: 0 });
  expect(links.body.sync.error ?? '').toBe('');
});

test('an 避難指示 mail switches every citizen to the disaster menu; another alert’s 解除 changes nothing; its own 解除 brings each menu back', async () => {
  // Act: the evacuation order arrives
  await sendOverSmtp(env.rt.smtp, mail('【荒尾市】避難指示（警戒レベル４）の発令', '【警戒レベル４】避難指示を発令しました。\n対象地区：荒尾・万田'));

  // Assert: disaster mode on, by the bridge, with its kind; every citizen on the disaster menu
  await until('disaster menu everywhere', shown, (s) => s.every((m) => m === lineIds.disaster));
  let links = await admin.call('GET', '/richmenu-links');
  expect(links.body.disaster).toMatchObject({ active: true, by: '防災メール連携', kinds: ['evacuation_order'] });

  // Act: a heavy-rain warning is lifted (not the kind in force): checked at the end, in the audit trail
  const otherLift = await sendOverSmtp(env.rt.smtp, mail('【荒尾市】大雨警報の解除', '大雨警報は解除されました。'));

  // Act: the evacuation order is lifted
  const lift = await sendOverSmtp(env.rt.smtp, mail('【荒尾市】避難指示の解除', '避難指示を解除しました。'));

  // Assert
  await until('each menu back', shown, (s) => s.join() === expected((c) => (c.language === 'en' ? 'english' : 'normal')).join());
  links = await admin.call('GET', '/richmenu-links');
  expect(links.body.disaster).toMatchObject({ active: false, by: '防災メール連携' });
  // Exactly one switch off, by the 避難指示 解除 (the heavy-rain 解除 switched nothing)
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
  const audit = await admin.call('GET', `/audit?from=${day}&to=${day}&actor=${encodeURIComponent('防災メール連携')}&limit=200`);
  expect(audit.status).toBe(200);
  const switches = audit.body.items.filter((e: { action: string }) => e.action.startsWith('richmenu.disaster_'));
  expect(switches.map((e: { action: string; after?: { mailId?: string } }) => [e.action, e.after?.mailId])).toEqual([
    ['richmenu.disaster_off', lift],
    ['richmenu.disaster_on', expect.any(String)],
  ]);
  expect(switches.some((e: { after?: { mailId?: string } }) => e.after?.mailId === otherLift)).toBe(false);
});
