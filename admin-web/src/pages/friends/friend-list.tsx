/**
 * 友だち一覧: friends newest first (by first follow), found by name or user ID, filtered by status and
 * language, 50 at a time. The server reads at most 2,000 friends per request: a rare filter may come
 * back with few or none but a cursor — a few requests go on by themselves, then staff decide.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { messageOf } from '../../api/client';
import { ATTRIBUTES, LANGS, LANGUAGE_LABELS, PAGE_SIZE, listFriends, type FriendRow, type FriendsQuery } from '../../api/friends';
import { Alert, EmptyState, Loading, PageHeader } from '../../components/ui';
import { formatDateTime, jstDate, number, slashDate } from '../../format';
import { navigate } from '../../router';
import { Avatar, BASE, StatusBadge, attributeLines, friendPath, languageText, nameOf, useFriendFields } from './common';

/** Requests one search (or one 「さらに探す」) makes by itself before asking staff: at most this × 2,000 friends read. */
const AUTO_REQUESTS = 3;

interface Filters {
  q: string;
  status: '' | 'active' | 'blocked';
  /** A served language, `other`, or '' (all). */
  language: string;
  /** A saved segment's ID, or '' (all). */
  segmentId?: string;
  /** Profile attributes: a choice ID each, or absent (all). */
  district?: string;
  ageBand?: string;
  gender?: string;
  categories?: string;
}

/** The profile attributes (the server's list). */
const ATTRIBUTE_FILTERS = ATTRIBUTES;
const NO_FILTERS: Filters = { q: '', status: '', language: '' };

const STATUSES: { value: Filters['status']; label: string }[] = [
  { value: '', label: 'すべて' },
  { value: 'active', label: '友だち' },
  { value: 'blocked', label: 'ブロック中' },
];

/** The filters from the address (kept there, so 「戻る」 from a friend's page finds the same list). */
function filtersFromAddress(): Filters {
  const p = new URLSearchParams(location.search);
  const status = p.get('status');
  const language = p.get('language');
  const chosen = (name: string) => {
    const v = p.get(name);
    return v && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : undefined;
  };
  return {
    q: p.get('q') ?? '',
    status: status === 'active' || status === 'blocked' ? status : '',
    language: language && ([...LANGS, 'other'] as string[]).includes(language) ? language : '',
    segmentId: chosen('segmentId'),
    ...Object.fromEntries(ATTRIBUTE_FILTERS.map((a) => [a, chosen(a)])),
  };
}

/** The list's address with its filters, for 「友だち一覧へ戻る」 on a friend's page. */
let lastListAddress = BASE;
export const listAddress = () => lastListAddress;

function keepInAddress(f: Filters): void {
  const p = new URLSearchParams();
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.status) p.set('status', f.status);
  if (f.language) p.set('language', f.language);
  if (f.segmentId) p.set('segmentId', f.segmentId);
  for (const a of ATTRIBUTE_FILTERS) if (f[a]) p.set(a, f[a]);
  const s = p.toString();
  lastListAddress = `${BASE}${s ? `?${s}` : ''}`;
  history.replaceState(null, '', lastListAddress);
}

const queryOf = (f: Filters): FriendsQuery => ({
  q: f.q.trim() || undefined,
  status: f.status || undefined,
  language: f.language || undefined,
  segmentId: f.segmentId || undefined,
  ...Object.fromEntries(ATTRIBUTE_FILTERS.map((a) => [a, f[a] || undefined])),
});

interface ListState {
  items: FriendRow[];
  /** Friends the server read since the search began. */
  scanned: number;
  cursor: string | null;
  /** Friends found by the last search or 「さらに…」 (fewer than a page with a cursor: the reading budget ran out). */
  found: number;
}

