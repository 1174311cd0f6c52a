/**
 * 1:1チャット: the inbox (未読 / 自分の担当 / 対応中 / 終了) beside the open conversation — the
 * friend's whole history (bot, deliveries, staff), the reply box with canned answers and images,
 * notes for staff, assignment, close and reopen. New messages show without a reload: the page
 * polls the chat's state every second and reads a list or conversation again only when its
 * signature changed. Everything a citizen wrote is shown as text (React escapes it).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ulid } from 'ulid';
import { messageOf } from '../../api/client';
import {
  CHAT_LIMITS,
  CHAT_VIA_LABELS,
  INBOX_VIEWS,
  INBOX_VIEW_LABELS,
  addChatNote,
  assignThread,
  closeThread,
  getCanned,
  getChatStaff,
  getInbox,
  getThread,
  markThreadRead,
  reopenThread,
  sendChatMessage,
  type CannedAnswer,
  type ChatAssignee,
  type ChatThreadView,
  type InboxView,
  type InboxViewName,
} from '../../api/chat';
import type { Me } from '../../api/types';
import { ImagePicker } from '../../components/content-editor';
import { Alert, EmptyState, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime } from '../../format';
import { canUse } from '../../functions';
import { Avatar } from '../friends/common';
import { Timeline } from '../friends/timeline';
import { PAGE_POLL_MS, refreshChatState, useChatPolling, useChatState } from './chat-state';

/** The tab staff last chose (kept while they move between conversations). */
let lastView: InboxViewName = 'open';

const nameOf = (t: Pick<ChatThreadView, 'displayName'>) => t.displayName || '（名前なし）';

