/**
 * The number of held disaster mails (GET /disaster-mail/held): the navigation's badge and the
 * pages of 防災メール連携 read one shared value. The shell polls it every 15 s and when the window
 * gets focus; a page that approves or discards asks for it again at once.
 *
 * The poll stops while nobody uses the console (no key, click or focus for 25 minutes) and while
 * the tab is hidden: every signed-in call restarts the server's 30-minute idle clock, so a poll
 * that never stopped would keep an unattended console signed in for good.
 */
import { useSyncExternalStore } from 'react';
import { usePolling } from '../../polling';
import { getHeldCount } from '../../api/disaster-mail';

const POLL_MS = 15_000;

let held: number | null = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Held mails still waiting (null until the first answer). */
export function useHeldCount(): number | null {
  return useSyncExternalStore(subscribe, () => held);
}

/** Asks the server again (the answer, or null when it failed: the badge then keeps what it showed). */
export async function refreshHeldCount(): Promise<number | null> {
  try {
    const next = (await getHeldCount()).held;
    if (next !== held) {
      held = next;
      listeners.forEach((l) => l());
    }
    return next;
  } catch {
    return null;
  }
}

/** The shell's poll, for staff with the disasterMail function (admin-web/src/polling.ts). */
export function useHeldCountPolling(enabled: boolean): void {
  usePolling(enabled, POLL_MS, refreshHeldCount);
}
