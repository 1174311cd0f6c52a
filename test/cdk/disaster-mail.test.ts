import { Annotations, Match } from 'aws-cdk-lib/assertions';
import {
  DISASTER_MAIL_INTAKE_TIMEOUT,
  DISASTER_MAIL_QUEUE_VISIBILITY_TIMEOUT,
  MailRecipientsError,
  parseMailRecipients,
  PLACEHOLDER_MAIL_RECIPIENT,
  settingsFor,
  Stage,
} from '../../lib/config';
import { RECEIPT_RULE_SET_ACTIVATION_HANDLER } from '../../lib/constructs/receipt-rule-set-activation';
import { isDenied, type Request } from './bucket-policy';
import { actionsOf, PROD_MAIL_RECIPIENTS, statementsOfFunction, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './synth-app';

type Template = SynthesizedStage['statefulTemplate'];
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Principal?: unknown; Resource: unknown; Condition?: unknown };

const stages: Record<Stage, SynthesizedStage> = {} as Record<Stage, SynthesizedStage>;
/** The test stage as deployed for real: a domain given, so the rule set is activated. */
let testWithDomain: SynthesizedStage;

beforeAll(() => {
  stages[Stage.test] = synthStage(Stage.test);
  stages[Stage.prod] = synthStage(Stage.prod);
  testWithDomain = synthStage(Stage.test, { context: { mailDomain: 'test.city.example.jp' } });
}, SYNTH_TIMEOUT_MS * 2);

