/**
 * A friend's conversation as LINE shows it: what the friend sent on the left, what the account
 * answered on the right (with who sent it), follows and blocks as lines in the middle, a date
 * between days. The API answers newest first; the loaded window reads oldest at the top, and
 * 「前のメッセージを読み込む」 adds the page before it without moving what staff are reading.
 * Everything the friend wrote is shown as text (React escapes it), never as HTML.
 */
import { START_POSTBACK_PREFIX } from '../../../../functions/scenarios/model';
import { CHAT_REQUEST_POSTBACK } from '../../../../functions/chat/model';
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { API_BASE, messageOf } from '../../api/client';
import { contentPath, conversation, messageContent, type ConversationItem, type HistorySource } from '../../api/friends';
import { Dialog } from '../../components/dialog';
import { Alert, Loading } from '../../components/ui';
import { formatDateTime, formatDateTimeWithWeekday, formatTime, jstDate } from '../../format';

/** Longer texts are shown cut, with 「全文を表示」. */
const CLIP_CHARS = 500;
const CLIP_LINES = 12;

/** 「2026/12/07（月）」: the Japan day of a moment, with its weekday. */
const dayText = (iso: string) => formatDateTimeWithWeekday(iso).replace(/\d{2}:\d{2}$/, '');

const BY_LABELS: Record<NonNullable<ConversationItem['by']>, string> = { bot: '自動応答', staff: '職員', delivery: '配信' };

/** Which routes the bubbles fetch a friend's files through (the page's). */
const Source = createContext<HistorySource>('/friends');

/**
 * `source`: the routes to read through (the 1:1 chat's for staff without the friends function).
 * `live`: a value that changes whenever the conversation may have (the chat's poll): the newest
 * page is read again quietly, staying at the bottom when staff were there.
 */
