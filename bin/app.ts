// CDK entry: `npx cdk deploy -c stage=test|prod --all` → stacks civic-line-<stage>-stateful, -api and -web.
// cdk.json's "build" runs `npm run build:web` first; `-c webAssetPath=<folder>` deploys another build of the SPA,
// `-c liffAssetPath=<folder>` another build of the LIFF pages (skipped with a warning when not built).
import { App } from 'aws-cdk-lib';
import { addCivicLineStage, addNagChecks } from '../lib/civic-line-app';
import { MailRecipientsError, parseStage, type Stage } from '../lib/config';
import { WebAssetsMissingError } from '../lib/web-stack';

const app = new App();

let stage: Stage;
try {
  stage = parseStage(app.node.tryGetContext('stage'));
} catch (error) {
  // A one-line message instead of a stack trace: this is a usage error, not a bug.
  console.error(`\n${(error as Error).message}\n`);
  process.exit(1);
}

const webAssetPath: unknown = app.node.tryGetContext('webAssetPath');
const liffAssetPath: unknown = app.node.tryGetContext('liffAssetPath');
const liffId: unknown = app.node.tryGetContext('liffId');
// Public origin of click redirects and delivery images (the ConsoleUrl output after the first deploy).
const publicBaseUrl: unknown = app.node.tryGetContext('publicBaseUrl');
const folder = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

// Region is fixed (residents' data stays in Japan); the account comes from the CLI's credentials.
try {
  addCivicLineStage(app, stage, process.env.CDK_DEFAULT_ACCOUNT, {
    webAssetPath: folder(webAssetPath),
    liffAssetPath: folder(liffAssetPath),
    liffId: folder(liffId),
    publicBaseUrl: folder(publicBaseUrl),
  });
} catch (error) {
  if (!(error instanceof WebAssetsMissingError) && !(error instanceof MailRecipientsError)) throw error;
  console.error(`\n${error.message}\n`);
  process.exit(1);
}
addNagChecks(app);
app.synth();
