/**
 * Rich menus through the admin API on the local runtime and the LINE simulator: a menu drawn with
 * areas, its image uploaded, published as everyone's default — a citizen's phone shows it with its
 * areas and image — then replaced by another menu (the first deleted from LINE) and unpublished.
 */
import { LineSimulatorClient } from '../../../simulator/client';
import { eventually, getItem, it_env } from '../../support/integration';
import { menuImage } from '../../support/richmenu-fakes';
import { ConsoleClient } from '../admin/console-client';

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const admin = new ConsoleClient(env.platformUrl);

beforeAll(async () => {
  expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
});

async function phoneMenu(
  userId: string,
): Promise<{ richMenuId: string; chatBarText: string; areas: { action: Record<string, unknown> }[]; imageUrl?: string } | null> {
  const res = await fetch(`${env.simulatorUrl}/sim/citizens/${userId}/richmenu`);
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

async function uploadImage(menuId: string, png: Buffer) {
  const headers: Record<string, string> = { origin: env.platformUrl, 'content-type': 'image/png', cookie: admin.cookie!, 'x-csrf-token': admin.csrf! };
  const res = await fetch(`${env.platformUrl}/api/admin/richmenus/${menuId}/image`, { method: 'POST', headers, body: new Uint8Array(png) });
  return { status: res.status, body: (await res.json()) as { version: number; error?: { message: string } } };
}

const areas = [
  { bounds: { x: 0, y: 0, width: 1250, height: 843 }, label: 'ごみの出し方', action: { type: 'keyword', text: 'ごみの出し方' } },
  { bounds: { x: 1250, y: 0, width: 1250, height: 843 }, label: 'プロフィール登録', action: { type: 'form', formId: '' } },
];

it('publishes a menu every citizen sees in LINE, replaces it, and takes it away', async () => {
  const { citizen } = await sim.createCitizen({ displayName: 'メニュー 確認', language: 'ja' });
  await eventually(() => getItem(`FRIEND#${citizen.userId}`, 'PROFILE'), 10_000, 'friend stored');
  const forms = await admin.call('GET', '/forms');
  const profile = forms.body.items.find((f: { kind: string }) => f.kind === 'profile');
  areas[1]!.action.formId = profile.formId;

  const created = await admin.call('POST', '/richmenus', { name: '通常メニュー', chatBarText: 'メニュー', size: 'compact', areas });
  expect(created.status).toBe(201);
  const wrong = await uploadImage(created.body.menuId, menuImage(2500, 1686));
  expect(wrong.status).toBe(400);
  expect(wrong.body.error!.message).toContain('2500×843');
  const uploaded = await uploadImage(created.body.menuId, menuImage(2500, 843));
  expect(uploaded.status).toBe(200);
  const published = await admin.call('POST', `/richmenus/${created.body.menuId}/publish`, { version: uploaded.body.version });
  expect(published.status).toBe(200);

  const shown = await phoneMenu(citizen.userId);
  expect(shown).toMatchObject({ chatBarText: 'メニュー' });
  expect(shown!.areas.map((a) => a.action)).toEqual([
    { type: 'message', label: 'ごみの出し方', text: 'ごみの出し方' },
    { type: 'uri', label: 'プロフィール登録', uri: expect.stringMatching(/^https:\/\/liff\.line\.me\/[^/]+\/forms\//) },
  ]);
  const image = await fetch(new URL(shown!.imageUrl!, env.simulatorUrl));
  expect(image.status).toBe(200);
  expect(Buffer.from(await image.arrayBuffer()).equals(menuImage(2500, 843))).toBe(true);

  // A second menu published: the citizen sees it, and LINE no longer has the first.
  const second = await admin.call('POST', '/richmenus', { name: '災害時メニュー', chatBarText: '災害情報', size: 'compact', areas: [areas[0]] });
  const secondImage = await uploadImage(second.body.menuId, menuImage(2500, 843));
  expect((await admin.call('POST', `/richmenus/${second.body.menuId}/publish`, { version: secondImage.body.version })).status).toBe(200);
  expect(await phoneMenu(citizen.userId)).toMatchObject({ chatBarText: '災害情報' });
  const lineMenus = await fetch(`${env.simulatorUrl}/v2/bot/richmenu/list`, { headers: { authorization: `Bearer ${process.env.IT_CHANNEL_ACCESS_TOKEN}` } });
  expect(((await lineMenus.json()) as { richmenus: unknown[] }).richmenus).toHaveLength(1);
  const list = await admin.call('GET', '/richmenus');
  expect(list.body.items.map((m: { name: string; isDefault: boolean }) => [m.name, m.isDefault])).toEqual([
    ['災害時メニュー', true],
    ['通常メニュー', false],
  ]);

  const current = await admin.call('GET', `/richmenus/${second.body.menuId}`);
  expect((await admin.call('POST', `/richmenus/${second.body.menuId}/unpublish`, { version: current.body.version })).status).toBe(200);
  expect(await phoneMenu(citizen.userId)).toBeNull();
});
