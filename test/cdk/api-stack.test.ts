import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Match } from 'aws-cdk-lib/assertions';
import { ADMIN_API_NODE_OPTIONS } from '../../lib/admin-api-runtime';
import { Stage } from '../../lib/config';
import { SDK_MODULES_NOT_REACHED_IN_LAMBDA, type AppFunction } from '../../lib/constructs/app-function';
import { actionsOf, statementsOfFunction, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './synth-app';

const stages: Record<Stage, SynthesizedStage> = {} as Record<Stage, SynthesizedStage>;

beforeAll(() => {
  stages[Stage.test] = synthStage(Stage.test);
  // prod as deployed once the city's LIFF app is registered (-c liffId); test before it is.
  stages[Stage.prod] = synthStage(Stage.prod, { liffId: PROD_LIFF_ID });
}, SYNTH_TIMEOUT_MS);

const PROD_LIFF_ID = '1234567890-AbcdEfgh';

function logicalId(synth: SynthesizedStage, fn: AppFunction): string {
  return synth.api.getLogicalId(fn.function.node.defaultChild as CfnFunction);
}

describe.each([Stage.test, Stage.prod])('api stack (%s)', (stage) => {
  const synth = () => stages[stage];
  const template = () => stages[stage].apiTemplate;

  it('is named civic-line-<stage>-api and deploys to ap-northeast-1', () => {
    expect(synth().api.stackName).toBe(`civic-line-${stage}-api`);
    expect(synth().api.region).toBe('ap-northeast-1');
  });

  describe('functions', () => {
    it('all run Node.js 22 on arm64 with active tracing, their own log group and Powertools settings', () => {
      const functions = template().findResources('AWS::Lambda::Function');
      // webhook receive/process, admin API, LIFF API; deliveries: planner, sender, dead-letter, stats, public routes;
      // the disaster-mail intake.
      expect(Object.keys(functions)).toHaveLength(10);
      for (const fn of Object.values(functions)) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          // 1536 MB: scrypt and image decoding (admin API), citizen reports' photos re-encoded (the planner);
          // 1024 MB: the disaster-mail intake parsing a 10 MB mail.
          MemorySize: [`civic-line-${stage}-admin-api`, `civic-line-${stage}-delivery-planner`].includes(fn.Properties.FunctionName)
            ? 1536
            : fn.Properties.FunctionName === `civic-line-${stage}-disaster-mail-intake`
              ? 1024
              : 512,
          LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/LogGroup/) } },
          Environment: {
            Variables: expect.objectContaining({
              STAGE: stage,
              // admin-api adds V8 heap limits to the default (asserted below).
              NODE_OPTIONS: fn.Properties.FunctionName === `civic-line-${stage}-admin-api` ? ADMIN_API_NODE_OPTIONS : '--enable-source-maps',
              POWERTOOLS_METRICS_NAMESPACE: 'CivicLine',
              POWERTOOLS_SERVICE_NAME: expect.any(String),
              POWERTOOLS_LOG_LEVEL: 'INFO',
            }),
          },
        });
      }
    });

    it('webhook process and planner: a citizen report queues its photo job, the planner stores the photos', () => {
      template().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `civic-line-${stage}-webhook-process`,
        Environment: { Variables: Match.objectLike({ PLANNER_QUEUE_URL: Match.anyValue() }) },
      });
      template().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `civic-line-${stage}-delivery-planner`,
        Environment: { Variables: Match.objectLike({ UPLOADS_BUCKET: Match.anyValue() }) },
      });
    });

    it('webhook receive: 10 s, knows the queue and the secret', () => {
      template().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `civic-line-${stage}-webhook-receive`,
        Handler: 'index.handler',
        Timeout: 10,
        Environment: {
          Variables: Match.objectLike({
            WEBHOOK_QUEUE_URL: { 'Fn::ImportValue': Match.stringLikeRegexp('WebhookQueue') },
            LINE_SECRET_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('LineSecret') },
            TABLE_NAME: Match.absent(),
          }),
        },
      });
    });

    it('webhook receive: bundles the SDK but what Lambda never loads, and reaches that only through import() (docs/ARCHITECTURE.md "Bundles and cold start")', () => {
      const [fn] = Object.values(template().findResources('AWS::Lambda::Function', { Properties: { FunctionName: `civic-line-${stage}-webhook-receive` } }));
      const asset = path.join(synth().app.outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`, 'index.mjs');
      const bundle = fs.readFileSync(asset, 'utf8');
      // Loaded at import (import … from "x", import "x", require("x")): Node's built-ins only.
      const atImport = [...bundle.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']\s*\)/g)].map(
        (m) => m[1] ?? m[2] ?? m[3],
      );
      expect(atImport.filter((m) => !builtinModules.includes(m.replace(/^node:/, '')))).toEqual([]);
      const onDemand = new Set([...bundle.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]).filter((m) => !m.startsWith('node:')));
      expect(onDemand).toEqual(new Set(SDK_MODULES_NOT_REACHED_IN_LAMBDA));
    });

    it('webhook process: 30 s, knows the table and the secret', () => {
      template().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `civic-line-${stage}-webhook-process`,
        Timeout: 30,
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('Table') },
            LINE_SECRET_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('LineSecret') },
          }),
        },
      });
    });

    it('admin API: 15 s, 1536 MB (scrypt, image decoding), knows the table, the stage, the secret and the uploads bucket', () => {
      template().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `civic-line-${stage}-admin-api`,
        Handler: 'index.handler',
        Timeout: 15,
        MemorySize: 1536,
        Environment: {
          Variables: Match.objectLike({
            STAGE: stage,
            TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('Table') },
            LINE_SECRET_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('LineSecret') },
            APP_SECRET_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('AppSecret') },
            UPLOADS_BUCKET: { 'Fn::ImportValue': Match.stringLikeRegexp('UploadsBucket') },
            POWERTOOLS_SERVICE_NAME: 'admin',
          }),
        },
      });
    });

    it('the LIFF ID (-c liffId) reaches the functions that write or count LIFF addresses: greeting, console, sender, LIFF API', () => {
      for (const name of ['webhook-process', 'admin-api', 'delivery-sender', 'liff-api']) {
        template().hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: `civic-line-${stage}-${name}`,
          Environment: { Variables: Match.objectLike({ LIFF_ID: stage === Stage.prod ? PROD_LIFF_ID : Match.absent() }) },
        });
      }
    });

    it('admin API: NODE_OPTIONS keeps source maps and caps the V8 heap (bench/forms.ts measures the export with the same flags)', () => {
      expect(ADMIN_API_NODE_OPTIONS).toBe('--enable-source-maps --max-old-space-size=384 --max-semi-space-size=4');
      // Its environment entry replaces AppFunction's default NODE_OPTIONS, so it must start with it.
      const [liff] = Object.values(template().findResources('AWS::Lambda::Function', { Properties: { FunctionName: `civic-line-${stage}-liff-api` } }));
      expect(ADMIN_API_NODE_OPTIONS.startsWith(`${liff.Properties.Environment.Variables.NODE_OPTIONS} `)).toBe(true);
      template().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `civic-line-${stage}-admin-api`,
        Environment: { Variables: Match.objectLike({ NODE_OPTIONS: ADMIN_API_NODE_OPTIONS }) },
      });
    });

    it('LIFF API: functions/liff/handler.ts, 15 s, 512 MB, knows the table, the secret and the uploads bucket', () => {
      template().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `civic-line-${stage}-liff-api`,
        Handler: 'index.handler',
        Timeout: 15,
        MemorySize: 512,
        Environment: {
          Variables: Match.objectLike({
            STAGE: stage,
            TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('Table') },
            LINE_SECRET_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('LineSecret') },
            UPLOADS_BUCKET: { 'Fn::ImportValue': Match.stringLikeRegexp(`^civic-line-${stage}-stateful:.*UploadsBucket`) },
            POWERTOOLS_SERVICE_NAME: 'liff',
            WEBHOOK_QUEUE_URL: Match.absent(),
          }),
        },
      });
    });

    it('consumes the webhook queue in batches of 10 and reports partial batch failures', () => {
      template().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(synth(), synth().api.webhookProcess) },
        EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('WebhookQueue.*Arn') },
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: Match.anyValue(),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });
  });

  describe('IAM', () => {
    it('receive can send to the queue and read the secret, and has no DynamoDB permission', () => {
      const statements = statementsOfFunction(template(), logicalId(synth(), synth().api.webhookReceive));
      const actions = actionsOf(statements);
      expect(actions).toEqual(expect.arrayContaining(['sqs:SendMessage', 'secretsmanager:GetSecretValue']));
      expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
      expect(actions).not.toContain('sqs:ReceiveMessage');
      expect(actions).not.toContain('sqs:DeleteMessage');
    });

    it('process can read/write the table and its indexes and consume the queue', () => {
      const statements = statementsOfFunction(template(), logicalId(synth(), synth().api.webhookProcess));
      expect(actionsOf(statements)).toEqual(
        expect.arrayContaining([
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'secretsmanager:GetSecretValue',
        ]),
      );
      const dynamo = statements.find((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo?.Resource).toEqual([
        { 'Fn::ImportValue': expect.stringMatching(/Table.*Arn/) },
        { 'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringMatching(/Table.*Arn/) }, '/index/*']] },
      ]);
    });

    it('admin API can read/write only the civic-line table (and its indexes) and read the secret; SQS: only SendMessage to the delivery queues', () => {
      const statements = statementsOfFunction(template(), logicalId(synth(), synth().api.adminApi));
      const actions = actionsOf(statements);
      expect(actions).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
        ]),
      );
      expect(actions).toContain('secretsmanager:GetSecretValue');
      // Send now (planner queue), resend failed chunks (send queue) and the console's test alert mail
      // (disaster-mail queue): nothing else on SQS.
      expect([...new Set(actions.filter((a) => a.startsWith('sqs:')))]).toEqual(['sqs:SendMessage']);
      const sqsResources = JSON.stringify(statements.filter((s) => actionsOf([s]).includes('sqs:SendMessage')).map((s) => s.Resource));
      expect(sqsResources).toMatch(/PlannerQueue.*SendQueue/);
      expect(sqsResources).toMatch(/DisasterMailQueue/);
      expect(sqsResources.match(/Fn::ImportValue/g)).toHaveLength(3);
      expect(actions.filter((a) => /^dynamodb:(Create|Delete|Update)Table/.test(a))).toEqual([]);
      for (const statement of statements.filter((s) => actionsOf([s]).some((a) => /^(dynamodb|secretsmanager):/.test(a)))) {
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        expect(resources).not.toContain('*');
      }
      const dynamo = statements.find((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo?.Resource).toEqual([
        { 'Fn::ImportValue': expect.stringMatching(/Table.*Arn/) },
        { 'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringMatching(/Table.*Arn/) }, '/index/*']] },
      ]);
      // Two secrets: LINE's channel credentials and the platform's own signing key (paging cursors).
      const secrets = statements.filter((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue')).map((s) => s.Resource);
      expect(secrets).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/LineSecret/) }, { 'Fn::ImportValue': expect.stringMatching(/AppSecret/) }]);
    });

    it.each([
      ['LIFF API', () => synth().api.liffApi],
      ['admin API', () => synth().api.adminApi],
    ])('%s reads and writes objects of the uploads bucket only, the table (and its indexes) and the secret; no SQS, no bucket management', (_, fn) => {
      const statements = statementsOfFunction(template(), logicalId(synth(), fn()));
      const actions = actionsOf(statements);
      expect(actions).toEqual(
        expect.arrayContaining([
          's3:GetObject*',
          's3:PutObject',
          's3:DeleteObject*',
          's3:List*',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'secretsmanager:GetSecretValue',
        ]),
      );
      // The admin API's only SQS right is sending to the delivery queues (checked above).
      expect(actions.filter((a) => a.startsWith('sqs:') && a !== 'sqs:SendMessage')).toEqual([]);
      if (fn() === synth().api.liffApi) expect(actions.filter((a) => a.startsWith('sqs:'))).toEqual([]);
      expect(actions.filter((a) => /^s3:(PutBucket|DeleteBucket|CreateBucket|PutObjectAcl|\*)/.test(a))).toEqual([]);
      // The admin API's other S3 statements are on the disaster-mail bucket (checked in disaster-mail.test.ts).
      const s3Statements = statements.filter(
        (s) => actionsOf([s]).some((a) => a.startsWith('s3:')) && !JSON.stringify(s.Resource).includes('DisasterMailBucket'),
      );
      expect(s3Statements).toHaveLength(1);
      expect(actionsOf(s3Statements).every((a) => a.startsWith('s3:'))).toBe(true);
      const bucketArn = { 'Fn::ImportValue': expect.stringMatching(new RegExp(`^civic-line-${stage}-stateful:.*UploadsBucket.*Arn`)) };
      // The LIFF function reaches objects under uploads/ only (direct uploads); staff also read exports/.
      const objects = fn() === synth().api.liffApi ? '/uploads/*' : '/*';
      expect(s3Statements[0].Resource).toEqual([bucketArn, { 'Fn::Join': ['', [bucketArn, objects]] }]);
      const dynamo = statements.find((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo?.Resource).toEqual([
        { 'Fn::ImportValue': expect.stringMatching(/Table.*Arn/) },
        { 'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringMatching(/Table.*Arn/) }, '/index/*']] },
      ]);
    });

    it('grants no S3, DynamoDB, SQS or Secrets Manager action on Resource "*"', () => {
      for (const $ of [synth().statefulTemplate, template()]) {
        const policies = Object.values($.findResources('AWS::IAM::Policy'));
        for (const policy of policies) {
          for (const statement of policy.Properties.PolicyDocument.Statement) {
            const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
            if (!resources.includes('*')) continue;
            expect(actionsOf([statement]).filter((a) => /^(s3|dynamodb|sqs|secretsmanager):/.test(a))).toEqual([]);
          }
        }
      }
    });
  });

  describe('HTTP API', () => {
    it('routes POST /webhook to the receive function', () => {
      template().hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'POST /webhook',
        AuthorizationType: 'NONE',
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: Match.stringLikeRegexp('WebhookReceiveIntegration') }]] },
      });
      template().hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalId(synth(), synth().api.webhookReceive), 'Arn'] },
      });
    });

    it('routes ANY /api/admin/{proxy+} to the admin function', () => {
      template().hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'ANY /api/admin/{proxy+}',
        AuthorizationType: 'NONE',
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: Match.stringLikeRegexp('AdminApiIntegration') }]] },
      });
      template().hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalId(synth(), synth().api.adminApi), 'Arn'] },
      });
    });

    it('routes ANY /api/liff/{proxy+} to the LIFF function', () => {
      template().hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'ANY /api/liff/{proxy+}',
        AuthorizationType: 'NONE',
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: Match.stringLikeRegexp('LiffApiIntegration') }]] },
      });
      template().hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalId(synth(), synth().api.liffApi), 'Arn'] },
      });
      template().hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [logicalId(synth(), synth().api.liffApi), 'Arn'] },
        Principal: 'apigateway.amazonaws.com',
      });
    });

    it('has one auto-deployed $default stage with access logs and throttling', () => {
      template().resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      template().hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
          Format: Match.serializedJson(Match.objectLike({ requestId: '$context.requestId', status: '$context.status' })),
        },
        // prod must absorb webhook bursts (benchmarked ≥ 1,000 events/s); test is capped lower.
        DefaultRouteSettings:
          stage === Stage.prod ? { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 } : { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      });
    });
  });

  it(`keeps every log group ${stage === Stage.prod ? '365' : '30'} days`, () => {
    const days = stage === Stage.prod ? 365 : 30;
    const groups = Object.values(template().findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(11); // ten functions + API access logs
    for (const group of groups) {
      expect(group.Properties.RetentionInDays).toBe(days);
      expect(group.DeletionPolicy).toBe(stage === Stage.prod ? 'Retain' : 'Delete');
    }
  });

  it('outputs every value operators and the SPA need, each with a description', () => {
    const outputs = template().toJSON().Outputs as Record<string, { Description?: string }>;
    for (const key of ['ApiUrl', 'WebhookUrl', 'TableName', 'LineSecretArn', 'WebhookDlqUrl']) {
      expect(outputs[key]?.Description).toEqual(expect.any(String));
    }
    template().hasOutput('WebhookUrl', {
      Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApi'), 'ApiEndpoint'] }, '/webhook']] },
    });
  });
});
