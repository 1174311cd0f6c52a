/**
 * A citizen report through the whole local runtime (the simulator, the webhook consumer, the planner
 * queue's photo job, DynamoDB Local, the admin API): the starter report scenario started by its word,
 * a category tapped, two photos sent at once, a location, a two-line description, the confirmation —
 * the receipt comes back, the photos are stored without EXIF, staff find the report in the list and
 * change its status, and the citizen gets the message with 「直っていない」, which reopens it.
 */
import { Jimp } from 'jimp';
import { LineSimulatorClient } from '../../../simulator/client';
import { eventually, getItem, it_env } from '../../support/integration';
import { ConsoleClient } from '../admin/console-client';

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const admin = new ConsoleClient(env.platformUrl);
const tag = Date.now().toString(36).slice(-5);

type Received = { message: Record<string, unknown> }[];
const texts = (m: Received) => m.map((r) => String(r.message.text ?? r.message.altText ?? ''));

/** Taps the quick-reply (or buttons template) action labelled `label` of the newest message that has it. */
async function tap(userId: string, label: string): Promise<void> {
  const received = (await sim.received(userId)) as Received;
  for (const r of [...received].reverse()) {
    const items = ((r.message.quickReply as { items?: { action: Record<string, string> }[] } | undefined)?.items ?? []).map((i) => i.action);
    const template = (r.message.template as { actions?: Record<string, string>[] } | undefined)?.actions ?? [];
    const action = [...items, ...template].find((a) => a.label === label);
    if (!action) continue;
    if (action.type === 'postback') await sim.sendPostback(userId, action.data!, { displayText: action.displayText ?? label });
    else await sim.sendText(userId, action.text ?? label);
    return;
  }
  throw new Error(`no action labelled ${label}`);
}

async function waitFor(userId: string, seen: number, what: string): Promise<Received> {
  const all = (await sim.waitForReceived(userId, (m) => m.length > seen, 15_000)) as Received;
  if (all.length <= seen) throw new Error(`no answer: ${what}`);
  return all;
}

async function photo(color: number): Promise<Buffer> {
  const jpeg = await new Jimp({ width: 64, height: 48, color }).getBuffer('image/jpeg');
  const payload = Buffer.concat([Buffer.from('Exif\0\0'), Buffer.from(`GPS-SECRET-${tag}`)]);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1, 0, payload.length + 2]), payload, jpeg.subarray(2)]);
}

beforeAll(async () => {
  expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
});

