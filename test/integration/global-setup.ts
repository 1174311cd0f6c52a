/**
 * Starts the local runtime (`bin/local.ts --memory`, the same thing `npm start`
 * runs) on free loopback ports for a jest project (integration, e2e), and hands
 * its URLs to that project's test files: `IT_ENV_<project>` holds them as JSON and
 * test/support/runtime-env-<project>.ts copies them into IT_* before each file.
 * Each project gets its own runtime, so browser tests that edit shared data (the
 * standard profile form) never race the integration tests. global-teardown.ts stops them.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RUNTIMES_KEY = '__CIVIC_LINE_RUNTIMES__';

/** Jest runs a global-setup module once per path: the e2e project has its own (test/e2e/global-setup.ts). */
export default async function globalSetup(): Promise<void> {
  await startRuntimeFor('integration');
}

export async function startRuntimeFor(project: 'integration' | 'e2e'): Promise<void> {
  const runtimes = ((globalThis as Record<string, unknown>)[RUNTIMES_KEY] ??= {}) as Record<string, { exitCode: number | null }>;
  const running = runtimes[project];
  if (running && running.exitCode === null) return;
  const dir = mkdtempSync(join(tmpdir(), 'civic-line-it-'));
  const readyFile = join(dir, 'ready.json');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bin/local.ts', '--memory', '--platform-port', '0', '--simulator-port', '0', '--dynamodb-port', '0', '--ready-file', readyFile, '--log-level', 'ERROR'],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LINE_CHANNEL_SECRET: '', LINE_CHANNEL_ACCESS_TOKEN: '' } },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  runtimes[project] = child;

  const deadline = Date.now() + 90_000;
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null) throw new Error(`local runtime exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`local runtime not ready within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8'));
  const env = {
    IT_PLATFORM_URL: ready.platform,
    IT_WEBHOOK_URL: ready.webhook,
    IT_SIMULATOR_URL: ready.simulator,
    IT_DYNAMODB_ENDPOINT: ready.dynamodb,
    IT_TABLE_NAME: ready.table,
    IT_CHANNEL_SECRET: ready.channelSecret,
    // The console's first administrator, created with a random password on the runtime's first start.
    IT_ADMIN_LOGIN_ID: ready.initialAdmin?.loginId ?? '',
    IT_ADMIN_PASSWORD: ready.initialAdmin?.password ?? '',
  };
  process.env[`IT_ENV_${project}`] = JSON.stringify(env);
  // A single project run also works without the per-file copy.
  Object.assign(process.env, env);
}
