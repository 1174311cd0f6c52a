/**
 * Writes the alert-mail fixtures (test/events/mail/*.eml) the way Japanese disaster-prevention
 * systems send them: ISO-2022-JP, Shift_JIS (CP932: ①, ㈱, 髙), EUC-JP and UTF-8, in 7bit,
 * 8bit, quoted-printable and base64, plain text, multipart/alternative, HTML only, with an
 * attachment. The bytes are made here with iconv-lite's tables and, for ISO-2022-JP, by hand from
 * EUC-JP (JIS X 0208 in 7 bits between ESC $ B and ESC ( B) — not with the decoder under test.
 * The expected texts are in test/unit/disaster-mail/mail-fixtures.ts. Run: npx tsx test/events/mail/generate.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { FIXTURES } from '../../unit/disaster-mail/mail-fixtures';

const CRLF = '\r\n';

/**
 * ISO-2022-JP from EUC-JP: every two-byte JIS X 0208 character is its EUC bytes less 0x80, in
 * ESC $ B … ESC ( B. The wave dash (JIS 0x2141, written 〜 or ～ by Japanese mailers) is put in by
 * hand: iconv-lite's EUC-JP has it only as JIS X 0212's tilde.
 */
function iso2022jp(text: string): Buffer {
  const euc = Buffer.concat([...text].map((ch) => (ch === '～' || ch === '〜' ? Buffer.from([0xa1, 0xc1]) : iconv.encode(ch, 'euc-jp'))));
  const out: number[] = [];
  let kanji = false;
  for (let i = 0; i < euc.length; i++) {
    const b = euc[i]!;
    if (b >= 0xa1 && b <= 0xfe) {
      if (!kanji) out.push(0x1b, 0x24, 0x42);
      kanji = true;
      out.push(b & 0x7f, euc[++i]! & 0x7f);
    } else {
      if (b >= 0x80) throw new Error(`not in ISO-2022-JP: byte ${b.toString(16)} of ${JSON.stringify(text)}`);
      if (kanji) out.push(0x1b, 0x28, 0x42);
      kanji = false;
      out.push(b);
    }
  }
  if (kanji) out.push(0x1b, 0x28, 0x42);
  return Buffer.from(out);
}

const encoders: Record<string, (text: string) => Buffer> = {
  'ISO-2022-JP': iso2022jp,
  Shift_JIS: (t) => iconv.encode(t, 'cp932'),
  'EUC-JP': (t) => iconv.encode(t, 'euc-jp'),
  'UTF-8': (t) => Buffer.from(t, 'utf8'),
};

const base64Lines = (bytes: Buffer) => bytes.toString('base64').replace(/.{76}(?=.)/g, `$&${CRLF}`);

/** Quoted-printable of raw bytes (RFC 2045: lines ≤ 76, soft breaks `=`, never inside an escape). */
function quotedPrintable(bytes: Buffer): string {
  const lines: string[] = [];
  for (const line of bytes.toString('latin1').split('\n')) {
    let out = '';
    let width = 0;
    for (const ch of line) {
      const code = ch.charCodeAt(0);
      const token = code === 0x3d || code > 0x7e || (code < 0x20 && code !== 0x09) ? `=${code.toString(16).toUpperCase().padStart(2, '0')}` : ch;
      if (width + token.length > 75) {
        out += `=${CRLF}`;
        width = 0;
      }
      out += token;
      width += token.length;
    }
    lines.push(out);
  }
  return lines.join(CRLF);
}

function bodyOf(charset: string, cte: string, text: string): string {
  const bytes = encoders[charset]!(text.replace(/\n/g, CRLF));
  if (cte === 'base64') return base64Lines(bytes);
  if (cte === 'quoted-printable') return quotedPrintable(encoders[charset]!(text));
  return bytes.toString('latin1');
}

/** An RFC 2047 encoded word per line of at most ~30 characters (folded headers as mailers write them). */
function encodedSubject(charset: string, subject: string): string {
  const parts: string[] = [];
  for (let i = 0; i < subject.length; i += 20) parts.push(`=?${charset}?B?${encoders[charset]!(subject.slice(i, i + 20)).toString('base64')}?=`);
  return parts.join(`${CRLF} `);
}

for (const f of FIXTURES) {
  const head = [
    `Return-Path: <${f.from}>`,
    `From: ${f.fromName ? `=?${f.charset}?B?${encoders[f.charset]!(f.fromName).toString('base64')}?= <${f.from}>` : f.from}`,
    'To: bousai@line.city.arao.example',
    `Subject: ${f.subjectCharset === 'ascii' ? f.subject : encodedSubject(f.subjectCharset ?? f.charset, f.subject)}`,
    `Date: ${f.date}`,
    `Message-ID: <${f.name}@bousai.city.arao.example>`,
    'MIME-Version: 1.0',
  ];
  /** A part: its headers, a blank line, its body. */
  const part = (headers: string[], body: string) => [...headers, '', body];
  const text = (charset: string, cte: string, type: string, body: string) =>
    part([`Content-Type: ${type}; charset=${charset}`, `Content-Transfer-Encoding: ${cte}`], bodyOf(charset, cte, body));
  const multipart = (subtype: string, boundary: string, parts: string[][]) => [
    `Content-Type: multipart/${subtype}; boundary="${boundary}"`,
    '',
    ...parts.flatMap((p) => [`--${boundary}`, ...p]),
    `--${boundary}--`,
  ];
  const plain = text(f.charset, f.cte, 'text/plain', f.body);
  const lines =
    f.kind === 'plain'
      ? plain
      : f.kind === 'html'
        ? text(f.charset, f.cte, 'text/html', f.html!)
        : f.kind === 'alternative'
          ? multipart('alternative', 'alt-boundary', [plain, text('UTF-8', 'base64', 'text/html', f.html!)])
          : multipart('mixed', 'mixed-boundary', [
              plain,
              part(
                ['Content-Type: application/pdf; name="hinanjo.pdf"', 'Content-Disposition: attachment; filename="hinanjo.pdf"', 'Content-Transfer-Encoding: base64'],
                base64Lines(Buffer.from('%PDF-1.4\n% civic-line test attachment\n%%EOF\n')),
              ),
            ]);
  const raw = [...head, ...lines, ''].join(CRLF);
  writeFileSync(join(dirname(fileURLToPath(import.meta.url)), `${f.name}.eml`), Buffer.from(raw, 'latin1'));
}
console.log(`wrote ${FIXTURES.length} fixtures`);
