/**
 * The onEvent handler of the custom resource that activates the disaster-mail receipt rule set
 * (lib/constructs/mail-intake.ts). CloudFormation creates rule sets inactive and cannot activate
 * one, and only ONE rule set is active per account and region.
 *
 * - Create / Update: SES SetActiveReceiptRuleSet({RuleSetName}); the set's name is the physical id.
 * - Delete: DescribeActiveReceiptRuleSet, and SetActiveReceiptRuleSet without a name (no set
 *   active) ONLY when the active set is the one this resource activated. Another set — another
 *   stage's in the same account — is left active.
 *
 * Plain CommonJS JavaScript deployed as it is (`lambda.Code.fromInline`: index.js, Node.js 22,
 * the runtime's AWS SDK v3): no bundling, and test/cdk/receipt-rule-set-activation.test.ts runs
 * this same text with a stand-in SES client.
 */
export const RECEIPT_RULE_SET_ACTIVATION_HANDLER = String.raw`'use strict';
const { SESClient, SetActiveReceiptRuleSetCommand, DescribeActiveReceiptRuleSetCommand } = require('@aws-sdk/client-ses');

const ses = new SESClient({});

exports.handler = async (event) => {
  if (event.RequestType === 'Create' || event.RequestType === 'Update') {
    const name = event.ResourceProperties && event.ResourceProperties.RuleSetName;
    if (typeof name !== 'string' || name === '') throw new Error('RuleSetName is required');
    await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: name }));
    console.log(JSON.stringify({ request: event.RequestType, activated: name }));
    return { PhysicalResourceId: name };
  }
  if (event.RequestType === 'Delete') {
    // The physical id is the name of the set this resource activated.
    const ours = event.PhysicalResourceId;
    const active = await ses.send(new DescribeActiveReceiptRuleSetCommand({}));
    const activeName = active && active.Metadata ? active.Metadata.Name : undefined;
    if (typeof ours === 'string' && ours !== '' && activeName === ours) {
      // No RuleSetName: no set is active afterwards, so CloudFormation can delete ours.
      await ses.send(new SetActiveReceiptRuleSetCommand({}));
      console.log(JSON.stringify({ request: 'Delete', deactivated: ours }));
    } else {
      console.log(JSON.stringify({ request: 'Delete', ours, active: activeName === undefined ? null : activeName, deactivated: null }));
    }
    return { PhysicalResourceId: ours };
  }
  throw new Error('Unknown request type ' + event.RequestType);
};
`;
