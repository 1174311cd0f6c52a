import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLineSimulator } from '../../../simulator/index';
import { LineSimulatorClient } from '../../../simulator/client';
import { PHONE_JS } from '../../../simulator/phone-page';
import { ACCESS_TOKEN, startHarness, text, waitFor, type Harness } from './helpers';

describe('phone page and live stream', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ liffApps: { '2000000000-civic': 'http://127.0.0.1:3000/liff' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves a self-contained Japanese page with its script and styles', async () => {
    const page = await fetch(`${h.sim.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('lang="ja"');
    expect(html).toContain('友だち追加');
    expect(html).toContain('<script src="/phone.js"></script>');
    expect(html).not.toMatch(/https?:\/\/(?!127)/); // no CDN
    const js = await fetch(`${h.sim.url}/phone.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toBe(PHONE_JS);
    expect((await fetch(`${h.sim.url}/phone.css`)).status).toBe(200);
  });

  it('never renders message content as HTML and builds the LIFF fragment contract', () => {
    expect(PHONE_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(PHONE_JS).toContain("'#sim_id_token=' + encodeURIComponent(r.idToken) + '&sim_liff_id=' + encodeURIComponent(liffId)");
    expect(() => new Function(PHONE_JS)).not.toThrow(); // syntactically valid
  });

  it('exposes liffApps, conversation and rich menu data for the page', async () => {
    const cfg = await h.client.getConfig();
    expect(cfg.liffApps).toEqual({ '2000000000-civic': 'http://127.0.0.1:3000/liff' });
    const { citizen } = await h.client.createCitizen({ displayName: '画面 確認' });
    await h.client.sendText(citizen.userId, 'こんにちは');
    await h.api('POST', '/v2/bot/message/push', { to: citizen.userId, messages: [text('お返事')] });
    const conv = await (await fetch(`${h.sim.url}/sim/citizens/${citizen.userId}/conversation`)).json();
    expect(conv.map((i: { from: string; message: { text: string } }) => [i.from, i.message.text])).toEqual([
      ['citizen', 'こんにちは'],
      ['account', 'お返事'],
    ]);
    expect(await (await fetch(`${h.sim.url}/sim/citizens/${citizen.userId}/richmenu`)).json()).toBeNull();
  });

  it('streams citizen changes and received messages over SSE', async () => {
    const ac = new AbortController();
    const res = await fetch(`${h.sim.url}/sim/stream`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let buf = '';
    const events: Array<Record<string, any>> = [];
    const pump = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += Buffer.from(value).toString('utf8');
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const chunk = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (chunk.startsWith('data: ')) events.push(JSON.parse(chunk.slice(6)));
          }
        }
      } catch {
        /* aborted */
      }
    })();
    const { citizen } = await h.client.createCitizen({ displayName: 'SSE' });
    await h.api('POST', '/v2/bot/message/push', { to: citizen.userId, messages: [text('live')] });
    await waitFor(() => events.some((e) => e.type === 'received' && e.userIds?.includes(citizen.userId)), 3000, 'received event');
    expect(events.some((e) => e.type === 'citizen' && e.citizen.userId === citizen.userId)).toBe(true);
    ac.abort();
    await pump;
  });
});

describe('dataFile persistence', () => {
  it('reloads citizens and received messages after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'line-sim-'));
    const dataFile = join(dir, 'sim.json');
    const opts = { port: 0, channelSecret: 's', channelAccessToken: ACCESS_TOKEN, loginChannelId: '1', dataFile };
    try {
      const a = await startLineSimulator(opts);
      const ca = new LineSimulatorClient(a.url);
      const { citizen } = await ca.createCitizen({ displayName: '永続 市民' });
      await fetch(`${a.url}/v2/bot/message/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: citizen.userId, messages: [text('保存される')] }),
      });
      await a.close();
      const b = await startLineSimulator(opts);
      const cb = new LineSimulatorClient(b.url);
      expect((await cb.getCitizen(citizen.userId)).displayName).toBe('永続 市民');
      expect((await cb.received(citizen.userId)).map((m) => m.message.text)).toEqual(['保存される']);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
