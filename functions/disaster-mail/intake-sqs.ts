/**
 * The intake queue's consumer: each record is a mail to read and decide (intake.ts). In AWS the
 * record is SES's "Received" notification (SNS raw delivery: the notification itself; an SNS
 * envelope is unwrapped too) naming the stored object and carrying SPF/DKIM/DMARC/virus verdicts;
 * locally (SMTP) and from the test button it is a `stored` message. A record that is neither can
 * never be processed: it is logged and counted once, not retried into the DLQ. A transient
 * failure (the table, the raw mail not readable yet) returns the record to the queue; after 5
 * receives its DLQ alarms.
 */
import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { ULID_PATTERN } from '../deliveries/schemas';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { sqsBatchHandler } from '../shared/sqs-batch';
import { receiveMail, type IncomingMail, type IntakeDeps } from './intake';
import { mailIdFor } from './keys';
import type { MailAuthentication } from './model';

const VERDICTS = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'] as const;
/** A verdict SES may add later is not a reason to refuse the notification: read as PROCESSING_FAILED (never PASS). */
const verdict = z
  .object({ status: z.string().max(40) })
  .transform(({ status }) => ({ status: (VERDICTS as readonly string[]).includes(status) ? (status as (typeof VERDICTS)[number]) : 'PROCESSING_FAILED' }))
  .optional();

/** SES's notification of a received mail stored by its S3 action (only what the bridge reads). */
export const sesNotificationSchema = z.object({
  notificationType: z.literal('Received'),
  mail: z.object({ timestamp: z.iso.datetime({ offset: true }), messageId: z.string().min(1).max(200) }),
  receipt: z.object({
    spfVerdict: verdict,
    dkimVerdict: verdict,
    dmarcVerdict: verdict,
    virusVerdict: verdict,
    action: z.object({ type: z.literal('S3'), bucketName: z.string().min(3).max(63), objectKey: z.string().min(1).max(1024) }),
  }),
});

export const storedMailSchema = z
  .object({
    type: z.literal('stored'),
    mailId: z.string().regex(ULID_PATTERN),
    receivedAt: z.iso.datetime({ offset: true }),
    storageKey: z.string().regex(/^(inbound|test)\/[0-9A-Za-z._-]{1,200}$/),
    source: z.enum(['mail', 'test']),
    testSegmentId: z.string().min(1).max(64).optional(),
  })
  .strict();

/** SES's notification or our own message, as the intake's input; null when it is neither (`why`: the refused fields, never their values). */
export function incomingOf(body: string, mailBucket?: string, why?: (detail: Record<string, unknown>) => void): IncomingMail | null | 'setup' {
  let value: unknown;
  try {
    value = JSON.parse(body);
    // SNS without raw delivery wraps the notification in an envelope.
    if (value && typeof value === 'object' && (value as { Type?: unknown }).Type === 'Notification')
      value = JSON.parse(String((value as { Message?: unknown }).Message));
  } catch {
    return null;
  }
  if ((value as { notificationType?: unknown } | null)?.notificationType === 'AMAZON_SES_SETUP_NOTIFICATION') return 'setup';
  const stored = storedMailSchema.safeParse(value);
  if (stored.success) {
    const { type: _t, ...incoming } = stored.data;
    return incoming;
  }
  const ses = sesNotificationSchema.safeParse(value);
  if (!ses.success) {
    // The object key is SES's message ID, not personal data: it names the raw mail still in the bucket.
    const objectKey = (value as { receipt?: { action?: { objectKey?: unknown } } } | null)?.receipt?.action?.objectKey;
    why?.({
      issues: ses.error.issues.slice(0, 5).map((i) => i.path.join('.')),
      ...(typeof objectKey === 'string' ? { objectKey: objectKey.slice(0, 200) } : {}),
    });
    return null;
  }
  const { mail, receipt } = ses.data;
  if (mailBucket && receipt.action.bucketName !== mailBucket) {
    why?.({ issues: ['receipt.action.bucketName'], objectKey: receipt.action.objectKey });
    return null;
  }
  const authentication: MailAuthentication = {
    ...(receipt.spfVerdict ? { spf: receipt.spfVerdict.status } : {}),
    ...(receipt.dkimVerdict ? { dkim: receipt.dkimVerdict.status } : {}),
    ...(receipt.dmarcVerdict ? { dmarc: receipt.dmarcVerdict.status } : {}),
    ...(receipt.virusVerdict ? { virus: receipt.virusVerdict.status } : {}),
  };
  const receivedMs = Date.parse(mail.timestamp);
  return {
    mailId: mailIdFor(receivedMs, mail.messageId),
    receivedAt: new Date(receivedMs).toISOString(),
    storageKey: receipt.action.objectKey,
    source: 'mail',
    authentication,
  };
}

export function createIntakeHandler(deps: IntakeDeps, options: { mailBucket?: string } = {}) {
  const processRecord = async (record: SQSRecord): Promise<void> => {
    let refusal: Record<string, unknown> = {};
    const incoming = incomingOf(record.body, options.mailBucket, (detail) => (refusal = detail));
    if (incoming === 'setup') return void logger.info('SES setup notification acknowledged');
    if (!incoming) {
      // Permanent: recorded once (log + metric, alarmed), never retried into the DLQ.
      metrics.addMetric('DisasterMailMessageRefused', MetricUnit.Count, 1);
      logger.error('Disaster-mail queue message refused: neither an SES notification nor a stored mail', {
        messageId: record.messageId,
        bytes: record.body.length,
        ...refusal,
      });
      return;
    }
    const outcome = await receiveMail(deps, incoming);
    logger.info('Disaster mail decided', { mailId: outcome.mailId, decision: outcome.decision, repeated: outcome.repeated });
    if (outcome.repeated) return;
    metrics.addMetric('DisasterMailReceived', MetricUnit.Count, 1);
    // Alarmed (CloudWatch alarms on these metrics); the log line says which mail to look at in the console.
    if (outcome.decision === 'unreadable') {
      metrics.addMetric('DisasterMailUnreadable', MetricUnit.Count, 1);
      logger.warn('Disaster mail could not be read: kept, shown in the console (防災メール連携)', { mailId: outcome.mailId });
    }
    if (outcome.decision === 'held') {
      metrics.addMetric('DisasterMailHeld', MetricUnit.Count, 1);
      logger.warn('Disaster mail held for approval (防災メール連携)', { mailId: outcome.mailId });
    }
  };
  return sqsBatchHandler(processRecord);
}
