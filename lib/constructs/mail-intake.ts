/**
 * The receiving path of the disaster-mail bridge (issue 14): the city's alert mail reaches SES in
 * Tokyo, a receipt rule stores the raw mail in S3 (`inbound/<SES message id>`) and notifies an SNS
 * topic, whose one subscriber is the disaster-mail queue (raw delivery: a queue message's body is
 * the SES "Received" notification itself, with `mail`, `receipt` — SPF, DKIM, DMARC, spam and virus
 * verdicts — and `receipt.action` {type: 'S3', bucketName, objectKey}). The intake function in the
 * API stack consumes the queue. Used by the stateful stack: everything here holds or routes data.
 *
 *   SES rule ──PutObject──▶ bucket (inbound/)     the bucket policy lets only this rule write (and denies anyone else)
 *      └──Publish──▶ topic (KMS) ──▶ queue ──(5 receives)──▶ DLQ ──▶ alarm
 */
import { ArnFormat, Annotations, CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import {
  DISASTER_MAIL_INBOUND_PREFIX,
  DISASTER_MAIL_MAX_RECEIVE_COUNT,
  DISASTER_MAIL_QUEUE_VISIBILITY_TIMEOUT,
  DISASTER_MAIL_SERVICE,
  disasterMailName,
  name,
  settingsFor,
  Stage,
  type MailRecipients,
} from '../config';
import { RECEIPT_RULE_SET_ACTIVATION_HANDLER } from './receipt-rule-set-activation';

export interface DisasterMailIntakeProps {
  stage: Stage;
  /** The addresses the receipt rule accepts (lib/config.ts parseMailRecipients). */
  recipients: MailRecipients;
  /** The operators' alarm topic of the stateful stack. */
  alarmTopic: sns.ITopic;
  /** Where the bucket's S3 server access logs go (the stateful stack's access-log bucket). */
  accessLogBucket: s3.IBucket;
}

export class DisasterMailIntake extends Construct {
  /** Raw inbound mail: SES writes `inbound/`, the console's test button `test/`. */
  public readonly bucket: s3.Bucket;
  /** SES's "Received" notifications (after the mail is stored); SSE with `topicKey`. */
  public readonly topic: sns.Topic;
  public readonly topicKey: kms.Key;
  /** One SES notification per message (raw delivery), consumed by the intake function. */
  public readonly queue: sqs.Queue;
  /** Notifications that failed DISASTER_MAIL_MAX_RECEIVE_COUNT times. */
  public readonly dlq: sqs.Queue;
  public readonly ruleSet: ses.ReceiptRuleSet;
  public readonly rule: ses.ReceiptRule;
  /** `arn:…:ses:<region>:<account>:receipt-rule-set/<set>:receipt-rule/<rule>`: the only writer of the bucket. */
  public readonly ruleArn: string;
  /**
   * Makes the rule set the account's active one (and, deleted, deactivates it only while it is the
   * active one); absent while the test stage has only the placeholder recipient.
   */
  public readonly activation?: CustomResource;
  /** The activation's onEvent handler (receipt-rule-set-activation.ts), with the activation. */
  public readonly activationHandler?: lambda.Function;
  /** DLQ not empty, unreadable mail, refused queue messages, mail held for approval, notifications waiting too long. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: DisasterMailIntakeProps) {
    super(scope, id);
    const { stage, recipients, alarmTopic } = props;
    const settings = settingsFor(stage);
    const stack = Stack.of(this);
    const ruleSetName = disasterMailName(stage);
    const ruleName = name(stage, 'disaster-mail-inbound');
    this.ruleArn = stack.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${ruleSetName}:receipt-rule/${ruleName}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const sesPrincipal = new iam.ServicePrincipal('ses.amazonaws.com');

    // ------------------------------------------------------------------
    // S3: raw mail
    // ------------------------------------------------------------------
    // S3-managed keys: SES writes with an ordinary PutObject, so no key policy is needed
    // (SES's own client-side KMS encryption would make the mail unreadable to any tool but
    // the S3 encryption client). Not versioned: each mail is written once under its own SES
    // message id and never changed; the lifecycle rule is the retention.
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: disasterMailName(stage),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'ExpireMail', expiration: settings.disasterMailRetention },
      ],
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 's3-disaster-mail/',
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: stage === Stage.test,
    });
    // Only SES of this account, for this one rule (confused-deputy guard: SourceAccount and
    // SourceArn, as the SES developer guide's policy), and only under inbound/. The staff
    // console's test samples go under test/ through the admin API's own role.
    const inboundObjects = this.bucket.arnForObjects(`${DISASTER_MAIL_INBOUND_PREFIX}*`);
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesReceiptRulePuts',
        principals: [sesPrincipal],
        actions: ['s3:PutObject'],
        resources: [inboundObjects],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.ruleArn } },
      }),
    );
    // …and nobody else, whatever their identity policies allow: a put under inbound/ that does
    // not come from this rule is denied. IAM callers (roles, users, the account's admins) have
    // no aws:SourceArn, and a missing key never equals, so StringNotEquals denies them; SES
    // writing for this rule passes. Other prefixes (the admin API's test/) are not concerned, nor
    // are deletes (the test stage's auto-delete of objects on stack deletion).
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyInboundPutsNotFromTheReceiptRule',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [inboundObjects],
        conditions: { StringNotEquals: { 'aws:SourceArn': this.ruleArn } },
      }),
    );

    // ------------------------------------------------------------------
    // SNS: SES's notification, encrypted with a key SES may use
    // ------------------------------------------------------------------
    // SNS's AWS-managed key cannot be used by a publishing service, hence a customer key whose
    // policy lets SES encrypt what it publishes (AWS SNS guide, "event sources and encrypted
    // topics"). No condition here: the key serves only this topic, and who may publish to the
    // topic — SES of this account — is decided by the topic policy below.
    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: `civic-line ${stage}: SSE of the disaster-mail SNS topic (SES publishes, SNS delivers to the disaster-mail queue)`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    });
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToPublishToTheEncryptedTopic',
        principals: [sesPrincipal],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: disasterMailName(stage),
      displayName: `civic-line ${stage} disaster mail received`,
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    // The topic policy (enforceSSL) replaces SNS's default one, so SES is allowed explicitly:
    // SES of this account, for its resources in this region only.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesOfThisAccountToPublish',
        principals: [sesPrincipal],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ses:${stack.region}:${stack.account}:*` },
        },
      }),
    );

    // ------------------------------------------------------------------
    // SQS: the intake function's queue + DLQ
    // ------------------------------------------------------------------
    const queueDefaults = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, removalPolicy: settings.removalPolicy };
    this.dlq = new sqs.Queue(this, 'Dlq', { ...queueDefaults, queueName: name(stage, 'disaster-mail-dlq'), retentionPeriod: Duration.days(14) });
    Validations.of(this.dlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is itself the dead-letter queue of the disaster-mail queue (alarmed below; redriven by hand once the cause is fixed).',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...queueDefaults,
      queueName: disasterMailName(stage),
      visibilityTimeout: DISASTER_MAIL_QUEUE_VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: DISASTER_MAIL_MAX_RECEIVE_COUNT },
    });
    // Raw delivery: the body is SES's notification JSON, not wrapped in SNS's envelope. The
    // subscription adds the queue policy that lets only this topic send (aws:SourceArn).
    this.topic.addSubscription(new snsSubscriptions.SqsSubscription(this.queue, { rawMessageDelivery: true }));

    // ------------------------------------------------------------------
    // SES: receipt rule set with one rule
    // ------------------------------------------------------------------
    this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: ruleSetName });
    // The S3 action written out rather than aws-ses-actions' S3 class: that one adds its own bucket
    // policy statement with aws:SourceAccount only, which would let any rule of the account write.
    const storeAndNotify: ses.IReceiptRuleAction = {
      bind: () => ({
        s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: DISASTER_MAIL_INBOUND_PREFIX, topicArn: this.topic.topicArn },
      }),
    };
    this.rule = this.ruleSet.addRule('Rule', {
      receiptRuleName: ruleName,
      recipients: recipients.recipients,
      enabled: true,
      // Spam and virus scan: the notification carries spamVerdict and virusVerdict for the intake's rules.
      scanEnabled: true,
      // OPTIONAL, not REQUIRE: some municipal and prefectural alert systems still hand mail over
      // without STARTTLS, and a bounced alert is worse than one sent in clear over the internet
      // (its content is public anyway); the intake judges the sender by SPF/DKIM/DMARC verdicts.
      tlsPolicy: ses.TlsPolicy.OPTIONAL,
      actions: [storeAndNotify],
    });
    // SES checks at rule creation that it may write to the bucket and publish to the topic.
    if (this.bucket.policy) this.rule.node.addDependency(this.bucket.policy);
    this.rule.node.addDependency(this.topic, this.topicKey);

    // ------------------------------------------------------------------
    // Activation of the rule set
    // ------------------------------------------------------------------
    // CloudFormation creates rule sets inactive and cannot activate one. Only ONE receipt rule
    // set can be active per account and region: activating this one deactivates any other
    // (another stage's in the same account included). On delete the set is deactivated only
    // while it is still the active one, so deleting this stage never switches off another
    // stage's receiving. With the test stage's placeholder recipient nothing can match, so the
    // set is left inactive rather than taking the account's receiving away.
    if (recipients.placeholder) {
      Annotations.of(this).addWarningV2(
        'civic-line:disaster-mail-placeholder',
        `防災メールの受信先が未設定です (no disaster-mail recipients: the rule only accepts the placeholder ${recipients.recipients.join(', ')} and its rule set is not activated). Pass -c mailRecipients=… or -c mailDomain=… to receive alert mail.`,
      );
    } else {
      const logGroup = (logId: string) => new logs.LogGroup(this, logId, { retention: settings.logRetention, removalPolicy: settings.removalPolicy });
      // The handler's own role: the two SES calls and its own log group, no managed policy.
      const handlerLogs = logGroup('ActivationHandlerLogs');
      const handlerRole = new iam.Role(this, 'ActivationHandlerRole', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `civic-line ${stage}: activates the disaster-mail receipt rule set (and deactivates it on delete only while it is the active one)`,
      });
      handlerRole.addToPolicy(new iam.PolicyStatement({ actions: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'], resources: ['*'] }));
      handlerLogs.grantWrite(handlerRole);
      Validations.of(handlerRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ses:SetActiveReceiptRuleSet and ses:DescribeActiveReceiptRuleSet support no resource-level permission (the active rule set is an account setting); the role may call nothing else but write its own log group.',
      });
      this.activationHandler = new lambda.Function(this, 'ActivationHandler', {
        description: `civic-line ${stage}: CloudFormation custom resource, activates the receipt rule set ${ruleSetName} (deactivates it on delete only while it is the active one)`,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        handler: 'index.handler',
        code: lambda.Code.fromInline(RECEIPT_RULE_SET_ACTIVATION_HANDLER),
        timeout: Duration.seconds(30),
        role: handlerRole,
        logGroup: handlerLogs,
      });
      Validations.of(this.activationHandler).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 is pinned on purpose, like every function of the project; the inline handler runs only during deploys and uses the SES client of the runtime’s AWS SDK v3.',
      });
      // The CDK provider framework's function (it calls the handler and answers CloudFormation):
      // also its own role, its log group and the invoke grant the framework adds, no managed policy.
      const providerLogs = logGroup('ActivationProviderLogs');
      const providerRole = new iam.Role(this, 'ActivationProviderRole', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `civic-line ${stage}: CDK custom-resource provider framework of the receipt rule set activation (invokes its handler)`,
      });
      providerLogs.grantWrite(providerRole);
      const provider = new cr.Provider(this, 'ActivationProvider', {
        onEventHandler: this.activationHandler,
        frameworkOnEventRole: providerRole,
        logGroup: providerLogs,
      });
      Validations.of(providerRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.activationHandler.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
        reason:
          'The CDK provider framework grants lambda:InvokeFunction on the activation handler and its qualified ARNs (versions, aliases) — that one function only.',
      });
      this.activation = new CustomResource(this, 'ActivateRuleSet', {
        resourceType: 'Custom::SesActiveReceiptRuleSet',
        serviceToken: provider.serviceToken,
        properties: { RuleSetName: this.ruleSet.receiptRuleSetName },
      });
      this.activation.node.addDependency(this.rule);
    }

    // ------------------------------------------------------------------
    // Alarms
    // ------------------------------------------------------------------
    /** One evaluation period, missing data not breaching, to the operators' topic. */
    const alarm = (alarmId: string, alarmProps: Omit<cloudwatch.AlarmProps, 'evaluationPeriods'>) => {
      const created = new cloudwatch.Alarm(this, alarmId, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...alarmProps, evaluationPeriods: 1 });
      created.addAlarmAction(new cwActions.SnsAction(alarmTopic));
      return created;
    };
    const intakeMetric = (metricName: string, period: Duration) =>
      new cloudwatch.Metric({ namespace: 'CivicLine', metricName, dimensionsMap: { service: DISASTER_MAIL_SERVICE }, statistic: cloudwatch.Stats.SUM, period });
    this.alarms = [
      alarm('DlqAlarm', {
        alarmName: name(stage, 'disaster-mail-dlq-not-empty'),
        alarmDescription:
          'An alert mail notification failed 5 times and waits in the disaster-mail DLQ: the alert may not have reached citizens. Check the disaster-mail-intake logs, fix, then redrive the DLQ (the raw mail is in the bucket under inbound/).',
        metric: this.dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
      alarm('UnreadableAlarm', {
        alarmName: name(stage, 'disaster-mail-unreadable'),
        alarmDescription:
          "A mail received for the disaster-mail bridge could not be read (too large, not parseable as a mail, no sender, or neither subject nor body) and was recorded, not retried. See the console's 防災メール連携 log and the intake logs. (A stored mail not found is retried instead and, after 5 receives, raises the DLQ alarm.)",
        metric: intakeMetric('DisasterMailUnreadable', Duration.minutes(5)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
      alarm('RefusedAlarm', {
        alarmName: name(stage, 'disaster-mail-message-refused'),
        alarmDescription:
          'A disaster-mail queue message was neither an SES "Received" notification for the raw-mail bucket nor a stored mail of ours; it was logged and dropped, not retried. Read the disaster-mail-intake logs.',
        metric: intakeMetric('DisasterMailMessageRefused', Duration.minutes(5)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
      alarm('HeldAlarm', {
        alarmName: name(stage, 'disaster-mail-held'),
        alarmDescription: "An alert mail is held for approval and is not sent until staff approve it in the console's 防災メール連携 screen.",
        metric: intakeMetric('DisasterMailHeld', Duration.minutes(1)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
      alarm('WaitingAlarm', {
        alarmName: name(stage, 'disaster-mail-waiting'),
        alarmDescription:
          'An alert mail notification has waited more than 5 minutes in the disaster-mail queue: the intake function is failing or throttled. Check its logs and errors.',
        metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: Duration.minutes(5).toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    ];
  }
}
