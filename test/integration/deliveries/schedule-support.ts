/**
 * Helpers for scheduled and recurring deliveries through the staff API on the local runtime
 * (test/integration/deliveries/schedule.test.ts): the controllable clock, reservations and
 * recurring rules made the way the console makes them, and a "the scheduler got past time T"
 * barrier so tests can show that something did NOT fire without sleeping.
 */
import { eventually, it_env } from '../../support/integration';
import type { ConsoleClient } from '../admin/console-client';

const env = it_env();

export const MIN = 60_000;
export const DAY = 86_400_000;

/** `GET /__local/clock`, or `POST` with `{advanceMs}`, `{set}` or `{reset: true}`; answers the clock's now. */
export async function clock(body?: { advanceMs: number } | { set: string } | { reset: true }): Promise<Date> {
  const res = await fetch(
    `${env.platformUrl}/__local/clock`,
    body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {},
  );
  if (res.status !== 200) throw new Error(`/__local/clock answered ${res.status}: ${await res.text()}`);
  return new Date(((await res.json()) as { now: string }).now);
}

/** A JST wall time as a Date (`jst('2026-12-01', '08:00')`). */
export const jst = (date: string, time: string) => new Date(`${date}T${time.length === 5 ? `${time}:00` : time}+09:00`);

/** The planner and send queues hold nothing (queued, in flight or waiting for a retry). */
export async function pipelineIdle(timeoutMs = 20_000): Promise<void> {
  await eventually(
    async () => {
      const { queues } = (await (await fetch(`${env.platformUrl}/__local/status`)).json()) as {
        queues: Record<'planner' | 'send', { visible: number; inFlight: number; delayed: number }>;
      };
      return [queues.planner, queues.send].every((q) => q.visible === 0 && q.inFlight === 0 && q.delayed === 0);
    },
    timeoutMs,
    'planner and send queues idle',
  );
}

export interface Content {
  title: string;
  category: string;
  variants: { lang: string; bubbles: { type: 'text'; text: string }[] }[];
}

export type AudienceInput = { segmentId: string } | { rule: unknown; label?: string };

/** The staff API's deliveries and recurring rules, as the console calls them (asserting each answer). */
export class StaffDeliveries {
  constructor(private readonly api: ConsoleClient) {}

  /** A draft with `timing: at`, then "send" (= reserve): answers the stored `scheduled` delivery. */
  async reserve(content: Content, audience: AudienceInput, at: Date): Promise<any> {
    const draft = await this.api.call('POST', '/deliveries', { ...content, audience, timing: { kind: 'at', at: at.toISOString() } });
    if (draft.status !== 201) throw new Error(`POST /deliveries answered ${draft.status}: ${draft.text}`);
    const sent = await this.api.call('POST', `/deliveries/${draft.body.deliveryId}/send`, {});
    if (sent.status !== 200) throw new Error(`POST /deliveries/${draft.body.deliveryId}/send answered ${sent.status}: ${sent.text}`);
    return sent.body;
  }

  /** `GET /deliveries/{id}`: `{delivery, chunks, links}`. */
  async detail(deliveryId: string): Promise<any> {
    const res = await this.api.call('GET', `/deliveries/${deliveryId}`);
    if (res.status !== 200) throw new Error(`GET /deliveries/${deliveryId} answered ${res.status}: ${res.text}`);
    return res.body;
  }

  async status(deliveryId: string): Promise<string> {
    return (await this.detail(deliveryId)).delivery.status;
  }

  /** Waits until the delivery reached `status` (through the detail route); answers the detail. */
  async reaches(deliveryId: string, status: string, what: string, timeoutMs = 20_000): Promise<any> {
    return eventually(
      async () => {
        const d = await this.detail(deliveryId);
        return d.delivery.status === status ? d : undefined;
      },
      timeoutMs,
      what,
    );
  }

  /** The history list (`GET /deliveries`) with filters, every page. */
  async history(query: Record<string, string>): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | undefined;
    do {
      const res = await this.api.call('GET', '/deliveries', undefined, { query: { ...query, ...(cursor ? { cursor } : {}) } });
      if (res.status !== 200) throw new Error(`GET /deliveries answered ${res.status}: ${res.text}`);
      items.push(...res.body.items);
      cursor = res.body.cursor;
    } while (cursor);
    return items;
  }

  /** `GET /recurrings/{id}`: `{recurring, next, deliveries}`. */
  async recurring(recurringId: string): Promise<any> {
    const res = await this.api.call('GET', `/recurrings/${recurringId}`);
    if (res.status !== 200) throw new Error(`GET /recurrings/${recurringId} answered ${res.status}: ${res.text}`);
    return res.body;
  }
}

/**
 * A barrier on the local scheduler: a reservation for nobody (no friend followed before 2000) at
 * `at`. Once the clock passed `at`, `passed()` waits until it was sent and the pipeline is idle —
 * by then every schedule due at or before `at` has fired (the scheduler fires due schedules
 * earliest first) and whatever it started has been planned and sent.
 */
export async function schedulerBarrier(staff: StaffDeliveries, at: Date, label: string): Promise<{ deliveryId: string; passed(): Promise<void> }> {
  const content: Content = { title: `barrier ${label}`, category: 'テスト', variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: `barrier ${label}` }] }] };
  const nobody = { rule: { match: 'all', conditions: [{ kind: 'followed', op: 'before', date: '2000-01-01' }] }, label: '該当なし' };
  const { deliveryId } = await staff.reserve(content, nobody, at);
  return {
    deliveryId,
    async passed() {
      const done = await staff.reaches(deliveryId, 'sent', `barrier ${label} sent`);
      if (done.delivery.recipients !== 0) throw new Error(`barrier ${label} reached ${done.delivery.recipients} friends`);
      await pipelineIdle();
    },
  };
}
