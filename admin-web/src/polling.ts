/**
 * The console's polls (the held-mail badge, the chat's state): `refresh` every `ms` while enabled,
 * and at once when the window gets focus. A poll runs only while the tab is visible and someone has
 * used the console (a key, a click, focus) in the last 25 minutes: every signed-in call restarts
 * the server's 30-minute idle clock, so a poll that never stopped would keep an unattended console
 * signed in for good.
 */
import { useEffect } from 'react';

const IDLE_MS = 25 * 60_000;

export function usePolling(enabled: boolean, ms: number, refresh: () => unknown): void {
  useEffect(() => {
    if (!enabled) return;
    let lastUse = Date.now();
    const used = () => {
      lastUse = Date.now();
    };
    const poll = () => {
      if (document.visibilityState === 'visible' && Date.now() - lastUse < IDLE_MS) void refresh();
    };
    const focused = () => {
      used();
      void refresh();
    };
    void refresh();
    const timer = setInterval(poll, ms);
    window.addEventListener('focus', focused);
    window.addEventListener('keydown', used, true);
    window.addEventListener('pointerdown', used, true);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', focused);
      window.removeEventListener('keydown', used, true);
      window.removeEventListener('pointerdown', used, true);
    };
  }, [enabled, ms, refresh]);
}
