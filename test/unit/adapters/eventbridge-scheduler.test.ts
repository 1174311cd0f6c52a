import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { atExpression, EventBridgeDeliveryScheduler } from '../../../functions/adapters/aws/eventbridge-scheduler';

const scheduler = mockClient(SchedulerClient);
const config = {
  groupName: 'civic-line-test',
  targetArn: 'arn:aws:sqs:ap-northeast-1:111111111111:civic-line-test-planner',
  roleArn: 'arn:aws:iam::111111111111:role/civic-line-test-scheduler',
  deadLetterArn: 'arn:aws:sqs:ap-northeast-1:111111111111:civic-line-test-scheduler-dlq',
};

describe('EventBridgeDeliveryScheduler', () => {
  beforeEach(() => scheduler.reset());

  it('writes the time as Asia/Tokyo wall time', () => {
    expect(atExpression(new Date('2026-12-01T23:30:00Z'))).toBe('at(2026-12-02T08:30:00)');
    expect(atExpression(new Date('2026-12-31T15:00:00.900Z'))).toBe('at(2027-01-01T00:00:00)');
  });

  it('creates a one-time, self-deleting schedule that sends the message to the planner queue', async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:x' });
    const adapter = new EventBridgeDeliveryScheduler(config, new SchedulerClient({ region: 'ap-northeast-1' }));
    // Act
    await adapter.upsert('delivery-01J', new Date('2026-12-01T23:30:00Z'), { type: 'plan', deliveryId: '01J' });
    // Assert
    const calls = scheduler.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({
      Name: 'delivery-01J',
      GroupName: 'civic-line-test',
      ScheduleExpression: 'at(2026-12-02T08:30:00)',
      ScheduleExpressionTimezone: 'Asia/Tokyo',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Description: 'delivery 01J',
      Target: {
        Arn: config.targetArn,
        RoleArn: config.roleArn,
        Input: JSON.stringify({ type: 'plan', deliveryId: '01J' }),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: config.deadLetterArn },
      },
    });
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('updates the schedule when the name already exists (an edited reservation)', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:x' });
    const adapter = new EventBridgeDeliveryScheduler(config, new SchedulerClient({ region: 'ap-northeast-1' }));
    const message = { type: 'occurrence' as const, recurringId: 'R1', occurrenceAt: '2026-12-02T23:00:00.000Z' };

    await adapter.upsert('recurring-R1-202612022300', new Date('2026-12-02T23:00:00Z'), message);

    const update = scheduler.commandCalls(UpdateScheduleCommand);
    expect(update).toHaveLength(1);
    expect(update[0].args[0].input.ScheduleExpression).toBe('at(2026-12-03T08:00:00)');
    expect(update[0].args[0].input.Target?.Input).toBe(JSON.stringify(message));
    expect(update[0].args[0].input.ActionAfterCompletion).toBe('DELETE');
  });

  it('lets other errors through', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new Error('AccessDenied'));
    const adapter = new EventBridgeDeliveryScheduler(config, new SchedulerClient({ region: 'ap-northeast-1' }));
    await expect(adapter.upsert('delivery-x', new Date(), { type: 'plan', deliveryId: 'x' })).rejects.toThrow('AccessDenied');
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('removes a schedule in the group, and answers false when it was already gone', async () => {
    const adapter = new EventBridgeDeliveryScheduler(config, new SchedulerClient({ region: 'ap-northeast-1' }));
    scheduler
      .on(DeleteScheduleCommand)
      .resolvesOnce({})
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));

    await expect(adapter.remove('delivery-01J')).resolves.toBe(true);
    await expect(adapter.remove('delivery-01J')).resolves.toBe(false);
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0].args[0].input).toEqual({ Name: 'delivery-01J', GroupName: 'civic-line-test' });
  });
});
