/**
 * Builds one stage of civic-line into a CDK app: the stateful, API and web stacks,
 * tags, and cdk-nag. bin/app.ts calls it for the stage given on the command line;
 * the CDK tests call it the same way, so they check exactly what deploys.
 */
import { Tags, Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './api-stack';
import { name, PROJECT, REGION, settingsFor, type Stage } from './config';
import { StatefulStack } from './stateful-stack';
import { WebStack } from './web-stack';

export interface CivicLineStacks {
  stateful: StatefulStack;
  api: ApiStack;
  web: WebStack;
}

export interface CivicLineStageOptions {
  /**
   * Folder with the built admin SPA (`-c webAssetPath=...`; tests pass a temporary one).
   * @default admin-web/dist
   */
  webAssetPath?: string;
  /**
   * Folder with the built citizen LIFF pages (`-c liffAssetPath=...`; tests pass a temporary one).
   * When it has no index.html, the web stack skips their deployment with a warning.
   * @default liff-web/dist
   */
  liffAssetPath?: string;
  /**
   * LIFF ID of the city's LIFF app (`-c liffId=1234567890-AbcdEfgh`), written to /liff/config.json
   * so the pages can run `liff.init`. Without it the pages work only in the LINE simulator.
   */
  liffId?: string;
  /**
   * Public origin of click redirects and images in sent messages (`-c publicBaseUrl=https://…`,
   * e.g. the ConsoleUrl output after the first deploy, or a custom domain).
   * @default the HTTP API's own URL (see ApiStackProps.publicBaseUrl)
   */
  publicBaseUrl?: string;
}

/**
 * Adds the stacks `civic-line-<stage>-stateful`, `-api` and `-web` to `app`.
 * @param account AWS account; undefined synthesizes an environment-agnostic-account template.
 * @throws WebAssetsMissingError when the SPA has not been built (`npm run build:web`).
 */
export function addCivicLineStage(app: App, stage: Stage, account?: string, options: CivicLineStageOptions = {}): CivicLineStacks {
  const env: Environment = { region: REGION, account };
  const terminationProtection = settingsFor(stage).deletionProtection;

  const stateful = new StatefulStack(app, name(stage, 'stateful'), {
    stage,
    env,
    terminationProtection,
    description: `civic-line ${stage}: table, uploads bucket, webhook queues, LINE secret, backups, alarms, disaster-mail receiving (SES)`,
  });
  const api = new ApiStack(app, name(stage, 'api'), {
    stage,
    env,
    terminationProtection,
    description: `civic-line ${stage}: HTTP API and Lambda functions`,
    table: stateful.table,
    webhookQueue: stateful.webhookQueue,
    webhookDlq: stateful.webhookDlq,
    lineSecret: stateful.lineSecret,
    appSecret: stateful.appSecret,
    uploadsBucket: stateful.uploadsBucket,
    deliveries: {
      plannerQueue: stateful.plannerQueue,
      sendQueue: stateful.sendQueue,
      sendDlq: stateful.sendDlq,
      schedulerDlq: stateful.schedulerDlq,
      scheduleGroup: stateful.scheduleGroup,
      schedulerRole: stateful.schedulerRole,
    },
    disasterMail: { bucket: stateful.disasterMail.bucket, queue: stateful.disasterMail.queue },
    publicBaseUrl: options.publicBaseUrl,
    liffId: options.liffId,
  });
  const web = new WebStack(app, name(stage, 'web'), {
    stage,
    env,
    terminationProtection,
    description: `civic-line ${stage}: staff console and citizen LIFF pages (S3 + CloudFront, /api/* to the HTTP API)`,
    httpApi: api.httpApi,
    webAssetPath: options.webAssetPath,
    liffAssetPath: options.liffAssetPath,
    liffId: options.liffId,
  });

  for (const stack of [stateful, api, web]) {
    Tags.of(stack).add('Project', PROJECT);
    Tags.of(stack).add('Stage', stage);
  }
  return { stateful, api, web };
}

/**
 * Registers cdk-nag's AWS Solutions pack as a synthesis validation plugin (cdk-nag v3):
 * `cdk synth` fails on any error that is not acknowledged, next to its resource,
 * with `Validations.of(construct).acknowledge({ id, reason })`.
 */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
