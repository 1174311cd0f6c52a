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
            PUBLIC_BASE_URL: Match.anyValue(),
            APP_SECRET_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('AppSecret') },
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

    it('may read raw mail (inbound/, test/), use the table, send to the planner queue, schedule, read the app secret — nothing more', () => {
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
      const secrets = statements.filter((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue')).map((s) => s.Resource);
      expect(secrets).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/AppSecret/) }]);
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
  ])('%s: a custom resource makes the set active on create/update and deactivates it on delete', (_, synth, stage) => {
    const t = synth().statefulTemplate;
    const setId = logicalId(t, 'AWS::SES::ReceiptRuleSet', { RuleSetName: `civic-line-${stage}-disaster-mail` });
    const resources = t.findResources('Custom::SesActiveReceiptRuleSet');
    expect(Object.keys(resources)).toHaveLength(1);
    const [activation] = Object.values(resources);
    // Create/Update: {"service":"SES","action":"setActiveReceiptRuleSet","parameters":{"RuleSetName":<the set>}}
    for (const key of ['Create', 'Update']) {
      const joined = activation.Properties[key]['Fn::Join'][1] as unknown[];
      expect(joined).toContainEqual({ Ref: setId });
      const text = joined.map((part) => (typeof part === 'string' ? part : 'SET')).join('');
      expect(JSON.parse(text)).toEqual({
        service: 'SES',
        action: 'setActiveReceiptRuleSet',
        parameters: { RuleSetName: 'SET' },
        physicalResourceId: { id: `civic-line-${stage}-disaster-mail` },
      });
    }
    expect(JSON.parse(activation.Properties.Delete)).toEqual({ service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} });
    expect(activation.DependsOn).toEqual(expect.arrayContaining([Object.keys(t.findResources('AWS::SES::ReceiptRule'))[0]]));
    // Its only right: ses:SetActiveReceiptRuleSet (no resource-level permission exists for it).
    const policies = Object.entries(t.findResources('AWS::IAM::Policy')).filter(([id]) => /ActivateRuleSet/.test(id));
    expect(policies).toHaveLength(1);
    expect(policies[0][1].Properties.PolicyDocument.Statement).toEqual([{ Action: 'ses:SetActiveReceiptRuleSet', Effect: 'Allow', Resource: '*' }]);
  });

  it('-c mailDomain receives bousai@<domain>', () => {
    testWithDomain.statefulTemplate.hasResourceProperties('AWS::SES::ReceiptRule', { Rule: Match.objectLike({ Recipients: ['bousai@test.city.example.jp'] }) });
  });

  it('test without recipients: only the placeholder, the set left inactive, and a warning says so', () => {
    const t = stages[Stage.test].statefulTemplate;
    t.resourceCountIs('Custom::SesActiveReceiptRuleSet', 0);
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
