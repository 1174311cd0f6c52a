/**
 * The chat's state (GET /chat/state: unread, mine and open counts and a signature of the open
 * conversations), shared by the navigation's badge and the chat pages. The shell polls it every
 * 10 s; the chat page asks for every 1 s while it is open, so a citizen's message shows within
 * about a second. Polling stops while the tab is hidden or nobody has used the console for 25
 * minutes (admin-web/src/polling.ts).
 */
import { useSyncExternalStore } from 'react';
import { usePolling } from '../../polling';
import { getChatState, type ChatStateView } from '../../api/chat';

const SHELL_POLL_MS = 10_000;
export const PAGE_POLL_MS = 1_000;

let state: ChatStateView | null = null;
const listeners = new Set<() => void>();
let inFlight: Promise<ChatStateView | null> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useChatState(): ChatStateView | null {
  return useSyncExternalStore(subscribe, () => state);
}

/** Asks the server again (one call at a time); listeners hear only of a change. */
export function refreshChatState(): Promise<ChatStateView | null> {
  if (inFlight) return inFlight;
  inFlight = getChatState()
    .then(
      (next) => {
        if (!state || JSON.stringify(state) !== JSON.stringify(next)) {
          state = next;
          listeners.forEach((l) => l());
        }
        return next;
      },
      () => null,
    )
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

/** Polls every `ms` while enabled, the tab visible and the console in use (admin-web/src/polling.ts). */
export function useChatPolling(enabled: boolean, ms: number = SHELL_POLL_MS): void {
  usePolling(enabled, ms, refreshChatState);
}
