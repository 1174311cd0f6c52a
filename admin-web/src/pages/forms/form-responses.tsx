import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import { LANGUAGE_LABELS, type Lang } from '../../../../functions/shared/languages';
import {
  downloadResponsesCsv,
  getForm,
  getSummary,
  listResponses,
  uploadUrl,
  type AnswerValue,
  type Form,
  type Item,
  type ResponseRow,
  type ResponseSummary,
} from '../../api/forms';
import { Alert, EmptyState, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { ChoiceChart } from './choice-chart';
import { LiffLink, StatusBadge, TYPE_LABEL } from './common';

/** 回答: counts, per-choice charts, the answers page by page, and responses.csv. */
export function FormResponses(props: { formId: string }) {
  const { formId } = props;
  const [form, setForm] = useState<Form | null>(null);
  const [summary, setSummary] = useState<ResponseSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState<{ items: ResponseRow[]; next?: string | null } | null>(null);
  // Cursors of the pages before this one (page 1 has none), so 前へ works without server support.
  const [trail, setTrail] = useState<(string | undefined)[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [downloading, setDownloading] = useState(false);

  useEffect(() => {
    Promise.all([getForm(formId), getSummary(formId)]).then(
      ([f, s]) => {
        setForm(f);
        setSummary(s);
      },
      (e) => setError(messageOf(e)),
    );
  }, [formId]);

  const loadPage = useCallback(
    async (c: string | undefined) => {
      setBusy(true);
      try {
        const p = await listResponses(formId, c);
        setPage({ items: p.items, next: p.nextCursor });
        setCursor(c);
      } catch (e) {
        setError(messageOf(e));
      } finally {
        setBusy(false);
      }
    },
    [formId],
  );

  useEffect(() => {
    void loadPage(undefined);
  }, [loadPage]);

  const download = async () => {
    setDownloading(true);
    setError(null);
    try {
      await downloadResponsesCsv(formId);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setDownloading(false);
    }
  };

  const title = form ? `回答: ${form.title.ja}` : '回答';
  const countsOf = (itemId: string) => summary?.items.find((i) => i.itemId === itemId)?.counts ?? {};
  const charted = form?.items.filter((i) => i.choices && i.choices.length > 0) ?? [];

  return (
    <>
      <p className="breadcrumb">
        <Link to="/surveys">アンケート・フォーム</Link> › {form && <Link to={`/surveys/${encodeURIComponent(formId)}`}>{form.title.ja}</Link>}
      </p>
      <PageHeader title={title}>
        <Link to={`/surveys/${encodeURIComponent(formId)}`} className="button">
          フォームを編集
        </Link>
        <button type="button" className="button primary" onClick={download} disabled={downloading}>
          {downloading ? '準備しています…' : 'CSVダウンロード'}
        </button>
      </PageHeader>
      {error && <Alert>{error}</Alert>}
      {(!form || !summary) && !error && <Loading />}
      {form && summary && (
        <>
          <div className="card">
            <dl className="summary-list">
              <div>
                <dt>回答した人</dt>
                <dd className="stat-value" data-testid="response-count">
                  {number.format(summary.responseCount)}
                  <span className="stat-unit">人</span>
                </dd>
              </div>
              <div>
                <dt>状態</dt>
                <dd>
                  <StatusBadge status={form.status} />
                </dd>
              </div>
            </dl>
            <p className="hint">
              同じ人が何度か回答したときは、最新の回答だけを数えています（それまでの回答も記録には残っています）。CSV
              は1人1行で、すべての版の質問を列にしています。Excel でそのまま開けます。
            </p>
            <LiffLink formId={formId} liffId={form.liffId} compact />
          </div>
          {summary.responseCount === 0 ? (
            <EmptyState title="まだ回答はありません">
              <p>
                {form.status === 'published'
                  ? '回答ページのアドレスを市民に案内すると、ここに集計が表示されます。'
                  : 'フォームを公開すると、市民が回答できるようになります。'}
              </p>
            </EmptyState>
          ) : (
            <>
              {charted.length > 0 && (
                <section className="card" aria-labelledby="totals-h">
                  <h2 id="totals-h">選択肢ごとの集計</h2>
                  <div className="charts">
                    {charted.map((item) => (
                      <div key={item.itemId} className="chart-block">
                        <h3>
                          {item.label.ja}
                          {item.retired && <span className="badge form-status-unpublished">非表示の質問</span>}
                          <span className="badge type-badge">{TYPE_LABEL[item.type]}</span>
                        </h3>
                        <ChoiceChart
                          title={item.label.ja}
                          choices={item.choices ?? []}
                          counts={countsOf(item.itemId)}
                          respondents={summary.responseCount}
                          multiple={item.type === 'multiple'}
                        />
                      </div>
                    ))}
                  </div>
                </section>
              )}
              <section className="card" aria-labelledby="answers-h">
                <h2 id="answers-h">一人ひとりの回答</h2>
                {!page && <Loading />}
                {page && <AnswersTable form={form} items={page.items} />}
                {page && (
                  <div className="pager">
                    <button
                      type="button"
                      className="button"
                      disabled={busy || trail.length === 0}
                      onClick={() => {
                        const prev = trail[trail.length - 1];
                        setTrail(trail.slice(0, -1));
                        void loadPage(prev);
                      }}
                    >
                      ← 前へ
                    </button>
                    <span className="muted">{trail.length + 1} ページ目</span>
                    <button
                      type="button"
                      className="button"
                      disabled={busy || !page.next}
                      onClick={() => {
                        setTrail([...trail, cursor]);
                        void loadPage(page.next ?? undefined);
                      }}
                    >
                      次へ →
                    </button>
                  </div>
                )}
              </section>
            </>
          )}
        </>
      )}
    </>
  );
}

function AnswersTable(props: { form: Form; items: ResponseRow[] }) {
  const { form, items } = props;
  if (items.length === 0) return <p className="muted">このページに回答はありません。</p>;
  return (
    <div className="table-scroll">
      <table className="table answers" aria-label="回答一覧">
        <thead>
          <tr>
            <th scope="col">回答日時</th>
            <th scope="col">回答者</th>
            <th scope="col">言語</th>
            {form.items.map((i) => (
              <th scope="col" key={i.itemId} className={i.retired ? 'retired-col' : undefined}>
                {i.label.ja}
                {i.retired && <span className="hint">（非表示）</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={`${r.userId}-${r.submittedAt}`}>
              <td className="nowrap">
                {formatDateTime(r.submittedAt)}
                <div className="hint">版 {r.version}</div>
              </td>
              <td>
                <Link to={`/surveys/${encodeURIComponent(form.formId)}/responses/${r.userId}`}>{r.displayName || '（名前なし）'}</Link>
                <div className="hint mono">{r.userId}</div>
              </td>
              <td className="nowrap">{LANGUAGE_LABELS[r.lang as Lang] ?? r.lang}</td>
              {form.items.map((i) => (
                <td key={i.itemId}>
                  <AnswerCell item={i} value={r.answers?.[i.itemId]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AnswerCell(props: { item: Item; value: AnswerValue; large?: boolean }) {
  const { item, value } = props;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return <span className="muted">—</span>;
  const choice = (id: string) => item.choices?.find((c) => c.choiceId === id)?.label.ja ?? id;
  if (item.type === 'image' && typeof value === 'string')
    return (
      <a href={uploadUrl(value)} target="_blank" rel="noopener noreferrer">
        <img src={uploadUrl(value)} alt={`${item.label.ja}の画像`} className={props.large ? 'answer-photo' : 'thumb'} loading="lazy" />
      </a>
    );
  if (item.type === 'video' && typeof value === 'string')
    return props.large ? (
      <video src={uploadUrl(value)} controls preload="metadata" className="answer-video" aria-label={`${item.label.ja}の動画`} />
    ) : (
      <a href={uploadUrl(value)} target="_blank" rel="noopener noreferrer">
        動画を開く
      </a>
    );
  if (Array.isArray(value)) return <>{value.map(choice).join('、')}</>;
  if (item.choices) return <>{choice(value)}</>;
  if (item.type === 'date') return <span className="nowrap">{value.replaceAll('-', '/')}</span>;
  return <span className="answer-text">{value}</span>;
}
