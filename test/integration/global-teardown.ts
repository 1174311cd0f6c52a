import type { ChildProcess } from 'node:child_process';
import { RUNTIMES_KEY } from './global-setup';

/** Stops every runtime global-setup.ts started (one per jest project). */
export default async function globalTeardown(): Promise<void> {
  const runtimes = ((globalThis as Record<string, unknown>)[RUNTIMES_KEY] ?? {}) as Record<string, ChildProcess>;
  await Promise.all(
    Object.values(runtimes).map(async (child) => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}
