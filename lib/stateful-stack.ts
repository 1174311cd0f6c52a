/**
 * Everything that holds data or state and must outlive a redeploy of the code:
 * the single DynamoDB table (+ backups), the uploads bucket (+ its access-log
 * bucket), the webhook queue and its DLQ, the LINE channel secret, the alarm
 * topic, and the disaster-mail bridge's receiving path (lib/constructs/mail-intake.ts:
 * SES rule set, raw-mail bucket, SNS topic, queue). Stateless stacks receive these as props.
 */
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import {
  DELIVERY_MAX_RECEIVE_COUNT,
  lineSecretName,
  appSecretName,
  name,
  parseMailRecipients,
  PLANNER_QUEUE_VISIBILITY_TIMEOUT,
  scheduleGroupName,
  SEND_QUEUE_VISIBILITY_TIMEOUT,
  settingsFor,
  tableName,
  uploadsBucketName,
  WEBHOOK_MAX_RECEIVE_COUNT,
  WEBHOOK_QUEUE_VISIBILITY_TIMEOUT,
  Stage,
} from './config';
import { DisasterMailIntake } from './constructs/mail-intake';
import { TABLE_DEFINITION } from './table-definition';

export interface StatefulStackProps extends StackProps {
  stage: Stage;
}

export class StatefulStack extends Stack {
  /** The single table (keys and indexes from lib/table-definition.ts). */
  public readonly table: dynamodb.TableV2;
  /**
   * Files citizens upload with form answers (images, videos) and staff CSV exports.
   * Private; reached only by the LIFF and admin API functions (uploads go through the API).
   */
  public readonly uploadsBucket: s3.Bucket;
  /** S3 server access logs of the uploads bucket. */
  public readonly accessLogBucket: s3.Bucket;
  /** One message per LINE webhook event, consumed by the webhook process function. */
  public readonly webhookQueue: sqs.Queue;
  /** Webhook events that failed WEBHOOK_MAX_RECEIVE_COUNT times. */
  public readonly webhookDlq: sqs.Queue;
  /** LINE channel credentials, JSON {channelSecret, channelAccessToken, loginChannelId}. */
  public readonly lineSecret: secretsmanager.Secret;
  /** The platform's own HMAC key, JSON {signingKey}: paging cursors, sign-in throttling (functions/shared/sealed.ts). */
  public readonly appSecret: secretsmanager.Secret;
  /** Operational alarms publish here; subscribe the operators' e-mail after deploy. */
  public readonly alarmTopic: sns.Topic;
  /** Fires when any webhook event lands in the DLQ. */
  public readonly webhookDlqAlarm: cloudwatch.Alarm;
  /** Fires when webhook events are refused for good (recorded in the ledger, not retried). */
  public readonly webhookRefusedAlarm: cloudwatch.Alarm;
  /** Deliveries: `plan` a delivery / create a recurring `occurrence` (docs/deliveries-api.md). */
  public readonly plannerQueue: sqs.Queue;
  public readonly plannerDlq: sqs.Queue;
  /** Deliveries: one chunk (≤ 500 recipients) per message, consumed by the sender. */
  public readonly sendQueue: sqs.Queue;
  /** Chunks that failed DELIVERY_MAX_RECEIVE_COUNT times; its consumer marks them failed. */
  public readonly sendDlq: sqs.Queue;
  /** Planner messages EventBridge Scheduler could not put on the planner queue. */
  public readonly schedulerDlq: sqs.Queue;
  /** One-time schedules of reserved sends and next recurring occurrences. */
  public readonly scheduleGroup: scheduler.ScheduleGroup;
  /** The role EventBridge Scheduler assumes: sqs:SendMessage to the planner queue and its own DLQ only. */
  public readonly schedulerRole: iam.Role;
  public readonly deliveryDlqAlarms: cloudwatch.Alarm[];
  /**
   * The disaster-mail bridge's receiving path: SES receipt rule set (recipients from
   * `-c mailRecipients` / `-c mailDomain`), raw-mail bucket, SNS topic, queue + DLQ, alarms.
   */
  public readonly disasterMail: DisasterMailIntake;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    // S3 server access logs are allowed by a bucket policy (logging.s3.amazonaws.com)
    // instead of the legacy LogDeliveryWrite ACL, so the log bucket can keep ACLs
    // disabled. Set on this stack, so `cdk synth` and the tests build the same template.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const { stage } = props;
    const settings = settingsFor(stage);
    const isTest = stage === Stage.test;

