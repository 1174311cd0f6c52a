/**
 * Phone width (≤ 700 px): one screen at a time, like LINE — the chat list (citizens, add a friend)
 * or one chat, whose back button returns to the list (the browser's back too). Desktop: the list
 * on the left, the phone on the right, both always visible.
 */
import { byId } from '../../../web-shared/dom';
import { state, type View } from './state';

const narrowQuery = window.matchMedia('(max-width: 700px)');

export const isNarrow = (): boolean => narrowQuery.matches;

/** Is the selected citizen's chat on screen (then reading it marks the account's messages opened)? */
export const chatVisible = (): boolean => !!state.current && (!isNarrow() || state.view === 'chat') && document.visibilityState !== 'hidden';

let pushed = false;
let onShow: (view: View) => void = () => undefined;

let moves = 0;

function apply(view: View): void {
  moves++;
  state.view = view;
  byId('app').dataset.view = view;
  onShow(view);
}

/** The chat of the selected citizen; on a phone a history entry, so "back" returns to the list. */
export function showChat(userId: string): void {
  const url = `${location.pathname}${location.search}#citizen=${userId}`;
  if (isNarrow() && state.view !== 'chat' && !pushed) {
    history.pushState({ sim: 'chat' }, '', url);
    pushed = true;
  } else {
    history.replaceState(history.state, '', url);
  }
  apply('chat');
}

export function showList(): void {
  if (pushed) {
    history.back(); // popstate shows the list
    // Should "back" have gone elsewhere (a page the LIFF app navigated to), show the list anyway.
    const before = moves;
    setTimeout(() => {
      if (moves === before) toList();
    }, 500);
    return;
  }
  toList();
}

function toList(): void {
  pushed = false;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  apply('list');
}

export function initLayout(hooks: { onShow: (view: View) => void }): void {
  onShow = hooks.onShow;
  window.addEventListener('popstate', (e) => {
    const chat = (e.state as { sim?: string } | null)?.sim === 'chat';
    pushed = chat;
    if (!chat && location.hash) history.replaceState(null, '', `${location.pathname}${location.search}`);
    apply(chat && state.current ? 'chat' : 'list');
  });
  narrowQuery.addEventListener('change', () => onShow(state.view));
  byId('app').dataset.view = state.view;
}
