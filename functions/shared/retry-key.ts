/**
 * The one derivation of LINE retry keys (X-Line-Retry-Key): an RFC 4122 version-5 UUID of the
 * request's identity in civic-line's namespace. The same identity gives the same key on every
 * attempt — sender retry, SQS redelivery, "resend the failed part", a retried webhook event — and
 * LINE accepts a key only once within 24 hours, so nobody receives a message twice.
 */
import { createHash } from 'node:crypto';

/** Fixed namespace of civic-line retry keys (changing it would change every key). */
export const RETRY_KEY_NAMESPACE = '5a394d46-ae78-449b-92c5-dfdc06bb1850';
const NAMESPACE_BYTES = Buffer.from(RETRY_KEY_NAMESPACE.replaceAll('-', ''), 'hex');

/** RFC 4122 version 5 UUID (SHA-1 of namespace + name). */
export function uuidV5(name: string, namespace: Buffer = NAMESPACE_BYTES): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The retry key of the request identified by `parts` (joined with ":"). */
export function retryKey(...parts: Array<string | number>): string {
  return uuidV5(parts.join(':'));
}
