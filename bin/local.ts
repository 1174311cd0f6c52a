// `npm start`: the whole product on this machine (see local/runtime.ts and README.md).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalConfigurationError, startLocalRuntime } from '../local/runtime';

// The pinned AWS SDK runs on Node 20 (this machine) and 22 (Lambda); its notice about future versions is in README.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: '.local-data' },
    host: { type: 'string', default: '127.0.0.1' },
    'platform-port': { type: 'string', default: process.env.PLATFORM_PORT ?? '3000' },
    'simulator-port': { type: 'string', default: process.env.SIMULATOR_PORT ?? '3100' },
    'dynamodb-port': { type: 'string', default: process.env.DYNAMODB_PORT ?? '8000' },
    'smtp-port': { type: 'string', default: process.env.SMTP_PORT ?? '2525' },
    'ready-file': { type: 'string' },
    'log-level': { type: 'string' },
    'webhook-concurrency': { type: 'string' },
  },
});

const lineMode = process.env.LINE_MODE === 'real' ? 'real' : 'simulator';
let runtime: Awaited<ReturnType<typeof startLocalRuntime>>;
try {
  runtime = await startLocalRuntime({
    dataDir: values.memory ? undefined : values['data-dir'],
    fresh: values.fresh,
    host: values.host,
    platformPort: Number(values['platform-port']),
    simulatorPort: Number(values['simulator-port']),
    dynamodbPort: Number(values['dynamodb-port']),
    smtpPort: Number(values['smtp-port']),
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    lineMode,
    logLevel: values['log-level'] as never,
    webhookConcurrency: values['webhook-concurrency'] ? Number(values['webhook-concurrency']) : undefined,
  });
} catch (error) {
  // A setting that cannot work: say which and stop, without a stack trace.
  if (error instanceof LocalConfigurationError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const urls = {
  platform: runtime.platformUrl,
  liff: runtime.liffUrl,
  liffId: runtime.liffId,
  webhook: runtime.webhookUrl,
  simulator: runtime.simulatorUrl,
  dynamodb: runtime.dynamodbEndpoint,
  table: runtime.tableName,
  smtp: `${runtime.smtp.host}:${runtime.smtp.port}`,
};
console.log(`
civic-line is running on this machine (Ctrl+C to stop)
  Platform (API, console):     ${urls.platform}/
  Citizen LIFF pages:          ${urls.liff}  (LIFF ID ${urls.liffId}: https://liff.line.me/${urls.liffId}/forms/… opens them in the simulator's phone)
  LINE webhook:                ${urls.webhook}
  Disaster mail (SMTP):        ${urls.smtp}  (any address: alert mail sent here goes to the bridge, console 防災メール連携)
  LINE simulator (citizens):   ${urls.simulator ? `${urls.simulator}/` : 'off: real LINE (LINE_MODE=real)'}
  DynamoDB Local:              ${urls.dynamodb}  table ${urls.table}
  Data:                        ${values.memory ? 'in memory (--memory)' : values['data-dir']}
`);
if (runtime.initialAdmin) {
  console.log(`  Console administrator created (shown once; the console asks for a new password at the first sign-in):
    Login ID:  ${runtime.initialAdmin.loginId}
    Password:  ${runtime.initialAdmin.password}
${values.memory ? '' : `    (also saved to ${values['data-dir']}/initial-admin.txt, readable only by you)\n`}`);
} else if (!values.memory && existsSync(join(values['data-dir'], 'initial-admin.txt'))) {
  console.log(`  Console: the first administrator's sign-in is in ${join(values['data-dir'], 'initial-admin.txt')}\n`);
}
if (values['ready-file'])
  writeFileSync(
    values['ready-file'],
    JSON.stringify({
      ...urls,
      channelSecret: runtime.channelSecret,
      channelAccessToken: runtime.channelAccessToken,
      loginChannelId: runtime.loginChannelId,
      initialAdmin: runtime.initialAdmin,
      pid: process.pid,
    }),
  );

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('Stopping…');
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
