import type { Action } from './line-json';

/** What a rendered message can do when tapped (actions.ts implements it). */
export interface Actor {
  act(action: Action | undefined): void;
  /** A tapped image or link outside LIFF: opened in a new tab, as LINE opens its browser. */
  openExternal(url: string | undefined): void;
}
