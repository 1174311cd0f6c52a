/**
 * Stateless part of civic-line: the HTTP API and the Lambda functions behind it.
 * It can be destroyed and redeployed at any time; all data lives in the
 * stateful stack, whose resources arrive as props.
 *
 * Sections below: HTTP API, webhook (receive → SQS → process), admin API,
 * LIFF API, outputs. Later work adds SES inbound and EventBridge Scheduler
 * targets as further sections.
 */
import { CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { Construct } from 'constructs';
import { ENV } from '../functions/shared/env';
import { name, settingsFor, WEBHOOK_PROCESS_TIMEOUT, WEBHOOK_RECEIVE_TIMEOUT, type Stage } from './config';
import { AppFunction } from './constructs/app-function';

/** The stateful stack's resources this stack uses (see StatefulStack). */
export interface ApiStackProps extends StackProps {
  stage: Stage;
  table: dynamodb.ITableV2;
  webhookQueue: sqs.IQueue;
  /** Only for the WebhookDlqUrl output; nothing here reads the DLQ. */
  webhookDlq: sqs.IQueue;
  lineSecret: secretsmanager.ISecret;
  /** Citizens' form uploads and staff CSV exports (LIFF and admin API read/write). */
  uploadsBucket: s3.IBucket;
}

export class ApiStack extends Stack {
  public readonly httpApi: apigwv2.HttpApi;
  public readonly apiStage: apigwv2.HttpStage;
  public readonly webhookReceive: AppFunction;
  public readonly webhookProcess: AppFunction;
  public readonly adminApi: AppFunction;
  public readonly liffApi: AppFunction;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Strong (Export/Import) references to the stateful stack: CloudFormation refuses
    // to delete or replace the table, queues, secret or uploads bucket while this stack uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { stage, table, webhookQueue, webhookDlq, lineSecret, uploadsBucket } = props;
    const settings = settingsFor(stage);

    // ------------------------------------------------------------------
    // HTTP API
    // ------------------------------------------------------------------
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: name(stage, 'api'),
      description: `civic-line ${stage}: LINE webhook, admin and LIFF API`,
      // The $default stage is created below so it can have access logs and throttling.
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/aws/apigateway/${name(stage, 'api')}`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    this.apiStage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.apiThrottle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // HTTP API context variables only; no request bodies or headers (no personal data).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    // ------------------------------------------------------------------
    // Webhook: POST /webhook → receive (verify, enqueue) → SQS → process
    // ------------------------------------------------------------------
    // Receive answers LINE within its timeout and only verifies and enqueues:
    // it can send to the queue and read the channel secret, nothing else.
    this.webhookReceive = new AppFunction(this, 'WebhookReceive', {
      stage,
      functionName: 'webhook-receive',
      description: 'POST /webhook: verify the LINE signature, enqueue one message per event',
      entry: 'functions/webhook/receive-handler.ts',
      timeout: WEBHOOK_RECEIVE_TIMEOUT,
      serviceName: 'webhook',
      environment: {
        [ENV.WEBHOOK_QUEUE_URL]: webhookQueue.queueUrl,
        [ENV.LINE_SECRET_ARN]: lineSecret.secretArn,
      },
    });
    webhookQueue.grantSendMessages(this.webhookReceive.function);
    lineSecret.grantRead(this.webhookReceive.function);

    this.httpApi.addRoutes({
      path: '/webhook',
      methods: [apigwv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('WebhookReceiveIntegration', this.webhookReceive.function),
    });

    // Process handles each event once (ledger in the table) and replies via LINE.
    // Failed records are reported individually, retried, and after
    // WEBHOOK_MAX_RECEIVE_COUNT attempts moved to the DLQ (alarmed in the stateful stack).
    this.webhookProcess = new AppFunction(this, 'WebhookProcess', {
      stage,
      functionName: 'webhook-process',
      description: 'Webhook queue consumer: record friends and conversations, reply via LINE',
      entry: 'functions/webhook/process-handler.ts',
      timeout: WEBHOOK_PROCESS_TIMEOUT,
      serviceName: 'webhook',
      environment: { [ENV.LINE_SECRET_ARN]: lineSecret.secretArn },
    }).bindTable(table, 'readWrite');
    lineSecret.grantRead(this.webhookProcess.function);
    this.webhookProcess.function.addEventSource(
      new SqsEventSource(webhookQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
      }),
    );

    // ------------------------------------------------------------------
    // Admin API: ANY /api/admin/{proxy+} → one function (docs/admin-api.md)
    // ------------------------------------------------------------------
    // The staff console reaches it through CloudFront (web stack) on the console's
    // own origin. 1024 MB: scrypt password hashing is memory-hard, and Lambda CPU
    // scales with memory, so sign-in stays fast.
    this.adminApi = new AppFunction(this, 'AdminApiFunction', {
      stage,
      functionName: 'admin-api',
      description: 'ANY /api/admin/{proxy+}: staff sign-in, sessions, staff accounts, audit log, dashboard, forms',
      entry: 'functions/admin/handler.ts',
      timeout: Duration.seconds(15),
      memorySize: 1024,
      serviceName: 'admin',
      // The dashboard may later call LINE (e.g. follower statistics).
      environment: { [ENV.LINE_SECRET_ARN]: lineSecret.secretArn },
    })
      .bindTable(table, 'readWrite')
      // Staff view citizens' uploads and download CSV exports kept there.
      .bindBucket(uploadsBucket, 'readWrite', ENV.UPLOADS_BUCKET);
    lineSecret.grantRead(this.adminApi.function);

    this.httpApi.addRoutes({
      path: '/api/admin/{proxy+}',
      methods: [apigwv2.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('AdminApiIntegration', this.adminApi.function),
    });

    // ------------------------------------------------------------------
    // LIFF API: ANY /api/liff/{proxy+} → one function (docs/forms-api.md)
    // ------------------------------------------------------------------
    // Citizens' LIFF pages (web stack, /liff/*) call it on the same CloudFront origin.
    // Every request carries a LIFF ID token that the function verifies with LINE
    // (channel id from the LINE secret); answers go to the table, files to the bucket.
    this.liffApi = new AppFunction(this, 'LiffApiFunction', {
      stage,
      functionName: 'liff-api',
      description: 'ANY /api/liff/{proxy+}: citizens\' forms, answers and uploads (LIFF ID token verified with LINE)',
      entry: 'functions/liff/handler.ts',
      timeout: Duration.seconds(15),
      memorySize: 512,
      serviceName: 'liff',
      environment: { [ENV.LINE_SECRET_ARN]: lineSecret.secretArn },
    })
      .bindTable(table, 'readWrite')
      .addEnvironment(ENV.UPLOADS_BUCKET, uploadsBucket.bucketName);
    lineSecret.grantRead(this.liffApi.function);
    // Uploads: objects under uploads/ only (intent record, presigned PUT and GET, ranged read,
    // copy to uploads/<formId>/, delete); List* on the bucket so a missing object is a 404, not a 403.
    uploadsBucket.grantReadWrite(this.liffApi.function, 'uploads/*');
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
      Validations.of(this.liffApi.function).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${action} comes from the CDK bucket grant, limited to the uploads bucket and its uploads/ prefix.`,
      });
    }
    this.liffApi.node.addValidation({
      // cdk-nag names the finding after the resolved (imported) ARN, known only at validation time.
      validate: () => {
        const arn = flattenCfnReference(Stack.of(this).resolve(uploadsBucket.bucketArn));
        Validations.of(this.liffApi.function).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn}/uploads/*]`,
          reason: 'Citizens\' files under uploads/ (pending and per form); keys are generated per upload.',
        });
        return [];
      },
    });

    this.httpApi.addRoutes({
      path: '/api/liff/{proxy+}',
      methods: [apigwv2.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('LiffApiIntegration', this.liffApi.function),
    });

    // ------------------------------------------------------------------
    // cdk-nag suppressions (each with its reason)
    // ------------------------------------------------------------------
    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'No API Gateway authorizer on purpose. POST /webhook is called by the LINE platform, which cannot send AWS or JWT credentials; every request is authenticated by its x-line-signature HMAC, verified in the receive function before anything is read or stored. /api/admin/* authenticates in the admin function: an HttpOnly SameSite=Strict session cookie (only a SHA-256 of the token is stored), a CSRF token on every change, roles checked per route; sign-in itself must stay reachable without credentials. /api/liff/* is called by LIFF pages inside LINE: the liff function verifies the LIFF ID token of every request with LINE (client_id = the LINE Login channel) and never trusts profile data from the browser.',
    });

    // ------------------------------------------------------------------
    // Outputs
    // ------------------------------------------------------------------
    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the HTTP API (admin SPA and LIFF call it).',
      value: this.httpApi.apiEndpoint,
    });
    new CfnOutput(this, 'WebhookUrl', {
      description: 'Paste into LINE Developers console → Messaging API → Webhook URL, then enable "Use webhook".',
      value: `${this.httpApi.apiEndpoint}/webhook`,
    });
    new CfnOutput(this, 'TableName', {
      description: 'The single DynamoDB table.',
      value: table.tableName,
    });
    new CfnOutput(this, 'LineSecretArn', {
      description: 'Secrets Manager secret: put {channelSecret, channelAccessToken, loginChannelId} here after the first deploy.',
      value: lineSecret.secretArn,
    });
    new CfnOutput(this, 'WebhookDlqUrl', {
      description: 'Dead-letter queue of failed webhook events (inspect and redrive from the SQS console).',
      value: webhookDlq.queueUrl,
    });
  }
}
