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
  /**
   * How long the disaster-mail bucket keeps each raw alert mail (SES writes `inbound/`, the
   * console's test button `test/`): long enough to answer "what did the city send last year".
   */
  disasterMailRetention: Duration;
}

const SETTINGS: Record<Stage, StageSettings> = {
  [Stage.prod]: {
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
    backupRetention: Duration.days(35),
    apiThrottle: { rateLimit: 1000, burstLimit: 2000 },
    disasterMailRetention: Duration.days(400),
  },
  [Stage.test]: {
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    logRetention: RetentionDays.ONE_MONTH,
    backupRetention: Duration.days(7),
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
    disasterMailRetention: Duration.days(30),
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

// ---- disaster-mail bridge (issue 14) ------------------------------------------------------------

/**
 * The intake function: reads one raw mail from S3 (up to 10 MB, parsed with mailparser) and
 * creates its delivery. The disaster-mail queue's visibility timeout is 6x, like the others.
 */
export const DISASTER_MAIL_INTAKE_TIMEOUT = Duration.seconds(60);
export const DISASTER_MAIL_QUEUE_VISIBILITY_TIMEOUT = Duration.seconds(DISASTER_MAIL_INTAKE_TIMEOUT.toSeconds() * 6);
/** An SES notification that failed this many times goes to the disaster-mail DLQ. */
export const DISASTER_MAIL_MAX_RECEIVE_COUNT = 5;
/**
 * Powertools service name of the intake function, hence the `service` dimension of its metrics
 * (`DisasterMailUnreadable`, `DisasterMailHeld`) that the stateful stack's alarms watch.
 */
export const DISASTER_MAIL_SERVICE = 'disaster-mail';
/** Key prefixes in the disaster-mail bucket: SES writes received mail, the console's test button samples. */
export const DISASTER_MAIL_INBOUND_PREFIX = 'inbound/';
export const DISASTER_MAIL_TEST_PREFIX = 'test/';

/** Physical name of the raw-mail bucket, and of the SES receipt rule set and queue: `civic-line-<stage>-disaster-mail`. */
export function disasterMailName(stage: StageName): string {
  return name(stage, 'disaster-mail');
}

/**
 * Stand-in recipient of the test stage when no recipient is given: `.invalid` is reserved
 * (RFC 2606), so no mail can ever arrive for it; the stack then leaves its rule set inactive.
 */
export const PLACEHOLDER_MAIL_RECIPIENT = 'bousai@example.invalid';

/** The recipients of the SES receipt rule, and whether they are the test stage's placeholder. */
export interface MailRecipients {
  recipients: string[];
  placeholder: boolean;
}

const MAIL_ADDRESS = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const MAIL_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
/** SES accepts at most 100 recipients in one receipt rule. */
const MAX_RECIPIENTS = 100;

/** A missing or malformed `-c mailRecipients` / `-c mailDomain`: a usage error, not a bug. */
export class MailRecipientsError extends Error {
  override name = 'MailRecipientsError';
}

/**
 * The addresses the city's alert mail is sent to, from `-c mailRecipients=a@x,b@x` or else
 * `-c mailDomain=x` (then `bousai@x`). The test stage may have neither (tests, `npm run synth`):
 * it gets {@link PLACEHOLDER_MAIL_RECIPIENT}. prod must have one of them: a rule without a
 * recipient would take every mail of every verified domain of the account.
 * @throws MailRecipientsError naming both context values when prod has neither, or when a value is malformed.
 */
export function parseMailRecipients(stage: Stage, context: { mailRecipients?: unknown; mailDomain?: unknown }): MailRecipients {
  const given = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const recipientsValue = given(context.mailRecipients);
  const domainValue = given(context.mailDomain);
  if (recipientsValue !== undefined) {
    const recipients = [
      ...new Set(
        recipientsValue
          .split(',')
          .map((r) => r.trim().toLowerCase())
          .filter((r) => r !== ''),
      ),
    ];
    const wrong = recipients.filter((r) => !MAIL_ADDRESS.test(r));
    if (recipients.length === 0 || wrong.length > 0 || recipients.length > MAX_RECIPIENTS) {
      throw new MailRecipientsError(
        `-c mailRecipients must be 1 to ${MAX_RECIPIENTS} comma-separated e-mail addresses such as bousai@city.example.jp, got ${JSON.stringify(recipientsValue)}.`,
      );
    }
    return { recipients, placeholder: false };
  }
  if (domainValue !== undefined) {
    if (!MAIL_DOMAIN.test(domainValue))
      throw new MailRecipientsError(`-c mailDomain must be a domain name such as city.example.jp, got ${JSON.stringify(domainValue)}.`);
    return { recipients: [`bousai@${domainValue.toLowerCase()}`], placeholder: false };
  }
  if (stage === Stage.test) return { recipients: [PLACEHOLDER_MAIL_RECIPIENT], placeholder: true };
  throw new MailRecipientsError(
    `The disaster-mail bridge of ${stage} needs the address the city's alert mail is sent to. Pass -c mailRecipients=bousai@city.example.jp[,other@…] ` +
      '(the exact addresses), or -c mailDomain=city.example.jp (receives bousai@city.example.jp). See README, "防災メール連携 (disaster-mail bridge) in AWS".',
  );
}