export function ChatInbox(props: { me: Me; userId: string | null }) {
  useChatPolling(true, PAGE_POLL_MS);
  const state = useChatState();
  const [view, setView] = useState<InboxViewName>(lastView);
  const [inbox, setInbox] = useState<InboxView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  // Again whenever an open conversation changed (the poll's signature) or the tab changed; an answer
  // for a tab no longer shown is dropped. The closed list is read when chosen (its pages stay).
  const signature = view === 'closed' ? null : state?.signature;
  useEffect(() => {
    let alive = true;
    getInbox(view).then(
      (next) => {
        if (!alive) return;
        setInbox(next);
        setError(null);
      },
      (err) => alive && setError(messageOf(err)),
    );
    return () => {
      alive = false;
    };
  }, [view, signature]);

  const choose = (v: InboxViewName) => {
    lastView = v;
    setInbox(null);
    setView(v);
  };

  const more = async () => {
    if (!inbox?.cursor) return;
    setLoadingMore(true);
    try {
      const next = await getInbox(view, inbox.cursor);
      setInbox((prev) => (prev ? { ...next, items: [...prev.items, ...next.items] } : next));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoadingMore(false);
    }
  };

  const count = (v: InboxViewName) => (v === 'closed' ? null : (state ?? inbox)?.[v]);

  return (
    <>
      <PageHeader title="1:1チャット">
        <Link to="/chat/settings" className="button">
          受付時間・定型文の設定
        </Link>
      </PageHeader>
      {state && (
        <p className={state.officeOpen ? 'chat-hours open' : 'chat-hours closed'} data-testid="office-hours">
          {state.officeOpen
            ? '受付時間中です。'
            : `受付時間外です。友だちには「${state.nextOpening ? `${formatDateTime(state.nextOpening)}以降` : '受付再開後'}に職員がお返事します」と自動で伝えています。`}
        </p>
      )}
      <div className="chat-layout">
        <section className="card chat-list" aria-label="会話の一覧">
          <div className="tabs" role="tablist" aria-label="表示する会話">
            {INBOX_VIEWS.map((v) => (
              <button key={v} type="button" role="tab" aria-selected={v === view} className={v === view ? 'tab active' : 'tab'} onClick={() => choose(v)}>
                {INBOX_VIEW_LABELS[v]}
                {count(v) !== null && count(v) !== undefined && <span className="tab-note">{count(v)}</span>}
              </button>
            ))}
          </div>
          {error && <Alert>{error}</Alert>}
          {!inbox && !error && <Loading />}
          {inbox && inbox.items.length === 0 && <p className="hint chat-empty">{EMPTY_WORDS[view]}</p>}
          {inbox && inbox.items.length > 0 && (
            <ul className="chat-threads">
              {inbox.items.map((t) => (
                <li key={t.userId}>
                  <Link
                    to={`/chat/${t.userId}`}
                    className={t.userId === props.userId ? 'chat-thread active' : 'chat-thread'}
                    aria-current={t.userId === props.userId ? 'page' : undefined}
                  >
                    <Avatar friend={{ displayName: t.displayName, pictureUrl: t.pictureUrl }} />
                    <span className="chat-thread-body">
                      <span className="chat-thread-head">
                        <span className="chat-thread-name">{nameOf(t)}</span>
                        {t.unread && <span className="count-badge chat-unread">未読</span>}
                        <time dateTime={t.lastAt}>{formatDateTime(t.lastAt)}</time>
                      </span>
                      <span className="chat-thread-preview">{t.preview ?? ''}</span>
                      <span className="chat-thread-meta">
                        {t.assignee ? `担当：${t.assignee.name}` : '担当なし'}
                        {t.outsideHours && t.status === 'open' ? '・受付時間外に受付' : ''}
                      </span>
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {inbox?.cursor && (
            <button type="button" className="button small" onClick={() => void more()} disabled={loadingMore}>
              {loadingMore ? '読み込み中…' : 'さらに表示'}
            </button>
          )}
        </section>
        <div className="chat-pane">
          {props.userId ? (
            <Conversation key={props.userId} me={props.me} userId={props.userId} signature={state?.signature} />
          ) : (
            <EmptyState title="会話を選んでください">
              <p>左の一覧から会話を選ぶと、その友だちとのやりとりがここに表示されます。友だちが「職員と話したい」と選ぶと、ここに届きます。</p>
            </EmptyState>
          )}
        </div>
      </div>
    </>
  );
}

const EMPTY_WORDS: Record<InboxViewName, string> = {
  unread: '未読のメッセージはありません。',
  mine: 'あなたが担当の会話はありません。',
  open: '対応中の会話はありません。',
  closed: '終了した会話はありません。',
};

function Conversation(props: { me: Me; userId: string; signature: string | undefined }) {
  const { userId } = props;
  const [thread, setThread] = useState<ChatThreadView | null>(null);
  const [error, setError] = useState<{ text: string; missing: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [staff, setStaff] = useState<ChatAssignee[] | null>(null);

  const load = useCallback(async () => {
    try {
      let t = await getThread(userId);
      // Opening it reads it: in LINE too (既読), when the setting is on.
      if (t.unread && document.visibilityState === 'visible') {
        t = await markThreadRead(userId);
        void refreshChatState();
      }
      setThread(t);
      setError(null);
    } catch (err) {
      setError({ text: messageOf(err), missing: (err as { status?: number }).status === 404 });
    }
  }, [userId]);

  // What this screen changed itself (a note on a closed conversation moves no signature).
  const [mine, setMine] = useState(0);
  useEffect(() => {
    void load();
  }, [load, props.signature, mine]);

  // Back to a hidden tab: what came meanwhile is read (and marked read) now.
  useEffect(() => {
    const shown = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', shown);
    return () => document.removeEventListener('visibilitychange', shown);
  }, [load]);

  useEffect(() => {
    getChatStaff().then(
      (s) => setStaff(s.items),
      () => setStaff([]),
    );
  }, []);

  const act = async (run: () => Promise<ChatThreadView>) => {
    setBusy(true);
    setActionError(null);
    try {
      setThread(await run());
      void refreshChatState();
    } catch (err) {
      setActionError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (error?.missing)
    return (
      <EmptyState title="この会話は見つかりません">
        <p>{error.text}</p>
      </EmptyState>
    );
  if (!thread) return error ? <Alert>{error.text}</Alert> : <Loading />;

  const open = thread.status === 'open';
  return (
    <section className="chat-conversation" aria-label={`${nameOf(thread)}さんとの会話`}>
      <div className="card chat-head">
        <Avatar friend={{ displayName: thread.displayName, pictureUrl: thread.pictureUrl }} size="large" />
        <div className="chat-head-body">
          <h2>
            {nameOf(thread)}
            <span className={open ? 'badge status-open' : 'badge status-closed'}>{open ? '対応中' : '終了'}</span>
          </h2>
          <p className="hint">
            {thread.via ? `${CHAT_VIA_LABELS[thread.via]}・` : ''}
            {open ? `${formatDateTime(thread.openedAt)}から対応中` : `${formatDateTime(thread.closedAt)}に終了`}
            {open && thread.outsideHours ? '・受付時間外に届きました' : ''}
          </p>
          {canUse(props.me, 'friends') && (
            <Link to={`/friends/${userId}`} className="chat-friend-link">
              友だちの情報を見る
            </Link>
          )}
        </div>
        <div className="chat-head-actions">
          <label className="chat-assignee">
            担当
            <select
              value={thread.assignee?.loginId ?? ''}
              disabled={busy || staff === null}
              onChange={(e) => void act(() => assignThread(userId, e.target.value || null))}
            >
              <option value="">（担当なし）</option>
              {thread.assignee && !staff?.some((s) => s.loginId === thread.assignee!.loginId) && (
                <option value={thread.assignee.loginId}>{thread.assignee.name}</option>
              )}
              {(staff ?? []).map((s) => (
                <option key={s.loginId} value={s.loginId}>
                  {s.name}
                  {s.loginId === props.me.loginId ? '（自分）' : ''}
                </option>
              ))}
            </select>
          </label>
          {open ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => {
                if (window.confirm(`${nameOf(thread)}さんとの会話を終了しますか？\n終了すると、この友だちのメッセージには自動応答が答えます。`))
                  void act(() => closeThread(userId));
              }}
            >
              会話を終了
            </button>
          ) : (
            <button type="button" className="button" disabled={busy} onClick={() => void act(() => reopenThread(userId))}>
              再開する
            </button>
          )}
        </div>
      </div>
      {actionError && <Alert>{actionError}</Alert>}
      <Timeline
        userId={userId}
        source="/chat/threads"
        live={`${props.signature ?? ''}#${mine}`}
        title="やりとり"
        hint="友だちのメッセージ（左）と、公式アカウントから送ったもの（右：職員・自動応答・配信）、職員のメモです。"
      />
      <Composer
        userId={userId}
        name={thread.displayName}
        open={open}
        onSent={() => {
          setMine((n) => n + 1);
          void refreshChatState();
        }}
      />
    </section>
  );
}

/** The reply box: text or an image, a canned answer to start from, or a note for staff. */
function Composer(props: { userId: string; name: string; open: boolean; onSent: () => void }) {
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [text, setText] = useState('');
  const [mediaId, setMediaId] = useState<string | undefined>(undefined);
  const [canned, setCanned] = useState<CannedAnswer[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The client id of what is being sent: kept until it is sent, so pressing 送信 again after a failure never doubles it.
  const pending = useRef<{ key: string; clientId: string } | null>(null);

  useEffect(() => {
    getCanned().then(
      (c) => setCanned(c.items),
      () => setCanned([]),
    );
  }, []);

  const limit = mode === 'note' ? CHAT_LIMITS.noteChars : CHAT_LIMITS.textChars;
  const send = async () => {
    const key = `${mode}\u0000${text}\u0000${mediaId ?? ''}`;
    if (pending.current?.key !== key) pending.current = { key, clientId: ulid() };
    const clientId = pending.current.clientId;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      if (mode === 'note') await addChatNote(props.userId, { clientId, text });
      else await sendChatMessage(props.userId, mediaId ? { clientId, mediaId } : { clientId, text });
      pending.current = null;
      setText('');
      setMediaId(undefined);
      setDone(mode === 'note' ? 'メモを残しました。' : '送信しました。');
      props.onSent();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const insertCanned = (id: string) => {
    const c = canned.find((x) => x.id === id);
    if (!c) return;
    const filled = c.text.replaceAll('{name}', props.name || '');
    setText((prev) => (prev.trim() ? `${prev}\n${filled}` : filled));
  };

  const empty = mode === 'note' ? !text.trim() : !text.trim() && !mediaId;
  return (
    <section className={mode === 'note' ? 'card chat-composer note' : 'card chat-composer'} aria-label="返信">
      <div className="tabs" role="tablist" aria-label="書くもの">
        <button type="button" role="tab" aria-selected={mode === 'reply'} className={mode === 'reply' ? 'tab active' : 'tab'} onClick={() => setMode('reply')}>
          友だちに返信
        </button>
        <button type="button" role="tab" aria-selected={mode === 'note'} className={mode === 'note' ? 'tab active' : 'tab'} onClick={() => setMode('note')}>
          メモ（職員だけ）
        </button>
      </div>
      {mode === 'reply' && !props.open ? (
        <p className="hint">この会話は終了しています。返信するには上の「再開する」を押してください。</p>
      ) : (
        <>
          {mode === 'reply' && canned.length > 0 && (
            <label className="chat-canned">
              定型文
              <select value="" onChange={(e) => insertCanned(e.target.value)}>
                <option value="">定型文を選んで入れる…</option>
                {canned.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title}
                  </option>
                ))}
              </select>
            </label>
          )}
          <textarea
            aria-label={mode === 'note' ? 'メモ' : '返信の文'}
            rows={4}
            maxLength={limit}
            value={text}
            disabled={Boolean(mediaId) && mode === 'reply'}
            placeholder={mode === 'note' ? '職員どうしの申し送りなど（友だちには送られません）' : `${props.name || '友だち'}さんへの返信`}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !empty && !busy) void send();
            }}
          />
          <div className="chat-composer-foot">
            {mode === 'reply' && !text.trim() && <ImagePicker label="画像を送る" mediaId={mediaId} onChange={setMediaId} />}
            <span className="hint">
              {text.length.toLocaleString('ja-JP')} / {limit.toLocaleString('ja-JP')}文字・Ctrl+Enterで{mode === 'note' ? '残す' : '送信'}
            </span>
            <button type="button" className="button primary" disabled={busy || empty} onClick={() => void send()}>
              {busy ? '送信中…' : mode === 'note' ? 'メモを残す' : '送信'}
            </button>
          </div>
        </>
      )}
      {error && <Alert>{error}</Alert>}
      {done && (
        <p className="hint" role="status">
          {done}
        </p>
      )}
    </section>
  );
}
