/**
 * Keys of the disaster-mail bridge on the single table (docs/data-model.md, "Disaster mail").
 * - Settings:      PK SETTINGS            SK DISASTER_MAIL   settings, version
 * - Received mail: PK DMAIL#<mailId>      SK MAIL            GSI1PK DISASTER_MAILS  GSI1SK <receivedAt ISO>#<mailId>
 * - Held marker:   PK DISASTER_MAIL_HELD  SK <mailId>        (one per mail waiting for staff; the badge counts them)
 * - Duplicate key: PK DMAIL_KEY#<kind>#<sha256>  SK KEY     mailId, receivedAt, expiresAt (TTL: the window)
 * Blob keys (the mail bucket in AWS, the uploads folder locally): raw mail as received.
 */
import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';

export const bridgeSettingsKey = () => ({ PK: 'SETTINGS', SK: 'DISASTER_MAIL' });
export const receivedMailKey = (mailId: string) => ({ PK: `DMAIL#${mailId}`, SK: 'MAIL' });
export const MAIL_LOG_PARTITION = 'DISASTER_MAILS';
export const receivedMailListKey = (receivedAt: string, mailId: string) => ({ GSI1PK: MAIL_LOG_PARTITION, GSI1SK: `${receivedAt}#${mailId}` });
export const HELD_PARTITION = 'DISASTER_MAIL_HELD';
export const heldMarkerKey = (mailId: string) => ({ PK: HELD_PARTITION, SK: mailId });
/** A duplicate key: the value hashed (a Message-ID may be up to 998 characters). */
export const duplicateKey = (kind: 'messageId' | 'content', value: string) => ({
  PK: `DMAIL_KEY#${kind}#${createHash('sha256').update(value).digest('hex')}`,
  SK: 'KEY',
});

/** Blob keys of raw mail: SES writes `inbound/<SES message ID>`; the local SMTP server and the test button write these. */
export const localInboundKey = (mailId: string) => `inbound/${mailId}.eml`;
export const testMailKey = (mailId: string) => `test/${mailId}.eml`;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The mail's ID, the same every time the same received mail is processed: a ULID whose time is
 * the receipt time and whose other 16 characters come from the receiver's own ID (SES's message
 * ID), so a redelivered notification finds the mail it already recorded.
 */
export function mailIdFor(receivedAtMs: number, sourceId: string): string {
  const digest = createHash('sha256').update(sourceId).digest();
  let rest = '';
  for (let i = 0; i < 16; i++) rest += CROCKFORD[digest[i]! & 31];
  return encodeTime(receivedAtMs, 10) + rest;
}
