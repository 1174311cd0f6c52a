import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  name,
  parseStage,
  REGION,
  settingsFor,
  Stage,
  WEBHOOK_MAX_RECEIVE_COUNT,
  WEBHOOK_PROCESS_TIMEOUT,
  WEBHOOK_QUEUE_VISIBILITY_TIMEOUT,
} from '../../lib/config';

describe('config', () => {
  it('accepts exactly the deployable stages', () => {
    expect(parseStage('test')).toBe(Stage.test);
    expect(parseStage('prod')).toBe(Stage.prod);
  });

  it.each([undefined, '', 'dev', 'local', 'PROD', 1])('rejects %p with a message naming the accepted stages', (value) => {
    expect(() => parseStage(value)).toThrow(/Missing or invalid stage.*test \| prod/);
  });

  it('names resources civic-line-<stage>-<thing>', () => {
    expect(name(Stage.test, 'webhook')).toBe('civic-line-test-webhook');
    expect(name('local', 'webhook')).toBe('civic-line-local-webhook');
  });

  it('keeps data in Tokyo', () => {
    expect(REGION).toBe('ap-northeast-1');
  });

  it('protects prod and lets test be destroyed', () => {
    expect(settingsFor(Stage.prod)).toMatchObject({
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      logRetention: RetentionDays.ONE_YEAR,
    });
    expect(settingsFor(Stage.test)).toMatchObject({
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      logRetention: RetentionDays.ONE_MONTH,
    });
  });

  it('gives the webhook queue a visibility timeout of at least 6x its consumer timeout', () => {
    expect(WEBHOOK_QUEUE_VISIBILITY_TIMEOUT.toSeconds()).toBeGreaterThanOrEqual(6 * WEBHOOK_PROCESS_TIMEOUT.toSeconds());
    expect(WEBHOOK_MAX_RECEIVE_COUNT).toBe(5);
  });
});
