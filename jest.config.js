// Jest runs TypeScript and the ESM-only packages (middy) through SWC as CommonJS,
// so the same tests work on Node 20 (this machine) and Node 22 (Lambda).
const transform = {
  '^.+\\.(t|j|mj)s$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};
const common = {
  transform,
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/jest-env.ts'],
};

/** @type {import('jest').Config} */
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'cdk', testMatch: ['<rootDir>/test/cdk/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      setupFiles: [...common.setupFiles, '<rootDir>/test/support/runtime-env-integration.ts'],
      // Per-test budget (30 s): Jest 30 ignores `testTimeout` set per project, so it is set there.
      setupFilesAfterEnv: ['<rootDir>/test/support/budget-integration.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      // Browser tests get their own local runtime (started like the integration one) and Chromium.
      setupFiles: [...common.setupFiles, '<rootDir>/test/support/runtime-env-e2e.ts'],
      // Per-test budget (60 s), set in a setup file for the same reason.
      setupFilesAfterEnv: ['<rootDir>/test/support/budget-e2e.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
  ],
};
