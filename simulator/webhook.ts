import { createHmac } from 'node:crypto';
import type { WebhookResult } from './views';

/** Webhook delivery as LINE does it: signed JSON POST, 2 s timeout, optional redelivery. */
export const WEBHOOK_TIMEOUT_MS = 2000;

export function signBody(body: string, channelSecret: string): string {
  return createHmac('sha256', channelSecret).update(body).digest('base64');
}

export async function postWebhook(url: string, body: string, signature: string | undefined): Promise<WebhookResult> {
  const started = Date.now();
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'LineBotWebhook/2.0 (civic-line simulator)' };
  if (signature !== undefined) headers['x-line-signature'] = signature;
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status, ok: res.status >= 200 && res.status < 300, durationMs: Date.now() - started };
  } catch (err) {
    const e = err as Error;
    const timeout = e.name === 'TimeoutError' || e.name === 'AbortError';
    return { status: null, ok: false, error: timeout ? 'request_timeout' : `could_not_connect: ${e.message}`, durationMs: Date.now() - started };
  }
}

/** Keeps the last N events by webhookEventId so they can be redelivered. */
export class EventStore {
  private readonly events = new Map<string, Record<string, unknown>>();
  constructor(private readonly max = 10_000) {}
  put(event: Record<string, unknown>): void {
    const id = event.webhookEventId as string;
    this.events.set(id, event);
    if (this.events.size > this.max) {
      const first = this.events.keys().next().value;
      if (first !== undefined) this.events.delete(first);
    }
  }
  get(id: string): Record<string, unknown> | undefined {
    return this.events.get(id);
  }
  clear(): void {
    this.events.clear();
  }
}
