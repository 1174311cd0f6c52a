import { Match } from 'aws-cdk-lib/assertions';
import { SEND_QUEUE_VISIBILITY_TIMEOUT, SENDER_TIMEOUT, Stage } from '../../lib/config';
import { actionsOf, SYNTH_TIMEOUT_MS, statementsOfFunction, synthStage, type SynthesizedStage } from './synth-app';

const stages: Record<Stage, SynthesizedStage> = {} as Record<Stage, SynthesizedStage>;

beforeAll(() => {
  stages[Stage.test] = synthStage(Stage.test);
  stages[Stage.prod] = synthStage(Stage.prod);
}, SYNTH_TIMEOUT_MS);

const logicalId = (template: SynthesizedStage['apiTemplate'], type: string, props: Record<string, unknown>) => {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0];
};

describe.each([Stage.test, Stage.prod])('deliveries in the %s app', (stage) => {
  const fn = (shortName: string) => logicalId(stages[stage].apiTemplate, 'AWS::Lambda::Function', { FunctionName: `civic-line-${stage}-${shortName}` });

  it('has the planner and send queues with DLQs (redrive after 5 receives), SQS encryption and TLS only', () => {
    const t = stages[stage].statefulTemplate;
    for (const [queue, dlq, visibility] of [
      ['delivery-planner', 'delivery-planner-dlq', 1800],
      ['delivery-send', 'delivery-send-dlq', 720],
    ] as const) {
      const dlqId = logicalId(t, 'AWS::SQS::Queue', { QueueName: `civic-line-${stage}-${dlq}` });
      t.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `civic-line-${stage}-${queue}`,
        SqsManagedSseEnabled: true,
        VisibilityTimeout: visibility,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
      });
    }
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: `civic-line-${stage}-scheduler-dlq`, MessageRetentionPeriod: 14 * 86400 });
    // enforceSSL on every new queue.
    const policies = JSON.stringify(t.findResources('AWS::SQS::QueuePolicy'));
    for (const q of ['PlannerQueue', 'PlannerDlq', 'SendQueue', 'SendDlq', 'SchedulerDlq']) expect(policies).toContain(q);
    expect(policies).toContain('aws:SecureTransport');
  });

  it('alarms when any delivery DLQ is not empty', () => {
    const t = stages[stage].statefulTemplate;
    for (const name of ['delivery-planner-dlq', 'delivery-send-dlq', 'scheduler-dlq']) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `civic-line-${stage}-${name}-not-empty`,
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [Match.anyValue()],
      });
    }
  });

  it('has the schedule group civic-line-<stage> and a scheduler role only EventBridge Scheduler of this account can assume', () => {
    const t = stages[stage].statefulTemplate;
    t.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: `civic-line-${stage}` });
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `civic-line-${stage}-scheduler`,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
  });

  it('lets the scheduler role do nothing but sqs:SendMessage to the planner queue and the scheduler DLQ', () => {
    const t = stages[stage].statefulTemplate;
    const roleId = logicalId(t, 'AWS::IAM::Role', { RoleName: `civic-line-${stage}-scheduler` });
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: [
          { 'Fn::GetAtt': [logicalId(t, 'AWS::SQS::Queue', { QueueName: `civic-line-${stage}-delivery-planner` }), 'Arn'] },
          { 'Fn::GetAtt': [logicalId(t, 'AWS::SQS::Queue', { QueueName: `civic-line-${stage}-scheduler-dlq` }), 'Arn'] },
        ],
      },
    ]);
  });

  it('runs the planner (1536 MB: report photos are re-encoded there; 5 min, one message at a time) and the sender (reserved concurrency, batches of 10, partial failures, max concurrency)', () => {
    const t = stages[stage].apiTemplate;
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: `civic-line-${stage}-delivery-planner`, MemorySize: 1536, Timeout: 300 });
    const reserved = stage === Stage.prod ? 12 : 4;
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `civic-line-${stage}-delivery-sender`,
      Timeout: 120,
      ReservedConcurrentExecutions: reserved,
    });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fn('delivery-sender') },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: stage === Stage.prod ? 10 : 3 },
    });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fn('delivery-planner') },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fn('delivery-dead-letter') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // The send queue's visibility timeout is at least 6x the sender's timeout.
    expect(SEND_QUEUE_VISIBILITY_TIMEOUT.toSeconds()).toBeGreaterThanOrEqual(6 * SENDER_TIMEOUT.toSeconds());
  });

  it('refreshes statistics every hour', () => {
    const t = stages[stage].apiTemplate;
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fn('delivery-stats'), 'Arn'] } })],
    });
    // Room for the audience index's upkeep after a format change (a rewrite of every bucket).
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: Match.stringLikeRegexp('delivery-stats'), Timeout: 900 });
  });

  it('routes GET /r/{proxy+} and GET /media/{proxy+} to the public function, and CloudFront sends /r/* and /media/* to the API', () => {
    const t = stages[stage].apiTemplate;
    for (const route of ['GET /r/{proxy+}', 'GET /media/{proxy+}'])
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: route, AuthorizationType: 'NONE' });
    const behaviors = stages[stage].webTemplate.findResources('AWS::CloudFront::Distribution');
    const cacheBehaviors = Object.values(behaviors)[0].Properties.DistributionConfig.CacheBehaviors as {
      PathPattern: string;
      CachePolicyId: string;
      AllowedMethods: string[];
    }[];
    const r = cacheBehaviors.find((b) => b.PathPattern === '/r/*');
    const media = cacheBehaviors.find((b) => b.PathPattern === '/media/*');
    expect(r?.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // CachingDisabled
    expect(media?.CachePolicyId).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6'); // CachingOptimized
    expect(media?.AllowedMethods).toEqual(['GET', 'HEAD']);
  });

  it('gives the admin API scheduling rights on the group only, PassRole on the scheduler role only, and send rights on the two queues', () => {
    const s = stages[stage];
    const statements = statementsOfFunction(s.apiTemplate, fn('admin-api'));
    const actions = actionsOf(statements);
    for (const a of ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'iam:PassRole', 'sqs:SendMessage'])
      expect(actions).toContain(a);
    const scheduling = statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('scheduler:')));
    expect(JSON.stringify(scheduling.map((st) => st.Resource))).toContain(`:schedule/civic-line-${stage}/*`);
    expect(JSON.stringify(scheduling.map((st) => st.Resource))).not.toContain('"*"');
    const passRole = statements.filter((st) => actionsOf([st]).includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    expect(JSON.stringify(passRole[0].Resource)).toContain('SchedulerRole');
    const env = s.apiTemplate.toJSON().Resources[fn('admin-api')].Properties.Environment.Variables;
    for (const key of [
      'SCHEDULE_GROUP',
      'SCHEDULER_ROLE_ARN',
      'PLANNER_QUEUE_ARN',
      'PLANNER_QUEUE_URL',
      'SEND_QUEUE_URL',
      'SCHEDULER_DLQ_ARN',
      'PUBLIC_BASE_URL',
    ])
      expect(env[key]).toBeDefined();
    expect(env.SCHEDULE_GROUP).toEqual(expect.anything());
  });

  it('grants no data action on "*" to the delivery functions', () => {
    const s = stages[stage];
    for (const name of ['delivery-planner', 'delivery-sender', 'delivery-dead-letter', 'delivery-stats', 'public-api']) {
      for (const st of statementsOfFunction(s.apiTemplate, fn(name))) {
        if (st.Resource === '*') expect(actionsOf([st]).every((a) => a.startsWith('xray:'))).toBe(true);
      }
    }
  });
});
