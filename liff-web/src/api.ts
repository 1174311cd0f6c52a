/** The citizen API (/api/liff/*, docs/forms-api.md): every call carries the LIFF ID token. */
import type { z } from 'zod';
import type { Lang } from '../../functions/shared/languages';
import type { liffClickBody, submitBody, uploadIntentBody } from '../../functions/forms/schemas';
import type { LiffErrorBody, SubmittedAnswer, UploadedFile, UploadIntentAnswer, UploadLink } from '../../functions/forms/views';
import type { Answers, FormAnswer } from './model';

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0 = no answer (network)
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const BASE = '/api/liff';

async function call<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  const textBody = await res.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = textBody ? JSON.parse(textBody) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) throw toError(res.status, parsed);
  return parsed as T;
}

function toError(status: number, body: unknown): ApiError {
  const e = (body as Partial<LiffErrorBody> | undefined)?.error;
  return new ApiError(status, e?.code ?? `http_${status}`, e?.message ?? '', e?.fields ?? {});
}

export function getForm(token: string, formId: string, lang: Lang): Promise<FormAnswer> {
  return call(token, 'GET', `/forms/${encodeURIComponent(formId)}?lang=${encodeURIComponent(lang)}`);
}

/** The page was opened from a counted link of a delivery (`clk`). */
export function recordClick(token: string, ref: string): Promise<void> {
  return call(token, 'POST', '/clicks', { ref } satisfies z.input<typeof liffClickBody>);
}

export function submitResponse(token: string, formId: string, lang: Lang, answers: Answers): Promise<SubmittedAnswer> {
  return call(token, 'POST', `/forms/${encodeURIComponent(formId)}/responses?lang=${encodeURIComponent(lang)}`, {
    lang,
    consent: true,
    answers,
  } satisfies z.input<typeof submitBody>);
}

/** What the server found an upload to be. */
export type Uploaded = UploadedFile;

/**
 * Three steps: an intent (signed URL for this type and size), the bytes straight to storage
 * (S3 in AWS, the local platform's signed endpoint locally; XHR rather than fetch for upload
 * progress), then `complete`, where the server checks size and magic bytes.
 */
export function upload(
  token: string,
  q: { formId: string; itemId: string; lang: Lang },
  file: Blob,
  onProgress: (fraction: number) => void,
): { done: Promise<Uploaded>; abort: () => void } {
  let xhr: XMLHttpRequest | undefined;
  let aborted = false;
  const stop = () => {
    if (aborted) throw new ApiError(0, 'aborted', 'aborted');
  };
  const done = (async () => {
    const contentType = file.type || 'application/octet-stream';
    const body = { formId: q.formId, itemId: q.itemId, contentType, bytes: file.size, lang: q.lang } satisfies z.input<typeof uploadIntentBody>;
    const intent = await call<UploadIntentAnswer>(token, 'POST', `/uploads/intents?lang=${encodeURIComponent(q.lang)}`, body);
    stop();
    await new Promise<void>((resolve, reject) => {
      const x = (xhr = new XMLHttpRequest());
      x.open(intent.method, intent.url);
      for (const [name, value] of Object.entries(intent.headers)) x.setRequestHeader(name, value);
      x.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      // Storage answers in its own format (S3: XML); any refusal reads as "upload failed".
      x.onload = () => (x.status >= 200 && x.status < 300 ? resolve() : reject(new ApiError(x.status, 'storage_refused', '')));
      x.onerror = () => reject(new ApiError(0, 'network', 'network'));
      x.onabort = () => reject(new ApiError(0, 'aborted', 'aborted'));
      x.send(file);
    });
    stop();
    return call<Uploaded>(token, 'POST', `/uploads/${encodeURIComponent(intent.uploadId)}/complete?lang=${encodeURIComponent(q.lang)}`, {});
  })();
  return {
    done,
    abort: () => {
      aborted = true;
      xhr?.abort();
    },
  };
}

/** The citizen's own earlier upload as a blob (an <img> cannot send the bearer token itself). */
export async function fetchUpload(token: string, uploadId: string): Promise<Blob> {
  const res = await fetch(`${BASE}/uploads/${encodeURIComponent(uploadId)}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new ApiError(res.status, `http_${res.status}`, '');
  // AWS answers a short-lived signed S3 link (the bytes do not pass through the API); locally the bytes.
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) {
    const { url } = (await res.json()) as UploadLink;
    const file = await fetch(url);
    if (!file.ok) throw new ApiError(file.status, `http_${file.status}`, '');
    return file.blob();
  }
  return res.blob();
}
