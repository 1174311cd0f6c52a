/** キーワード応答 › 答えられなかったメッセージ: what friends sent that no rule answered, newest first, each a start for a new rule. */
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import { listUnanswered, type UnansweredView } from '../../api/keywords';
import { Alert, EmptyState, Link, Loading, PageHeader, ListFooter } from '../../components/ui';
import { formatTime, jstDate, slashDate } from '../../format';
import { KeywordsNav, newRulePath, rulePath } from './common';

type Item = UnansweredView['items'][number];

/** Longer messages are shown cut, with 「全文」 to open them. */
const CLIP_CHARS = 120;
const CLIP_LINES = 4;

export function Unanswered() {
  const [items, setItems] = useState<Item[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (after?: string) => {
    setBusy(true);
    setError(null);
    try {
      const page = await listUnanswered(after);
      setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.cursor ?? null);
    } catch (err) {
      setError(messageOf(err));
      if (!after) setItems((prev) => prev ?? []);
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <PageHeader title="キーワード応答" />
      <KeywordsNav />
      <p className="muted page-lead">
        友だちが送った文のうち、どのルールにも当てはまらず既定の返信を送ったものです（新しい順）。よく届く質問は「このメッセージからルールを作る」で、答えるルールにできます。
      </p>
      <div className="toolbar">
        <p className="hint">ルールを作ったあとは、そのルールが今なら答えることが表示されます。</p>
        <button type="button" className="button" onClick={() => void load()} disabled={busy}>
          最新の状態に更新
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
      {items === null && !error && <Loading />}
      {items && items.length === 0 && !error && (
        <EmptyState title="答えられなかったメッセージはありません">
          <p>どのルールにも当てはまらないメッセージが届くと、ここに表示されます。</p>
        </EmptyState>
      )}
      {items && items.length > 0 && (
        <div className="card">
          <div className="table-scroll">
            <table className="table unanswered-table" aria-label="答えられなかったメッセージ">
              <thead>
                <tr>
                  <th scope="col">受信日時</th>
                  <th scope="col">友だち</th>
                  <th scope="col">メッセージ</th>
                  <th scope="col">ルール</th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <UnansweredRow key={`${m.userId}-${m.messageId}`} item={m} />
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter count={items.length} busy={busy} onMore={cursor ? () => void load(cursor) : undefined} />
        </div>
      )}
    </>
  );
}

function UnansweredRow(props: { item: Item }) {
  const m = props.item;
  const [open, setOpen] = useState(false);
  const lines = m.text.split(/\r?\n/);
  const long = m.text.length > CLIP_CHARS || lines.length > CLIP_LINES;
  const clipped = long && !open ? `${lines.slice(0, CLIP_LINES).join('\n').slice(0, CLIP_CHARS)}…` : m.text;
  return (
    <tr>
      <td className="mail-when">
        <span>{slashDate(jstDate(new Date(m.at)))}</span> <span>{formatTime(m.at)}</span>
      </td>
      <td className="unanswered-friend">
        {!m.userId ? (
          <span className="muted">（友だち・会話の権限がある職員に表示）</span>
        ) : m.displayName?.trim() ? (
          m.displayName
        ) : (
          <span className="muted">（名前なし）</span>
        )}
      </td>
      <td className="unanswered-text">
        <p className="message-text">{clipped}</p>
        {long && (
          <button type="button" className="link-button unanswered-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? '閉じる' : '全文'}
          </button>
        )}
      </td>
      <td className="unanswered-rule">
        {m.answeredNowBy && (
          <p className="answered-now">
            今は「<Link to={rulePath(m.answeredNowBy.ruleId)}>{m.answeredNowBy.name}</Link>」が答えます
          </p>
        )}
        <Link to={newRulePath(m.text)} className="button small">
          このメッセージからルールを作る
        </Link>
      </td>
    </tr>
  );
}
