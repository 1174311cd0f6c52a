import { useId } from 'react';
import type { Choice } from '../../api/forms';
import { number } from '../../format';

const W = 640;
const ROW = 30;
const LABEL_W = 200;
const VALUE_W = 90;
const PAD_TOP = 6;

const clip = (s: string, n = 14) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Answers per choice as horizontal bars, hand-written SVG like the dashboard chart. Retired
 * choices keep their bar (old answers count). Exact figures are in the table below.
 */
export function ChoiceChart(props: { title: string; choices: Choice[]; counts: Record<string, number>; respondents: number; multiple: boolean }) {
  const { choices, counts } = props;
  const titleId = useId();
  const descId = useId();
  const rows = choices.map((c) => ({ id: c.choiceId, label: c.label.ja || '（無題）', retired: !!c.retired, n: counts[c.choiceId] ?? 0 }));
  const max = Math.max(1, ...rows.map((r) => r.n));
  const plotW = W - LABEL_W - VALUE_W;
  const H = PAD_TOP * 2 + rows.length * ROW;
  const pct = (n: number) => (props.respondents ? Math.round((n / props.respondents) * 1000) / 10 : 0);
  return (
    <figure className="chart choice-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${titleId} ${descId}`}>
        <title id={titleId}>{props.title}</title>
        <desc id={descId}>{rows.map((r) => `${r.label} ${r.n}件`).join('、')}</desc>
        {rows.map((r, i) => {
          const y = PAD_TOP + i * ROW;
          const w = (r.n / max) * plotW;
          return (
            <g key={r.id}>
              <text x={LABEL_W - 8} y={y + ROW / 2 + 4} textAnchor="end" className="axis-label">
                <title>{r.label}</title>
                {clip(r.label) + (r.retired ? '（非表示）' : '')}
              </text>
              <rect x={LABEL_W} y={y + 5} width={plotW} height={ROW - 10} className="bar-track" />
              <rect x={LABEL_W} y={y + 5} width={Math.max(r.n ? 2 : 0, w)} height={ROW - 10} className={r.retired ? 'bar-blocked' : 'bar-added'}>
                <title>{`${r.label} ${r.n} 件`}</title>
              </rect>
              <text x={LABEL_W + plotW + 8} y={y + ROW / 2 + 4} className="axis-value">
                {`${number.format(r.n)}件 (${pct(r.n)}%)`}
              </text>
            </g>
          );
        })}
      </svg>
      {props.multiple && <figcaption className="hint">複数選択のため、割合の合計は 100% を超えることがあります。</figcaption>}
      <details className="chart-table">
        <summary>数を表で見る</summary>
        <table className="table compact">
          <caption className="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">選択肢</th>
              <th scope="col" className="num">
                件数
              </th>
              <th scope="col" className="num">
                割合
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  {r.label}
                  {r.retired ? '（非表示）' : ''}
                </th>
                <td className="num">{number.format(r.n)}</td>
                <td className="num">{pct(r.n)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
