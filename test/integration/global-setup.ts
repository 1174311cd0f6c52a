/**
 * Starts the local runtime (`bin/local.ts --memory`, the same thing `npm start`
 * runs) on free loopback ports for the integration tests, and shares its URLs
 * through environment variables. global-teardown.ts stops it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function globalSetup(): Promise<void> {
  // The integration and e2e projects share one runtime when they run together.
  const running = (globalThis as Record<string, unknown>).__CIVIC_LINE_RUNTIME__ as { exitCode: number | null } | undefined;
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
  (globalThis as Record<string, unknown>).__CIVIC_LINE_RUNTIME__ = child;

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
  Object.assign(process.env, {
    IT_PLATFORM_URL: ready.platform,
    IT_WEBHOOK_URL: ready.webhook,
    IT_SIMULATOR_URL: ready.simulator,
    IT_DYNAMODB_ENDPOINT: ready.dynamodb,
    IT_TABLE_NAME: ready.table,
    IT_CHANNEL_SECRET: ready.channelSecret,
    // The console's first administrator, created with a random password on the runtime's first start.
    IT_ADMIN_LOGIN_ID: ready.initialAdmin?.loginId ?? '',
    IT_ADMIN_PASSWORD: ready.initialAdmin?.password ?? '',
  });
}
