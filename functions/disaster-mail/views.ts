/**
 * Answers of the disaster-mail routes (docs/disaster-mail-api.md); the console imports these types.
 */
import type { DeliveryContent, DeliveryStatus } from '../deliveries/model';
import type { AlertKind, MailAttachment, MailAuthentication, MailDecision } from './model';

/** The progress of the delivery a mail became (read from the delivery itself). */
export interface MailDeliveryProgress {
  deliveryId: string;
  status: DeliveryStatus;
  recipients?: number;
  succeeded?: number;
  failed?: number;
  chunksTotal?: number;
  chunksDone?: number;
  firstSentAt?: string;
  finishedAt?: string;
}

/** A held mail: when it goes out by itself (absent: it waits for staff), and who handled it. */
export interface MailHold {
  releaseAt?: string;
  outcome?: 'approved' | 'discarded' | 'released';
  handledBy?: string;
  handledAt?: string;
}

/** One line of the received-mail log. */
export interface ReceivedMailSummary {
  mailId: string;
  receivedAt: string;
  /** `mail`: received (SES in AWS, SMTP locally); `test`: the console's test button. */
  source: 'mail' | 'test';
  from?: string;
  subject?: string;
  decision: MailDecision;
  /** Why, in plain Japanese (e.g. 「ルール「大雨警報」に一致」「差出人 x@y は受け付ける差出人にありません」). */
  reason: string;
  routeName?: string;
  kind?: AlertKind | null;
  duplicateOf?: { mailId: string; receivedAt: string; by: 'messageId' | 'content' };
  delivery?: MailDeliveryProgress;
  hold?: MailHold;
  authentication?: MailAuthentication;
  attachments: MailAttachment[];
  /** When the mail had more attachments than the 100 recorded. */
  attachmentCount?: number;
  bytes: number;
}

export interface ReceivedMailDetail extends ReceivedMailSummary {
  messageId?: string;
  fromName?: string;
  sentAt?: string;
  /** The mail's text as read (capped at 20,000 characters). */
  text?: string;
  /** What was (or, held, will be) sent; absent when nothing is to be sent. */
  content?: DeliveryContent;
  audienceLabel?: string;
}

export interface MailLogPage {
  items: ReceivedMailSummary[];
  cursor?: string;
}

/** Held mails still waiting for staff, newest first (the page 承認待ち). */
export interface HeldMails {
  items: ReceivedMailDetail[];
}

/** Held mails still waiting for staff (the navigation's badge). */
export interface HeldCount {
  held: number;
}

/** What a pasted mail would become, nothing stored or sent. */
export interface DryRunAnswer {
  decision: MailDecision | 'would_send' | 'would_hold';
  reason: string;
  mail?: { from: string; subject: string; text: string; sentAt?: string; attachments: MailAttachment[] };
  /** The matching route: its position in the order (1-based) or 'default'. */
  route?: { id: string; name: string; position: number | 'default'; mode: 'auto' | 'hold'; releaseAfterMinutes?: number };
  kind?: AlertKind | null;
  content?: DeliveryContent;
  audience?: { label: string; recipients: number };
}

export interface TestMailAnswer {
  mailId: string;
}
