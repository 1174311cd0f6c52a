/**
 * DeliveryScheduler on Amazon EventBridge Scheduler: one one-time schedule per reserved delivery
 * or next recurring occurrence, in the stage's schedule group, that puts the planner message on
 * the planner queue (SQS target, through the scheduler role) and deletes itself afterwards.
 *
 * - `at(yyyy-mm-ddThh:mm:ss)` in Asia/Tokyo wall time (`ScheduleExpressionTimezone`), so the
 *   expression reads like the time staff chose; EventBridge fires within the minute.
 * - `FlexibleTimeWindow: OFF`: a reservation fires at its minute, not within a window.
 * - `ActionAfterCompletion: DELETE`: no finished schedules pile up against the account quota.
 * - Target retry policy + DLQ (alarmed): a send to the queue that keeps failing is not lost.
 */
import { JAPAN_TIME_ZONE, jstWallString } from '../../shared/japan-time';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { PlannerMessage } from '../../deliveries/model';
import type { DeliveryScheduler } from '../../deliveries/ports';
import { ENV, requireEnv } from '../../shared/env';

export interface EventBridgeSchedulerConfig {
  groupName: string;
  /** The planner queue (SQS) ARN. */
  targetArn: string;
  /** Role EventBridge Scheduler assumes to send to the queue. */
  roleArn: string;
  /** SQS queue receiving events the target could not take after the retries. */
  deadLetterArn: string;
}

export const SCHEDULE_TIMEZONE = JAPAN_TIME_ZONE;
/** Retries of the SQS target: SendMessage rarely fails; a late reservation past an hour goes to the DLQ instead. */
export const TARGET_RETRY = { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 } as const;

/** `at(...)` expression of `date` in Asia/Tokyo wall time (whole seconds). */
export function atExpression(date: Date): string {
  return `at(${jstWallString(date, { seconds: true })})`;
}

export function schedulerConfigFromEnv(): EventBridgeSchedulerConfig {
  return {
    groupName: requireEnv(ENV.SCHEDULE_GROUP),
    targetArn: requireEnv(ENV.PLANNER_QUEUE_ARN),
    roleArn: requireEnv(ENV.SCHEDULER_ROLE_ARN),
    deadLetterArn: requireEnv(ENV.SCHEDULER_DLQ_ARN),
  };
}

export class EventBridgeDeliveryScheduler implements DeliveryScheduler {
  constructor(
    private readonly config: EventBridgeSchedulerConfig = schedulerConfigFromEnv(),
    private readonly client: SchedulerClient = new SchedulerClient({}),
  ) {}

  private input(name: string, at: Date, message: PlannerMessage): CreateScheduleCommandInput {
    return {
      Name: name,
      GroupName: this.config.groupName,
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: SCHEDULE_TIMEZONE,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Description:
        message.type === 'plan'
          ? `delivery ${message.deliveryId}`
          : message.type === 'occurrence'
            ? `recurring ${message.recurringId} ${message.occurrenceAt}`
            : message.type,
      Target: {
        Arn: this.config.targetArn,
        RoleArn: this.config.roleArn,
        Input: JSON.stringify(message),
        RetryPolicy: { ...TARGET_RETRY },
        DeadLetterConfig: { Arn: this.config.deadLetterArn },
      },
    };
  }

  /** Create; when the name exists (an edit, or a retried call), Update replaces every setting. */
  async upsert(name: string, at: Date, message: PlannerMessage): Promise<void> {
    const input = this.input(name, at, message);
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  async remove(name: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.config.groupName }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }
}