export function FriendList() {
  const [initial] = useState(() => {
    lastListAddress = `${BASE}${location.search}`;
    return filtersFromAddress();
  });
  const [filters, setFilters] = useState<Filters>(initial);
  const [typed, setTyped] = useState(initial.q);
  const [list, setList] = useState<ListState | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const run = useRef(0);
  const id = useId();

  const load = useCallback(async (f: Filters, from?: ListState) => {
    const token = ++run.current;
    setBusy(true);
    setError(null);
    let state: ListState = from ? { ...from, found: 0 } : { items: [], scanned: 0, cursor: null, found: 0 };
    let cursor = from?.cursor ?? undefined;
    setProgress(0);
    try {
      for (let i = 0; i < AUTO_REQUESTS; i++) {
        const page = await listFriends({ ...queryOf(f), cursor, limit: PAGE_SIZE - state.found });
        if (token !== run.current) return;
        cursor = page.cursor;
        state = {
          items: [...state.items, ...page.items],
          scanned: state.scanned + page.scanned,
          cursor: page.cursor ?? null,
          found: state.found + page.items.length,
        };
        setList(state);
        setProgress((n) => n + page.scanned);
        if (!cursor || state.found >= PAGE_SIZE) break;
      }
    } catch (err) {
      if (token !== run.current) return;
      setError(messageOf(err));
      setList((prev) => prev ?? state);
    } finally {
      if (token === run.current) setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load(initial);
  }, [load, initial]);

  const apply = (next: Filters) => {
    setFilters(next);
    setTyped(next.q);
    keepInAddress(next);
    setList(null);
    void load(next);
  };

  const search = (e: FormEvent) => {
    e.preventDefault();
    apply({ ...filters, q: typed });
  };

  const fields = useFriendFields();
  const filtered = !!(filters.q.trim() || filters.status || filters.language || filters.segmentId || ATTRIBUTE_FILTERS.some((a) => filters[a]));
  const ranOut = !!list?.cursor && list.found < PAGE_SIZE;

  return (
    <>
      <PageHeader title="友だち" />
      <p className="muted page-lead">
        LINE
        公式アカウントの友だち（ブロックした人も含みます）の一覧です。新しく友だちになった順に並びます。名前を押すと、その人の属性・アンケートの回答・やりとりを見られます。
      </p>
      <p className="hint personal-note">名前やメッセージは個人情報です。仕事に必要なときだけ開き、画面の写真を撮ったり印刷したりしないでください。</p>

      <section className="card friend-filters" aria-label="友だちの検索">
        <form className="friend-search" role="search" onSubmit={search}>
          <div className="field friend-search-field">
            <label htmlFor={`${id}-q`}>表示名・ユーザーID</label>
            <input
              id={`${id}-q`}
              type="search"
              value={typed}
              maxLength={100}
              placeholder="例: あらお、U1234…"
              aria-describedby={`${id}-hint`}
              onChange={(e) => setTyped(e.target.value)}
            />
          </div>
          <button type="submit" className="button primary" disabled={busy && !list}>
            検索
          </button>
          {filtered && (
            <button type="button" className="button" onClick={() => apply(NO_FILTERS)}>
              条件をクリア
            </button>
          )}
        </form>
        <p className="hint" id={`${id}-hint`}>
          名前の一部で探せます。カタカナ・ひらがな・半角（ｱﾗｵ）は同じ文字として探します。ユーザーID（U で始まる33文字）は、まるごと入れるとその人だけが出ます。
        </p>
        <div className="friend-selects">
          <div className="field">
            <label htmlFor={`${id}-status`}>状態</label>
            <select id={`${id}-status`} value={filters.status} onChange={(e) => apply({ ...filters, q: typed, status: e.target.value as Filters['status'] })}>
              {STATUSES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-language`}>言語</label>
            <select id={`${id}-language`} value={filters.language} onChange={(e) => apply({ ...filters, q: typed, language: e.target.value })}>
              <option value="">すべて</option>
              {LANGS.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_LABELS[l]}
                </option>
              ))}
              <option value="other">その他の言語</option>
            </select>
          </div>
          {fields && fields.segments.length > 0 && (
            <div className="field">
              <label htmlFor={`${id}-segment`}>セグメント</label>
              <select
                id={`${id}-segment`}
                value={filters.segmentId ?? ''}
                onChange={(e) => apply({ ...filters, q: typed, segmentId: e.target.value || undefined })}
              >
                <option value="">すべて</option>
                {fields.segments.map((g) => (
                  <option key={g.segmentId} value={g.segmentId}>
                    {g.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {ATTRIBUTE_FILTERS.map((a) => {
            const def = fields?.attributes[a];
            if (!def) return null;
            return (
              <div className="field" key={a}>
                <label htmlFor={`${id}-${a}`}>{def.label}</label>
                <select id={`${id}-${a}`} value={filters[a] ?? ''} onChange={(e) => apply({ ...filters, q: typed, [a]: e.target.value || undefined })}>
                  <option value="">すべて</option>
                  {def.choices.map((c) => (
                    <option key={c.choiceId} value={c.choiceId}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </div>
            );
          })}
        </div>
      </section>

      {error && <Alert>{error}</Alert>}
      {list === null && !error && <Loading />}
      {list && list.items.length === 0 && !list.cursor && !busy && (
        <EmptyState title={filtered ? '当てはまる友だちは見つかりませんでした' : '友だちはまだいません'}>
          <p>
            {filtered
              ? '名前の一部だけにしたり、状態・言語を「すべて」にしたりして、もう一度お試しください。'
              : '友だちが LINE 公式アカウントを追加すると、ここに表示されます。'}
          </p>
        </EmptyState>
      )}
      {list && (list.items.length > 0 || list.cursor || busy) && (
        <div className="card">
          {list.items.length > 0 && (
            <div className="table-scroll">
              <table className="table friend-table" aria-label="友だち一覧">
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="visually-hidden">アイコン</span>
                    </th>
                    <th scope="col">表示名</th>
                    <th scope="col">状態</th>
                    <th scope="col">言語</th>
                    <th scope="col">友だち追加日</th>
                    <th scope="col">最後のメッセージ</th>
                    <th scope="col">属性</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((f) => (
                    <FriendTableRow key={f.userId} friend={f} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {list.items.length === 0 && list.cursor && !busy && <p className="friend-none-yet">ここまでに、当てはまる友だちはいませんでした。</p>}
          <div className="table-footer friend-footer" aria-live="polite">
            <span className="muted">
              {number.format(list.items.length)}人を表示
              {!list.cursor && list.items.length > 0 && !busy && '（これで全員です）'}
            </span>
            {busy && <span className="muted">友だちを調べています…（{number.format(progress)}人を確認）</span>}
            {!busy && ranOut && (
              <span className="friend-ran-out" role="status">
                {number.format(list.scanned)}人まで調べました。続きを調べるには「さらに探す」を押してください。
              </span>
            )}
            {!busy && list.cursor && (
              <button type="button" className="button" onClick={() => void load(filters, list)}>
                {ranOut ? 'さらに探す' : 'さらに表示'}
              </button>
            )}
          </div>
        </div>
      )}
    </>
  );
}

function FriendTableRow(props: { friend: FriendRow }) {
  const f = props.friend;
  const to = friendPath(f.userId);
  const attributes = attributeLines(f.attributes, useFriendFields());
  return (
    <tr
      className={f.status === 'blocked' ? 'friend-row row-disabled' : 'friend-row'}
      onClick={(e) => {
        // The name is a link of its own (keyboard, new tab); a click elsewhere on the row opens the page too.
        if ((e.target as HTMLElement).closest('a')) return;
        if (window.getSelection()?.toString()) return;
        navigate(to);
      }}
    >
      <td className="friend-icon">
        <Avatar friend={f} />
      </td>
      <td className="friend-name">
        <a
          href={to}
          onClick={(e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            navigate(to);
          }}
        >
          {nameOf(f)}
        </a>
        <span className="hint mono friend-id">{f.userId}</span>
      </td>
      <td className="nowrap">
        <StatusBadge status={f.status} />
      </td>
      <td className="nowrap">{languageText(f.language)}</td>
      <td className="nowrap">{f.followedAt ? slashDate(jstDate(new Date(f.followedAt))) : '—'}</td>
      <td className="nowrap">{formatDateTime(f.lastMessageAt)}</td>
      <td className="friend-attributes">
        {attributes.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          attributes.map((a) => (
            <span key={a.name} className="friend-attribute">
              {a.label}: {a.value}
            </span>
          ))
        )}
      </td>
    </tr>
  );
}
