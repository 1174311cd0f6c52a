/**
 * What the LIFF page does to upload a file (liff-web/src/api.ts): intent → PUT the bytes to the
 * signed URL (the local platform's /__local/blobs, S3 in AWS) → complete. Answers the first refusal.
 */
import { it_env } from '../../support/integration';

const env = it_env();

export interface StepAnswer {
  status: number;
  body: any;
  step: 'intent' | 'put' | 'complete';
  intent?: { uploadId: string; url: string; method: string; headers: Record<string, string>; expiresAt: string };
}

async function post(token: string, path: string, body: unknown) {
  const res = await fetch(`${env.platformUrl}/api/liff${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function uploadFile(token: string, q: { formId: string; itemId: string; lang?: string }, bytes: Buffer, contentType: string): Promise<StepAnswer> {
  const intent = await post(token, '/uploads/intents', { formId: q.formId, itemId: q.itemId, contentType, bytes: bytes.length, lang: q.lang });
  if (intent.status !== 201) return { ...intent, step: 'intent' };
  const put = await fetch(intent.body.url, { method: intent.body.method, headers: intent.body.headers, body: new Uint8Array(bytes) });
  if (put.status !== 200) return { status: put.status, body: await put.text(), step: 'put', intent: intent.body };
  const complete = await post(token, `/uploads/${intent.body.uploadId}/complete${q.lang ? `?lang=${q.lang}` : ''}`, {});
  return { ...complete, step: 'complete', intent: intent.body };
}
