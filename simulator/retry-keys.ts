/** `X-Line-Retry-Key` bookkeeping: accepted keys are remembered for 24 hours. */
export const RETRY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Endpoints on which LINE accepts a retry key (narrowcast is not simulated). */
export const RETRY_KEY_ENDPOINTS = new Set(['push', 'multicast', 'broadcast', 'narrowcast']);

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

export interface AcceptedRetryKey {
  requestId: string;
  acceptedAt: number;
  sentMessages?: Array<{ id: string; quoteToken: string }>;
}

export type RetryKeyCheck = { ok: true } | { ok: false; status: 400; message: string } | { ok: false; status: 409; accepted: AcceptedRetryKey };

export class RetryKeyStore {
  private readonly keys = new Map<string, AcceptedRetryKey>();
  private lastSweep = 0;

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = RETRY_KEY_TTL_MS,
  ) {}

  /** Validates a key for an endpoint and tells whether it was already accepted. */
  check(endpoint: string, key: string | undefined): RetryKeyCheck {
    if (key === undefined) return { ok: true };
    if (!RETRY_KEY_ENDPOINTS.has(endpoint)) {
      return { ok: false, status: 400, message: 'X-Line-Retry-Key header is not supported for this endpoint' };
    }
    if (!isUuid(key)) {
      return { ok: false, status: 400, message: 'The value of the X-Line-Retry-Key header is invalid' };
    }
    const accepted = this.get(key);
    if (accepted) return { ok: false, status: 409, accepted };
    return { ok: true };
  }

  get(key: string): AcceptedRetryKey | undefined {
    const entry = this.keys.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.acceptedAt >= this.ttlMs) {
      this.keys.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Remembers a key whose request was processed (2xx, or processed then answered with an injected error). */
  accept(key: string, entry: Omit<AcceptedRetryKey, 'acceptedAt'>): void {
    const t = this.now();
    this.keys.set(key, { ...entry, acceptedAt: t });
    if (t - this.lastSweep > 60_000 && this.keys.size > 10_000) this.sweep(t);
  }

  get size(): number {
    return this.keys.size;
  }

  clear(): void {
    this.keys.clear();
  }

  private sweep(t: number): void {
    this.lastSweep = t;
    for (const [k, v] of this.keys) {
      if (t - v.acceptedAt >= this.ttlMs) this.keys.delete(k);
      else break; // insertion order == acceptance order
    }
  }
}
