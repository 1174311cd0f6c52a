import { Match } from 'aws-cdk-lib/assertions';
import { Stage } from '../../lib/config';
import { nagReport, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './synth-app';

const stages: Record<Stage, SynthesizedStage> = {} as Record<Stage, SynthesizedStage>;

beforeAll(() => {
  stages[Stage.test] = synthStage(Stage.test);
  stages[Stage.prod] = synthStage(Stage.prod);
}, SYNTH_TIMEOUT_MS);

describe.each([Stage.test, Stage.prod])('the %s app', (stage) => {
  it('has three stacks in ap-northeast-1; API depends on stateful, web on API', () => {
    const { stateful, api, web } = stages[stage];
    expect([stateful.stackName, api.stackName, web.stackName]).toEqual([`civic-line-${stage}-stateful`, `civic-line-${stage}-api`, `civic-line-${stage}-web`]);
    // CloudFront is a global service, but its stack (and the buckets) live in Tokyo.
    for (const stack of [stateful, api, web]) expect(stack.region).toBe('ap-northeast-1');
    expect(api.dependencies).toContain(stateful);
    expect(web.dependencies).toContain(api);
  });

  it('passes the HTTP API to the web stack as a strong (Export/Import) reference', () => {
    const { apiTemplate, webTemplate } = stages[stage];
    const exported = Object.values(apiTemplate.toJSON().Outputs as Record<string, { Export?: { Name: string } }>)
      .map((o) => o.Export?.Name)
      .filter((n): n is string => typeof n === 'string');
    const imported = JSON.stringify(webTemplate.toJSON()).match(/"Fn::ImportValue":"([^"]+)"/g) ?? [];
    expect(imported.length).toBeGreaterThan(0);
    for (const ref of imported) expect(exported).toContain(ref.replace(/^"Fn::ImportValue":"|"$/g, ''));
  });

  it(`${stage === Stage.prod ? 'has' : 'has no'} termination protection`, () => {
    const { stateful, api, web } = stages[stage];
    for (const stack of [stateful, api, web]) expect(stack.terminationProtection).toBe(stage === Stage.prod);
  });

  it('names every physical resource after its own stage, so test and prod never collide', () => {
    const other = stage === Stage.prod ? 'test' : 'prod';
    const { statefulTemplate, apiTemplate, webTemplate } = stages[stage];
    for (const template of [statefulTemplate, apiTemplate, webTemplate]) {
      const json = JSON.stringify(template.toJSON());
      expect(json).not.toContain(`civic-line-${other}`);
      expect(json).not.toContain(`civic-line/${other}`);
    }
    stages[stage].apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: `civic-line-${stage}-api` });
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding (errors and warnings, all three stacks)', () => {
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

  it('tags every stack with Project and Stage', () => {
    const { statefulTemplate, apiTemplate, webTemplate } = stages[stage];
    const tagged: [typeof statefulTemplate, string][] = [
      [statefulTemplate, 'AWS::SQS::Queue'],
      [apiTemplate, 'AWS::Lambda::Function'],
      [webTemplate, 'AWS::CloudFront::Distribution'],
    ];
    for (const [template, type] of tagged) {
      template.hasResourceProperties(type, {
        Tags: Match.arrayWith([
          { Key: 'Project', Value: 'civic-line' },
          { Key: 'Stage', Value: stage },
        ]),
      });
    }
  });
});
