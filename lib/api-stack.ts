/**
 * Stateless part of civic-line: the HTTP API and the Lambda functions behind it.
 * It can be destroyed and redeployed at any time; all data lives in the
 * stateful stack, whose resources arrive as props.
 *
 * Sections below: HTTP API, webhook (receive → SQS → process), admin API,
 * LIFF API, deliveries (planner, senders, dead letters, the hourly statistics job, the public
 * routes; EventBridge Scheduler targets the planner queue), the disaster-mail bridge's intake, outputs. A new capability adds a
 * section of its own (docs/ARCHITECTURE.md, "Adding a capability").
 */
import { CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { Construct } from 'constructs';
import { ENV } from '../functions/shared/env';
import { ADMIN_API_NODE_OPTIONS } from './admin-api-runtime';
import {
  DISASTER_MAIL_INBOUND_PREFIX,
  DISASTER_MAIL_INTAKE_TIMEOUT,
  DISASTER_MAIL_SERVICE,
  DISASTER_MAIL_TEST_PREFIX,
  name,
  PLANNER_TIMEOUT,
  scheduleGroupName,
  SENDER_CONCURRENCY,
  SENDER_TIMEOUT,
  settingsFor,
  WEBHOOK_PROCESS_TIMEOUT,
  WEBHOOK_RECEIVE_TIMEOUT,
  type Stage,
} from './config';
import { AppFunction, SDK_MODULES_NOT_REACHED_IN_LAMBDA } from './constructs/app-function';

/** The stateful stack's resources this stack uses (see StatefulStack). */
export interface ApiStackProps extends StackProps {
  stage: Stage;
  table: dynamodb.ITableV2;
  webhookQueue: sqs.IQueue;
  /** Only for the WebhookDlqUrl output; nothing here reads the DLQ. */
  webhookDlq: sqs.IQueue;
  lineSecret: secretsmanager.ISecret;
  /** The platform's HMAC key (paging cursors, sign-in throttling): read by the admin API. */
  appSecret: secretsmanager.ISecret;
  /** Citizens' form uploads and staff CSV exports (LIFF and admin API read/write). */
  uploadsBucket: s3.IBucket;
  /** Deliveries (StatefulStack): queues, the scheduler's DLQ, schedule group and role. */
  deliveries: {
    plannerQueue: sqs.IQueue;
    sendQueue: sqs.IQueue;
    sendDlq: sqs.IQueue;
    schedulerDlq: sqs.IQueue;
    scheduleGroup: scheduler.IScheduleGroup;
    schedulerRole: iam.IRole;
  };
  /** Disaster-mail bridge (StatefulStack.disasterMail): the raw-mail bucket and the queue of SES notifications. */
  disasterMail: {
    bucket: s3.IBucket;
    queue: sqs.IQueue;
  };
  /**
   * Public origin of click redirects and images in sent messages (`-c publicBaseUrl=https://…`:
   * the console's CloudFront URL or a custom domain). The web stack depends on this stack, so the
   * CloudFront domain cannot flow back here without a cycle. Default: this HTTP API's own URL,
   * which serves the same /r/ and /media/ routes (works from the first deploy, without the CDN).
   */
  publicBaseUrl?: string;
  /**
   * The city's LIFF app (`-c liffId`): the greeting's registration button, the console's form links
   * and form links in deliveries are https://liff.line.me/<liffId>/… (LIFF_ID). Without it the
   * greeting has no button and the console shows the pages' own address.
   */
  liffId?: string;
}

export class ApiStack extends Stack {
  public readonly httpApi: apigwv2.HttpApi;
  public readonly apiStage: apigwv2.HttpStage;
  public readonly webhookReceive: AppFunction;
  public readonly webhookProcess: AppFunction;
  public readonly adminApi: AppFunction;
  public readonly liffApi: AppFunction;
  public readonly planner: AppFunction;
  public readonly sender: AppFunction;
  public readonly deadLetter: AppFunction;
  public readonly stats: AppFunction;
  public readonly publicApi: AppFunction;
  public readonly disasterMailIntake: AppFunction;
  /** What sent messages link to (PUBLIC_BASE_URL). */
  public readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Strong (Export/Import) references to the stateful stack: CloudFormation refuses
    // to delete or replace the table, queues, secret or uploads bucket while this stack uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { stage, table, webhookQueue, webhookDlq, lineSecret, appSecret, uploadsBucket } = props;
    const settings = settingsFor(stage);
    const liffEnv: Record<string, string> = props.liffId ? { [ENV.LIFF_ID]: props.liffId } : {};

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
      // On LINE's 2-second path: the SDK is bundled except what Lambda never loads (cold start).
      externalModules: SDK_MODULES_NOT_REACHED_IN_LAMBDA,
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
      environment: { [ENV.LINE_SECRET_ARN]: lineSecret.secretArn, ...liffEnv },
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
    // own origin. 1536 MB: scrypt password hashing is memory-hard, Lambda CPU scales with
    // memory (sign-in stays fast), and the media upload decodes images up to 24 Mpx.
    this.adminApi = new AppFunction(this, 'AdminApiFunction', {
      stage,
      functionName: 'admin-api',
      description: 'ANY /api/admin/{proxy+}: staff sign-in, sessions, staff accounts, audit log, dashboard, forms',
      entry: 'functions/admin/handler.ts',
      timeout: Duration.seconds(15),
      // 1536 MB: scrypt, and staff images decoded in memory (a 24 Mpx photo peaks at ~900 MB RSS).
      memorySize: 1536,
      serviceName: 'admin',
      // The dashboard may later call LINE (e.g. follower statistics). NODE_OPTIONS: V8 heap limits
      // measured for the CSV export and image uploads (lib/admin-api-runtime.ts).
      environment: { [ENV.LINE_SECRET_ARN]: lineSecret.secretArn, [ENV.APP_SECRET_ARN]: appSecret.secretArn, NODE_OPTIONS: ADMIN_API_NODE_OPTIONS, ...liffEnv },
    })
      .bindTable(table, 'readWrite')
      // Staff view citizens' uploads and download CSV exports kept there.
      .bindBucket(uploadsBucket, 'readWrite', ENV.UPLOADS_BUCKET);
    lineSecret.grantRead(this.adminApi.function);
    appSecret.grantRead(this.adminApi.function);

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
      description: "ANY /api/liff/{proxy+}: citizens' forms, answers and uploads (LIFF ID token verified with LINE)",
      entry: 'functions/liff/handler.ts',
      timeout: Duration.seconds(15),
      memorySize: 512,
      serviceName: 'liff',
      environment: { [ENV.LINE_SECRET_ARN]: lineSecret.secretArn, ...liffEnv },
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
          reason: "Citizens' files under uploads/ (pending and per form); keys are generated per upload.",
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
    // Deliveries: planner, sender, dead-letter handler, statistics, public routes
    // (docs/deliveries-api.md; queues, schedule group and scheduler role live in the stateful stack)
    // ------------------------------------------------------------------
    const { plannerQueue, sendQueue, sendDlq, schedulerDlq, scheduleGroup, schedulerRole } = props.deliveries;
    if (props.publicBaseUrl !== undefined && !/^https:\/\/[a-z0-9.-]+(:\d+)?\/?$/i.test(props.publicBaseUrl)) {
      throw new Error(`-c publicBaseUrl must be an https origin such as https://d1234abcd.cloudfront.net, got ${JSON.stringify(props.publicBaseUrl)}`);
    }
    this.publicBaseUrl = (props.publicBaseUrl ?? this.httpApi.apiEndpoint).replace(/\/+$/, '');
    const queueEnv = { [ENV.PLANNER_QUEUE_URL]: plannerQueue.queueUrl, [ENV.SEND_QUEUE_URL]: sendQueue.queueUrl };
    const schedulerEnv = {
      [ENV.SCHEDULE_GROUP]: scheduleGroup.scheduleGroupName,
      [ENV.SCHEDULER_ROLE_ARN]: schedulerRole.roleArn,
      [ENV.PLANNER_QUEUE_ARN]: plannerQueue.queueArn,
      [ENV.SCHEDULER_DLQ_ARN]: schedulerDlq.queueArn,
    };
    /** Create/update/delete one-time schedules in the group, handing EventBridge Scheduler its role (and no other). */
    const grantScheduling = (fn: AppFunction) => {
      scheduleGroup.grantWriteSchedules(fn.function);
      scheduleGroup.grantDeleteSchedules(fn.function);
      schedulerRole.grantPassRole(fn.function.grantPrincipal);
      Validations.of(fn.function).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:ap-northeast-1:<AWS::AccountId>:schedule/${scheduleGroupName(stage)}/*]`,
        reason:
          'Schedules are named at run time (one per reserved delivery or next recurring occurrence); the grant covers only the schedules of the one civic-line schedule group.',
      });
    };
    const sendOnly = (fn: AppFunction, ...queues: sqs.IQueue[]) =>
      fn.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: queues.map((q) => q.queueArn) }));

    // Planner: claims a delivery, streams the friends, writes chunks and enqueues them; also creates
    // recurring occurrences and schedules the next one. One message at a time (it may run minutes).
    this.planner = new AppFunction(this, 'PlannerFunction', {
      stage,
      functionName: 'delivery-planner',
      description: 'Planner queue consumer: audience → chunks of ≤ 500 → send queue; recurring occurrences',
      entry: 'functions/deliveries/planner-handler.ts',
      timeout: PLANNER_TIMEOUT,
      // 1536 MB: a citizen report's photos are decoded and re-encoded here (a 24 Mpx photo peaks at ~900 MB RSS).
      memorySize: 1536,
      serviceName: 'deliveries',
      environment: { ...queueEnv, ...schedulerEnv, [ENV.PUBLIC_BASE_URL]: this.publicBaseUrl, [ENV.LINE_SECRET_ARN]: lineSecret.secretArn },
    })
      .bindTable(table, 'readWrite')
      // Citizen reports' photos, re-encoded without EXIF, stored under reports/.
      .bindBucket(uploadsBucket, 'readWrite', ENV.UPLOADS_BUCKET);
    lineSecret.grantRead(this.planner.function);
    sendOnly(this.planner, plannerQueue, sendQueue);
    grantScheduling(this.planner);
    this.planner.function.addEventSource(new SqsEventSource(plannerQueue, { batchSize: 1, reportBatchItemFailures: true }));

    // Sender: one LINE multicast (or pushes) per chunk with the chunk's retry key.
    const senderConcurrency = SENDER_CONCURRENCY[stage];
    this.sender = new AppFunction(this, 'SenderFunction', {
      stage,
      functionName: 'delivery-sender',
      description: 'Send queue consumer: one chunk per record → LINE multicast/push with a fixed retry key',
      entry: 'functions/deliveries/sender-handler.ts',
      timeout: SENDER_TIMEOUT,
      memorySize: 512,
      reservedConcurrentExecutions: senderConcurrency.reserved,
      serviceName: 'deliveries',
      environment: { [ENV.PUBLIC_BASE_URL]: this.publicBaseUrl, [ENV.LINE_SECRET_ARN]: lineSecret.secretArn, ...liffEnv },
    }).bindTable(table, 'readWrite');
    lineSecret.grantRead(this.sender.function);
    this.sender.function.addEventSource(
      new SqsEventSource(sendQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(0),
        reportBatchItemFailures: true,
        maxConcurrency: senderConcurrency.maxConcurrency,
      }),
    );

    // The send DLQ's consumer: the chunk becomes failed, the delivery partly_failed/failed.
    this.deadLetter = new AppFunction(this, 'DeadLetterFunction', {
      stage,
      functionName: 'delivery-dead-letter',
      description: 'Send DLQ consumer: marks the chunk failed and finishes the delivery',
      entry: 'functions/deliveries/dead-letter-handler.ts',
      timeout: Duration.seconds(30),
      serviceName: 'deliveries',
    }).bindTable(table, 'readWrite');
    this.deadLetter.function.addEventSource(new SqsEventSource(sendDlq, { batchSize: 10, reportBatchItemFailures: true }));

    // Statistics (LINE allows 60 statistics requests an hour: one run an hour, ≤ 50 requests)
    // and reconciliation of deliveries stuck in sending.
    this.stats = new AppFunction(this, 'StatsFunction', {
      stage,
      functionName: 'delivery-stats',
      description: 'Hourly: open counts from LINE (last 14 days), click counts, reconcile stuck deliveries; audience index upkeep',
      entry: 'functions/deliveries/stats-handler.ts',
      // Statistics take seconds; an audience index rewrite after a format change (100,000 friends) may take minutes.
      timeout: Duration.minutes(15),
      serviceName: 'deliveries',
      environment: { ...queueEnv, [ENV.LINE_SECRET_ARN]: lineSecret.secretArn },
    }).bindTable(table, 'readWrite');
    lineSecret.grantRead(this.stats.function);
    sendOnly(this.stats, plannerQueue, sendQueue);
    new events.Rule(this, 'StatsSchedule', {
      ruleName: name(stage, 'delivery-stats'),
      description: 'Refreshes delivery statistics every hour',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new eventsTargets.LambdaFunction(this.stats.function, { retryAttempts: 2 })],
    });

    // Public routes: click redirect and delivery images (no session; CloudFront /r/* and /media/*).
    this.publicApi = new AppFunction(this, 'PublicApiFunction', {
      stage,
      functionName: 'public-api',
      description: 'GET /r/{deliveryId}/{linkIndex} (click redirect) and GET /media/{mediaId}/{variant} (delivery images)',
      entry: 'functions/deliveries/public-handler.ts',
      timeout: Duration.seconds(10),
      serviceName: 'public',
    })
      // Clicks are counted with an update; media metadata is read.
      .bindTable(table, 'readWrite')
      .bindBucket(uploadsBucket, 'read', ENV.UPLOADS_BUCKET);
    const publicIntegration = new HttpLambdaIntegration('PublicApiIntegration', this.publicApi.function);
    for (const path of ['/r/{proxy+}', '/media/{proxy+}']) {
      this.httpApi.addRoutes({ path, methods: [apigwv2.HttpMethod.GET], integration: publicIntegration });
    }

    // Keyword replies' images are fetched by LINE from the public media route.
    this.webhookProcess.addEnvironment(ENV.PUBLIC_BASE_URL, this.publicBaseUrl);
    // A citizen report queues its photo job on the planner queue.
    this.webhookProcess.addEnvironment(ENV.PLANNER_QUEUE_URL, plannerQueue.queueUrl);
    sendOnly(this.webhookProcess, plannerQueue);
    // The admin API sends now (planner queue), reserves and cancels (schedules) and resends (send queue).
    this.adminApi.addEnvironment(ENV.PUBLIC_BASE_URL, this.publicBaseUrl);
    for (const [key, value] of Object.entries({ ...queueEnv, ...schedulerEnv })) this.adminApi.addEnvironment(key, value);
    sendOnly(this.adminApi, plannerQueue, sendQueue);
    grantScheduling(this.adminApi);

    // ------------------------------------------------------------------
    // Disaster-mail bridge: the intake of SES notifications (issue 14; the receiving path —
    // SES rule set, raw-mail bucket, SNS topic, queue — is in the stateful stack)
    // ------------------------------------------------------------------
    const { bucket: mailBucket, queue: mailQueue } = props.disasterMail;
    const mailEnv = { [ENV.MAIL_BUCKET]: mailBucket.bucketName, [ENV.MAIL_QUEUE_URL]: mailQueue.queueUrl };
    /** Object-level S3 actions under the given prefixes of the disaster-mail bucket, nothing on the bucket itself. */
    const grantMailObjects = (fn: AppFunction, actions: string[], prefixes: string[]) => {
      fn.function.addToRolePolicy(new iam.PolicyStatement({ actions, resources: prefixes.map((prefix) => mailBucket.arnForObjects(`${prefix}*`)) }));
      fn.node.addValidation({
        // cdk-nag names the finding after the resolved (imported) ARN, known only at validation time.
        validate: () => {
          const arn = flattenCfnReference(Stack.of(this).resolve(mailBucket.bucketArn));
          for (const prefix of prefixes) {
            Validations.of(fn.function).acknowledge({
              id: `AwsSolutions-IAM5[Resource::${arn}/${prefix}*]`,
              reason: `Raw alert mail under ${prefix} of the disaster-mail bucket only; keys are SES message ids (inbound/) or made per console test (test/).`,
            });
          }
          return [];
        },
      });
    };

    // One SES notification per record: read the raw mail, apply the staff's settings (sender,
    // routes, approval), create and plan or schedule its delivery. 1,024 MB: mailparser on a
    // 10 MB mail. Failed records are retried alone and after 5 receives go to the alarmed DLQ.
    // No app secret and no PUBLIC_BASE_URL: the intake seals no cursor (its stores' sealer reads
    // the secret only when a list is paged) and builds no public link (the planner and the sender do).
    this.disasterMailIntake = new AppFunction(this, 'DisasterMailIntakeFunction', {
      stage,
      functionName: 'disaster-mail-intake',
      description: 'Disaster-mail queue consumer: SES notification → raw mail from S3 → parsed, checked, delivered (or held for approval)',
      entry: 'functions/disaster-mail/intake-handler.ts',
      timeout: DISASTER_MAIL_INTAKE_TIMEOUT,
      memorySize: 1024,
      // The `service` dimension of DisasterMailUnreadable / DisasterMailHeld (alarmed in the stateful stack).
      serviceName: DISASTER_MAIL_SERVICE,
      environment: { ...queueEnv, ...schedulerEnv, ...mailEnv },
    }).bindTable(table, 'readWrite');
    grantMailObjects(this.disasterMailIntake, ['s3:GetObject'], [DISASTER_MAIL_INBOUND_PREFIX, DISASTER_MAIL_TEST_PREFIX]);
    sendOnly(this.disasterMailIntake, plannerQueue);
    grantScheduling(this.disasterMailIntake);
    this.disasterMailIntake.function.addEventSource(new SqsEventSource(mailQueue, { batchSize: 5, reportBatchItemFailures: true }));

    // The console: its test button stores a sample mail under test/ and queues its notification;
    // staff download a received raw mail (inbound/).
    for (const [key, value] of Object.entries(mailEnv)) this.adminApi.addEnvironment(key, value);
    grantMailObjects(this.adminApi, ['s3:GetObject', 's3:PutObject'], [DISASTER_MAIL_TEST_PREFIX]);
    grantMailObjects(this.adminApi, ['s3:GetObject'], [DISASTER_MAIL_INBOUND_PREFIX]);
    sendOnly(this.adminApi, mailQueue);

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
