/** キーワード応答 › 応答の回数: how often each rule answered, day by day (Japan dates), over the last 7 or 30 days. */
import { useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import { ruleHits, type HitsView } from '../../api/keywords';
import { Alert, EmptyState, Link, Loading, PageHeader } from '../../components/ui';
import { number, shortDate } from '../../format';
import { Count, KeywordsNav, rulePath } from './common';

const PERIODS = [7, 30] as const;
type Period = (typeof PERIODS)[number];

const WEEKDAYS_JA = '日月火水木金土';
const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export function Hits() {
  const [days, setDays] = useState<Period>(7);
  const [view, setView] = useState<{ days: Period; hits: HitsView } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [byTotal, setByTotal] = useState(false);
  const [hideZero, setHideZero] = useState(false);

  useEffect(() => {
    let live = true;
    setError(null);
    ruleHits(days).then(
      (hits) => live && setView({ days, hits }),
      (e) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [days]);

  const hits = view?.hits;
  const rows = hits ? (byTotal ? [...hits.rules].sort((a, b) => b.total - a.total) : hits.rules).filter((r) => !hideZero || r.total > 0) : [];
  const dayTotals = hits ? hits.dates.map((_, i) => hits.rules.reduce((sum, r) => sum + (r.counts[i] ?? 0), 0)) : [];
  const grand = dayTotals.reduce((a, b) => a + b, 0);

  return (
    <>
      <PageHeader title="キーワード応答" />
      <KeywordsNav />
      <p className="muted page-lead">
        ルールごとの、友だちのメッセージに答えた回数です（日付は日本時間。今日の分は今までの回数）。答えていないメッセージの数は「答えられなかったメッセージ」で確かめられます。
      </p>
      <div className="toolbar hits-toolbar">
        <div className="radio-row" role="radiogroup" aria-label="期間">
          {PERIODS.map((p) => (
            <label key={p} className="choice">
              <input type="radio" name="hits-days" checked={days === p} onChange={() => setDays(p)} />
              過去{p}日間
            </label>
          ))}
        </div>
        <div className="radio-row">
          <label className="choice">
            <input type="checkbox" checked={byTotal} onChange={(e) => setByTotal(e.target.checked)} />
            合計の多い順に並べる
          </label>
          <label className="choice">
            <input type="checkbox" checked={hideZero} onChange={(e) => setHideZero(e.target.checked)} />
            0回のルールを隠す
          </label>
        </div>
      </div>
      {error && <Alert>{error}</Alert>}
      {!hits && !error && <Loading />}
      {hits && hits.rules.length === 0 && <EmptyState title="ルールはまだありません" />}
      {hits && hits.rules.length > 0 && (
        <div className="card">
          <p className="hits-summary">
            過去{view.days}日間の合計 <strong>{number.format(grand)}</strong> 回
          </p>
          <div className="table-scroll">
            <table className="table compact hits-table" aria-label={`応答の回数（過去${view.days}日間）`}>
              <thead>
                <tr>
                  <th scope="col" className="hits-rule">
                    ルール名
                  </th>
                  {hits.dates.map((d) => {
                    const w = weekdayOf(d);
                    return (
                      <th key={d} scope="col" className={`num hits-day${w === 0 ? ' sunday' : w === 6 ? ' saturday' : ''}`}>
                        {shortDate(d)}
                        <span className="hits-weekday">{WEEKDAYS_JA[w]}</span>
                      </th>
                    );
                  })}
                  <th scope="col" className="num hits-total">
                    合計
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.ruleId}>
                    <th scope="row" className="hits-rule">
                      <Link to={rulePath(r.ruleId)}>{r.name}</Link>
                    </th>
                    {r.counts.map((c, i) => (
                      <td key={hits.dates[i]} className="num">
                        <Count value={c} />
                      </td>
                    ))}
                    <td className="num hits-total">
                      <Count value={r.total} />
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" className="hits-rule">
                    合計
                  </th>
                  {dayTotals.map((c, i) => (
                    <td key={hits.dates[i]} className="num">
                      <Count value={c} />
                    </td>
                  ))}
                  <td className="num hits-total">
                    <Count value={grand} />
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
          {rows.length === 0 && <p className="muted">この期間に答えたルールはありません。</p>}
        </div>
      )}
    </>
  );
}
