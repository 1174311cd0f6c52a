/**
 * The LINE simulator's phone page (docs/line-simulator.md): city staff act as citizens — add a
 * friend, chat with the city's account, tap its buttons and rich menu, open LIFF forms.
 * boot: config + citizens → the `#citizen=<userId>` deep link (or, on a desktop, the newest
 * citizen) → live updates from /sim/stream. Every message text goes in as text, never as HTML.
 */
import './style.css';
import { actor, doAction } from './actions';
import { simApi } from './api';
import { initChat, loadConversation, markOpenedIfShown, renderConversation, renderHeader } from './chat';
import { initCitizens, loadCitizens, renderCitizens, upsertCitizen } from './citizens';
import { citizenFromHash } from './format';
import { closeLiff, initLiff } from './liff';
import { resolveLiff } from './liff-url';
import { initLayout, isNarrow, showChat, showList } from './layout';
import { initRichMenu, loadRichMenu } from './richmenu';
import { remember, state } from './state';
import { setStatus } from './status';
import { connectStream } from './stream';
import type { StreamEvent } from '../../views';

function selectCitizen(userId: string, opts: { show?: boolean } = {}): void {
  if (state.current !== userId) {
    state.current = userId;
    state.conv = [];
    state.richMenuOpen = true;
    closeLiff();
    setStatus('');
  }
  renderCitizens();
  renderHeader();
  renderConversation({ forceScroll: true });
  void loadConversation({ forceScroll: true });
  void loadRichMenu();
  if (!state.known.has(userId)) {
    // Deep link to a citizen outside the newest 300 (or hidden by the search).
    simApi
      .citizen(userId)
      .then((c) => {
        remember([c]);
        if (state.current === userId) renderHeader();
      })
      .catch(() => setStatus(`市民 ${userId} が見つかりません`, true));
  }
  if (opts.show !== false) showChat(userId);
}

function onStream(e: StreamEvent): void {
  switch (e.type) {
    case 'citizen':
      upsertCitizen(e.citizen);
      if (e.citizen.userId === state.current) {
        renderHeader();
        void loadRichMenu();
      }
      break;
    case 'citizens':
      void loadCitizens();
      break;
    case 'received':
      if (state.current && (e.userIds === null || e.userIds.includes(state.current))) void loadConversation();
      break;
    case 'sent':
    case 'read':
      if (e.userId === state.current) void loadConversation();
      break;
    case 'richmenu':
      void loadRichMenu();
      break;
    case 'reset':
      state.current = null;
      state.conv = [];
      state.known.clear();
      closeLiff();
      showList();
      void loadCitizens().then(() => {
        renderHeader();
        renderConversation();
        void loadRichMenu();
      });
      break;
    default:
      break;
  }
}

async function boot(): Promise<void> {
  initLayout({
    onShow: (view) => {
      renderConversation({ forceScroll: view === 'chat' });
      if (view === 'chat') markOpenedIfShown();
    },
  });
  initCitizens({
    onOpen: (userId) => selectCitizen(userId),
    onAdded: (citizen) => {
      upsertCitizen(citizen);
      selectCitizen(citizen.userId);
    },
  });
  initChat(actor, { onBack: showList });
  initRichMenu(actor);
  initLiff();
  window.__lineSim = { state, selectCitizen, doAction, resolveLiff: (uri: string) => resolveLiff(uri, state.config.liffApps ?? {}) ?? null };

  connectStream(onStream, () => {
    void loadCitizens();
    void loadConversation();
    void loadRichMenu();
  });
  const config = simApi
    .config()
    .then((cfg) => (state.config = cfg))
    .catch(() => undefined);
  await loadCitizens();
  await config;
  const deepLink = citizenFromHash(location.hash);
  if (deepLink) selectCitizen(deepLink);
  else if (state.citizens.length > 0 && !state.current && !isNarrow()) selectCitizen(state.citizens[0]!.userId);
}

void boot();
