/**
 * Composition root of the deliveries' functions (planner, sender, dead-letter handler, the hourly
 * job, the public link and image addresses) from the environment: TABLE_NAME, PLANNER_QUEUE_URL,
 * SEND_QUEUE_URL, PUBLIC_BASE_URL, the LINE credentials (functions/shared/env.ts). AWS entry points
 * call these with SQS and S3; the local runtime passes its own queues, scheduler, clock and files.
 */
import { ensureAudienceIndex } from '../adapters/aws/audience-index';
import { DynamoAudienceSource } from '../adapters/aws/audience-source';
import { DynamoDeliveryStore } from '../adapters/aws/delivery-store';
import { documentClient, tableName } from '../adapters/aws/dynamo-client';
import { EventBridgeDeliveryScheduler } from '../adapters/aws/eventbridge-scheduler';
import { DynamoKeywordRuleStore } from '../adapters/aws/keyword-rule-store';
import { DynamoAuditLog } from '../adapters/aws/audit-store';
import { ensureStarterKeywords } from '../keywords/starter';
import { ensureResponseListIndex } from '../adapters/aws/response-store';
import { SqsQueue } from '../adapters/aws/sqs-queue';
import { traced } from '../adapters/aws/tracer';
import { lineAccessToken } from '../adapters/aws/line-credentials';
import { DynamoRecurringStore } from '../adapters/aws/recurring-store';
import { MessagingApiDeliveryGateway } from '../adapters/line/delivery-gateway';
import { hostClock, systemClock, type Clock } from '../ports/clock';
import { jsonQueue } from '../ports/event-queue';
import { ENV, requireEnv } from '../shared/env';
import { logger } from '../shared/powertools';
import { reconcile, type FinishDeps } from './finish';
import type { PlannerMessage, SendMessage } from './model';
import { DynamoDeliveryReceipts } from '../adapters/aws/delivery-receipts';
import type { PlannerDeps } from './planner';
import type { ScheduledJobDeps } from './scheduled-job';
import type { DeliveryScheduler, JsonQueue } from './ports';
import type { SenderDeps } from './sender';

export interface PipelineQueues {
  planner: JsonQueue<PlannerMessage>;
  send: JsonQueue<SendMessage>;
}

let stores: { deliveries: DynamoDeliveryStore; recurrings: DynamoRecurringStore; audience: DynamoAudienceSource } | undefined;
const shared = () => (stores ??= { deliveries: new DynamoDeliveryStore(), recurrings: new DynamoRecurringStore(), audience: new DynamoAudienceSource() });

export function queuesFromEnv(): PipelineQueues {
  return {
    planner: jsonQueue<PlannerMessage>(new SqsQueue(requireEnv(ENV.PLANNER_QUEUE_URL), { capture: traced })),
    send: jsonQueue<SendMessage>(new SqsQueue(requireEnv(ENV.SEND_QUEUE_URL), { capture: traced })),
  };
}

/**
 * Times are recorded by `hostClock` (the system clock in AWS; in the local runtime's worker threads
 * the runtime's moved clock) or the clock passed: every time a delivery shows comes from one clock.
 */
export function finishDeps(options: { clock?: Clock } = {}): FinishDeps {
  return { deliveries: shared().deliveries, clock: options.clock ?? hostClock };
}

/**
 * The scheduler is EventBridge Scheduler when SCHEDULE_GROUP is set (AWS); locally the runtime
 * passes its own. `clock`: what recurring occurrences take as "now" and what the delivery's times
 * are recorded by (the local runtime's controllable clock, so a clock jump behaves like downtime:
 * missed occurrences are not sent late in a burst). Leases keep real time.
 */