    // ------------------------------------------------------------------
    // DynamoDB: the single table
    // ------------------------------------------------------------------
    const stringKey = (keyName: string): dynamodb.Attribute => ({ name: keyName, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: tableName(stage),
      partitionKey: stringKey(TABLE_DEFINITION.partitionKey),
      sortKey: stringKey(TABLE_DEFINITION.sortKey),
      globalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: settings.deletionProtection,
      removalPolicy: settings.removalPolicy,
    });

    // Daily snapshots on top of PITR: they survive an accidental table deletion
    // and are kept for a fixed period (35 days prod, 7 days test).
    // The vault is always retained: AWS Backup refuses to delete a vault that
    // still holds recovery points, which would block `cdk destroy` of test.
    const vault = new backup.BackupVault(this, 'BackupVault');
    const backupPlan = new backup.BackupPlan(this, 'BackupPlan', {
      backupPlanName: name(stage, 'table-backup'),
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          // 18:00 UTC = 03:00 JST, outside office hours.
          scheduleExpression: events.Schedule.cron({ hour: '18', minute: '0' }),
          deleteAfter: settings.backupRetention,
        }),
      ],
    });
    const backupSelection = backupPlan.addSelection('Table', {
      resources: [backup.BackupResource.fromDynamoDbTable(this.table)],
    });
    for (const policy of ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores']) {
      Validations.of(backupSelection).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
        reason: 'The AWS Backup service role uses the AWS-maintained policy made for exactly this role.',
      });
    }

    // ------------------------------------------------------------------
    // S3: uploads (form images and videos, CSV exports) + its access logs
    // ------------------------------------------------------------------
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // S3 server access logging cannot deliver to an SSE-KMS bucket.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(settings.logRetention) }],
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: isTest,
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging its own access would log into itself.',
    });

    // Citizens' browsers PUT files straight here with a presigned URL that the LIFF
    // function signs for one key under uploads/pending/, one type and one exact size,
    // valid 10 minutes; the function then checks size and magic bytes and moves the
    // object (or deletes it). Hence CORS for PUT (and GET, for signed previews) from the
    // console/LIFF origin. CORS only lets the page read the answer — the signature is
    // what allows a request — so the CloudFront origin (created later, in the web stack,
    // which depends on this one) is matched as https://*.cloudfront.net, or given exactly
    // with `-c webOrigin=https://…` once a custom domain exists. S3-managed keys: SSE-KMS
    // would add a key policy and per-request KMS calls without narrowing who can read.
    this.uploadsBucket = new s3.Bucket(this, 'UploadsBucket', {
      bucketName: uploadsBucketName(stage),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Versions protect residents' files from an accidental overwrite or delete.
      versioned: true,
      cors: [
        {
          allowedOrigins: [(this.node.tryGetContext('webOrigin') as string | undefined) ?? 'https://*.cloudfront.net'],
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET],
          allowedHeaders: ['content-type'],
          exposedHeaders: ['etag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'AbortIncompleteMultipartUploads',
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          // Direct uploads never completed (or refused and already deleted: their old versions).
          id: 'ExpirePendingUploads',
          prefix: 'uploads/pending/',
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          // Citizen reports' photos as LINE gave them (EXIF, GPS): deleted once re-encoded; whatever a
          // crash left, and the old versions a delete leaves in this versioned bucket, go within a day.
          id: 'ExpireRawReportPhotos',
          prefix: 'reports-raw/',
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: Duration.days(30),
          // Delete markers left once their last old version has expired.
          expiredObjectDeleteMarker: true,
        },
      ],
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 's3-uploads/',
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: isTest,
    });

    // ------------------------------------------------------------------
    // SQS: webhook queue + DLQ
    // ------------------------------------------------------------------
    this.webhookDlq = new sqs.Queue(this, 'WebhookDlq', {
      queueName: name(stage, 'webhook-dlq'),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: settings.removalPolicy,
    });
    this.webhookQueue = new sqs.Queue(this, 'WebhookQueue', {
      queueName: name(stage, 'webhook'),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: WEBHOOK_QUEUE_VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.webhookDlq, maxReceiveCount: WEBHOOK_MAX_RECEIVE_COUNT },
      removalPolicy: settings.removalPolicy,
    });

    // ------------------------------------------------------------------
    // Deliveries: planner and send queues (+ DLQs), schedule group, scheduler role
    // ------------------------------------------------------------------
    const queueDefaults = {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: settings.removalPolicy,
    };
    /** `<id>Queue` (4 days) with its `<id>Dlq` (14 days) after DELIVERY_MAX_RECEIVE_COUNT receives. */
    const pipelineQueue = (id: string, queueName: string, visibilityTimeout: Duration) => {
      const dlq = new sqs.Queue(this, `${id}Dlq`, { ...queueDefaults, queueName: name(stage, `${queueName}-dlq`), retentionPeriod: Duration.days(14) });
      const queue = new sqs.Queue(this, `${id}Queue`, {
        ...queueDefaults,
        queueName: name(stage, queueName),
        visibilityTimeout,
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: dlq, maxReceiveCount: DELIVERY_MAX_RECEIVE_COUNT },
      });
      return [queue, dlq] as const;
    };
    [this.plannerQueue, this.plannerDlq] = pipelineQueue('Planner', 'delivery-planner', PLANNER_QUEUE_VISIBILITY_TIMEOUT);
    [this.sendQueue, this.sendDlq] = pipelineQueue('Send', 'delivery-send', SEND_QUEUE_VISIBILITY_TIMEOUT);
    this.schedulerDlq = new sqs.Queue(this, 'SchedulerDlq', { ...queueDefaults, queueName: name(stage, 'scheduler-dlq'), retentionPeriod: Duration.days(14) });
    // The send DLQ has a consumer (the dead-letter handler finishes the chunk as failed); the
    // planner and scheduler DLQs are inspected and redriven by hand. Each is alarmed below.
    for (const [id, queue] of [
      ['PlannerDlq', this.plannerDlq],
      ['SendDlq', this.sendDlq],
      ['SchedulerDlq', this.schedulerDlq],
    ] as const) {
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `${id} is itself a dead-letter queue (of the ${id === 'SchedulerDlq' ? 'EventBridge Scheduler targets' : 'delivery pipeline'}).`,
      });
    }

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', {
      scheduleGroupName: scheduleGroupName(stage),
      removalPolicy: settings.removalPolicy,
    });
    // Assumed only by EventBridge Scheduler of this account (confused-deputy guard).
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      roleName: name(stage, 'scheduler'),
      description: 'EventBridge Scheduler: puts planner messages of reserved and recurring deliveries on the planner queue',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
    });
    // The target's send and the scheduler's own DLQ (EventBridge Scheduler writes to it with this role).
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.plannerQueue.queueArn, this.schedulerDlq.queueArn] }),
    );

    // ------------------------------------------------------------------
    // Secrets Manager: LINE channel credentials
    // ------------------------------------------------------------------
    // Deployed with placeholders and a random channelSecret (so no request can pass
    // signature validation until the real value is set); operators put the real
    // values in after the first deploy. Nothing secret is ever in this repository.
    this.lineSecret = new secretsmanager.Secret(this, 'LineSecret', {
      secretName: lineSecretName(stage),
      description: `LINE channel credentials for civic-line ${stage}: JSON {channelSecret, channelAccessToken, loginChannelId}. Replace the placeholders after the first deploy.`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({
          channelAccessToken: 'REPLACE_WITH_CHANNEL_ACCESS_TOKEN',
          loginChannelId: 'REPLACE_WITH_LOGIN_CHANNEL_ID',
        }),
        generateStringKey: 'channelSecret',
        excludePunctuation: true,
        passwordLength: 32,
      },
      removalPolicy: settings.removalPolicy,
    });
    Validations.of(this.lineSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'LINE issues the channel secret and access token in the LINE Developers console; a rotation Lambda cannot reissue them. Operators reissue them there and update this secret (see README).',
    });

    // The platform's own signing key (generated, never leaves AWS): HMAC of paging cursors and of
    // typed login IDs. Rotating it only invalidates open cursors and sign-in failure counts.
    this.appSecret = new secretsmanager.Secret(this, 'AppSecret', {
      secretName: appSecretName(stage),
      description: `civic-line ${stage}: the platform's HMAC key, JSON {signingKey} (paging cursors, sign-in throttling). Generated; never copied out.`,
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'signingKey', excludePunctuation: true, passwordLength: 64 },
      removalPolicy: settings.removalPolicy,
    });
    Validations.of(this.appSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the signing key only invalidates open paging cursors and sign-in failure counts; operators rotate it by generating a new value (aws secretsmanager rotate-secret is not needed for an internal HMAC key).',
    });

    // ------------------------------------------------------------------
    // Alarms
    // ------------------------------------------------------------------
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: name(stage, 'alarms'),
      displayName: `civic-line ${stage} alarms`,
      enforceSSL: true,
    });
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key; the messages carry alarm metadata only, never resident data.',
    });

    this.webhookDlqAlarm = new cloudwatch.Alarm(this, 'WebhookDlqAlarm', {
      alarmName: name(stage, 'webhook-dlq-not-empty'),
      alarmDescription: 'LINE webhook events failed repeatedly and are waiting in the DLQ. Check the webhook process function logs, fix, then redrive the DLQ.',
      metric: this.webhookDlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.webhookDlqAlarm.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));

    // Events that can never be processed are recorded once (the event ledger, `refused`) instead
    // of going round into the DLQ: the consumer's metric says someone should look.
    this.webhookRefusedAlarm = new cloudwatch.Alarm(this, 'WebhookRefusedAlarm', {
      alarmName: name(stage, 'webhook-events-refused'),
      alarmDescription:
        "LINE webhook events were refused for good (outside LINE's schema, or LINE refused the answer with 400/404/413/422) and recorded in the event ledger with their reason (GSI1 WEBHOOK_REFUSALS). Read the webhook process logs for the reason.",
      metric: new cloudwatch.Metric({
        namespace: 'CivicLine',
        metricName: 'WebhookEventRefused',
        dimensionsMap: { service: 'webhook' },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.webhookRefusedAlarm.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));

    const dlqAlarm = (id: string, queue: sqs.Queue, thing: string, description: string) => {
      const alarm = new cloudwatch.Alarm(this, id, {
        alarmName: name(stage, `${thing}-not-empty`),
        alarmDescription: description,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));
      return alarm;
    };
    this.deliveryDlqAlarms = [
      dlqAlarm(
        'PlannerDlqAlarm',
        this.plannerDlq,
        'delivery-planner-dlq',
        'A delivery could not be planned 5 times (or a recurring occurrence not created). Check the planner logs, fix, then redrive the planner DLQ.',
      ),
      dlqAlarm(
        'SendDlqAlarm',
        this.sendDlq,
        'delivery-send-dlq',
        'A delivery chunk failed 5 times; the dead-letter handler marks it failed (delivery partly_failed). Check the sender logs; staff can resend the failed part within 24 h.',
      ),
      dlqAlarm(
        'SchedulerDlqAlarm',
        this.schedulerDlq,
        'scheduler-dlq',
        'EventBridge Scheduler could not put a reserved or recurring delivery on the planner queue. The message body is the planner message: send it to the planner queue by hand.',
      ),
    ];

    // ------------------------------------------------------------------
    // Disaster-mail bridge: SES → S3 (raw mail) + SNS → SQS (lib/constructs/mail-intake.ts)
    // ------------------------------------------------------------------
    this.disasterMail = new DisasterMailIntake(this, 'DisasterMail', {
      stage,
      recipients: parseMailRecipients(stage, { mailRecipients: this.node.tryGetContext('mailRecipients'), mailDomain: this.node.tryGetContext('mailDomain') }),
      alarmTopic: this.alarmTopic,
      accessLogBucket: this.accessLogBucket,
    });

    // ------------------------------------------------------------------
    // Outputs
    // ------------------------------------------------------------------
    new CfnOutput(this, 'UploadsBucketName', {
      description: "Private S3 bucket of citizens' form uploads (images, videos) and staff CSV exports; files arrive by presigned PUT, leave by presigned GET.",
      value: this.uploadsBucket.bucketName,
    });
    new CfnOutput(this, 'DisasterMailBucketName', {
      description: 'Private S3 bucket of raw alert mail: SES stores received mail under inbound/, the console its test samples under test/.',
      value: this.disasterMail.bucket.bucketName,
    });
    new CfnOutput(this, 'DisasterMailRuleSetName', {
      description: 'SES receipt rule set of the disaster-mail bridge (activated by this stack; one active set per account and region).',
      value: this.disasterMail.ruleSet.receiptRuleSetName,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: "SNS topic of operational alarms: subscribe the operators' e-mail addresses to it.",
      value: this.alarmTopic.topicArn,
    });
  }
}
