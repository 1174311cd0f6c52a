/** The page's state: who is selected, what is shown, and every citizen seen so far. */
import type { Citizen, SimConfigView } from '../../views';
import type { TimelineItem } from './line-json';

export type View = 'list' | 'chat';

export const state = {
  /** The list as shown (newest first, filtered by the search box). */
  citizens: [] as Citizen[],
  /** Every citizen the page has seen (list loads, the stream, lookups): the header needs the current one even when the search hides it. */
  known: new Map<string, Citizen>(),
  current: null as string | null,
  /** What the page reads of the settings (GET /sim/config): none until they load. */
  config: { liffApps: {} } as Pick<SimConfigView, 'liffApps'>,
  conv: [] as TimelineItem[],
  richMenuOpen: true,
  /** Each conversation load's number: an older answer arriving late is dropped. */
  loadSeq: 0,
  query: '',
  /** Phone width: which screen shows (the chat list or one chat). On a desktop both show. */
  view: 'list' as View,
};

export function remember(citizens: Citizen[]): void {
  for (const c of citizens) state.known.set(c.userId, c);
}

export function currentCitizen(): Citizen | null {
  return state.current ? (state.known.get(state.current) ?? null) : null;
}

/** A friend who can talk: followed and not blocked. */
export const canTalk = (c: Citizen | null): boolean => !!c && c.following && !c.blocked;
