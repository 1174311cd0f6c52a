/**
 * X-Ray's SDK in manual mode wherever the Tracer will not trace (it then installs no async hook),
 * untouched in Lambda with tracing on. Each case runs in a fresh Node process: the mode is decided
 * once, when tracer.ts is first imported.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
function modeWith(env: Record<string, string | undefined>): string {
  const script = `await import(${JSON.stringify(join(root, 'functions/adapters/aws/tracer.ts'))}); process.stdout.write(String(process.env.AWS_XRAY_MANUAL_MODE));`;
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['AWS_XRAY_MANUAL_MODE', 'AWS_EXECUTION_ENV', 'POWERTOOLS_TRACE_ENABLED', 'AWS_SAM_LOCAL'].includes(k)),
  );
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env: { ...clean, ...env }, encoding: 'utf8' });
}

describe('X-Ray mode (functions/adapters/aws/tracing-mode.ts)', () => {
  test('outside Lambda (local runtime, tests, benchmarks): manual mode', () => {
    expect(modeWith({})).toBe('true');
  });
  test('in Lambda with tracing switched off: manual mode', () => {
    expect(modeWith({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'false' })).toBe('true');
  });
  test('in Lambda with tracing on: X-Ray keeps its automatic mode', () => {
    expect(modeWith({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe('undefined');
  });
});
