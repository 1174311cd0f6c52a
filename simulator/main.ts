/**
 * Standalone entry: `npx tsx simulator/main.ts` (see docs/line-simulator.md).
 * Configuration through environment variables; the defaults suit a local training session.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startLineSimulator } from './index';
import { defaultPhoneWebDist } from './phone-assets';

function parseLiffApps(v: string | undefined): Record<string, string> | undefined {
  if (!v) return undefined;
  // "liffId=url,liffId2=url2"
  return Object.fromEntries(
    v
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const i = pair.indexOf('=');
        return [pair.slice(0, i), pair.slice(i + 1)];
      }),
  );
}

const env = process.env;
const num = (v: string | undefined) => (v ? Number(v) : undefined);

const sim = await startLineSimulator({
  host: env.LINE_SIM_HOST ?? '127.0.0.1',
  port: num(env.LINE_SIM_PORT) ?? 3100,
  channelSecret: env.LINE_CHANNEL_SECRET || 'local-channel-secret',
  channelAccessToken: env.LINE_CHANNEL_ACCESS_TOKEN || 'local-channel-access-token',
  loginChannelId: env.LINE_LOGIN_CHANNEL_ID || '2000000000',
  ...(env.LINE_SIM_WEBHOOK_URL ? { webhookUrl: env.LINE_SIM_WEBHOOK_URL } : {}),
  ...(parseLiffApps(env.LINE_SIM_LIFF_APPS) ? { liffApps: parseLiffApps(env.LINE_SIM_LIFF_APPS)! } : {}),
  ...(env.LINE_SIM_DATA_FILE ? { dataFile: env.LINE_SIM_DATA_FILE } : {}),
  webhookRedelivery: env.LINE_SIM_WEBHOOK_REDELIVERY === 'true',
});
console.log(`LINE simulator listening on ${sim.url} (phone page: ${sim.url}/)`);
if (!existsSync(join(defaultPhoneWebDist(), 'index.html')))
  console.warn('The phone page is not built yet: run `npm run build:web` (the API works without it).');

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
