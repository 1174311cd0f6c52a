import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, messageOf } from '../../api/client';
import {
  changeRecurring,
  createRecurring,
  estimateDelivery,
  getDeliverySettings,
  getRecurring,
  listRecurrings,
  previewRecurrence,
  updateRecurring,
  type Delivery,
  type RecurrenceRule,
  type Recurring,
  type RecurringChange,
  type RecurringInput,
} from '../../api/deliveries';
import { EVERYONE_ID } from '../../api/segments';
import type { Me } from '../../api/types';
import { RecurrenceEditor, recurrenceText } from '../../components/recurrence-editor';
import { Alert, EmptyState, Field, Link, Loading, PageHeader } from '../../components/ui';
import { Dialog, useConfirm } from '../../components/dialog';
import { addDays, formatDateTime, jstDate, number } from '../../format';
import { navigate } from '../../router';
import { AudiencePicker, CATEGORIES, DeliveriesNav, RECURRING_STATUS_LABEL, StatusBadge, deliveryTime, jstWithWeekday } from './common';
import { recurringStartParts, type TextPart } from './confirm-text';
import { ContentEditor, contentProblems, contentsOf, emptyContents, variantsOf, type Contents } from '../../components/content-editor';

/** くり返し配信の一覧. */
export function RecurringList(props: { me: Me }) {
  const [items, setItems] = useState<Recurring[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listRecurrings().then(
      (r) => setItems(r.items),
      (e) => setError(messageOf(e)),
    );
  }, []);
  return (
    <>
      <PageHeader title="くり返し配信">
        <Link to="/deliveries/recurring/new" className="button primary">
          ＋ くり返し配信を作成
        </Link>
      </PageHeader>
      <DeliveriesNav me={props.me} />
      <p className="muted page-lead">ごみ収集日のお知らせなど、決まった日時に同じメッセージを自動で送ります。送った回は「配信履歴」にも1件ずつ残ります。</p>
      {error && <Alert>{error}</Alert>}
      {!items && !error && <Loading />}
      {items && items.length === 0 && (
        <EmptyState title="くり返し配信はまだありません">
          <p>「＋ くり返し配信を作成」から作れます。</p>
        </EmptyState>
      )}
      {items && items.length > 0 && (
        <div className="card">
          <div className="table-scroll">
            <table className="table" aria-label="くり返し配信一覧">
              <thead>
                <tr>
                  <th scope="col">タイトル</th>
                  <th scope="col">くり返し</th>
                  <th scope="col">配信先</th>
                  <th scope="col">状態</th>
                  <th scope="col">次の配信</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.recurringId}>
                    <td>
                      <Link to={`/deliveries/recurring/${r.recurringId}`}>{r.title}</Link>
                      <div className="hint">{r.category}</div>
                    </td>
                    <td>{recurrenceText(r.rule)}</td>
                    <td>{r.audience.label}</td>
                    <td>
                      <span className={`badge recurring-status-${r.status}`}>{RECURRING_STATUS_LABEL[r.status]}</span>
                    </td>
                    <td className="nowrap">{r.status === 'active' && r.nextAt ? jstWithWeekday(r.nextAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}

interface Draft {
  title: string;
  category: string;
  segmentId: string;
  audienceLabel: string;
  contents: Contents;
  rule: RecurrenceRule;
}

const blank = (): Draft => ({
  title: '',
  category: 'お知らせ',
  segmentId: EVERYONE_ID,
  audienceLabel: '全員',
  contents: emptyContents(),
  rule: {
    freq: 'weekly',
    interval: 1,
    byWeekday: ['MO'],
    time: '07:00',
    start: addDays(jstDate(), 1),
    excludeDates: [],
    excludeWeekdays: [],
    excludeHolidays: true,
  },
});

/** くり返し配信の作成・編集: content, audience, the rule with its next 10 dates, pause/resume/end, past occurrences. */
export function RecurringEditor(props: { me: Me; recurringId: string | null }) {
  const { me, recurringId } = props;
  const [recurring, setRecurring] = useState<Recurring | null>(null);
  const [past, setPast] = useState<Delivery[]>([]);
  const [draft, setDraft] = useState<Draft | null>(recurringId ? null : blank());
  const [approvalRequired, setApprovalRequired] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<ReactNode>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [next, setNext] = useState<string[] | null>(null);
  const [nextError, setNextError] = useState<string | null>(null);
  const [starting, setStarting] = useState<{ parts: TextPart[]; everyone: boolean } | null>(null);
  const [dialog, ask] = useConfirm();

  const load = useCallback(async () => {
    if (!recurringId) return;
    try {
      const r = await getRecurring(recurringId);
      setRecurring(r.recurring);
      setPast(r.deliveries);
      setDraft({
        title: r.recurring.title,
        category: r.recurring.category,
        segmentId: r.recurring.audience.segmentId ?? EVERYONE_ID,
        audienceLabel: r.recurring.audience.label,
        contents: contentsOf(r.recurring.variants),
        rule: r.recurring.rule,
      });
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }, [recurringId]);

  useEffect(() => {
    void load();
    getDeliverySettings().then(
      (s) => setApprovalRequired(s.approvalRequired),
      () => undefined,
    );
  }, [load]);

  // The next 10 dates follow the rule as it is edited (~400 ms after the last change).
  const ruleKey = draft ? JSON.stringify(draft.rule) : '';
  const seq = useRef(0);
  useEffect(() => {
    if (!draft) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      previewRecurrence(draft.rule).then(
        (r) => {
          if (mine !== seq.current) return;
          setNext(r.next);
          setNextError(null);
        },
        (e) => {
          if (mine !== seq.current) return;
          setNext(null);
          setNextError(messageOf(e));
        },
      );
    }, 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ruleKey]);

  if (loadError)
    return (
      <>
        <PageHeader title="くり返し配信" />
        <Alert>{loadError}</Alert>
        <Link to="/deliveries/recurring">一覧へ戻る</Link>
      </>
    );
  if (!draft) return <Loading />;

  const change = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setNotice(null);
  };
  const ended = recurring?.status === 'ended';
  const blocked = me.role !== 'admin' && approvalRequired;

  const problemsFound = (): boolean => {
    const problems = [...(draft.title.trim() ? [] : ['タイトルを入力してください。']), ...contentProblems(draft.contents)];
    if (problems.length) {
      setError(
        <>
          次の点を直してください。
          <ul className="problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </>,
      );
      return true;
    }
    return false;
  };

  /**
   * 「作成して開始する」 sends on its own from the first date: first ask, in the page's dialog, with
   * the audience (and how many it is now), the first run in Japan time and the rule.
   */
  const askToStart = async () => {
    if (problemsFound()) return;
    setBusy(true);
    setError(null);
    const recipients = await estimateDelivery({ audience: { segmentId: draft.segmentId }, variants: variantsOf(draft.contents) }).then(
      (e) => e.recipients,
      () => null,
    );
    setBusy(false);
    const everyone = draft.segmentId === EVERYONE_ID;
    setStarting({
      everyone,
      parts: recurringStartParts({ audienceLabel: draft.audienceLabel, everyone, recipients, firstAt: next?.[0] ?? null, rule: recurrenceText(draft.rule) }),
    });
  };

  const save = async () => {
    if (problemsFound()) return;
    setBusy(true);
    setError(null);
    const input: RecurringInput = {
      title: draft.title.trim(),
      category: draft.category.trim(),
      variants: variantsOf(draft.contents),
      audience: { segmentId: draft.segmentId },
      rule: draft.rule,
    };
    try {
      if (recurring) {
        const saved = await updateRecurring(recurring.recurringId, { ...input, version: recurring.version });
        setRecurring(saved);
        setNotice('保存しました。次の配信から新しい内容で送ります。');
      } else {
        const created = await createRecurring(input);
        navigate(`/deliveries/recurring/${created.recurringId}`, { replace: true });
      }
    } catch (e) {
      setError(
        e instanceof ApiError && e.code === 'conflict' ? 'ほかの職員が先に変更しました。画面を再読み込みしてから、もう一度お試しください。' : messageOf(e),
      );
    } finally {
      setBusy(false);
    }
  };

  const status = async (c: RecurringChange) => {
    if (
      c === 'end' &&
      !(await ask({
        title: 'くり返し配信の終了',
        body: (
          <>
            <p>「{recurring!.title}」を終了しますか？</p>
            <p className="hint">終了すると、もう再開できません（これまでの配信の記録は残ります）。しばらく止めるだけなら「一時停止」を使ってください。</p>
          </>
        ),
        confirm: '終了する',
        danger: true,
      }))
    )
      return;
    setBusy(true);
    setError(null);
    try {
      setRecurring(await changeRecurring(recurring!.recurringId, c));
      setNotice(c === 'pause' ? '一時停止しました。再開するまで送りません。' : c === 'resume' ? '再開しました。' : '終了しました。');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/deliveries/recurring">くり返し配信</Link> ›
      </p>
      <PageHeader title={recurring ? recurring.title : 'くり返し配信の作成'}>
        {recurring && <span className={`badge recurring-status-${recurring.status}`}>{RECURRING_STATUS_LABEL[recurring.status]}</span>}
      </PageHeader>
      <DeliveriesNav me={me} />
      {blocked && <Alert kind="info">承認が必要な設定のため、くり返し配信の作成・変更は管理者が行います。</Alert>}
      {error && <Alert>{error}</Alert>}
      {notice && <Alert kind="success">{notice}</Alert>}

      <section className="card form-editor" aria-labelledby="r-basics-h">
        <h2 id="r-basics-h">基本情報</h2>
        <Field label="タイトル" required>
          {(id) => <input id={id} value={draft.title} maxLength={100} onChange={(e) => change({ title: e.target.value })} disabled={ended} />}
        </Field>
        <Field label="カテゴリ" required>
          {(id) => (
            <>
              <input
                id={id}
                list={`${id}-list`}
                value={draft.category}
                maxLength={30}
                onChange={(e) => change({ category: e.target.value })}
                disabled={ended}
              />
              <datalist id={`${id}-list`}>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <AudiencePicker
          segmentId={draft.segmentId}
          snapshotLabel={draft.audienceLabel}
          onChange={(segmentId, s) => change({ segmentId, audienceLabel: s?.name ?? draft.audienceLabel })}
        />
      </section>

      <section className="card form-editor" aria-labelledby="r-rule-h">
        <h2 id="r-rule-h">送る日時のくり返し</h2>
        <div className="rule-with-preview">
          <RecurrenceEditor rule={draft.rule} onChange={(rule) => change({ rule })} />
          <div className="next-dates" role="region" aria-label="次の配信予定">
            <h3 className="subheading">次の配信予定（10回分）</h3>
            {nextError && <Alert>{nextError}</Alert>}
            {!next && !nextError && <Loading />}
            {next && (
              <ol className="next-list" data-testid="next-dates">
                {next.map((iso) => (
                  <li key={iso}>{jstWithWeekday(iso)}</li>
                ))}
              </ol>
            )}
            {next && next.length < 10 && <p className="hint">期間の終わりまでに送るのは、この {next.length} 回です。</p>}
            <p className="hint">{recurrenceText(draft.rule)}</p>
          </div>
        </div>
      </section>

      <section className="card" aria-labelledby="r-content-h">
        <h2 id="r-content-h">メッセージ</h2>
        <ContentEditor contents={draft.contents} onChange={(contents) => change({ contents })} />
      </section>

      <div className="save-bar">
        <button type="button" className="button primary" onClick={() => void (recurring ? save() : askToStart())} disabled={busy || ended || blocked}>
          {recurring ? '保存する' : '作成して開始する'}
        </button>
        {recurring?.status === 'active' && (
          <button type="button" className="button" onClick={() => void status('pause')} disabled={busy || blocked}>
            一時停止
          </button>
        )}
        {recurring?.status === 'paused' && (
          <button type="button" className="button" onClick={() => void status('resume')} disabled={busy || blocked}>
            再開
          </button>
        )}
        {recurring && !ended && (
          <button type="button" className="button danger" onClick={() => void status('end')} disabled={busy || blocked}>
            終了する
          </button>
        )}
        {!recurring && <span className="hint">作成すると、最初の予定日時から自動で送り始めます。</span>}
      </div>

      {recurring && (
        <section className="card" aria-labelledby="r-past-h">
          <h2 id="r-past-h">これまでの配信</h2>
          {past.length === 0 ? (
            <p className="muted">まだ送っていません。</p>
          ) : (
            <table className="table compact" aria-label="これまでの配信">
              <thead>
                <tr>
                  <th scope="col">配信日時</th>
                  <th scope="col">状態</th>
                  <th scope="col" className="num">
                    対象
                  </th>
                  <th scope="col" className="num">
                    成功
                  </th>
                </tr>
              </thead>
              <tbody>
                {past.map((d) => (
                  <tr key={d.deliveryId}>
                    <td>
                      <Link to={`/deliveries/${d.deliveryId}`}>{formatDateTime(deliveryTime(d))}</Link>
                    </td>
                    <td>
                      <StatusBadge status={d.status} />
                    </td>
                    <td className="num">{typeof d.recipients === 'number' ? number.format(d.recipients) : '—'}</td>
                    <td className="num">{typeof d.succeeded === 'number' ? number.format(d.succeeded) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {dialog}
      {starting && (
        <Dialog title="くり返し配信の開始の確認" onClose={() => setStarting(null)}>
          <p className="confirm-text" data-testid="recurring-start-text">
            {starting.parts.map((part, i) => (part.strong ? <strong key={i}>{part.text}</strong> : <span key={i}>{part.text}</span>))}
          </p>
          {starting.everyone && <Alert>友だち全員に届きます。配信先と内容をもう一度確かめてください。</Alert>}
          <p className="hint">タイトル: {draft.title.trim()}　／　送った回は「配信履歴」に1件ずつ残ります。一時停止・終了はこの画面からできます。</p>
          <div className="form-actions">
            <button
              type="button"
              className="button primary"
              autoFocus={!starting.everyone}
              disabled={busy}
              onClick={() => {
                setStarting(null);
                void save();
              }}
            >
              作成して開始する
            </button>
            <button type="button" className="button" autoFocus={starting.everyone} onClick={() => setStarting(null)}>
              やめる
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
