/** Starts the local runtime (bin/local.ts) as a separate process on free loopback ports, as `npm start` would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchRuntime {
  platform: string;
  webhook: string;
  simulator: string;
  dynamodb: string;
  table: string;
  channelSecret: string;
  channelAccessToken: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startRuntime(extraArgs: string[] = [], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<BenchRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'civic-line-bench-'));
  const readyFile = join(dir, 'ready.json');
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'bin/local.ts', '--memory', '--platform-port', '0', '--simulator-port', '0', '--dynamodb-port', '0', '--ready-file', readyFile, '--log-level', 'ERROR', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LINE_CHANNEL_SECRET: '', LINE_CHANNEL_ACCESS_TOKEN: '', ...env } },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  const deadline = Date.now() + 90_000;
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`local runtime did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8'));
  return {
    ...ready,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
