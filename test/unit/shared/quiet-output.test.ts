/**
 * The test output's repeated noise is gone at its source: esbuild's warning about rrule's default
 * import (once per bundled handler, 20 times a run) and Powertools Metrics' "No application
 * metrics to publish" (printed to the console, 9 times a run) — now a logger message at its level.
 */
import { build } from 'esbuild';
import { metrics } from '../../../functions/shared/powertools';

describe('quiet output', () => {
  it('bundling the recurrence rules gives esbuild nothing to warn about', async () => {
    // As CDK bundles a Lambda (ESM, module fields first).
    const result = await build({
      entryPoints: ['functions/deliveries/recurrence.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      mainFields: ['module', 'main'],
      write: false,
      logLevel: 'silent',
    });
    expect(result.warnings.map((w) => w.text)).toEqual([]);
  });

  it('an invocation without metrics does not print to the console', () => {
    // Powertools writes through a Console of its own on the process's streams.
    const written: string[] = [];
    const capture = (stream: NodeJS.WriteStream) => jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => (written.push(String(chunk)), true));
    const spies = [capture(process.stdout), capture(process.stderr)];
    try {
      metrics.publishStoredMetrics();
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    expect(written.filter((w) => w.includes('No application metrics'))).toEqual([]);
  });
});
