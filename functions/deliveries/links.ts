/**
 * Where a link in a sent message points: through the click counter (`/r/<deliveryId>/<index>`,
 * a 302 to the stored URL), except LIFF addresses, which must reach LINE as they are (see
 * functions/shared/liff-url.ts); a link to the city's own LIFF app carries its click reference.
 */
import { clickRef, liffIdOf, withClickRef } from '../shared/liff-url';

export interface LinkTargets {
  /** The platform's public origin (click redirect). */
  publicBaseUrl: string;
  /** The city's LIFF app, when configured. */
  liffId?: string;
}

export function trackedLinkUrl(targets: LinkTargets, deliveryId: string): (linkIndex: number, url: string) => string {
  return (linkIndex, url) => {
    const liffId = liffIdOf(url);
    if (liffId === undefined) return `${targets.publicBaseUrl}/r/${encodeURIComponent(deliveryId)}/${linkIndex}`;
    return liffId === targets.liffId ? withClickRef(url, clickRef(deliveryId, linkIndex)) : url;
  };
}