describe('a citizen report through the simulator', () => {
  it('goes from 通報 to a receipt, stored photos, a status message and 直っていない', async () => {
    const { citizen } = await sim.createCitizen({ displayName: `通報 花子 ${tag}` });
    const userId = citizen.userId;
    await eventually(() => getItem(`FRIEND#${userId}`, 'PROFILE'), 10_000, 'friend stored');
    let all = (await sim.waitForReceived(userId, (m) => m.length >= 1, 10_000)) as Received;

    await sim.sendText(userId, '通報');
    all = await waitFor(userId, all.length, 'the category question');
    expect(texts(all).at(-1)).toContain('どの種類ですか');
    await tap(userId, '道路');
    all = await waitFor(userId, all.length, 'the photo question');
    expect(texts(all).at(-1)).toContain('写真を送ってください');
    const before = all.length;
    await sim.sendImages(userId, [{ content: await photo(0xcc3333ff) }, { content: await photo(0x3333ccff) }]);
    all = await waitFor(userId, before, 'the photos acknowledged');
    expect(texts(all.slice(before))).toEqual(['写真を受け取りました（2枚）。ほかにもあれば送ってください。終わったら「次へ」を押してください。']);
    await tap(userId, '次へ');
    all = await waitFor(userId, all.length, 'the place question');
    await sim.sendLocation(userId, { address: '熊本県荒尾市宮内出目390', latitude: 32.98686, longitude: 130.43341 });
    all = await waitFor(userId, all.length, 'the description question');
    await sim.sendText(userId, `市役所前の歩道に穴があいています。\n自転車が危ないです。${tag}`);
    all = await waitFor(userId, all.length, 'the consent question');
    await tap(userId, '入力しない');
    all = await waitFor(userId, all.length, 'the confirmation');
    expect(texts(all).at(-1)).toContain('種類: 道路');
    await tap(userId, 'この内容で送る');
    all = await waitFor(userId, all.length, 'the receipt');
    const receipt = texts(all).at(-1)!;
    expect(receipt).toMatch(/通報を受け付けました。[\s\S]*受付番号: \d{4}-\d{6}/);
    const receiptNo = /受付番号: (\d{4}-\d{6})/.exec(receipt)![1]!;

    // Staff find it; the photo job stores both photos, re-encoded (the EXIF block is gone).
    const item = await eventually(
      async () => {
        const list = await admin.call('GET', '/reports?category=road');
        return list.body.items.find((i: { receiptNo: string }) => i.receiptNo === receiptNo);
      },
      10_000,
      'the report in the list',
    );
    expect(item).toMatchObject({ category: 'road', status: 'received', district: '宮内', photos: 2, department: '土木課' });
    const report = await eventually(
      async () => {
        const r = await admin.call('GET', `/reports/${item.reportId}`);
        return r.body.photos.every((p: { status: string }) => p.status === 'stored') ? r.body : undefined;
      },
      20_000,
      'the photos stored',
    );
    expect(report.description).toBe(`市役所前の歩道に穴があいています。\n自転車が危ないです。${tag}`);
    const bytes = (await admin.call('GET', report.photos[0].url.replace('/api/admin', ''))).raw;
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(bytes.includes(Buffer.from(`GPS-SECRET-${tag}`))).toBe(false);

    // 完了 with a message: the citizen gets it, with 「直っていない」.
    const seen = all.length;
    const done = await admin.call('POST', `/reports/${item.reportId}/status`, {
      rev: report.rev,
      status: 'done',
      message: '補修しました。ご協力ありがとうございました。',
    });
    expect(done.status).toBe(200);
    all = await waitFor(userId, seen, 'the status message');
    expect(texts(all).at(-1)).toBe(
      `受付番号 ${receiptNo} の通報について\n対応が完了しました。ご協力ありがとうございました。\n\n補修しました。ご協力ありがとうございました。`,
    );
    await tap(userId, '直っていない');
    all = await waitFor(userId, all.length, 'reopened');
    expect(texts(all).at(-1)).toContain('あらためて受け付けました');
    const reopened = await admin.call('GET', `/reports/${item.reportId}`);
    expect(reopened.body.status).toBe('received');
    expect(reopened.body.history.map((h: { kind: string }) => h.kind)).toEqual(['created', 'status', 'reopened']);
  });

  it('saves the report at once when LINE keeps failing to give its photo, and marks the photo missing after the last try', async () => {
    const { citizen } = await sim.createCitizen({ displayName: `通報 次郎 ${tag}` });
    const userId = citizen.userId;
    await eventually(() => getItem(`FRIEND#${userId}`, 'PROFILE'), 10_000, 'friend stored');
    let all = (await sim.waitForReceived(userId, (m) => m.length >= 1, 10_000)) as Received;
    await sim.sendText(userId, '通報');
    all = await waitFor(userId, all.length, 'the category question');
    await tap(userId, '街灯');
    all = await waitFor(userId, all.length, 'the photo question');
    // LINE's content API answers 500 from now on (the photo job's every attempt).
    await sim.setFaults({ endpoint: 'content', status: 500, count: 20 });
    try {
      await sim.sendImage(userId, await photo(0x888888ff));
      all = await waitFor(userId, all.length, 'the photo acknowledged');
      await tap(userId, '次へ');
      all = await waitFor(userId, all.length, 'the place question');
      await sim.sendLocation(userId, { address: '熊本県荒尾市万田1', latitude: 32.97, longitude: 130.45 });
      all = await waitFor(userId, all.length, 'the description question');
      await sim.sendText(userId, `街灯が点きません ${tag}`);
      all = await waitFor(userId, all.length, 'the consent question');
      await tap(userId, '入力しない');
      all = await waitFor(userId, all.length, 'the confirmation');
      await tap(userId, 'この内容で送る');
      all = await waitFor(userId, all.length, 'the receipt');
      const receiptNo = /受付番号: (\d{4}-\d{6})/.exec(texts(all).at(-1)!)![1]!;
      const item = await eventually(
        async () => (await admin.call('GET', '/reports?category=light')).body.items.find((i: { receiptNo: string }) => i.receiptNo === receiptNo),
        10_000,
        'the report saved without its photo',
      );
      expect(item.photos).toBe(1);
      // The planner queue retries the job (every 5 s locally); the fourth attempt marks the photo missing.
      const missing = await eventually(
        async () => {
          const r = await admin.call('GET', `/reports/${item.reportId}`);
          return r.body.photos[0].status === 'missing' ? r.body : undefined;
        },
        45_000,
        'the photo marked missing',
      );
      expect(missing.photos[0].reason).toBe('写真を保存できませんでした（4回試行）。');
      expect(missing.history.map((h: { kind: string }) => h.kind)).toEqual(['created', 'photo_missing']);
    } finally {
      await sim.clearFaults();
    }
  }, 90_000);
});
