/**
 * Port: remembers which webhook events were processed, so a redelivery by LINE
 * or a second delivery by SQS is applied once.
 * - claimed: this caller owns the event now
 * - done:    already processed; skip it
 * - busy:    another worker holds a live claim; try again later
 */
export type ClaimResult = 'claimed' | 'done' | 'busy';

/** Why an event can never be processed (kept with it; no personal data). */
export interface Refusal {
  reason: string;
  eventType?: string;
}

export interface EventLedger {
  claim(webhookEventId: string, now: Date): Promise<ClaimResult>;
  complete(webhookEventId: string, now: Date): Promise<void>;
  /**
   * Records an event (or a body) that can never be processed as done — refused, with its reason —
   * so it is never retried into the dead-letter queue and a redelivery finds it done. Kept 90 days
   * and listed by time (GSI1 WEBHOOK_REFUSALS) for operators; the consumer's WebhookEventRefused
   * metric raises an alarm (stateful stack). Idempotent.
   */
  refuse(webhookEventId: string, now: Date, refusal: Refusal): Promise<void>;
  /** Gives a claim back after a failure so the retry can take it at once. */
  release(webhookEventId: string): Promise<void>;
}
