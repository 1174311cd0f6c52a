/** The citizen API (/api/liff/*, docs/forms-api.md): every call carries the LIFF ID token. */
import type { Lang } from './lang';
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
  const e = (body as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | undefined)?.error;
  return new ApiError(status, e?.code ?? `http_${status}`, e?.message ?? '', e?.fields ?? {});
}

export function getForm(token: string, formId: string, lang: Lang): Promise<FormAnswer> {
  return call(token, 'GET', `/forms/${encodeURIComponent(formId)}?lang=${encodeURIComponent(lang)}`);
}

export function submitResponse(token: string, formId: string, lang: Lang, answers: Answers): Promise<{ responseId: string; version: number }> {
  return call(token, 'POST', `/forms/${encodeURIComponent(formId)}/responses?lang=${encodeURIComponent(lang)}`, { lang, consent: true, answers });
}

export interface Uploaded {
  uploadId: string;
  contentType: string;
  bytes: number;
}

/** Raw bytes with the file's type; XHR rather than fetch for upload progress. */
export function upload(
  token: string,
  q: { formId: string; itemId: string; lang: Lang },
  file: Blob,
  onProgress: (fraction: number) => void,
): { done: Promise<Uploaded>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Uploaded>((resolve, reject) => {
    const params = new URLSearchParams({ formId: q.formId, itemId: q.itemId, lang: q.lang });
    xhr.open('POST', `${BASE}/uploads?${params}`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as Uploaded);
      else reject(toError(xhr.status, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'aborted'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** The citizen's own earlier upload as a blob (an <img> cannot send the bearer token itself). */
export async function fetchUpload(token: string, uploadId: string): Promise<Blob> {
  const res = await fetch(`${BASE}/uploads/${encodeURIComponent(uploadId)}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new ApiError(res.status, `http_${res.status}`, '');
  return res.blob();
}
