/** シナリオ › 結果: how runs stand (finished, quit, abandoned at which step), each run with its answers, CSV. */
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import { downloadRuns, listRuns, RUN_STATUS_LABELS, scenarioResults, type RunListView, type ScenarioResultsView } from '../../api/scenarios';
import { Alert, EmptyState, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { answerText } from '../../../../functions/scenarios/engine';
import { scenarioPath, SCENARIOS_BASE } from './common';

export function ScenarioResults(props: { scenarioId: string }) {
  const [results, setResults] = useState<ScenarioResultsView | null>(null);
  const [runs, setRuns] = useState<RunListView['items']>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [r, page] = await Promise.all([scenarioResults(props.scenarioId), listRuns(props.scenarioId)]);
      setResults(r);
      setRuns(page.items);
      setCursor(page.cursor);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [props.scenarioId]);
  useEffect(() => {
    void load();
  }, [load]);

  const more = async () => {
    setBusy(true);
    try {
      const page = await listRuns(props.scenarioId, cursor);
      setRuns((r) => [...r, ...page.items]);
      setCursor(page.cursor);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const download = async () => {
    setBusy(true);
    try {
      await downloadRuns(props.scenarioId);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (error && !results) return <Alert>{error}</Alert>;
  if (!results) return <Loading />;
  const answerNames = [...new Set(runs.flatMap((r) => Object.keys(r.answers)))];
  return (
    <>
      <PageHeader title={`シナリオ「${results.name}」の結果`}>
        <button type="button" className="button" disabled={busy || results.runs === 0} onClick={() => void download()}>
          CSVで書き出し
        </button>
      </PageHeader>
      <p>
        <Link to={SCENARIOS_BASE}>← シナリオ一覧</Link> ・ <Link to={scenarioPath(props.scenarioId)}>編集</Link>
      </p>
      {error && <Alert>{error}</Alert>}
      <section className="card" aria-labelledby="summary-h">
        <h2 id="summary-h">
          始まった回数 {number.format(results.runs)} 回{!results.complete && `（新しい順に ${number.format(results.max)} 回まで数えました）`}
        </h2>
        <dl className="stat-grid">
          {(Object.keys(RUN_STATUS_LABELS) as (keyof typeof RUN_STATUS_LABELS)[]).map((k) => (
            <div key={k} className="stat">
              <dt>{RUN_STATUS_LABELS[k]}</dt>
              <dd>{number.format(results.byStatus[k])}</dd>
            </div>
          ))}
        </dl>
        {results.abandonedAt.length > 0 && (
          <>
            <h3>途中で止まったステップ</h3>
            <table className="table" aria-label="途中で止まったステップ">
              <thead>
                <tr>
                  <th scope="col">ステップ</th>
                  <th scope="col" className="num">
                    回数
                  </th>
                </tr>
              </thead>
              <tbody>
                {results.abandonedAt.map((a) => (
                  <tr key={a.stepName}>
                    <td>{a.stepName}</td>
                    <td className="num">{number.format(a.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="card" aria-labelledby="runs-h">
        <h2 id="runs-h">回答（新しい順）</h2>
        {runs.length === 0 ? (
          <EmptyState title="まだ誰も始めていません" />
        ) : (
          <div className="table-scroll">
            <table className="table" aria-label="回答の一覧">
              <thead>
                <tr>
                  <th scope="col">開始</th>
                  <th scope="col">状態</th>
                  <th scope="col">ステップ</th>
                  {answerNames.map((n) => (
                    <th key={n} scope="col">
                      {n}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.runId}>
                    <td className="nowrap">{formatDateTime(r.startedAt)}</td>
                    <td className="nowrap">{RUN_STATUS_LABELS[r.effectiveStatus]}</td>
                    <td>{r.stepName}</td>
                    {answerNames.map((n) => (
                      <td key={n} className="pre-wrap">
                        {answerText(r.answers[n])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {cursor && (
          <button type="button" className="button" disabled={busy} onClick={() => void more()}>
            もっと見る
          </button>
        )}
      </section>
    </>
  );
}
