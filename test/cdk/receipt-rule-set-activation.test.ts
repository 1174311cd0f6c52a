/**
 * The receipt rule set activation's handler: the exact source the stack deploys inline
 * (disaster-mail.test.ts checks the template's ZipFile is this string), run as Lambda runs
 * index.js (CommonJS), with a stand-in for the runtime's @aws-sdk/client-ses.
 */
import * as vm from 'node:vm';
import { RECEIPT_RULE_SET_ACTIVATION_HANDLER } from '../../lib/constructs/receipt-rule-set-activation';

const OURS = 'civic-line-test-disaster-mail';

type Call = { command: 'SetActiveReceiptRuleSet' | 'DescribeActiveReceiptRuleSet'; input: Record<string, unknown> };
type Handler = (event: Record<string, unknown>) => Promise<{ PhysicalResourceId: unknown }>;

/** Loads the handler with an SES whose active set is `active` (undefined: none); `fail` makes that command throw. */
function load(state: { active?: string; fail?: Call['command'] }) {
  const calls: Call[] = [];
  const required: string[] = [];
  const command = (name: Call['command']) =>
    class {
      readonly name = name;
      constructor(readonly input: Record<string, unknown>) {}
    };
  const sdk = {
    SESClient: class {
      async send(cmd: { name: Call['command']; input: Record<string, unknown> }) {
        calls.push({ command: cmd.name, input: cmd.input });
        if (state.fail === cmd.name) throw new Error(`${cmd.name} failed`);
        if (cmd.name === 'DescribeActiveReceiptRuleSet') return state.active ? { Metadata: { Name: state.active }, Rules: [] } : {};
        state.active = typeof cmd.input.RuleSetName === 'string' ? cmd.input.RuleSetName : undefined;
        return {};
      }
    },
    SetActiveReceiptRuleSetCommand: command('SetActiveReceiptRuleSet'),
    DescribeActiveReceiptRuleSetCommand: command('DescribeActiveReceiptRuleSet'),
  };
  const module = { exports: {} as { handler?: Handler } };
  const fakeRequire = (id: string) => {
    required.push(id);
    if (id !== '@aws-sdk/client-ses') throw new Error(`Cannot find module '${id}'`);
    return sdk;
  };
  const quiet = { log: () => undefined, error: () => undefined };
  vm.compileFunction(RECEIPT_RULE_SET_ACTIVATION_HANDLER, ['require', 'module', 'exports', 'console'])(fakeRequire, module, module.exports, quiet);
  return { handler: module.exports.handler!, calls, required, state };
}

const event = (RequestType: string, extra: Record<string, unknown> = {}) => ({
  RequestType,
  ServiceToken: 'arn:aws:lambda:ap-northeast-1:111122223333:function:framework',
  ResourceType: 'Custom::SesActiveReceiptRuleSet',
  LogicalResourceId: 'DisasterMailActivateRuleSet',
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:ap-northeast-1:111122223333:function:framework', RuleSetName: OURS },
  ...extra,
});

describe('receipt rule set activation handler (the deployed inline source)', () => {
  it('needs only the runtime SDK’s SES client and exports handler', () => {
    const { handler, required } = load({});
    expect(required).toEqual(['@aws-sdk/client-ses']);
    expect(typeof handler).toBe('function');
  });

  it.each(['Create', 'Update'])('%s: makes the set named in RuleSetName the active one; its name is the physical id', async (type) => {
    const { handler, calls, state } = load({ active: 'civic-line-prod-disaster-mail' });
    const extra = type === 'Update' ? { PhysicalResourceId: OURS, OldResourceProperties: { RuleSetName: OURS } } : {};
    await expect(handler(event(type, extra))).resolves.toEqual({ PhysicalResourceId: OURS });
    expect(calls).toEqual([{ command: 'SetActiveReceiptRuleSet', input: { RuleSetName: OURS } }]);
    expect(state.active).toBe(OURS);
  });

  it('Create without a RuleSetName fails without calling SES', async () => {
    const { handler, calls } = load({});
    await expect(handler({ ...event('Create'), ResourceProperties: { ServiceToken: 'x' } })).rejects.toThrow(/RuleSetName/);
    await expect(handler({ ...event('Create'), ResourceProperties: { ServiceToken: 'x', RuleSetName: '' } })).rejects.toThrow(/RuleSetName/);
    expect(calls).toEqual([]);
  });

  it('Delete while our set is the active one: deactivates it (SetActiveReceiptRuleSet without a name)', async () => {
    const { handler, calls, state } = load({ active: OURS });
    await expect(handler(event('Delete', { PhysicalResourceId: OURS }))).resolves.toEqual({ PhysicalResourceId: OURS });
    expect(calls).toEqual([
      { command: 'DescribeActiveReceiptRuleSet', input: {} },
      { command: 'SetActiveReceiptRuleSet', input: {} },
    ]);
    expect(state.active).toBeUndefined();
  });

  it('Delete while another set is active (another stage in the account): leaves it active', async () => {
    const { handler, calls, state } = load({ active: 'civic-line-prod-disaster-mail' });
    await expect(handler(event('Delete', { PhysicalResourceId: OURS }))).resolves.toEqual({ PhysicalResourceId: OURS });
    expect(calls).toEqual([{ command: 'DescribeActiveReceiptRuleSet', input: {} }]);
    expect(state.active).toBe('civic-line-prod-disaster-mail');
  });

  it('Delete while no set is active: changes nothing', async () => {
    const { handler, calls } = load({});
    await expect(handler(event('Delete', { PhysicalResourceId: OURS }))).resolves.toEqual({ PhysicalResourceId: OURS });
    expect(calls).toEqual([{ command: 'DescribeActiveReceiptRuleSet', input: {} }]);
  });

  it('Delete judges "ours" by the physical id (the set this resource activated), not by a name that is merely alike', async () => {
    const prefixOnly = load({ active: `${OURS}-2` });
    await prefixOnly.handler(event('Delete', { PhysicalResourceId: OURS }));
    expect(prefixOnly.calls.map((c) => c.command)).toEqual(['DescribeActiveReceiptRuleSet']);
    const noPhysicalId = load({ active: OURS });
    await noPhysicalId.handler(event('Delete'));
    expect(noPhysicalId.calls.map((c) => c.command)).toEqual(['DescribeActiveReceiptRuleSet']);
    expect(noPhysicalId.state.active).toBe(OURS);
  });

  it('Delete fails (the stack deletion stops) when the active set cannot be read, rather than guessing', async () => {
    const { handler, calls, state } = load({ active: 'civic-line-prod-disaster-mail', fail: 'DescribeActiveReceiptRuleSet' });
    await expect(handler(event('Delete', { PhysicalResourceId: OURS }))).rejects.toThrow('DescribeActiveReceiptRuleSet failed');
    expect(calls.map((c) => c.command)).toEqual(['DescribeActiveReceiptRuleSet']);
    expect(state.active).toBe('civic-line-prod-disaster-mail');
  });

  it('fails on a request type it does not know', async () => {
    const { handler, calls } = load({ active: OURS });
    await expect(handler(event('Replace'))).rejects.toThrow(/Unknown request type Replace/);
    expect(calls).toEqual([]);
  });
});
