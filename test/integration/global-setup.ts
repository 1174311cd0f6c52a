/**
 * Starts the local runtime (`bin/local.ts --memory`, the same thing `npm start`
 * runs) on free loopback ports for a jest project (integration, e2e), and hands
 * its URLs to that project's test files: `IT_ENV_<project>` holds them as JSON and
 * test/support/runtime-env-<project>.ts copies them into IT_* before each file.
 * Each project gets its own runtime, so browser tests that edit shared data (the
 * standard profile form) never race the integration tests. global-teardown.ts stops them.
 */
import { replaceInitialPassword } from '../../local/first-admin';
import { startRuntimeProcess, type RuntimeProcess } from '../../local/runtime-process';

export const RUNTIMES_KEY = '__CIVIC_LINE_RUNTIMES__';

/** Jest runs a global-setup module once per path: the e2e project has its own (test/e2e/global-setup.ts). */
export default async function globalSetup(): Promise<void> {
  await startRuntimeFor('integration');
}

export async function startRuntimeFor(project: 'integration' | 'e2e'): Promise<void> {
  const runtimes = ((globalThis as Record<string, unknown>)[RUNTIMES_KEY] ??= {}) as Record<string, RuntimeProcess>;
  const running = runtimes[project];
  if (running && running.child.exitCode === null) return;
  const ready = (runtimes[project] = await startRuntimeProcess());
  // The printed one-time password is replaced at the first sign-in, as a person must.
  const adminPassword = ready.initialAdmin ? await replaceInitialPassword(ready.platform, ready.initialAdmin) : '';
  const env = {
    IT_PLATFORM_URL: ready.platform,
    IT_WEBHOOK_URL: ready.webhook,
    IT_SIMULATOR_URL: ready.simulator,
    IT_DYNAMODB_ENDPOINT: ready.dynamodb,
    IT_TABLE_NAME: ready.table,
    IT_SMTP: ready.smtp,
    IT_CHANNEL_SECRET: ready.channelSecret,
    // What the city's systems hold to call LINE (here: the simulator), e.g. to set a rich menu as LINE's console would.
    IT_CHANNEL_ACCESS_TOKEN: ready.channelAccessToken,
    // The console's first administrator, created with a random password on the runtime's first start
    // and given its own password at the first sign-in.
    IT_ADMIN_LOGIN_ID: ready.initialAdmin?.loginId ?? '',
    IT_ADMIN_PASSWORD: adminPassword,
  };
  process.env[`IT_ENV_${project}`] = JSON.stringify(env);
  // A single project run also works without the per-file copy.
  Object.assign(process.env, env);
}
