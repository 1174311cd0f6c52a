/**
 * Starts the local runtime (`bin/local.ts --memory`, what `npm start` runs) as a separate process
 * on free loopback ports and waits for its ready file; for the test projects (global-setup) and
 * the benchmark. `stop()` ends it with SIGTERM, SIGKILL after 10 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What bin/local.ts writes to its ready file. */
export interface RuntimeReady {
  platform: string;
  webhook: string;
  simulator: string;
  dynamodb: string;
  table: string;
  /** The disaster-mail inbox, `host:port`. */
  smtp: string;
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId?: string;
  /** The console's first administrator, created with a random password on the first start. */
  initialAdmin: { loginId: string; password: string } | null;
  pid: number;
}

export interface RuntimeProcess extends RuntimeReady {
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startRuntimeProcess(
  options: { args?: string[]; env?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<RuntimeProcess> {
  const readyFile = join(mkdtempSync(join(tmpdir(), 'civic-line-runtime-')), 'ready.json');
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      '--import',
      'tsx',
      'bin/local.ts',
      '--memory',
      '--platform-port',
      '0',
      '--simulator-port',
      '0',
      '--dynamodb-port',
      '0',
      '--smtp-port',
      '0',
      '--ready-file',
      readyFile,
      '--log-level',
      'ERROR',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LINE_CHANNEL_SECRET: '', LINE_CHANNEL_ACCESS_TOKEN: '', ...options.env } },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null) throw new Error(`local runtime exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`local runtime not ready within ${Math.round((options.timeoutMs ?? 90_000) / 1000)} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as RuntimeReady;
  return {
    ...ready,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
