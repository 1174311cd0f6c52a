/**
 * A friend's page: who they are (icon, name, user ID, status and its dates), their attributes, the
 * latest answer to each form, and the conversation (timeline.tsx). Personal data: staff with the
 * 友だち・会話 function only (the server refuses anyone else).
 */
import { Fragment, useCallback, useEffect, useState } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { LANGUAGE_LABELS, getFriend, type FriendPageView } from '../../api/friends';
import type { Me } from '../../api/types';
import { Alert, EmptyState, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime } from '../../format';
import { canUse } from '../../functions';
import { Avatar, StatusBadge, attributeLines, languageText, nameOf, useFriendFields } from './common';
import { listAddress } from './friend-list';
import { Timeline } from './timeline';
import { getThread as getChatThread, type ChatThreadView } from '../../api/chat';

export function FriendPage(props: { userId: string; me: Me }) {
  const { userId } = props;
  const [view, setView] = useState<FriendPageView | null>(null);
  const [error, setError] = useState<{ text: string; missing: boolean } | null>(null);

  const load = useCallback(async () => {
    try {
      setView(await getFriend(userId));
      setError(null);
    } catch (err) {
      setError({ text: messageOf(err), missing: err instanceof ApiError && err.status === 404 });
    }
  }, [userId]);

  useEffect(() => {
    void load();
  }, [load]);

  const back = (
    <Link to={listAddress()} className="button">
      ← 友だち一覧へ戻る
    </Link>
  );

  if (error?.missing) {
    return (
      <>
        <PageHeader title="友だち">{back}</PageHeader>
        <EmptyState title="この友だちは見つかりません">
          <p>{error.text}</p>
        </EmptyState>
      </>
    );
  }
  if (!view) {
    return (
      <>
        <PageHeader title="友だち">{back}</PageHeader>
        {error ? <Alert>{error.text}</Alert> : <Loading />}
      </>
    );
  }

  const f = view.friend;
  return (
    <>
      <PageHeader title={nameOf(f)}>{back}</PageHeader>
      <div className="friend-layout">
        <div className="friend-side">
          <section className="card friend-profile" aria-label="プロフィール">
            <div className="friend-profile-head">
              <Avatar friend={f} size="large" />
              <div className="friend-profile-name">
                <p className="friend-display-name">{nameOf(f)}</p>
                <StatusBadge status={f.status} />
              </div>
            </div>
            <dl className="friend-facts">
              <dt>ユーザーID</dt>
              <dd>
                <span className="mono friend-id" data-testid="friend-user-id">
                  {f.userId}
                </span>
                <CopyButton text={f.userId} />
              </dd>
              <dt>友だち追加</dt>
              <dd>{formatDateTime(f.followedAt)}</dd>
              {(f.status === 'blocked' || f.blockedAt) && (
                <>
                  <dt>ブロック</dt>
                  <dd>
                    {formatDateTime(f.blockedAt)}
                    {f.status === 'active' && <span className="hint">（そのあと、ブロックを解除しました）</span>}
                  </dd>
                </>
              )}
              <dt>最後のメッセージ</dt>
              <dd>{formatDateTime(f.lastMessageAt)}</dd>
              <dt>言語</dt>
              <dd>{languageText(f.language)}</dd>
            </dl>
            {canUse(props.me, 'chat') && <ChatLink userId={f.userId} />}
          </section>

          <section className="card" aria-labelledby="attributes-h">
            <h2 id="attributes-h">属性</h2>
            <Attributes attributes={f.attributes} />
          </section>

          <section className="card" aria-labelledby="answers-h">
            <h2 id="answers-h">アンケートの回答</h2>
            {view.answers.length === 0 ? (
              <p className="muted">回答はありません。</p>
            ) : (
              <>
                <p className="hint">フォームごとに、いちばん新しい回答です（新しい順）。</p>
                {view.answers.map((a) => (
                  <article key={a.formId} className="friend-answer" aria-label={a.title}>
                    <h3>
                      {canUse(props.me, 'surveys') ? (
                        <Link to={`/surveys/${encodeURIComponent(a.formId)}/responses/${encodeURIComponent(f.userId)}`}>{a.title}</Link>
                      ) : (
                        a.title
                      )}
                    </h3>
                    <p className="hint">
                      {formatDateTime(a.submittedAt)}・{(LANGUAGE_LABELS as Record<string, string>)[a.lang] ?? a.lang}で回答
                    </p>
                    <dl className="answer-pairs">
                      {a.readable.map((r) => (
                        <div key={r.itemId} className="answer-pair">
                          <dt>{r.label}</dt>
                          <dd>{r.text || '（空欄）'}</dd>
                        </div>
                      ))}
                    </dl>
                  </article>
                ))}
              </>
            )}
          </section>
        </div>
        <Timeline key={f.userId} userId={f.userId} />
      </div>
    </>
  );
}

function Attributes(props: { attributes: FriendPageView['friend']['attributes'] }) {
  const lines = attributeLines(props.attributes, useFriendFields());
  if (lines.length === 0) return <p className="muted">登録されていません（プロフィール登録のアンケートに答えると入ります）。</p>;
  return (
    <>
      <dl className="friend-facts">
        {lines.map((l) => (
          <Fragment key={l.name}>
            <dt>{l.label}</dt>
            <dd>{l.value}</dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
}

/** Copies the text; says so next to the button (or asks to copy by hand when the browser refuses). */
function CopyButton(props: { text: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
    setTimeout(() => setDone(null), 3000);
  };
  return (
    <>
      <button type="button" className="button small" onClick={() => void copy()}>
        コピー
      </button>
      {done && (
        <span className="hint copy-result" role="status">
          {done === 'copied' ? 'コピーしました' : 'コピーできませんでした。IDを選んでコピーしてください。'}
        </span>
      )}
    </>
  );
}

/** The friend's 1:1 chat, when they have asked for a person (staff with the chat function). */
function ChatLink(props: { userId: string }) {
  const [thread, setThread] = useState<ChatThreadView | null>(null);
  useEffect(() => {
    let alive = true;
    // 404: the friend never asked for a person; nothing to link.
    getChatThread(props.userId).then(
      (t) => alive && setThread(t),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [props.userId]);
  if (!thread) return null;
  return (
    <p className="friend-chat-link">
      <Link to={`/chat/${props.userId}`}>1:1チャットを開く</Link>
      <span className="hint">（{thread.status === 'open' ? '対応中' : '終了'}）</span>
    </p>
  );
}
