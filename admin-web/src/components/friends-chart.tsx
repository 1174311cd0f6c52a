import { useId } from 'react';
import type { FriendDay } from '../api/types';
import { number, shortDate } from '../format';

const W = 720;
const H = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };

/**
 * Added and blocked friends per day as paired bars, hand-written SVG (no chart library).
 * The same figures are in a table below for screen readers and for reading exact numbers.
 */
export function FriendsChart(props: { series: FriendDay[] }) {
  const { series } = props;
  const titleId = useId();
  const descId = useId();
  const max = niceMax(Math.max(1, ...series.map((d) => Math.max(d.added, d.blocked))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, series.length);
  const bar = Math.max(2, Math.min(9, slot / 2 - 1.5));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const ticks = [0, max / 2, max];
  const totalAdded = series.reduce((s, d) => s + d.added, 0);
  const totalBlocked = series.reduce((s, d) => s + d.blocked, 0);

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${titleId} ${descId}`} preserveAspectRatio="none">
        <title id={titleId}>友だちの増減（日ごと・直近{series.length}日）</title>
        <desc id={descId}>{`期間中の追加 ${totalAdded} 人、ブロック ${totalBlocked} 人。日ごとの数は下の表にあります。`}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="axis">
              {number.format(t)}
            </text>
          </g>
        ))}
        {series.map((d, i) => {
          const x = PAD.left + i * slot + slot / 2;
          return (
            <g key={d.date}>
              <rect x={x - bar - 0.5} y={y(d.added)} width={bar} height={Math.max(0, PAD.top + plotH - y(d.added))} className="bar-added">
                <title>{`${shortDate(d.date)} 追加 ${d.added} 人`}</title>
              </rect>
              <rect x={x + 0.5} y={y(d.blocked)} width={bar} height={Math.max(0, PAD.top + plotH - y(d.blocked))} className="bar-blocked">
                <title>{`${shortDate(d.date)} ブロック ${d.blocked} 人`}</title>
              </rect>
              {(i % 5 === 0 || i === series.length - 1) && (
                <text x={x} y={H - 8} textAnchor="middle" className="axis">
                  {shortDate(d.date)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span className="legend-item">
          <span className="swatch swatch-added" aria-hidden="true" />
          追加（友だち登録）
        </span>
        <span className="legend-item">
          <span className="swatch swatch-blocked" aria-hidden="true" />
          ブロック
        </span>
      </figcaption>
      <details className="chart-table">
        <summary>日ごとの数を表で見る</summary>
        <table className="table compact">
          <caption className="visually-hidden">友だちの増減（日ごと）</caption>
          <thead>
            <tr>
              <th scope="col">日付</th>
              <th scope="col" className="num">
                追加
              </th>
              <th scope="col" className="num">
                ブロック
              </th>
            </tr>
          </thead>
          <tbody>
            {series.map((d) => (
              <tr key={d.date}>
                <th scope="row">{d.date.replaceAll('-', '/')}</th>
                <td className="num">{number.format(d.added)}</td>
                <td className="num">{number.format(d.blocked)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** 1, 2, 5 × 10ⁿ at or above the largest value, so the axis labels are round and halve evenly. */
function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 4, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
