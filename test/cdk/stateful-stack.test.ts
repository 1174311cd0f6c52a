import { Match } from 'aws-cdk-lib/assertions';
import { Stage } from '../../lib/config';
import { SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './synth-app';

const stages: Record<Stage, SynthesizedStage> = {} as Record<Stage, SynthesizedStage>;

beforeAll(() => {
  stages[Stage.test] = synthStage(Stage.test);
  stages[Stage.prod] = synthStage(Stage.prod);
}, SYNTH_TIMEOUT_MS);

describe.each([Stage.test, Stage.prod])('stateful stack (%s)', (stage) => {
  const template = () => stages[stage].statefulTemplate;
  const isProd = stage === Stage.prod;

  it('is named civic-line-<stage>-stateful and deploys to ap-northeast-1', () => {
    expect(stages[stage].stateful.stackName).toBe(`civic-line-${stage}-stateful`);
    expect(stages[stage].stateful.region).toBe('ap-northeast-1');
  });

  describe('table', () => {
    it('has exactly one table, on demand, with string PK/SK and GSI1 projecting ALL', () => {
      template().resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
      template().hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: `civic-line-${stage}`,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
          { AttributeName: 'GSI1PK', AttributeType: 'S' },
          { AttributeName: 'GSI1SK', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: [
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      });
    });

    it('has point-in-time recovery, a single Tokyo replica, and stage-dependent deletion protection', () => {
      template().hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        Replicas: [
          Match.objectLike({
            Region: 'ap-northeast-1',
            PointInTimeRecoverySpecification: Match.objectLike({ PointInTimeRecoveryEnabled: true }),
            DeletionProtectionEnabled: isProd,
          }),
        ],
      });
    });

    it(`is ${isProd ? 'retained' : 'deleted'} when removed from the stack`, () => {
      const policy = isProd ? 'Retain' : 'Delete';
      template().hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: policy, UpdateReplacePolicy: policy });
    });

    it(`is backed up daily and kept ${isProd ? 35 : 7} days`, () => {
      template().hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: {
          BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: isProd ? 35 : 7 }, ScheduleExpression: 'cron(0 18 * * ? *)' })],
        },
      });
      template().hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] }] }),
      });
    });
  });

  describe('webhook queues', () => {
    it('redrives to the DLQ after 5 receives, with a visibility timeout of 6x the 30 s consumer', () => {
      template().hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `civic-line-${stage}-webhook`,
        VisibilityTimeout: 180,
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebhookDlq'), 'Arn'] },
          maxReceiveCount: 5,
        },
      });
    });

    it('keeps DLQ messages 14 days, encrypted', () => {
      template().hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `civic-line-${stage}-webhook-dlq`,
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
    });

    it('denies non-TLS access on both queues (enforceSSL)', () => {
      const policies = template().findResources('AWS::SQS::QueuePolicy', {
        Properties: {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 'sqs:*',
                Principal: { AWS: '*' },
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        },
      });
      const queues = Object.values(policies).flatMap((p) => p.Properties.Queues.map((q: { Ref: string }) => q.Ref));
      expect(queues).toEqual(expect.arrayContaining([expect.stringMatching(/^WebhookQueue/), expect.stringMatching(/^WebhookDlq/)]));
    });

    it('alarms as soon as a message is visible in the DLQ', () => {
      template().hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebhookDlq'), 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
      });
    });

    it('alarms when the consumer refuses an event for good (recorded, not retried into the DLQ)', () => {
      template().hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'CivicLine',
        MetricName: 'WebhookEventRefused',
        Dimensions: [{ Name: 'service', Value: 'webhook' }],
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
      });
    });
  });

  describe('uploads bucket', () => {
    const resources = () => template().toJSON().Resources as Record<string, any>;
    const bucketId = (pattern: RegExp): string => {
      const ids = Object.keys(template().findResources('AWS::S3::Bucket')).filter((id) => pattern.test(id));
      expect(ids).toHaveLength(1);
      return ids[0];
    };
    const uploadsId = () => bucketId(/^UploadsBucket/);
    const logsId = () => bucketId(/^AccessLogBucket/);

    it(`is named civic-line-${stage}-uploads: private, S3-encrypted, ACLs disabled, versioned, no website`, () => {
      template().hasResourceProperties('AWS::S3::Bucket', {
        BucketName: `civic-line-${stage}-uploads`,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        WebsiteConfiguration: Match.absent(),
      });
    });

    it('lets browsers on the CloudFront origin PUT (presigned direct uploads) and GET (signed previews), nothing else', () => {
      expect(resources()[uploadsId()].Properties.CorsConfiguration).toEqual({
        CorsRules: [
          {
            AllowedOrigins: ['https://*.cloudfront.net'],
            AllowedMethods: ['PUT', 'GET'],
            AllowedHeaders: ['content-type'],
            ExposedHeaders: ['etag'],
            MaxAge: 3000,
          },
        ],
      });
    });

    it('aborts incomplete multipart uploads after 1 day, expires uploads/pending/ and reports-raw/ after 1 day and old versions after 30 days', () => {
      expect(resources()[uploadsId()].Properties.LifecycleConfiguration.Rules).toEqual([
        { Id: 'AbortIncompleteMultipartUploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
        { Id: 'ExpirePendingUploads', Prefix: 'uploads/pending/', ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' },
        { Id: 'ExpireRawReportPhotos', Prefix: 'reports-raw/', ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' },
        { Id: 'ExpireNoncurrentVersions', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true, Status: 'Enabled' },
      ]);
    });

    it('writes server access logs to a private, encrypted log bucket that only S3 logging of this bucket may write to', () => {
      expect(resources()[uploadsId()].Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logsId() }, LogFilePrefix: 's3-uploads/' });
      template().hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [{ ExpirationInDays: isProd ? 365 : 30, Status: 'Enabled' }] },
      });
      template().hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logsId() },
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Allow',
              Action: 's3:PutObject',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logsId(), 'Arn'] }, '/s3-uploads/*']] },
              Condition: {
                ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [uploadsId(), 'Arn'] } },
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              },
            },
          ]),
        },
      });
    });

    it('both buckets deny requests without TLS (enforceSSL) and allow no person or "*"', () => {
      for (const id of [uploadsId(), logsId()]) {
        const policy = Object.values(template().findResources('AWS::S3::BucketPolicy')).find((p) => p.Properties.Bucket.Ref === id);
        const statements: { Effect: string; Principal: unknown; Action: unknown; Condition?: unknown }[] = policy!.Properties.PolicyDocument.Statement;
        expect(statements).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
        for (const s of statements.filter((st) => st.Effect === 'Allow')) {
          // Only S3 logging (log bucket) and, in test, the empty-on-delete custom resource.
          expect([
            { Service: 'logging.s3.amazonaws.com' },
            { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^CustomS3AutoDeleteObjects/), 'Arn'] } },
          ]).toContainEqual(s.Principal);
        }
      }
    });

    it(`${isProd ? 'keeps' : 'deletes (and empties)'} both buckets when the stack is removed`, () => {
      const policy = isProd ? 'Retain' : 'Delete';
      for (const id of [uploadsId(), logsId()]) expect(resources()[id]).toMatchObject({ DeletionPolicy: policy, UpdateReplacePolicy: policy });
      // These two and the disaster-mail bucket (disaster-mail.test.ts).
      template().resourceCountIs('Custom::S3AutoDeleteObjects', isProd ? 0 : 3);
    });

    it('outputs UploadsBucketName with a description', () => {
      template().hasOutput('UploadsBucketName', { Value: { Ref: uploadsId() }, Description: Match.stringLikeRegexp('uploads') });
    });
  });

  describe('LINE secret', () => {
    it('is generated from a template: placeholders and a random channelSecret, never a plaintext value', () => {
      template().hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `civic-line/${stage}/line`,
        SecretString: Match.absent(),
        GenerateSecretString: {
          GenerateStringKey: 'channelSecret',
          SecretStringTemplate: Match.serializedJson({
            channelAccessToken: Match.stringLikeRegexp('^REPLACE_WITH_'),
            loginChannelId: Match.stringLikeRegexp('^REPLACE_WITH_'),
          }),
        },
      });
    });
  });

  describe('app secret', () => {
    it('is a generated HMAC key (never a value in the template): the platform signs paging cursors with it', () => {
      template().hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `civic-line/${stage}/app`,
        SecretString: Match.absent(),
        GenerateSecretString: { GenerateStringKey: 'signingKey', SecretStringTemplate: '{}', PasswordLength: 64, ExcludePunctuation: true },
      });
    });
  });

  it('tags everything with Project and Stage', () => {
    template().hasResourceProperties('AWS::SQS::Queue', {
      Tags: Match.arrayWith([
        { Key: 'Project', Value: 'civic-line' },
        { Key: 'Stage', Value: stage },
      ]),
    });
  });
});
