import type { LiffTarget } from './liff-url';
import type { state } from './state';
import type { Action } from './line-json';

declare global {
  interface Window {
    /** Hooks for people poking at the page from the browser's console (and older scripts). */
    __lineSim?: {
      state: typeof state;
      selectCitizen: (userId: string, opts?: { show?: boolean }) => void;
      doAction: (action: Action | undefined) => void;
      resolveLiff: (uri: string) => LiffTarget | null;
    };
  }
}
