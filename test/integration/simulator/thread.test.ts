/**
 * The simulator in a worker thread of its own (local/simulator-thread.ts), as the local runtime
 * runs it: it answers LINE's API and the phone page, persists on close, refuses a port in use
 * with an error instead of hanging, and a second close is the same close.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLineSimulatorThread } from '../../../local/simulator-thread';
import { LineSimulatorClient } from '../../../simulator/client';

const options = { host: '127.0.0.1', channelSecret: 'thread-secret', channelAccessToken: 'thread-token', loginChannelId: '2000000001' };

it('serves LINE and the phone page from its own thread, persists on close and refuses a port in use', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-thread-'));
  const dataFile = join(dir, 'line-sim.json');
  const sim = await startLineSimulatorThread({ ...options, port: 0, dataFile });
  try {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new LineSimulatorClient(sim.url);
    const { userIds } = await client.createCitizens({ count: 3, displayNamePrefix: '市民', follow: true, sendWebhooks: false });
    const res = await fetch(`${sim.url}/v2/bot/message/multicast`, {
      method: 'POST',
      headers: { authorization: 'Bearer thread-token', 'content-type': 'application/json' },
      body: JSON.stringify({ to: userIds, messages: [{ type: 'text', text: 'こんにちは' }] }),
    });
    expect(res.status).toBe(200);
    expect((await client.stats()).requests.multicast?.count).toBe(1);
    const page = await fetch(`${sim.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');

    await expect(startLineSimulatorThread({ ...options, port: sim.port })).rejects.toThrow(/EADDRINUSE/);
  } finally {
    const first = sim.close();
    expect(sim.close()).toBe(first);
    await first;
  }
  await expect(fetch(`${sim.url}/`)).rejects.toThrow();
  expect(existsSync(dataFile)).toBe(true);
  expect(readFileSync(dataFile, 'utf8')).toContain(JSON.stringify('市民1').slice(1, -1));
  rmSync(dir, { recursive: true, force: true });
});
