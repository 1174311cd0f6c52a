/**
 * Builds one stage exactly as bin/app.ts does (without an account, like an
 * offline synth) and synthesizes it once. Bundling runs esbuild on the real
 * handlers, so each test file calls this once per stage in beforeAll.
 *
 * The web stack deploys the built SPA and LIFF pages; tests do not depend on
 * `npm run build:web` (or write into the repository): they pass temporary folders
 * with an index.html.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { addCivicLineStage, type CivicLineStacks } from '../../lib/civic-line-app';
import { Stage } from '../../lib/config';

export interface SynthesizedStage extends CivicLineStacks {
  app: App;
  statefulTemplate: Template;
  apiTemplate: Template;
  webTemplate: Template;
}

/** Esbuild bundling of every handler happens inside; allow it time. */
export const SYNTH_TIMEOUT_MS = 120_000;

/** A stand-in for admin-web/dist: a temporary folder holding only index.html. */
export function makeTemporaryWebAssets(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'civic-line-web-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>civic-line test</title>\n');
  return dir;
}

/** A stand-in for liff-web/dist (built with base /liff/): index.html and one asset. */
export function makeTemporaryLiffAssets(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'civic-line-liff-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>civic-line LIFF test</title><script type="module" src="/liff/assets/x.js"></script>\n');
  fs.writeFileSync(path.join(dir, 'assets', 'x.js'), 'export {};\n');
  return dir;
}

/** The recipients prod is synthesized with (prod requires `-c mailRecipients` or `-c mailDomain`). */
export const PROD_MAIL_RECIPIENTS = 'bousai@city.example.jp';

/**
 * `context` is the app's context (`-c key=value`). Default: none for test (the placeholder
 * disaster-mail recipient), `mailRecipients` {@link PROD_MAIL_RECIPIENTS} for prod.
 */
export function synthStage(stage: Stage, options: { liffId?: string; context?: Record<string, string> } = {}): SynthesizedStage {
  const webAssetPath = makeTemporaryWebAssets();
  const liffAssetPath = makeTemporaryLiffAssets();
  try {
    const { context = stage === Stage.prod ? { mailRecipients: PROD_MAIL_RECIPIENTS } : {}, ...stageOptions } = options;
    const app = new App({ context });
    const stacks = addCivicLineStage(app, stage, undefined, { webAssetPath, liffAssetPath, ...stageOptions });
    return {
      app,
      ...stacks,
      statefulTemplate: Template.fromStack(stacks.stateful),
      apiTemplate: Template.fromStack(stacks.api),
      webTemplate: Template.fromStack(stacks.web),
    };
  } finally {
    // Synthesis has copied the folder into the app's output; the original is no longer read.
    for (const dir of [webAssetPath, liffAssetPath]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs cdk-nag's AWS Solutions pack over the synthesized app (cdk-nag v3 is a
 * validation plugin; validateScope is its documented entry point for tests).
 * Call after synthStage so acknowledgements added during synthesis are present.
 */
export function nagReport(app: App): PolicyValidationPluginReport {
  return new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** Every Allow statement of every IAM policy in the template. */
export function allowStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === 'Allow'),
  );
}

/** Allow statements of the policies attached to the role of the function with this logical id. */
export function statementsOfFunction(template: Template, functionLogicalId: string): Statement[] {
  const fn = template.toJSON().Resources[functionLogicalId];
  const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === 'Allow'));
}

export function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}