const logicalId = (template: Template, type: string, props: Record<string, unknown>) => {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0];
};
const onlyId = (template: Template, type: string, pattern: RegExp) => {
  const found = Object.keys(template.findResources(type)).filter((id) => pattern.test(id));
  expect(found).toHaveLength(1);
  return found[0];
};
const ruleArn = (stage: Stage) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ses:ap-northeast-1:',
      { Ref: 'AWS::AccountId' },
      `:receipt-rule-set/civic-line-${stage}-disaster-mail:receipt-rule/civic-line-${stage}-disaster-mail-inbound`,
    ],
  ],
});
const statementsOf = (template: Template, type: string, ref: { key: string; id: string }): Statement[] =>
  Object.values(template.findResources(type))
    .filter((p) => JSON.stringify(p.Properties[ref.key]).includes(`"${ref.id}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);

describe.each([Stage.test, Stage.prod])('disaster-mail bridge in the %s app', (stage) => {
  const t = () => stages[stage].statefulTemplate;
  const api = () => stages[stage].apiTemplate;
  const bucketId = () => logicalId(t(), 'AWS::S3::Bucket', { BucketName: `civic-line-${stage}-disaster-mail` });
  const topicId = () => logicalId(t(), 'AWS::SNS::Topic', { TopicName: `civic-line-${stage}-disaster-mail` });
  const queueId = () => logicalId(t(), 'AWS::SQS::Queue', { QueueName: `civic-line-${stage}-disaster-mail` });
  const dlqId = () => logicalId(t(), 'AWS::SQS::Queue', { QueueName: `civic-line-${stage}-disaster-mail-dlq` });
  const recipients = stage === Stage.prod ? [PROD_MAIL_RECIPIENTS] : [PLACEHOLDER_MAIL_RECIPIENT];
  const fn = (shortName: string) => logicalId(api(), 'AWS::Lambda::Function', { FunctionName: `civic-line-${stage}-${shortName}` });

  describe('SES receiving', () => {
    it('has the rule set civic-line-<stage>-disaster-mail with one enabled rule: the recipients, spam/virus scan, TLS optional', () => {
      const setId = logicalId(t(), 'AWS::SES::ReceiptRuleSet', { RuleSetName: `civic-line-${stage}-disaster-mail` });
      t().resourceCountIs('AWS::SES::ReceiptRule', 1);
      t().hasResourceProperties('AWS::SES::ReceiptRule', {
        RuleSetName: { Ref: setId },
        Rule: {
          Name: `civic-line-${stage}-disaster-mail-inbound`,
          Enabled: true,
          Recipients: recipients,
          ScanEnabled: true,
          TlsPolicy: 'Optional',
          Actions: [{ S3Action: { BucketName: { Ref: bucketId() }, ObjectKeyPrefix: 'inbound/', TopicArn: { Ref: topicId() } } }],
        },
      });
    });

    it('creates the rule only after the bucket policy and the topic policy (SES checks its rights at creation)', () => {
      const [rule] = Object.values(t().findResources('AWS::SES::ReceiptRule'));
      const bucketPolicy = logicalId(t(), 'AWS::S3::BucketPolicy', { Bucket: { Ref: bucketId() } });
      const topicPolicy = logicalId(t(), 'AWS::SNS::TopicPolicy', { Topics: [{ Ref: topicId() }] });
      expect(rule.DependsOn).toEqual(expect.arrayContaining([bucketPolicy, topicPolicy]));
    });
  });

  describe('raw-mail bucket', () => {
    it(`is private, S3-encrypted, ACLs disabled, expires mail after ${stage === Stage.prod ? 400 : 30} days, logs access`, () => {
      t().hasResourceProperties('AWS::S3::Bucket', {
        BucketName: `civic-line-${stage}-disaster-mail`,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ ExpirationInDays: settingsFor(stage).disasterMailRetention.toDays(), Status: 'Enabled', Prefix: Match.absent() }),
          ]),
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: onlyId(t(), 'AWS::S3::Bucket', /^AccessLogBucket/) }, LogFilePrefix: 's3-disaster-mail/' },
      });
      expect(settingsFor(Stage.prod).disasterMailRetention.toDays()).toBe(400);
      expect(settingsFor(Stage.test).disasterMailRetention.toDays()).toBe(30);
      const policy = stage === Stage.prod ? 'Retain' : 'Delete';
      t().hasResource('AWS::S3::Bucket', { Properties: Match.objectLike({ BucketName: `civic-line-${stage}-disaster-mail` }), DeletionPolicy: policy });
    });

    it('lets only SES of this account, for this one receipt rule, put objects (under inbound/), and denies requests without TLS', () => {
      const statements = statementsOf(t(), 'AWS::S3::BucketPolicy', { key: 'Bucket', id: bucketId() });
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      const writers = statements.filter((s) => s.Effect === 'Allow' && actionsOf([s]).some((a) => /^s3:(PutObject|Put\*|\*)$/.test(a) || a === '*'));
      expect(writers).toEqual([
        {
          Sid: 'AllowSesReceiptRulePuts',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Principal: { Service: 'ses.amazonaws.com' },
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/inbound/*']] },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': ruleArn(stage) } },
        },
      ]);
      // Any other Allow is the test stage's empty-on-delete custom resource.
      for (const s of statements.filter((st) => st.Effect === 'Allow' && st.Sid !== 'AllowSesReceiptRulePuts')) {
        expect(s.Principal).toEqual({ AWS: { 'Fn::GetAtt': [expect.stringMatching(/^CustomS3AutoDeleteObjects/), 'Arn'] } });
      }
    });

    it('denies any put under inbound/ that does not come from the receipt rule (IAM callers have no aws:SourceArn)', () => {
      const statements = statementsOf(t(), 'AWS::S3::BucketPolicy', { key: 'Bucket', id: bucketId() });
      const denies = statements.filter((s) => s.Effect === 'Deny' && !JSON.stringify(s.Condition).includes('aws:SecureTransport'));
      expect(denies).toEqual([
        {
          Sid: 'DenyInboundPutsNotFromTheReceiptRule',
          Effect: 'Deny',
          Action: 's3:PutObject',
          Principal: { AWS: '*' },
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/inbound/*']] },
          Condition: { StringNotEquals: { 'aws:SourceArn': ruleArn(stage) } },
        },
      ]);
    });

    // The bucket policy's explicit denies, evaluated for the requests that matter (identity
    // policies grant the rest; an explicit deny wins over any of them).
    describe('whom the bucket policy denies', () => {
      const account = '111122223333';
      const bucket = `civic-line-${stage}-disaster-mail`;
      const sesRule = (ruleSet: string, rule: string) => `arn:aws:ses:ap-northeast-1:${account}:receipt-rule-set/${ruleSet}:receipt-rule/${rule}`;
      const ourRule = sesRule(`civic-line-${stage}-disaster-mail`, `civic-line-${stage}-disaster-mail-inbound`);
      const ses = { Service: 'ses.amazonaws.com' };
      const adminApiRole = { AWS: `arn:aws:iam::${account}:role/civic-line-${stage}-api-AdminApiRole` };
      const autoDelete = { AWS: `arn:aws:iam::${account}:role/civic-line-${stage}-stateful-CustomS3AutoDeleteObjects` };
      const tls = { 'aws:SecureTransport': 'true' };
      const sesContext = (sourceArn: string) => ({ ...tls, 'aws:SourceAccount': account, 'aws:SourceArn': sourceArn });
      const denied = (request: Omit<Request, 'account'>) =>
        isDenied(
          statementsOf(t(), 'AWS::S3::BucketPolicy', { key: 'Bucket', id: bucketId() }),
          { ...request, account },
          { [bucketId()]: `arn:aws:s3:::${bucket}` },
        );

      const put = 's3:PutObject';
      const inbound = `${bucket}/inbound/m1`;
      it.each<{ who: string; denied: boolean; request: Omit<Request, 'account'> }>([
        {
          who: 'SES putting for this rule under inbound/',
          denied: false,
          request: { principal: ses, action: put, resource: inbound, context: sesContext(ourRule) },
        },
        {
          who: 'SES putting for another rule of the account',
          denied: true,
          request: { principal: ses, action: put, resource: inbound, context: sesContext(sesRule('other-set', 'other-rule')) },
        },
        {
          who: 'a role of the account putting under inbound/',
          denied: true,
          request: { principal: adminApiRole, action: put, resource: inbound, context: tls },
        },
        {
          who: "the admin API's test samples under test/",
          denied: false,
          request: { principal: adminApiRole, action: put, resource: `${bucket}/test/t1`, context: tls },
        },
        {
          who: 'a role reading raw mail under inbound/',
          denied: false,
          request: { principal: adminApiRole, action: 's3:GetObject', resource: inbound, context: tls },
        },
        { who: 'auto-delete deleting objects', denied: false, request: { principal: autoDelete, action: 's3:DeleteObject', resource: inbound, context: tls } },
        {
          who: 'auto-delete listing versions',
          denied: false,
          request: { principal: autoDelete, action: 's3:ListBucketVersions', resource: bucket, context: tls },
        },
        {
          who: 'auto-delete putting its deny-writes bucket policy',
          denied: false,
          request: { principal: autoDelete, action: 's3:PutBucketPolicy', resource: bucket, context: tls },
        },
        {
          who: 'anyone without TLS',
          denied: true,
          request: { principal: adminApiRole, action: 's3:GetObject', resource: `${bucket}/test/t1`, context: { 'aws:SecureTransport': 'false' } },
        },
      ])('$who: denied $denied', ({ denied: expected, request }) => {
        expect(denied(request)).toBe(expected);
      });
    });

    it('outputs its name', () => {
      t().hasOutput('DisasterMailBucketName', { Value: { Ref: bucketId() } });
    });
  });

  describe('SNS topic and queue', () => {
    it('encrypts the topic with a rotated KMS key that SES may use, and lets only SES of this account publish (TLS only)', () => {
      const keyId = onlyId(t(), 'AWS::KMS::Key', /^DisasterMailTopicKey/);
      t().hasResourceProperties('AWS::SNS::Topic', { TopicName: `civic-line-${stage}-disaster-mail`, KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      t().hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'ses.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] }),
          ]),
        },
      });
      const statements = statementsOf(t(), 'AWS::SNS::TopicPolicy', { key: 'Topics', id: topicId() });
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      const allows = statements.filter((s) => s.Effect === 'Allow');
      expect(allows).toHaveLength(1);
      expect(allows[0]).toMatchObject({
        Action: 'sns:Publish',
        Principal: { Service: 'ses.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
    });

    it('delivers SES notifications raw to the queue (the body is the notification JSON)', () => {
      t().hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        RawMessageDelivery: true,
        TopicArn: { Ref: topicId() },
        Endpoint: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      });
      const statements = statementsOf(t(), 'AWS::SQS::QueuePolicy', { key: 'Queues', id: queueId() });
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'sns.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId() } } },
        }),
      );
    });

    it('has the queue civic-line-<stage>-disaster-mail with its DLQ (5 receives), SQS encryption, TLS only, visibility 6x the intake timeout', () => {
      t().hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `civic-line-${stage}-disaster-mail`,
        SqsManagedSseEnabled: true,
        VisibilityTimeout: DISASTER_MAIL_QUEUE_VISIBILITY_TIMEOUT.toSeconds(),
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] }, maxReceiveCount: 5 },
      });
      t().hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `civic-line-${stage}-disaster-mail-dlq`,
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 86400,
      });
      expect(DISASTER_MAIL_QUEUE_VISIBILITY_TIMEOUT.toSeconds()).toBeGreaterThanOrEqual(6 * DISASTER_MAIL_INTAKE_TIMEOUT.toSeconds());
      for (const id of [queueId(), dlqId()]) {
        expect(statementsOf(t(), 'AWS::SQS::QueuePolicy', { key: 'Queues', id })).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });
  });

  describe('alarms (to the operators topic)', () => {
    const alarmTopic = { Ref: Match.stringLikeRegexp('^AlarmTopic') };

    it('fires when the disaster-mail DLQ is not empty and when a notification waits over 5 minutes', () => {
      t().hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `civic-line-${stage}-disaster-mail-dlq-not-empty`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(), 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [alarmTopic],
      });
      t().hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `civic-line-${stage}-disaster-mail-waiting`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(), 'QueueName'] } }],
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 300,
        AlarmActions: [alarmTopic],
      });
    });

    it('describes an unreadable mail by what is counted: a stored mail not found is retried (the DLQ alarm), not unreadable', () => {
      const [unreadable] = Object.values(
        t().findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: `civic-line-${stage}-disaster-mail-unreadable` } }),
      );
      const description: string = unreadable.Properties.AlarmDescription;
      expect(description).toMatch(/too large.*no sender.*neither subject nor body.*not retried/);
      expect(description).not.toMatch(/stored mail missing/);
      expect(description).toMatch(/not found is retried.*DLQ alarm/);
    });

    it.each([
      ['DisasterMailUnreadable', 'unreadable', 300],
      ['DisasterMailMessageRefused', 'message-refused', 300],
      ['DisasterMailHeld', 'held', 60],
    ])('fires on %s (Sum >= 1, the intake function service dimension)', (metricName, suffix, period) => {
      t().hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `civic-line-${stage}-disaster-mail-${suffix}`,
        Namespace: 'CivicLine',
        MetricName: metricName,
        Dimensions: [{ Name: 'service', Value: 'disaster-mail' }],
        Statistic: 'Sum',
        Period: period,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [alarmTopic],
      });
      // The function publishing the metric carries the same service name (Powertools' default dimension).
      api().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `civic-line-${stage}-disaster-mail-intake`,
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'disaster-mail', POWERTOOLS_METRICS_NAMESPACE: 'CivicLine' }) },
      });
    });
  });

  describe('intake function', () => {
    it('consumes the queue in batches of 5 with partial batch failures: 1,024 MB, 60 s, the environment it needs', () => {
      api().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `civic-line-${stage}-disaster-mail-intake`,
        Handler: 'index.handler',
        MemorySize: 1024,
        Timeout: 60,
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('Table') },
            PLANNER_QUEUE_URL: { 'Fn::ImportValue': Match.stringLikeRegexp('PlannerQueue') },
            SEND_QUEUE_URL: { 'Fn::ImportValue': Match.stringLikeRegexp('SendQueue') },
            SCHEDULE_GROUP: `civic-line-${stage}`,
            SCHEDULER_ROLE_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('SchedulerRole') },
            PLANNER_QUEUE_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('PlannerQueue.*Arn') },
            SCHEDULER_DLQ_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('SchedulerDlq.*Arn') },
            // It seals no cursor and builds no public link (the planner and sender do).
            PUBLIC_BASE_URL: Match.absent(),
            APP_SECRET_ARN: Match.absent(),
            MAIL_BUCKET: { 'Fn::ImportValue': Match.stringLikeRegexp(`^civic-line-${stage}-stateful:.*DisasterMailBucket`) },
            MAIL_QUEUE_URL: { 'Fn::ImportValue': Match.stringLikeRegexp(`^civic-line-${stage}-stateful:.*DisasterMailQueue`) },
          }),
        },
      });
      api().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fn('disaster-mail-intake') },
        EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('DisasterMailQueue.*Arn') },
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('may read raw mail (inbound/, test/), use the table, send to the planner queue, schedule — nothing more (no secret)', () => {
      const statements = statementsOfFunction(api(), fn('disaster-mail-intake'));
      const actions = actionsOf(statements);
      const s3 = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('s3:')));
      expect(s3).toHaveLength(1);
      expect(s3[0].Action).toBe('s3:GetObject');
      expect(JSON.stringify(s3[0].Resource)).toMatch(/DisasterMailBucket.*\/inbound\/\*.*DisasterMailBucket.*\/test\/\*/);
      const sends = statements.filter((s) => actionsOf([s]).includes('sqs:SendMessage'));
      expect(sends).toHaveLength(1);
      expect(sends[0].Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/PlannerQueue.*Arn/) });
      expect(actions).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'dynamodb:PutItem', 'dynamodb:Query']));
      expect(actions).toEqual(expect.arrayContaining(['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'iam:PassRole']));
      const passRole = statements.filter((s) => actionsOf([s]).includes('iam:PassRole'));
      expect(passRole).toHaveLength(1);
      expect(JSON.stringify(passRole[0].Resource)).toContain('SchedulerRole');
      expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
      expect(JSON.stringify(statements)).not.toMatch(/AppSecret|LineSecret/);
      for (const s of statements) {
        if (s.Resource === '*') expect(actionsOf([s]).every((a) => a.startsWith('xray:'))).toBe(true);
      }
      expect(actions.filter((a) => /^s3:(Put|Delete|List)|^sqs:Purge|^kms:/.test(a))).toEqual([]);
    });
  });

  describe('admin API', () => {
    it('knows the bucket and the queue, writes and reads test/, reads inbound/, sends to the disaster-mail queue', () => {
      const statements = statementsOfFunction(api(), fn('admin-api'));
      const onMailBucket = statements.filter((s) => JSON.stringify(s.Resource).includes('DisasterMailBucket'));
      const byPrefix = (prefix: string) => onMailBucket.filter((s) => JSON.stringify(s.Resource).includes(`/${prefix}/*`)).flatMap((s) => actionsOf([s]));
      expect(byPrefix('test').sort()).toEqual(['s3:GetObject', 's3:PutObject']);
      expect(byPrefix('inbound')).toEqual(['s3:GetObject']);
      // Object-level only: nothing on the bucket itself, no delete, no other prefix.
      for (const s of onMailBucket) expect(JSON.stringify(s.Resource)).toMatch(/\/(test|inbound)\/\*/);
      const mailQueueSends = statements.filter((s) => actionsOf([s]).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes('DisasterMailQueue'));
      expect(mailQueueSends).toHaveLength(1);
      api().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `civic-line-${stage}-admin-api`,
        Environment: {
          Variables: Match.objectLike({
            MAIL_BUCKET: { 'Fn::ImportValue': Match.stringLikeRegexp('DisasterMailBucket') },
            MAIL_QUEUE_URL: { 'Fn::ImportValue': Match.stringLikeRegexp('DisasterMailQueue') },
          }),
        },
      });
    });
  });
});

