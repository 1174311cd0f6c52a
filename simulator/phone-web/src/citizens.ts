/**
 * The chat list: "友だち追加" (a new citizen with a name and a LINE language, who follows the
 * account) and the citizens, newest first (the newest 300), searchable by name or user ID.
 */
import { simApi } from './api';
import { byId, clear, h } from '../../../web-shared/dom';
import { initial, LANGS, languageName, safeUrl, webhookText } from './format';
import { remember, state } from './state';
import { setStatus } from './status';
import type { Citizen, WebhookResult } from '../../views';

interface CitizenHooks {
  onOpen: (userId: string) => void;
  onAdded: (citizen: Citizen, webhook: WebhookResult | undefined) => void;
}

let hooks: CitizenHooks;
let listSeq = 0;

function avatarFor(c: Citizen): HTMLElement {
  const picture = safeUrl(c.pictureUrl);
  return h('div', { class: 'avatar', 'aria-hidden': 'true' }, picture ? h('img', { src: picture, alt: '' }) : initial(c.displayName));
}

export function renderCitizens(): void {
  const ul = byId('citizen-list');
  clear(ul);
  for (const c of state.citizens) {
    const active = state.current === c.userId;
    const tag = c.blocked ? 'ブロック中' : !c.following ? '未登録' : '';
    ul.append(
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: `citizen-item${active ? ' active' : ''}`,
            'data-user-id': c.userId,
            'aria-current': active ? 'true' : false,
            on: { click: () => hooks.onOpen(c.userId) },
          },
          avatarFor(c),
          h(
            'span',
            { class: 'citizen-meta' },
            h('span', { class: 'citizen-name' }, c.displayName),
            h(
              'span',
              { class: 'citizen-sub' },
              `${languageName(c.language)} · ${c.userId.slice(0, 9)}… `,
              tag ? h('span', { class: 'tag-blocked' }, tag) : null,
            ),
          ),
        ),
      ),
    );
  }
  if (state.citizens.length === 0) {
    ul.append(h('li', { class: 'list-empty' }, state.query ? '該当する市民はいません。' : 'まだ市民がいません。上のフォームから追加してください。'));
  }
}

export async function loadCitizens(): Promise<void> {
  const seq = ++listSeq;
  try {
    const list = await simApi.citizens(state.query);
    if (seq !== listSeq) return;
    remember(list);
    state.citizens = list.reverse(); // newest first
    renderCitizens();
  } catch (e) {
    setStatus(`市民一覧を読み込めませんでした: ${(e as Error).message}`, true);
  }
}

/** A citizen changed or appeared (the stream): update the list in place, newest on top. */
export function upsertCitizen(c: Citizen): void {
  remember([c]);
  const i = state.citizens.findIndex((x) => x.userId === c.userId);
  if (i >= 0) state.citizens[i] = c;
  else if (!state.query) state.citizens.unshift(c);
  renderCitizens();
}

export function initCitizens(h0: CitizenHooks): void {
  hooks = h0;
  const select = byId<HTMLSelectElement>('lang-select');
  for (const [code, name] of Object.entries(LANGS)) select.append(h('option', { value: code }, name));
  const nameInput = byId<HTMLInputElement>('name-input');
  const addBtn = byId<HTMLButtonElement>('add-btn');
  byId<HTMLFormElement>('add-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = nameInput.value.trim();
    if (!name) return;
    addBtn.disabled = true;
    simApi
      .addCitizen(name, select.value)
      .then((r) => {
        nameInput.value = '';
        remember([r.citizen]);
        hooks.onAdded(r.citizen, r.webhook);
        setStatus(`友だち追加しました。${webhookText(r.webhook)}`, !!r.webhook && !r.webhook.ok);
        return loadCitizens();
      })
      .catch((err: unknown) => setStatus(`追加できませんでした: ${(err as Error).message}`, true))
      .finally(() => (addBtn.disabled = false));
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const search = byId<HTMLInputElement>('search-input');
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.query = search.value.trim();
      void loadCitizens();
    }, 250);
  });
}
