/**
 * In-memory port of the disaster-mail bridge's received mails (functions/disaster-mail/ports.ts),
 * with the table store's semantics: a mail recorded once, keys claimed all-or-nothing (a key is
 * free when nobody holds it, its window passed or this mail holds it), held markers.
 */
import type { ClaimResult, MailKeyClaim, ReceivedMail, ReceivedMailRepository } from '../../functions/disaster-mail/ports';

/** An alert mail in UTF-8 (8bit), as a city's system sends it (`messageId: ''` leaves the header out). */
export function alertMail(subject: string, body: string, over: { from?: string; messageId?: string; date?: string } = {}): Buffer {
  return Buffer.from(
    [
      `From: ${over.from ?? '荒尾市防災 <bousai@city.arao.example>'}`,
      'To: bousai@line.city.arao.example',
      `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
      `Date: ${over.date ?? 'Mon, 07 Dec 2026 03:15:00 +0900'}`,
      ...(over.messageId === '' ? [] : [`Message-ID: <${over.messageId ?? 'alert-1@city.arao.example'}>`]),
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
      '',
    ].join('\r\n'),
    'utf8',
  );
}

export class MemoryReceivedMails implements ReceivedMailRepository {
  readonly mails = new Map<string, ReceivedMail>();
  readonly keys = new Map<string, { mailId: string; receivedAt: string; expiresAt: number }>();
  readonly held = new Set<string>();

  async get(mailId: string) {
    const mail = this.mails.get(mailId);
    return mail ? structuredClone(mail) : null;
  }
  async record(mail: ReceivedMail, options: { held?: boolean } = {}) {
    if (this.mails.has(mail.mailId)) return false;
    this.mails.set(mail.mailId, structuredClone(mail));
    if (options.held) this.held.add(mail.mailId);
    return true;
  }
  private holder(keys: MailKeyClaim[], nowSec: number, self?: string): ClaimResult {
    for (const k of keys) {
      const held = this.keys.get(`${k.kind}:${k.value}`);
      if (held && held.expiresAt >= nowSec && held.mailId !== self)
        return { claimed: false, holder: { mailId: held.mailId, receivedAt: held.receivedAt, by: k.kind } };
    }
    return { claimed: true };
  }
  async claimKeys(mailId: string, receivedAt: string, keys: MailKeyClaim[], nowSec: number) {
    const result = this.holder(keys, nowSec, mailId);
    if (result.claimed) for (const k of keys) this.keys.set(`${k.kind}:${k.value}`, { mailId, receivedAt, expiresAt: k.expiresAtSec });
    return result;
  }
  async peekKeys(keys: MailKeyClaim[], nowSec: number) {
    return this.holder(keys, nowSec);
  }
  async list(query: { limit: number; cursor?: string }) {
    const all = [...this.mails.values()].sort((a, b) => (a.receivedAt + a.mailId < b.receivedAt + b.mailId ? 1 : -1));
    const start = query.cursor ? Number(query.cursor) : 0;
    const items = all.slice(start, start + query.limit).map((m) => structuredClone(m));
    return { items, ...(start + query.limit < all.length ? { cursor: String(start + query.limit) } : {}) };
  }
  async heldIds() {
    return [...this.held];
  }
  async resolveHold(mailId: string, fields: Pick<ReceivedMail, 'decision' | 'reason' | 'hold'> & { content?: ReceivedMail['content'] }) {
    const mail = this.mails.get(mailId);
    if (!mail || mail.decision !== 'held') return false;
    Object.assign(mail, structuredClone(fields));
    this.held.delete(mailId);
    return true;
  }
  async dropHeldMarker(mailId: string) {
    this.held.delete(mailId);
  }
}
