/**
 * Port: remembers which webhook events were processed, so a redelivery by LINE
 * or a second delivery by SQS is applied once.
 * - claimed: this caller owns the event now
 * - done:    already processed; skip it
 * - busy:    another worker holds a live claim; try again later
 */
export type ClaimResult = 'claimed' | 'done' | 'busy';

export interface EventLedger {
  claim(webhookEventId: string, now: Date): Promise<ClaimResult>;
  complete(webhookEventId: string, now: Date): Promise<void>;
  /** Gives a claim back after a failure so the retry can take it at once. */
  release(webhookEventId: string): Promise<void>;
}