describe('activation of the receipt rule set', () => {
  it.each([
    ['prod (-c mailRecipients)', () => stages[Stage.prod], Stage.prod],
    ['test with -c mailDomain', () => testWithDomain, Stage.test],
  ])('%s: a custom resource of its own provider gets the set name, after the rule', (_, synth, stage) => {
    const t = synth().statefulTemplate;
    const setId = logicalId(t, 'AWS::SES::ReceiptRuleSet', { RuleSetName: `civic-line-${stage}-disaster-mail` });
    const resources = t.findResources('Custom::SesActiveReceiptRuleSet');
    expect(Object.keys(resources)).toHaveLength(1);
    const [activation] = Object.values(resources);
    const framework = logicalId(t, 'AWS::Lambda::Function', { Handler: 'framework.onEvent' });
    // The set's name and nothing else; the handler makes it active on create/update.
    expect(activation.Properties).toEqual({ ServiceToken: { 'Fn::GetAtt': [framework, 'Arn'] }, RuleSetName: { Ref: setId } });
    expect(activation.DependsOn).toEqual(expect.arrayContaining([Object.keys(t.findResources('AWS::SES::ReceiptRule'))[0]]));
    // The provider calls the inline handler: the very source the handler's tests run.
    const handler = logicalId(t, 'AWS::Lambda::Function', { Handler: 'index.handler', Code: { ZipFile: RECEIPT_RULE_SET_ACTIVATION_HANDLER } });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'framework.onEvent',
      Environment: { Variables: { USER_ON_EVENT_FUNCTION_ARN: { 'Fn::GetAtt': [handler, 'Arn'] } } },
    });
    t.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    // No AwsCustomResource (its onDelete deactivated whichever set was active) is left in the stack.
    expect(Object.keys(t.toJSON().Resources).filter((id) => id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'))).toEqual([]);
  });

  it.each([
    ['prod', () => stages[Stage.prod], Stage.prod],
    ['test with -c mailDomain', () => testWithDomain, Stage.test],
  ])('%s: the handler may only describe and set the active rule set (and write its own logs); no managed policy', (_, synth, stage) => {
    const t = synth().statefulTemplate;
    const resources = t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }>;
    const handler = logicalId(t, 'AWS::Lambda::Function', { Handler: 'index.handler', Code: { ZipFile: RECEIPT_RULE_SET_ACTIVATION_HANDLER } });
    const framework = logicalId(t, 'AWS::Lambda::Function', { Handler: 'framework.onEvent' });
    const roleOf = (fnId: string) => (resources[fnId].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const logGroupOf = (fnId: string) => (resources[fnId].Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    const statementsOfRole = (roleId: string) =>
      Object.values(t.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    const writesOwnLogs = (fnId: string) => ({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [logGroupOf(fnId), 'Arn'] },
    });

    // The handler: exactly the two SES actions (no resource-level permission exists for them), and its log group.
    const handlerStatements = statementsOfRole(roleOf(handler));
    expect(handlerStatements).toEqual([
      { Effect: 'Allow', Action: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'], Resource: '*' },
      writesOwnLogs(handler),
    ]);
    // The framework: invokes that one handler, writes its log group.
    const frameworkStatements = statementsOfRole(roleOf(framework));
    expect(frameworkStatements).toContainEqual(writesOwnLogs(framework));
    const frameworkActions = actionsOf(frameworkStatements.filter((s) => s.Effect === 'Allow')).filter((a) => !a.startsWith('logs:'));
    expect(frameworkActions.sort()).toEqual(['lambda:GetFunction', 'lambda:InvokeFunction']);
    for (const s of frameworkStatements.filter((st) => actionsOf([st]).some((a) => a.startsWith('lambda:')))) {
      for (const resource of [s.Resource].flat()) expect(JSON.stringify(resource)).toContain(`"${handler}"`);
    }
    for (const role of [roleOf(handler), roleOf(framework)]) expect(resources[role].Properties.ManagedPolicyArns).toBeUndefined();
    // Their log groups keep the stage's retention.
    for (const fnId of [handler, framework]) {
      const logGroup = resources[logGroupOf(fnId)];
      expect(logGroup.Properties.RetentionInDays).toBe(settingsFor(stage).logRetention);
      expect(logGroup.DeletionPolicy).toBe(stage === Stage.prod ? 'Retain' : 'Delete');
    }
  });

  it('-c mailDomain receives bousai@<domain>', () => {
    testWithDomain.statefulTemplate.hasResourceProperties('AWS::SES::ReceiptRule', { Rule: Match.objectLike({ Recipients: ['bousai@test.city.example.jp'] }) });
  });

  it('test without recipients: only the placeholder, the set left inactive, and a warning says so', () => {
    const t = stages[Stage.test].statefulTemplate;
    t.resourceCountIs('Custom::SesActiveReceiptRuleSet', 0);
    // Nor its provider: no handler, framework function, roles or log groups.
    expect(Object.keys(t.toJSON().Resources).filter((id) => /^DisasterMailActivat/.test(id))).toEqual([]);
    expect(t.findResources('AWS::Lambda::Function', { Properties: { Handler: 'framework.onEvent' } })).toEqual({});
    t.hasResourceProperties('AWS::SES::ReceiptRule', { Rule: Match.objectLike({ Recipients: ['bousai@example.invalid'] }) });
    Annotations.fromStack(stages[Stage.test].stateful).hasWarning('*', Match.stringLikeRegexp('mailRecipients.*mailDomain'));
  });
});

describe('recipients (-c mailRecipients / -c mailDomain)', () => {
  it('prod refuses to synthesize without them, naming both options', () => {
    expect(() => synthStage(Stage.prod, { context: {} })).toThrow(/-c mailRecipients=.*-c mailDomain=/);
    // Its own class, so bin/app.ts can print it as a usage error.
    expect(() => parseMailRecipients(Stage.prod, {})).toThrow(MailRecipientsError);
  });

  it('takes comma-separated addresses (trimmed, lower-cased, without duplicates) before the domain', () => {
    expect(
      parseMailRecipients(Stage.prod, { mailRecipients: ' Bousai@City.example.jp, kiki@city.example.jp ,bousai@city.example.jp', mailDomain: 'x.example.jp' }),
    ).toEqual({
      recipients: ['bousai@city.example.jp', 'kiki@city.example.jp'],
      placeholder: false,
    });
    expect(parseMailRecipients(Stage.prod, { mailDomain: 'city.example.jp' })).toEqual({ recipients: ['bousai@city.example.jp'], placeholder: false });
    expect(parseMailRecipients(Stage.test, {})).toEqual({ recipients: [PLACEHOLDER_MAIL_RECIPIENT], placeholder: true });
  });

  it.each([
    [{ mailRecipients: 'city.example.jp' }, /mailRecipients must be/],
    [{ mailRecipients: 'bousai@' }, /mailRecipients must be/],
    [{ mailRecipients: 'a b@city.example.jp' }, /mailRecipients must be/],
    [{ mailRecipients: ',' }, /mailRecipients must be/],
    [{ mailDomain: 'bousai@city.example.jp' }, /mailDomain must be/],
    [{ mailDomain: 'localhost' }, /mailDomain must be/],
  ])('rejects %p', (context, message) => {
    expect(() => parseMailRecipients(Stage.test, context)).toThrow(message);
  });
});
