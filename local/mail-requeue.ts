/**
 * The local intake queue lives in memory (SQS keeps messages in AWS): at start, mail the SMTP
 * server stored (not the test button's samples, which are only a test) (`inbound/<mailId>.eml`) that has no record yet — the runtime stopped before it
 * was decided — is queued again, so a mail accepted with 250 is never lost.
 */
import { readdir } from 'node:fs/promises';
import { decodeTime } from 'ulid';
import { join } from 'node:path';
import { localInboundKey } from '../functions/disaster-mail/keys';
import type { ReceivedMailRepository, StoredMailMessage } from '../functions/disaster-mail/ports';

export async function receivedMailsToRequeue(mailDir: string, mails: Pick<ReceivedMailRepository, 'get'>): Promise<StoredMailMessage[]> {
  const names = await readdir(join(mailDir, 'inbound')).catch(() => [] as string[]);
  const out: StoredMailMessage[] = [];
  for (const name of names) {
    const mailId = /^([0-9A-HJKMNP-TV-Z]{26})\.eml$/.exec(name)?.[1];
    if (!mailId || (await mails.get(mailId))) continue;
    // The receipt time is in the ID (taken by the runtime's clock, which may have been moved).
    out.push({ type: 'stored', mailId, receivedAt: new Date(decodeTime(mailId)).toISOString(), storageKey: localInboundKey(mailId), source: 'mail' });
  }
  return out;
}