export function plannerDeps(options: { queues?: PipelineQueues; scheduler?: DeliveryScheduler; clock?: Clock } = {}): PlannerDeps {
  const queues = options.queues ?? queuesFromEnv();
  const { deliveries, recurrings, audience } = shared();
  const scheduler = options.scheduler ?? (process.env[ENV.SCHEDULE_GROUP] ? new EventBridgeDeliveryScheduler() : undefined);
  // Loaded on first use and built once per instance: the rich menu link job and the bridge's switch of disaster mode.
  let reportPhotos: Promise<(reportId: string, attempt: number) => Promise<void>> | undefined;
  let richMenus: Promise<{ sync: (requestedAt: string) => Promise<unknown>; signal: (mailId: string) => Promise<unknown> }> | undefined;
  const richMenuJobs = () =>
    (richMenus ??= import('../richmenus/wiring').then((w) => ({
      sync: w.richMenuSync(options.clock ?? hostClock),
      signal: w.bridgeDisasterSignal(queues.planner, options.clock ?? hostClock),
    })));
  return {
    deliveries,
    audience,
    receipts: new DynamoDeliveryReceipts(),
    send: queues.send,
    clock: options.clock ?? hostClock,
    leaseClock: systemClock,
    // Loaded on first use: recurring occurrences pull in the recurrence rules (rrule, holidays).
    ...(scheduler
      ? {
          occurrence: async (message) =>
            (await import('./occurrences')).handleOccurrence(
              { recurrings, deliveries, scheduler, planner: queues.planner, clock: options.clock ?? hostClock },
              message,
            ),
        }
      : {}),
    richMenuSync: async (requestedAt) => (await richMenuJobs()).sync(requestedAt),
    // Every planned delivery: the message finds out whether it is a bridge mail (one read) off this path.
    afterPlanned: (deliveryId) => queues.planner.send([{ type: 'disasterSignal', mailId: deliveryId }]),
    disasterSignal: async (mailId) => (await richMenuJobs()).signal(mailId),
    // Loaded on first use: the photo job pulls in jimp.
    reportPhotos: async (reportId, attempt) =>
      (reportPhotos ??= import('../reports/photo-wiring').then((w) => w.reportPhotoJob(options.clock ?? hostClock))).then((job) => job(reportId, attempt)),
  };
}

export function senderDeps(): SenderDeps {
  return {
    deliveries: shared().deliveries,
    // First sent, failed and finished times: the local runtime lends its moved clock to the sender threads.
    clock: hostClock,
    line: new MessagingApiDeliveryGateway({ channelAccessToken: lineAccessToken }),
    publicBaseUrl: requireEnv(ENV.PUBLIC_BASE_URL).replace(/\/+$/, ''),
    liffId: process.env[ENV.LIFF_ID] || undefined,
  };
}

/** The hourly job (statistics, reconcile, upkeep); the local runtime passes its queues and clock. */
export function scheduledJobDeps(overrides: Partial<ScheduledJobDeps> & { queues?: PipelineQueues } = {}): ScheduledJobDeps {
  const deliveries = overrides.deliveries ?? shared().deliveries;
  const clock = overrides.clock ?? systemClock;
  const queues = overrides.queues ?? queuesFromEnv();
  return {
    deliveries,
    clock,
    line: overrides.line ?? new MessagingApiDeliveryGateway({ channelAccessToken: lineAccessToken }),
    reconcile:
      overrides.reconcile ??
      ((deliveryId) => reconcile({ deliveries, clock, planner: queues.planner, send: queues.send }, deliveryId, { resendPending: true })),
    log: overrides.log ?? ((message, fields) => logger.warn(message, fields)),
    audienceIndex: overrides.audienceIndex ?? (() => ensureAudienceIndex(documentClient(), tableName(), { upgrade: true })),
    formResponseList: overrides.formResponseList ?? (() => ensureResponseListIndex()),
    keywordStarter:
      overrides.keywordStarter ??
      (async () => ensureStarterKeywords({ keywordRules: new DynamoKeywordRuleStore(), audit: new DynamoAuditLog(), clock: systemClock })),
    richMenuSync: overrides.richMenuSync ?? (() => queues.planner.send([{ type: 'richMenuSync', requestedAt: clock.now().toISOString() }])),
  };
}
