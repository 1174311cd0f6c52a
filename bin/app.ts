// CDK entry: `npx cdk deploy -c stage=test|prod --all` → stacks civic-line-<stage>-stateful, -api and -web.
// cdk.json's "build" runs `npm run build:web` first; `-c webAssetPath=<folder>` deploys another build of the SPA.
import { App } from 'aws-cdk-lib';
import { addCivicLineStage, addNagChecks } from '../lib/civic-line-app';
import { parseStage, type Stage } from '../lib/config';
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

// Region is fixed (residents' data stays in Japan); the account comes from the CLI's credentials.
try {
  addCivicLineStage(app, stage, process.env.CDK_DEFAULT_ACCOUNT, {
    webAssetPath: typeof webAssetPath === 'string' && webAssetPath !== '' ? webAssetPath : undefined,
  });
} catch (error) {
  if (!(error instanceof WebAssetsMissingError)) throw error;
  console.error(`\n${error.message}\n`);
  process.exit(1);
}
addNagChecks(app);
app.synth();
