/**
 * Use case: a citizen opened a link to the city's LIFF app from a delivery. Such links reach LINE
 * as LIFF addresses (never through the click redirect) with `clk=<deliveryId>.<linkIndex>`; the
 * page reports it with the citizen's verified ID token.
 *
 * 1. Parse the reference (a delivery ID and a link index, nothing else).
 * 2. Count the click once per citizen and link (a reload or a second tap is not a second click),
 *    only on a link of the delivery to the city's LIFF app. Anyone signed in to the LIFF app may
 *    report one: a forwarded link opened by someone else is an open of that delivery's link too.
 */
import { liffUrl, parseClickRef } from '../shared/liff-url';
import type { DeliveryRepository } from './ports';

export type LiffClickOutcome = 'counted' | 'repeat' | 'unknown' | 'invalid';

export async function recordLiffClick(
  deps: { deliveries: Pick<DeliveryRepository, 'clickOnce'>; liffId?: string },
  userId: string,
  ref: string,
): Promise<LiffClickOutcome> {
  const parsed = parseClickRef(ref);
  if (!parsed) return 'invalid';
  if (!deps.liffId) return 'unknown';
  return deps.deliveries.clickOnce(parsed.deliveryId, parsed.linkIndex, userId, liffUrl(deps.liffId));
}
