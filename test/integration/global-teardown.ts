import type { RuntimeProcess } from '../../local/runtime-process';
import { RUNTIMES_KEY } from './global-setup';

/** Stops every runtime global-setup.ts started (one per jest project). */
export default async function globalTeardown(): Promise<void> {
  const runtimes = ((globalThis as Record<string, unknown>)[RUNTIMES_KEY] ?? {}) as Record<string, RuntimeProcess>;
  await Promise.all(Object.values(runtimes).map((runtime) => runtime.stop()));
}