export function Timeline(props: { userId: string; source?: HistorySource; live?: string; title?: string; hint?: string }) {
  const { userId } = props;
  const source = props.source ?? '/friends';
  const [items, setItems] = useState<ConversationItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  /** What to do with the scroll position once the new items are on screen. */
  const keep = useRef<{ kind: 'bottom' } | { kind: 'anchor'; fromBottom: number } | null>(null);

  const loadNewest = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      const page = await conversation(userId, undefined, 50, source);
      keep.current = { kind: 'bottom' };
      setItems([...page.items].reverse());
      setCursor(page.cursor ?? null);
    } catch (err) {
      setError(messageOf(err));
      setItems((prev) => prev ?? []);
    } finally {
      setBusy(false);
    }
  }, [userId, source]);

  useEffect(() => {
    void loadNewest();
  }, [loadNewest]);

  // Live: the newest page merged into what is loaded (older pages kept); the view follows only when at the bottom.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (props.live === undefined) return;
    let alive = true;
    conversation(userId, undefined, 50, source).then(
      (page) => {
        if (!alive) return;
        const el = box.current;
        const atBottom = !el || el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        setItems((prev) => {
          const fresh = [...page.items].reverse();
          const keyOf = (e: ConversationItem) => `${e.direction}-${e.id}`;
          const freshKeys = new Set(fresh.map(keyOf));
          const oldest = fresh[0]?.at;
          const kept = (prev ?? []).filter((e) => !freshKeys.has(keyOf(e)) && (!oldest || e.at < oldest));
          return [...kept, ...fresh];
        });
        if (atBottom) keep.current = { kind: 'bottom' };
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [props.live, userId, source]);

  const loadOlder = async () => {
    if (!cursor) return;
    setBusy(true);
    setError(null);
    try {
      const page = await conversation(userId, cursor, 50, source);
      const el = box.current;
      keep.current = el ? { kind: 'anchor', fromBottom: el.scrollHeight - el.scrollTop } : null;
      setItems((prev) => [...[...page.items].reverse(), ...(prev ?? [])]);
      setCursor(page.cursor ?? null);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  useLayoutEffect(() => {
    const el = box.current;
    const k = keep.current;
    if (!el || !k) return;
    keep.current = null;
    el.scrollTop = k.kind === 'bottom' ? el.scrollHeight : el.scrollHeight - k.fromBottom;
  }, [items]);

  let day = '';
  return (
    <Source.Provider value={source}>
      <section className="card timeline-card" aria-labelledby="timeline-h">
        <div className="timeline-head">
          <h2 id="timeline-h">{props.title ?? 'やりとり'}</h2>
          <button type="button" className="button small" onClick={() => void loadNewest()} disabled={busy}>
            最新の状態に更新
          </button>
        </div>
        <p className="hint">
          {props.hint ?? '友だちが送ったメッセージ（左）と、公式アカウントから送ったもの（右：自動応答・職員・この友だちに届いた配信）です。'}
        </p>
        {error && <Alert>{error}</Alert>}
        {items === null && !error && <Loading />}
        {items && (
          <div className="timeline" ref={box} role="log" aria-label="やりとり" tabIndex={0}>
            {cursor ? (
              <div className="timeline-older">
                <button type="button" className="button small" onClick={() => void loadOlder()} disabled={busy}>
                  {busy ? '読み込み中…' : '前のメッセージを読み込む'}
                </button>
              </div>
            ) : (
              items.length > 0 && <p className="timeline-start">これより前のやりとりはありません</p>
            )}
            {items.length === 0 && !error && <p className="timeline-start">まだやりとりはありません</p>}
            {items.map((e) => {
              const d = jstDate(new Date(e.at));
              const separator = d !== day;
              day = d;
              return (
                <div key={`${e.direction}-${e.id}`} className="timeline-item-wrap" data-entry={`${e.direction}-${e.id}`}>
                  {separator && (
                    <p className="timeline-day">
                      <span>{dayText(e.at)}</span>
                    </p>
                  )}
                  <Entry userId={userId} entry={e} />
                </div>
              );
            })}
          </div>
        )}
      </section>
    </Source.Provider>
  );
}

const CHAT_EVENT_WORDS: Record<NonNullable<ConversationItem['chatEvent']>, (e: ConversationItem) => string> = {
  requested: (e) => `職員との1:1チャットを希望しました${e.outsideHours ? '（受付時間外）' : ''}`,
  closed: (e) => `${e.staffName ?? '職員'}さんが1:1チャットを終了しました（自動応答に戻りました）`,
  reopened: (e) => `${e.staffName ?? '職員'}さんが1:1チャットを再開しました`,
  blocked: () => '友だちがブロックしたため、1:1チャットを終了しました',
};

function Entry(props: { userId: string; entry: ConversationItem }) {
  const e = props.entry;
  if (e.kind === 'follow' || e.kind === 'unfollow') {
    return (
      <p className={`timeline-system timeline-${e.kind}`}>
        <span>
          {e.kind === 'follow' ? '友だち追加しました' : 'ブロックしました'}（{formatDateTime(e.at)}）
        </span>
      </p>
    );
  }
  if (e.kind === 'chat') {
    return (
      <p className={`timeline-system timeline-chat`}>
        <span>
          {e.chatEvent ? CHAT_EVENT_WORDS[e.chatEvent](e) : '1:1チャット'}（{formatDateTime(e.at)}）
        </span>
      </p>
    );
  }
  if (e.kind === 'note') {
    return (
      <div className="timeline-note" data-kind="note">
        <span className="timeline-note-label">メモ（職員だけに見えます）・{e.staffName ?? '職員'}</span>
        <TextBubble text={e.text ?? ''} />
        <time className="timeline-time" dateTime={e.at}>
          {formatTime(e.at)}
        </time>
      </div>
    );
  }
  const out = e.direction === 'out';
  return (
    <div className={out ? 'timeline-row out' : 'timeline-row in'} data-kind={e.kind} data-status={e.sendStatus}>
      {out && (
        <span className="timeline-by">
          {e.by === 'staff' && e.staffName ? `職員 ${e.staffName}` : (BY_LABELS[e.by ?? 'bot'] ?? e.by)}
          {e.by === 'delivery' && e.text ? `「${e.text}」` : ''}
        </span>
      )}
      <div className="timeline-bubbles">{out ? <Outgoing messages={e.messages ?? []} /> : <Incoming userId={props.userId} entry={e} />}</div>
      <time className="timeline-time" dateTime={e.at}>
        {formatTime(e.at)}
        {e.sendStatus === 'sending' && <span className="timeline-status">送信中</span>}
        {e.sendStatus === 'failed' && <span className="timeline-status failed">{e.sendError ?? '送信できませんでした'}</span>}
      </time>
    </div>
  );
}

function Incoming(props: { userId: string; entry: ConversationItem }) {
  const e = props.entry;
  switch (e.kind) {
    case 'text':
      return <TextBubble text={e.text ?? ''} />;
    case 'image':
      return e.contentMessageId ? <ImageBubble userId={props.userId} messageId={e.contentMessageId} /> : <Bubble muted>画像</Bubble>;
    case 'video':
    case 'audio':
    case 'file':
      return <FileBubble userId={props.userId} kind={e.kind} messageId={e.contentMessageId} />;
    case 'location':
      return <LocationBubble location={e.location} />;
    case 'sticker':
      return <Bubble muted>スタンプ</Bubble>;
    case 'postback':
      // A scenario's start (a menu area or a message's button) in words; other postbacks as they came.
      if (e.postbackData === CHAT_REQUEST_POSTBACK) return <Bubble muted>メニュー・ボタンから職員との会話を希望</Bubble>;
      return (e.postbackData ?? '').startsWith(START_POSTBACK_PREFIX) ? (
        <Bubble muted>ボタンからシナリオを開始</Bubble>
      ) : (
        <Bubble muted>
          メニューから操作: <span className="mono">{e.postbackData ?? ''}</span>
        </Bubble>
      );
    default:
      return <Bubble muted>{e.text ?? e.kind}</Bubble>;
  }
}

function Bubble(props: { children: ReactNode; muted?: boolean; className?: string }) {
  return <div className={['bubble', props.muted ? 'bubble-muted' : '', props.className ?? ''].filter(Boolean).join(' ')}>{props.children}</div>;
}

function TextBubble(props: { text: string }) {
  const [open, setOpen] = useState(false);
  const lines = props.text.split(/\r?\n/);
  const long = props.text.length > CLIP_CHARS || lines.length > CLIP_LINES;
  const shown = long && !open ? `${lines.slice(0, CLIP_LINES).join('\n').slice(0, CLIP_CHARS)}…` : props.text;
  return (
    <Bubble>
      <p className="bubble-text">{shown}</p>
      {long && (
        <button type="button" className="link-button bubble-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '閉じる' : `全文を表示（${props.text.length.toLocaleString('ja-JP')}文字）`}
        </button>
      )}
    </Bubble>
  );
}

/** A friend's photo: fetched through the console's session, shown small; a click shows it large. */
function ImageBubble(props: { userId: string; messageId: string }) {
  const source = useContext(Source);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [large, setLarge] = useState(false);

  useEffect(() => {
    let alive = true;
    let made: string | null = null;
    messageContent(props.userId, props.messageId, source).then(
      (blob) => {
        if (!alive) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      (err) => alive && setError(messageOf(err)),
    );
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [props.userId, props.messageId, source]);

  if (error) return <Bubble muted>画像: {error}</Bubble>;
  if (!url)
    return (
      <Bubble muted className="bubble-image-loading">
        画像を読み込み中…
      </Bubble>
    );
  return (
    <>
      <button type="button" className="bubble-image" onClick={() => setLarge(true)} aria-label="友だちが送った画像（押すと大きく表示）">
        <img src={url} alt="友だちが送った画像" />
      </button>
      {large && (
        <Dialog title="友だちが送った画像" onClose={() => setLarge(false)} className="image-dialog">
          <img className="image-large" src={url} alt="友だちが送った画像（拡大）" />
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setLarge(false)} autoFocus>
              閉じる
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

const FILE_WORDS: Record<'video' | 'audio' | 'file', { label: string; ext: string }> = {
  video: { label: '動画', ext: '.mp4' },
  audio: { label: '音声', ext: '.m4a' },
  file: { label: 'ファイル', ext: '' },
};

/** A video, audio or file message: a download through the console's session (LINE keeps it for a limited time). */
function FileBubble(props: { userId: string; kind: 'video' | 'audio' | 'file'; messageId?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const words = FILE_WORDS[props.kind];
  const source = useContext(Source);
  const download = async () => {
    if (!props.messageId) return;
    setBusy(true);
    setError(null);
    try {
      const blob = await messageContent(props.userId, props.messageId, source);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${props.kind}-${props.messageId}${words.ext}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Bubble muted>
      <span className="bubble-file">{words.label}</span>
      {props.messageId && (
        <a
          href={`${API_BASE}${contentPath(props.userId, props.messageId, source)}`}
          onClick={(e) => {
            e.preventDefault();
            if (!busy) void download();
          }}
        >
          {busy ? 'ダウンロード中…' : 'ダウンロード'}
        </a>
      )}
      {error && <span className="bubble-error">{error}</span>}
    </Bubble>
  );
}

function LocationBubble(props: { location: ConversationItem['location'] }) {
  const l = props.location;
  if (!l) return <Bubble muted>位置情報</Bubble>;
  const coords = `${l.latitude.toFixed(6)}, ${l.longitude.toFixed(6)}`;
  const map = `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(`${l.latitude},${l.longitude}`)}`;
  return (
    <Bubble className="bubble-location">
      <span className="bubble-label">位置情報</span>
      {l.title && <span className="bubble-location-title">{l.title}</span>}
      {l.address && <span>{l.address}</span>}
      <span className="mono hint">{coords}</span>
      <a href={map} target="_blank" rel="noopener noreferrer">
        地図で見る（Google マップ）
      </a>
    </Bubble>
  );
}

/** What the account sent, from LINE's message objects as they were sent. */
function Outgoing(props: { messages: unknown[] }) {
  if (props.messages.length === 0) return <Bubble muted>（内容の記録がありません）</Bubble>;
  return (
    <>
      {props.messages.map((m, i) => (
        <OutgoingMessage key={i} message={(m && typeof m === 'object' ? m : {}) as Record<string, unknown>} />
      ))}
    </>
  );
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function OutgoingMessage(props: { message: Record<string, unknown> }) {
  const m = props.message;
  const [failed, setFailed] = useState(false);
  switch (m.type) {
    case 'text':
      return <TextBubble text={str(m.text) ?? ''} />;
    case 'image': {
      const src = str(m.previewImageUrl) ?? str(m.originalContentUrl);
      if (!src || failed) return <Bubble muted>画像</Bubble>;
      return (
        <div className="bubble-image sent">
          <img src={src} alt="送った画像" referrerPolicy="no-referrer" onError={() => setFailed(true)} />
        </div>
      );
    }
    case 'flex':
    case 'imagemap':
      return (
        <Bubble muted>
          <span className="bubble-label">カード</span>
          {str(m.altText) ?? '（代わりの文なし）'}
        </Bubble>
      );
    case 'template': {
      const t = (m.template && typeof m.template === 'object' ? m.template : {}) as Record<string, unknown>;
      return (
        <Bubble muted>
          <span className="bubble-label">ボタン</span>
          {str(t.title) ?? str(m.altText) ?? str(t.text) ?? '（代わりの文なし）'}
        </Bubble>
      );
    }
    case 'sticker':
      return <Bubble muted>スタンプ</Bubble>;
    case 'video':
      return <Bubble muted>動画</Bubble>;
    case 'audio':
      return <Bubble muted>音声</Bubble>;
    case 'location':
      return <Bubble muted>位置情報: {str(m.title) ?? str(m.address) ?? ''}</Bubble>;
    default:
      return <Bubble muted>{typeof m.type === 'string' ? `（${m.type}）` : '（不明なメッセージ）'}</Bubble>;
  }
}
