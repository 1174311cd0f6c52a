/**
 * File type from the first bytes (magic numbers), never from the name or the declared type:
 * JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A, GIF87a/GIF89a, WEBP RIFF....WEBP, and ISO media
 * (`ftyp` box at offset 4: MP4 brands, `qt  ` = QuickTime).
 */
export type DetectedType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp' | 'video/mp4' | 'video/quicktime';

const startsWith = (buf: Buffer, bytes: number[], at = 0) => buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);
const ascii = (buf: Buffer, from: number, to: number) => (buf.length >= to ? buf.subarray(from, to).toString('latin1') : '');

export function detectType(buf: Buffer): DetectedType | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  const gif = ascii(buf, 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return 'image/gif';
  if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(buf, 4, 8) === 'ftyp') return ascii(buf, 8, 12) === 'qt  ' ? 'video/quicktime' : 'video/mp4';
  return null;
}

/** The declared content type, normalised (`image/jpg` → `image/jpeg`, parameters dropped). */
export function normaliseContentType(value: string | undefined): string {
  const base = (value ?? '').split(';')[0].trim().toLowerCase();
  if (base === 'image/jpg' || base === 'image/pjpeg') return 'image/jpeg';
  if (base === 'video/mov') return 'video/quicktime';
  return base;
}
