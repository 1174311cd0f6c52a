/**
 * A test run leaves `git status` clean: the browser tests write their screenshots into an ignored
 * folder unless MANUAL_SCREENSHOTS=1 (`npm run manual:screenshots`) asks for the manual's pictures.
 */
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';

const ignored = (path: string) => {
  try {
    execFileSync('git', ['check-ignore', '-q', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('screenshots of the browser tests', () => {
  const saved = process.env.MANUAL_SCREENSHOTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.MANUAL_SCREENSHOTS;
    else process.env.MANUAL_SCREENSHOTS = saved;
    jest.resetModules();
  });

  it('go to a folder git ignores by default', () => {
    delete process.env.MANUAL_SCREENSHOTS;
    const { SCREENSHOT_DIR } = jest.requireActual<typeof import('../../e2e/support')>('../../e2e/support');
    const file = relative(process.cwd(), join(SCREENSHOT_DIR, '02-dashboard.png'));
    expect(file.startsWith('docs')).toBe(false);
    expect(ignored(file)).toBe(true);
  });

  it('go to the manual only when asked to', () => {
    process.env.MANUAL_SCREENSHOTS = '1';
    jest.isolateModules(() => {
      const { SCREENSHOT_DIR } = jest.requireActual<typeof import('../../e2e/support')>('../../e2e/support');
      expect(relative(process.cwd(), SCREENSHOT_DIR)).toBe(join('docs', 'manual', 'screenshots'));
    });
  });
});
