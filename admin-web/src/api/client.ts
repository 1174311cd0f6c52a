/**
 * The one place the console calls fetch: same-origin cookies, the CSRF header on every
 * non-GET request, JSON in and out, and errors as {@link ApiError} with the server's Japanese message.
 * A 401 anywhere (except the sign-in call itself) hands control back to the sign-in screen.
 */

export const API_BASE = '/api/admin';

/** One entry of `error.details`; the server may name the field as `field` or as a zod-style `path`. */
export interface ErrorDetail {
  field?: string;
  path?: (string | number)[] | string;
  message?: string;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Messages keyed by field name, for showing next to form inputs. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const field = d.field ?? (Array.isArray(d.path) ? d.path.join('.') : d.path);
      if (!field || !d.message) continue;
      const key = String(field);
      // Several problems with one field (e.g. the password policy): show them all.
      if (!out[key]) out[key] = d.message;
      else if (!out[key].includes(d.message)) out[key] += ` ${d.message}`;
    }
    return out;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: () => void = () => {};

/** Kept in memory only (never storage): lost on reload, then fetched again with /auth/me. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** The sign-in call answers 401 for a wrong password: that is not "session expired". */
  ignore401?: boolean;
  /** Bytes sent as they are (an image upload) instead of a JSON `body`; its type is the content-type. */
  file?: Blob;
}

const GENERIC = '通信に失敗しました。時間をおいてもう一度お試しください。';

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.file) headers['content-type'] = opts.file.type;
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(API_BASE + path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.file ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
  } catch {
    throw new ApiError(0, 'network', 'サーバーに接続できませんでした。ネットワークを確認してください。');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (res.ok) return data as T;
  throw failure(res.status, data, opts.ignore401);
}

/** The server's refusal as an {@link ApiError} (its Japanese message); a 401 also hands control back to the sign-in screen. */
function failure(status: number, data: unknown, ignore401?: boolean): ApiError {
  const res = { status };
  const body = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const err = (body.error && typeof body.error === 'object' ? body.error : {}) as Record<string, unknown>;
  const error = new ApiError(
    res.status,
    typeof err.code === 'string' ? err.code : `http_${res.status}`,
    typeof err.message === 'string' && err.message ? err.message : defaultMessage(res.status),
    Array.isArray(err.details) ? (err.details as ErrorDetail[]) : [],
    { ...body, ...err },
  );
  if (res.status === 401 && !ignore401) {
    csrfToken = null;
    onUnauthenticated();
  }
  return error;
}

/**
 * Bytes the server answers (a friend's photo or file), through the same session as every call;
 * a refusal (404: LINE no longer keeps it) is an {@link ApiError} with the server's words.
 */
export async function requestBlob(path: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(API_BASE + path, { credentials: 'same-origin', headers: { accept: '*/*' } });
  } catch {
    throw new ApiError(0, 'network', 'サーバーに接続できませんでした。ネットワークを確認してください。');
  }
  if (res.ok) return res.blob();
  let data: unknown;
  try {
    data = JSON.parse(await res.text());
  } catch {
    // Not JSON: the status says enough.
  }
  throw failure(res.status, data);
}

function defaultMessage(status: number): string {
  if (status === 401) return 'サインインの有効期限が切れました。もう一度サインインしてください。';
  if (status === 403) return 'この操作を行う権限がありません。';
  if (status === 404) return '対象が見つかりませんでした。';
  if (status === 413) return '送信内容が大きすぎます。';
  if (status === 431) return '送信されたヘッダーが大きすぎます。ブラウザーのCookieを削除してから、もう一度お試しください。';
  if (status === 429) return '操作が集中しています。しばらく待ってからお試しください。';
  return GENERIC;
}

/** Turns anything thrown into a sentence for staff. */
export function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : GENERIC;
}

/**
 * Fetches a CSV export and hands it to the browser as a file, bytes unchanged (BOM included). A
 * refusal goes through `request` instead, so a 401/403 shows as a message (401 → sign-in screen)
 * rather than a downloaded error page.
 */
export function downloadCsv(path: string, query: Query, fallbackName: string): Promise<void> {
  return downloadFile(path, query, fallbackName, 'text/csv');
}

/** A file the server answers (CSV, JSON) handed to the browser as a download, bytes unchanged; errors as for {@link downloadCsv}. */
export async function downloadFile(path: string, query: Query, fallbackName: string, accept: string): Promise<void> {
  const res = await fetch(withQuery(API_BASE + path, query), { credentials: 'same-origin', headers: { accept } });
  if (!res.ok) {
    await request('GET', path, { query });
    return;
  }
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = match ? decodeURIComponent(match[1]) : fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
