/**
 * Composition root of the disaster-mail bridge: the intake (the queue's consumer) and the staff
 * routes' dependencies, from the environment in AWS (TABLE_NAME, MAIL_BUCKET, MAIL_QUEUE_URL,
 * PLANNER_QUEUE_URL, the scheduler's settings) or, given, the local runtime's queues, scheduler,
 * clock and files.
 */
import { DynamoAudienceSource } from '../adapters/aws/audience-source';
import { DynamoBridgeSettingsStore } from '../adapters/aws/bridge-settings-store';
import { DynamoDeliveryStore } from '../adapters/aws/delivery-store';
import { EventBridgeDeliveryScheduler } from '../adapters/aws/eventbridge-scheduler';
import { DynamoReceivedMailStore } from '../adapters/aws/received-mail-store';
import { S3BlobStore } from '../adapters/aws/s3-blob-store';
import { DynamoSegmentStore } from '../adapters/aws/segment-store';
import { SqsQueue } from '../adapters/aws/sqs-queue';
import { traced } from '../adapters/aws/tracer';
import type { AuditLog } from '../audit/audit';
import type { PlannerMessage } from '../deliveries/model';
import type { DeliveryScheduler, JsonQueue } from '../deliveries/ports';
import { systemClock, type Clock } from '../ports/clock';
import type { BlobStore } from '../ports/blob-store';
import { jsonQueue } from '../ports/event-queue';
import { ENV, requireEnv } from '../shared/env';
import type { IntakeDeps } from './intake';
import type { StoredMailMessage } from './ports';
import type { StaffDisasterMailDeps } from './staff-disaster-mail';
import type { StaffMailsDeps } from './staff-mails';

/** What the local runtime lends the bridge (SQS, EventBridge Scheduler and S3 in AWS). */
export interface LocalMailWiring {
  planner: JsonQueue<PlannerMessage>;
  scheduler: DeliveryScheduler;
  clock: Clock;
  mailStore: BlobStore;
  intake: JsonQueue<StoredMailMessage>;
}

const mailStoreFromEnv = () => new S3BlobStore(undefined, requireEnv(ENV.MAIL_BUCKET));
const plannerFromEnv = () => jsonQueue<PlannerMessage>(new SqsQueue(requireEnv(ENV.PLANNER_QUEUE_URL), { capture: traced }));

export function intakeDeps(local?: LocalMailWiring): IntakeDeps {
  return {
    mails: new DynamoReceivedMailStore(),
    bridgeSettings: new DynamoBridgeSettingsStore(),
    segments: new DynamoSegmentStore(),
    deliveries: new DynamoDeliveryStore(),
    scheduler: local?.scheduler ?? new EventBridgeDeliveryScheduler(),
    planner: local?.planner ?? plannerFromEnv(),
    blobs: local?.mailStore ?? mailStoreFromEnv(),
    clock: local?.clock ?? systemClock,
  };
}

/** The staff routes' dependencies (settings, the log, approval, the test button, the dry run). */
export function staffMailDeps(audit: AuditLog, local?: LocalMailWiring): StaffDisasterMailDeps & StaffMailsDeps {
  return {
    audit,
    clock: local?.clock ?? systemClock,
    bridgeSettings: new DynamoBridgeSettingsStore(),
    segments: new DynamoSegmentStore(),
    mails: new DynamoReceivedMailStore(),
    deliveries: new DynamoDeliveryStore(),
    scheduler: local?.scheduler ?? new EventBridgeDeliveryScheduler(),
    planner: local?.planner ?? plannerFromEnv(),
    audience: new DynamoAudienceSource(),
    mailStore: local?.mailStore ?? mailStoreFromEnv(),
    intake: local?.intake ?? jsonQueue<StoredMailMessage>(new SqsQueue(requireEnv(ENV.MAIL_QUEUE_URL), { capture: traced })),
  };
}
