/**
 * Stages, naming and every stage-dependent setting in one place.
 * `test` and `prod` are independent copies of the whole app in the same
 * region; only the settings below differ between them.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const PROJECT = 'civic-line';

/** Residents' data stays in Japan, so every stage deploys to Tokyo only. */
export const REGION = 'ap-northeast-1';

/** Deployable stages. The local runtime (bin/local.ts) uses the name `local` but never deploys. */
export enum Stage {
  test = 'test',
  prod = 'prod',
}

/** Names used for resources: a deployable stage, or `local` for the local runtime. */
export type StageName = Stage | 'local';

/**
 * Validates the `-c stage=...` context value.
 * @throws Error naming the accepted values when the value is missing or unknown.
 */
export function parseStage(value: unknown): Stage {
  const accepted = Object.values(Stage) as string[];
  if (typeof value !== 'string' || !accepted.includes(value)) {
    const got = value === undefined || value === null || value === '' ? 'nothing' : `"${String(value)}"`;
    throw new Error(`Missing or invalid stage: got ${got}. Pass one of ${accepted.join(' | ')}, e.g. \`npx cdk synth -c stage=test\`.`);
  }
  return value as Stage;
}

/** Physical name of a resource: `civic-line-<stage>-<thing>`. */
export function name(stage: StageName, thing: string): string {
  return `${PROJECT}-${stage}-${thing}`;
}

/** The single table's name: `civic-line-<stage>` (the local runtime uses `civic-line-local`). */
export function tableName(stage: StageName): string {
  return `${PROJECT}-${stage}`;
}

/** Physical name of the uploads bucket: `civic-line-<stage>-uploads`. */
export function uploadsBucketName(stage: StageName): string {
  return name(stage, 'uploads');
}

/** Secrets Manager name of the platform's own signing key: `civic-line/<stage>/app`. */
export function appSecretName(stage: StageName): string {
  return `${PROJECT}/${stage}/app`;
}

/** Secrets Manager name of the LINE channel credentials: `civic-line/<stage>/line`. */
export function lineSecretName(stage: StageName): string {
  return `${PROJECT}/${stage}/line`;
}

export interface StageSettings {
  /** What CloudFormation does with data-holding resources when they leave the stack. */
  removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection and CloudFormation termination protection. */
  deletionProtection: boolean;
  /** Retention of every Lambda and API access log group. */
  logRetention: RetentionDays;
  /** How long AWS Backup keeps each daily recovery point of the table. */
  backupRetention: Duration;
  /**
   * HTTP API stage throttling (requests per second, steady and burst). Sized for
   * webhook bursts (citizens answering a disaster message at once: the platform
   * is benchmarked at ≥ 1,000 events/s) while capping abuse below the account limit.
   */
  apiThrottle: { rateLimit: number; burstLimit: number };
}

const SETTINGS: Record<Stage, StageSettings> = {
  [Stage.prod]: {
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
    backupRetention: Duration.days(35),
    apiThrottle: { rateLimit: 1000, burstLimit: 2000 },
  },
  [Stage.test]: {
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    logRetention: RetentionDays.ONE_MONTH,
    backupRetention: Duration.days(7),
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
  },
};

/** Stage-dependent settings (retention, removal, protection, throttling). */
export function settingsFor(stage: Stage): StageSettings {
  return SETTINGS[stage];
}

/**
 * Timeouts shared by the stateful and API stacks: the webhook queue's visibility
 * timeout is derived from its consumer's timeout (AWS recommends at least 6x, so
 * a message is not redelivered while a retried batch is still running).
 */
export const WEBHOOK_RECEIVE_TIMEOUT = Duration.seconds(10);
export const WEBHOOK_PROCESS_TIMEOUT = Duration.seconds(30);
export const WEBHOOK_QUEUE_VISIBILITY_TIMEOUT = Duration.seconds(WEBHOOK_PROCESS_TIMEOUT.toSeconds() * 6);
/** A webhook event that failed this many times goes to the DLQ. */
export const WEBHOOK_MAX_RECEIVE_COUNT = 5;

// ---- deliveries (issue 5) ---------------------------------------------------------------------

/** Planner: streams every friend and writes chunks; one message can take minutes for 100,000 friends. */
export const PLANNER_TIMEOUT = Duration.minutes(5);
export const PLANNER_QUEUE_VISIBILITY_TIMEOUT = Duration.seconds(PLANNER_TIMEOUT.toSeconds() * 6);
/**
 * Sender: a batch of up to 10 chunks, each one LINE request (push mode: up to 500 pushes), with 429
 * back-off inside the invocation. The send queue's visibility timeout is 6x, like the webhook's.
 */
export const SENDER_TIMEOUT = Duration.seconds(120);
export const SEND_QUEUE_VISIBILITY_TIMEOUT = Duration.seconds(SENDER_TIMEOUT.toSeconds() * 6);
/** Planner and send messages that failed this many times go to their DLQ. */
export const DELIVERY_MAX_RECEIVE_COUNT = 5;
/** The schedule group of reserved and recurring sends: `civic-line-<stage>`. */
export function scheduleGroupName(stage: StageName): string {
  return `${PROJECT}-${stage}`;
}

/**
 * Sender concurrency. LINE allows 200 multicast requests/s per channel. One invocation works on
 * its batch of 10 chunks concurrently; at ~150–300 ms per LINE request that is ~30–60 requests/s
 * per invocation, so 10 concurrent invocations (maxConcurrency) cover 200/s with headroom and
 * 429s are absorbed by back-off. Reserved concurrency is 2 above it (never throttled by other
 * functions, never starving them). Test accounts often have a low concurrency limit: smaller.
 */
export const SENDER_CONCURRENCY: Record<Stage, { reserved: number; maxConcurrency: number }> = {
  [Stage.prod]: { reserved: 12, maxConcurrency: 10 },
  [Stage.test]: { reserved: 4, maxConcurrency: 3 },
};
