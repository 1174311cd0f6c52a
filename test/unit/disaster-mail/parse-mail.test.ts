/**
 * Alert mail in every encoding Japanese disaster-prevention systems send comes out as the exact
 * Japanese text (fixtures: test/events/mail/, written by test/events/mail/generate.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAIL_MAX_BYTES, htmlToText, normalizeMailText, readAlertMail } from '../../../functions/disaster-mail/parse-mail';
import { FIXTURES } from './mail-fixtures';

const fixture = (name: string) => readFileSync(join(__dirname, '../../events/mail', `${name}.eml`));

describe.each(FIXTURES.map((f) => [f.name, f] as const))('%s', (_name, f) => {
  it('round-trips the sender, subject, body and sent time exactly', async () => {
    const reading = await readAlertMail(fixture(f.name));
    if (!reading.ok) throw new Error(reading.reason);
    const mail = reading.mail;
    expect(mail.from).toBe(f.from.toLowerCase());
    expect(mail.subject).toBe(f.subject);
    expect(mail.text).toBe(f.kind === 'html' ? f.htmlText : f.body);
    expect(mail.fromHtml).toBe(f.kind === 'html');
    expect(mail.sentAt).toBe(new Date(f.date).toISOString());
    expect(mail.messageId).toBe(`${f.name}@bousai.city.arao.example`);
    if (f.fromName) expect(mail.fromName).toBe(f.fromName);
  });
});

it('keeps CP932 characters that plain Shift_JIS lacks (①, ㈱, 髙, №, ～) and half-width katakana', async () => {
  const reading = await readAlertMail(fixture('shift_jis-base64'));
  expect(reading.ok && reading.mail.text).toContain('②㈱髙田建設前の市道（荒尾～万田）');
  expect(reading.ok && reading.mail.text).toContain('ｱﾗｵｼ');
  const qp = await readAlertMail(fixture('shift_jis-quoted-printable'));
  expect(qp.ok && qp.mail.subject).toContain('№２');
});

it('records attachments and ignores their content', async () => {
  const reading = await readAlertMail(fixture('attachment-shift_jis'));
  if (!reading.ok) throw new Error(reading.reason);
  expect(reading.mail.attachments).toEqual([{ filename: 'hinanjo.pdf', contentType: 'application/pdf', bytes: expect.any(Number) }]);
  expect(reading.mail.text).not.toContain('PDF');
});

it('prefers the text part of multipart/alternative to its HTML', async () => {
  const reading = await readAlertMail(fixture('alternative-iso-2022-jp'));
  expect(reading.ok && reading.mail.fromHtml).toBe(false);
  expect(reading.ok && reading.mail.text).not.toContain('<');
});

it('refuses, with the reason, a mail over the size limit before reading it', async () => {
  const big = Buffer.concat([fixture('utf-8-8bit'), Buffer.alloc(MAIL_MAX_BYTES, 0x41)]);
  const reading = await readAlertMail(big);
  expect(reading).toEqual({ ok: false, reason: expect.stringMatching(/^メールが大きすぎます（10\.0 MB、上限 10 MB）$/) });
});

it('refuses, with the reason, what has no sender or no content', async () => {
  expect(await readAlertMail(Buffer.from('Subject: test\r\n\r\nbody\r\n'))).toEqual({ ok: false, reason: '差出人（From）がありません' });
  expect(await readAlertMail(Buffer.from('From: a@example.jp\r\n\r\n\r\n'))).toEqual({ ok: false, reason: '件名も本文もありません' });
  expect(await readAlertMail(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]))).toEqual({ ok: false, reason: '差出人（From）がありません' });
});

it('normalises line breaks and blank lines, and turns HTML into lines', () => {
  expect(normalizeMailText('\r\n\r\n一行目  \r\n\r\n\r\n\r\n二行目\t\r\n\r\n')).toBe('一行目\n\n二行目');
  expect(htmlToText('<p>一<br>二</p><p>三 <a href="https://x.example">リンク</a></p><img src="x.png">')).toBe('一\n二\n\n三 リンク');
});
