/** Fault injection for the Messaging API (POST /sim/faults). */
export type FaultEndpoint = 'multicast' | 'push' | 'broadcast' | 'reply' | 'profile' | '*';
export const FAULT_STATUSES = [429, 500, 502, 503] as const;

export interface FaultSpec {
  endpoint: FaultEndpoint | string;
  /** Error status to answer; omitted = a pure delay (the request is then answered normally). */
  status?: (typeof FAULT_STATUSES)[number];
  /** 'before': refuse without processing; 'after': process (deliver) then answer the error. */
  when?: 'before' | 'after';
  /** Applies to the next N matching requests only. */
  count?: number;
  /** Probability (0..1) that a matching request is hit. */
  probability?: number;
  /** Answer this many ms late. */
  delayMs?: number;
  /** Only requests carrying this X-Line-Retry-Key (e.g. one chunk of a delivery). */
  retryKey?: string;
}

export interface ActiveFault extends FaultSpec {
  id: number;
  when: 'before' | 'after';
  remaining?: number;
  hits: number;
}

export function parseFaultSpec(v: unknown): { ok: true; fault: FaultSpec } | { ok: false; error: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'fault must be an object' };
  const f = v as Record<string, unknown>;
  if (typeof f.endpoint !== 'string' || f.endpoint.length === 0) return { ok: false, error: 'endpoint is required' };
  if (f.status !== undefined && !(FAULT_STATUSES as readonly unknown[]).includes(f.status)) {
    return { ok: false, error: 'status must be one of 429, 500, 502, 503' };
  }
  if (f.status === undefined && typeof f.delayMs !== 'number') return { ok: false, error: 'status or delayMs is required' };
  if (f.when !== undefined && f.when !== 'before' && f.when !== 'after') return { ok: false, error: "when must be 'before' or 'after'" };
  if (f.count !== undefined && (typeof f.count !== 'number' || !Number.isInteger(f.count) || f.count < 1)) {
    return { ok: false, error: 'count must be a positive integer' };
  }
  if (f.probability !== undefined && (typeof f.probability !== 'number' || f.probability < 0 || f.probability > 1)) {
    return { ok: false, error: 'probability must be between 0 and 1' };
  }
  if (f.retryKey !== undefined && (typeof f.retryKey !== 'string' || f.retryKey.length === 0))
    return { ok: false, error: 'retryKey must be a non-empty string' };
  if (f.delayMs !== undefined && (typeof f.delayMs !== 'number' || f.delayMs < 0 || f.delayMs > 120_000)) {
    return { ok: false, error: 'delayMs must be between 0 and 120000' };
  }
  return { ok: true, fault: f as unknown as FaultSpec };
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = {
      ...spec,
      id: this.nextId++,
      when: spec.when ?? 'before',
      ...(spec.count !== undefined ? { remaining: spec.count } : {}),
      hits: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Picks the first active fault for this endpoint (consuming one of its `count`). */
  match(endpoint: string, retryKey?: string): ActiveFault | undefined {
    if (this.faults.length === 0) return undefined;
    for (const f of this.faults) {
      if (f.endpoint !== '*' && f.endpoint !== endpoint) continue;
      if (f.retryKey !== undefined && f.retryKey !== retryKey) continue;
      if (f.probability !== undefined && this.random() >= f.probability) continue;
      f.hits++;
      if (f.remaining !== undefined) {
        f.remaining--;
        if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
      }
      return { ...f };
    }
    return undefined;
  }
}

export function faultBody(status: number): { message: string } {
  switch (status) {
    case 429:
      return { message: 'Too many requests' };
    case 500:
      return { message: 'Internal server error' };
    case 502:
      return { message: 'Bad gateway' };
    default:
      return { message: 'Service unavailable' };
  }
}
