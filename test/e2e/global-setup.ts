// The browser tests' own local runtime (see test/integration/global-setup.ts).
import { startRuntimeFor } from '../integration/global-setup';

export default async function globalSetup(): Promise<void> {
  await startRuntimeFor('e2e');
}
