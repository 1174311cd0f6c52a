// ESLint (flat config): typescript-eslint's recommended rules, no focused or skipped tests, and the
// layering of docs/ARCHITECTURE.md ("Code") as import rules — a layer that reaches past its
// neighbours fails `npm test`. Formatting is Prettier's (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import jest from 'eslint-plugin-jest';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Clients of outside services: only adapters (functions/adapters/**) may load them. */
const SDKS = [
  '@aws-sdk/*',
  '@smithy/*',
  '@line/bot-sdk',
  '@line/bot-sdk/*',
  '@aws-lambda-powertools/parameters',
  '@aws-lambda-powertools/parameters/*',
  '@aws-lambda-powertools/tracer',
  '@aws-lambda-powertools/tracer/*',
  'aws-xray-sdk-core',
];
const sdkRule = {
  group: SDKS,
  allowTypeImports: true,
  message:
    'SDKs are used only in functions/adapters/** (ports and adapters): declare a port and implement it in an adapter; wire it in the capability’s wiring.ts.',
};
const adaptersRule = {
  group: ['**/adapters/**'],
  message: 'Only composition roots (wiring.ts, *-wiring.ts, *handler.ts) choose adapters; domain and API code receive them through their deps.',
};
const apiLayerRule = {
  group: ['**/admin/**', '**/liff/**'],
  message: 'Domain code never imports the admin or LIFF API: move what both need into the domain (audit/, staff/, shared/ …).',
};

/** Composition roots: they build the adapters and hand them to the domain. */
const COMPOSITION_ROOTS = ['functions/**/wiring.ts', 'functions/**/*-wiring.ts', 'functions/**/*handler.ts'];
/** Domain capabilities and shared pieces (everything in functions/ but the APIs and the adapters). */
const DOMAIN = [
  'audit',
  'conversations',
  'deliveries',
  'disaster-mail',
  'forms',
  'friends',
  'keywords',
  'messaging',
  'ports',
  'richmenus',
  'scenarios',
  'shared',
  'staff',
  'webhook',
].map((dir) => `functions/${dir}/**/*.ts`);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'cdk.out/**', '.local-data/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names are tsc's (noUnusedLocals); `_`-prefixed ones are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // A handler assigned after the closure that calls it is set up (the local runtime's wiring).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Japanese text uses the ideographic space (U+3000) on purpose.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipJSXText: true, skipComments: true, skipRegExps: true }],
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: globals.node } },
  {
    files: ['admin-web/**/*.{js,ts,tsx}', 'liff-web/**/*.{js,ts}', 'simulator/phone-web/**/*.{js,ts}', 'web-shared/**/*.{js,ts}'],
    languageOptions: { globals: globals.browser },
  },
  // The console's React: the rules of hooks and complete effect dependencies.
  {
    files: ['admin-web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Domain and API code: no SDK, no adapter.
  {
    files: ['functions/**/*.ts'],
    ignores: ['functions/adapters/**', ...COMPOSITION_ROOTS],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [sdkRule, adaptersRule] }] },
  },
  // Domain code: not even the APIs that sit on it.
  {
    files: DOMAIN,
    ignores: COMPOSITION_ROOTS,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [sdkRule, adaptersRule, apiLayerRule] }] },
  },
  // Adapters implement the domain's ports; they never reach into the APIs.
  {
    files: ['functions/adapters/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [apiLayerRule] }] },
  },
  // Tests and benchmarks read JSON answers they do not type (`any` there is the answer as sent).
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Tests: nothing focused or skipped lands.
  {
    files: ['test/**/*.ts'],
    plugins: { jest },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/no-identical-title': 'error',
      'jest/valid-expect': 'error',
    },
  },
  prettier,
);
