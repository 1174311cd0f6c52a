import { Match } from 'aws-cdk-lib/assertions';
import { Stage } from '../../lib/config';
import { nagReport, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './synth-app';

const stages: Record<Stage, SynthesizedStage> = {} as Record<Stage, SynthesizedStage>;

beforeAll(() => {
  stages[Stage.test] = synthStage(Stage.test);
  stages[Stage.prod] = synthStage(Stage.prod);
}, SYNTH_TIMEOUT_MS);

describe.each([Stage.test, Stage.prod])('the %s app', (stage) => {
  it('has two stacks in ap-northeast-1; the API stack depends on the stateful one', () => {
    const { stateful, api } = stages[stage];
    expect([stateful.stackName, api.stackName]).toEqual([`civic-line-${stage}-stateful`, `civic-line-${stage}-api`]);
    for (const stack of [stateful, api]) expect(stack.region).toBe('ap-northeast-1');
    expect(api.dependencies).toContain(stateful);
  });

  it(`${stage === Stage.prod ? 'has' : 'has no'} termination protection`, () => {
    const { stateful, api } = stages[stage];
    expect(stateful.terminationProtection).toBe(stage === Stage.prod);
    expect(api.terminationProtection).toBe(stage === Stage.prod);
  });

  it('names every physical resource after its own stage, so test and prod never collide', () => {
    const other = stage === Stage.prod ? 'test' : 'prod';
    for (const template of [stages[stage].statefulTemplate, stages[stage].apiTemplate]) {
      const json = JSON.stringify(template.toJSON());
      expect(json).not.toContain(`civic-line-${other}`);
      expect(json).not.toContain(`civic-line/${other}`);
    }
    stages[stage].apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: `civic-line-${stage}-api` });
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    const report = nagReport(stages[stage].app);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges each cdk-nag rule with a written reason', () => {
    const acknowledged = stages[stage].app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data as Record<string, string>))
      .flatMap((data) => Object.entries(data));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [, reason] of acknowledged) expect(reason).toMatch(/\w{3,}.{30,}/);
  });

  it('tags both stacks with Project and Stage', () => {
    for (const template of [stages[stage].statefulTemplate, stages[stage].apiTemplate]) {
      template.hasResourceProperties(template === stages[stage].apiTemplate ? 'AWS::Lambda::Function' : 'AWS::SQS::Queue', {
        Tags: Match.arrayWith([
          { Key: 'Project', Value: 'civic-line' },
          { Key: 'Stage', Value: stage },
        ]),
      });
    }
  });
});
