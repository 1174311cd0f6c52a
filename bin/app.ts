// CDK entry: `npx cdk deploy -c stage=test|prod --all` → stacks civic-line-<stage>-stateful and -api.
import { App } from 'aws-cdk-lib';
import { addCivicLineStage, addNagChecks } from '../lib/civic-line-app';
import { parseStage, type Stage } from '../lib/config';

const app = new App();

let stage: Stage;
try {
  stage = parseStage(app.node.tryGetContext('stage'));
} catch (error) {
  // A one-line message instead of a stack trace: this is a usage error, not a bug.
  console.error(`\n${(error as Error).message}\n`);
  process.exit(1);
}

// Region is fixed (residents' data stays in Japan); the account comes from the CLI's credentials.
addCivicLineStage(app, stage, process.env.CDK_DEFAULT_ACCOUNT);
addNagChecks(app);
app.synth();
