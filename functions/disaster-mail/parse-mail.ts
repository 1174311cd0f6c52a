/**
 * An alert e-mail as the disaster-mail bridge reads it: sender, subject, plain text, sent time and
 * the attachments it ignores (but records). Japanese alert mail arrives as ISO-2022-JP, Shift_JIS
 * (really CP932: ①, ㈱, 髙), EUC-JP or UTF-8, in 7bit, 8bit, quoted-printable or base64, as plain
 * text, multipart/alternative or HTML only: mailparser (with libmime, iconv-lite and
 * encoding-japanese underneath) decodes all of them; HTML-only mail becomes text through
 * html-to-text with line breaks kept. Fixtures of each: test/events/mail/.
 *
 * Nothing is silently dropped: a mail that is too large or cannot be read comes back as a refusal
 * with its reason, for the caller to keep, show and alarm.
 */
import { convert } from 'html-to-text';
import { simpleParser, type AddressObject } from 'mailparser';
import type { MailAttachment } from './model';

export type { MailAttachment };

/** Larger mail is refused before it is parsed (the raw mail is still kept by the caller). */
export const MAIL_MAX_BYTES = 10 * 1024 * 1024;

export interface ParsedMail {
  /** Message-ID without the angle brackets, when the mail has one. */
  messageId?: string;
  /** The sender's address, lower-cased (what accepted-sender rules match). */
  from: string;
  fromName?: string;
  subject: string;
  /** The body as plain text: LF line breaks, no trailing spaces, at most one blank line in a row. */
  text: string;
  /** Whether `text` was made from the HTML part (the mail had no plain-text part). */
  fromHtml: boolean;
  /** The Date header (ISO 8601), when it is a date. */
  sentAt?: string;
  attachments: MailAttachment[];
}

export type MailReading = { ok: true; mail: ParsedMail } | { ok: false; reason: string };

/** LF line breaks, no trailing spaces or tabs, no more than one blank line in a row, no blank lines around. */
export function normalizeMailText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

function firstAddress(from: AddressObject | AddressObject[] | undefined): { address: string; name?: string } | undefined {
  const list = Array.isArray(from) ? from : from ? [from] : [];
  for (const group of list) {
    for (const entry of group.value) {
      if (entry.address) return { address: entry.address.trim().toLowerCase(), ...(entry.name ? { name: entry.name } : {}) };
    }
  }
  return undefined;
}

/** Reads a raw mail (RFC 5322 bytes). A refusal says why, in Japanese, for the console's log. */
export async function readAlertMail(raw: Uint8Array): Promise<MailReading> {
  if (raw.byteLength > MAIL_MAX_BYTES) {
    return { ok: false, reason: `メールが大きすぎます（${(raw.byteLength / 1024 / 1024).toFixed(1)} MB、上限 ${MAIL_MAX_BYTES / 1024 / 1024} MB）` };
  }
  let parsed: Awaited<ReturnType<typeof simpleParser>>;
  try {
    parsed = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), {
      // The text part as it is; HTML is turned into text here (htmlToText), only when there is no text part.
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      keepCidLinks: false,
    });
  } catch (error) {
    return { ok: false, reason: `メールを読み取れません（${(error as Error).message.slice(0, 200)}）` };
  }
  const sender = firstAddress(parsed.from);
  if (!sender) return { ok: false, reason: '差出人（From）がありません' };
  const fromHtml = !parsed.text?.trim() && typeof parsed.html === 'string';
  const text = normalizeMailText(fromHtml ? htmlToText(parsed.html as string) : (parsed.text ?? ''));
  const subject = (parsed.subject ?? '').replace(/[ \t\r\n]+/g, ' ').trim();
  if (!text && !subject) return { ok: false, reason: '件名も本文もありません' };
  const sentAt = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : undefined;
  const messageId = parsed.messageId?.replace(/^<|>$/g, '').trim() || undefined;
  return {
    ok: true,
    mail: {
      ...(messageId ? { messageId } : {}),
      from: sender.address,
      ...(sender.name ? { fromName: sender.name } : {}),
      subject,
      text,
      fromHtml,
      ...(sentAt ? { sentAt } : {}),
      attachments: parsed.attachments.map((a) => ({ ...(a.filename ? { filename: a.filename } : {}), contentType: a.contentType, bytes: a.size })),
    },
  };
}

/** HTML as plain text: block elements and <br> end lines, headings as they are, no link targets or images, nothing wrapped. */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      ...(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const).map((h) => ({ selector: h, options: { uppercase: false } })),
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  });
}
