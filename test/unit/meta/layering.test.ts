/**
 * The layering of docs/ARCHITECTURE.md ("Code") is a lint error, not a convention: this test
 * lints small snippets under the paths they would have (ESLint's own API, with the repository's
 * eslint.config.js) and checks that each forbidden import is refused and each allowed one is not.
 * `npm test` lints the whole repository; this proves the rules it runs are the ones documented.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

interface Case {
  file: string;
  code: string;
}

/** Lints every case in ONE node process (ESLint is ESM; Jest runs CommonJS): rule ids per case. */
function lint(cases: Case[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint({ cwd: ${JSON.stringify(ROOT)} });
    const out = [];
    for (const c of cases) {
      const [result] = await eslint.lintText(c.code, { filePath: c.file });
      out.push(result.messages.map((m) => m.ruleId ?? 'fatal:' + m.message));
    }
    console.log(JSON.stringify(out));
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(stdout) as string[][];
}

const RESTRICTED = '@typescript-eslint/no-restricted-imports';

const cases: { name: string; case: Case; refused: boolean }[] = [
  {
    name: 'domain code importing an AWS SDK',
    refused: true,
    case: { file: 'functions/forms/probe.ts', code: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const c = new DynamoDBClient({});\n" },
  },
  {
    name: 'domain code importing the LINE SDK',
    refused: true,
    case: { file: 'functions/deliveries/probe.ts', code: "import { messagingApi } from '@line/bot-sdk';\nexport const m = messagingApi;\n" },
  },
  {
    name: 'domain code importing the admin API',
    refused: true,
    case: { file: 'functions/deliveries/probe.ts', code: "import { adminRoutes } from '../admin/api';\nexport const r = adminRoutes;\n" },
  },
  {
    name: 'domain code importing the LIFF API',
    refused: true,
    case: { file: 'functions/forms/probe.ts', code: "import { liffRoutes } from '../liff/api';\nexport const r = liffRoutes;\n" },
  },
  {
    name: 'domain code importing an adapter',
    refused: true,
    case: {
      file: 'functions/friends/probe.ts',
      code: "import { DynamoFriendRepository } from '../adapters/aws/friend-store';\nexport const r = DynamoFriendRepository;\n",
    },
  },
  {
    name: 'the admin API importing an adapter',
    refused: true,
    case: {
      file: 'functions/admin/probe.ts',
      code: "import { DynamoStaffRepository } from '../adapters/aws/staff-store';\nexport const r = DynamoStaffRepository;\n",
    },
  },
  {
    name: 'an adapter importing the admin API',
    refused: true,
    case: { file: 'functions/adapters/aws/probe.ts', code: "import { adminRoutes } from '../../admin/api';\nexport const r = adminRoutes;\n" },
  },
  { name: 'a focused test', refused: true, case: { file: 'test/unit/probe.test.ts', code: "it.only('x', () => { expect(1).toBe(1); });\n" } },
  { name: 'a skipped test', refused: true, case: { file: 'test/unit/probe.test.ts', code: "it.skip('x', () => { expect(1).toBe(1); });\n" } },
  {
    name: 'a composition root choosing an adapter',
    refused: false,
    case: {
      file: 'functions/forms/wiring.ts',
      code: "import { DynamoFormStore } from '../adapters/aws/form-store';\nexport const s = () => new DynamoFormStore();\n",
    },
  },
  {
    name: 'an adapter importing an SDK and a port',
    refused: false,
    case: {
      file: 'functions/adapters/aws/probe.ts',
      code: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport type { Clock } from '../../ports/clock';\nexport const c = (clock: Clock) => [new DynamoDBClient({}), clock];\n",
    },
  },
  {
    name: 'domain code importing an SDK type only',
    refused: false,
    case: { file: 'functions/deliveries/probe.ts', code: "import type { messagingApi } from '@line/bot-sdk';\nexport type M = messagingApi.Message;\n" },
  },
  {
    name: 'domain code importing another capability and a port',
    refused: false,
    case: {
      file: 'functions/deliveries/probe.ts',
      code: "import { audienceEntryOf } from '../friends/audience-index';\nimport type { EventQueue } from '../ports/event-queue';\nexport const f = (q: EventQueue) => [audienceEntryOf, q];\n",
    },
  },
];

it('refuses every import that crosses a layer, and nothing that does not', () => {
  const results = lint(cases.map((c) => c.case));
  const seen = cases.map((c, i) => ({
    name: c.name,
    refused: results[i]!.some((rule) => rule === RESTRICTED || rule.startsWith('jest/no-')),
    rules: results[i],
  }));
  expect(seen.filter((s) => s.rules!.some((r) => r.startsWith('fatal:')))).toEqual([]);
  expect(seen.map((s) => ({ name: s.name, refused: s.refused }))).toEqual(cases.map((c) => ({ name: c.name, refused: c.refused })));
});
