/**
 * The rule builder of くり返し配信: 毎日 / 毎週 / 隔週 / 毎月（日付）/ 毎月第N曜日 / 日付を指定,
 * the time (Japan time), the active window, excluded dates and weekdays, and 祝日は送らない.
 */
import { useId, useState } from 'react';
import { WEEKDAYS, type RecurrenceRule, type Weekday } from '../api/deliveries';

export const WEEKDAY_LABEL: Record<Weekday, string> = { MO: '月', TU: '火', WE: '水', TH: '木', FR: '金', SA: '土', SU: '日' };

type Pattern = 'daily' | 'weekly' | 'biweekly' | 'monthdays' | 'nth' | 'dates';
const PATTERN_LABEL: Record<Pattern, string> = {
  daily: '毎日',
  weekly: '毎週（曜日を選ぶ）',
  biweekly: '隔週（2週間ごと）',
  monthdays: '毎月（日付を選ぶ）',
  nth: '毎月 第N曜日',
  dates: '日付を指定',
};

export function patternOf(rule: RecurrenceRule): Pattern {
  if (rule.freq === 'daily') return 'daily';
  if (rule.freq === 'dates') return 'dates';
  if (rule.freq === 'weekly') return rule.interval === 2 ? 'biweekly' : 'weekly';
  return rule.bySetPos ? 'nth' : 'monthdays';
}

function withPattern(rule: RecurrenceRule, p: Pattern): RecurrenceRule {
  const base: RecurrenceRule = {
    time: rule.time,
    start: rule.start,
    end: rule.end,
    excludeDates: rule.excludeDates,
    excludeWeekdays: rule.excludeWeekdays,
    excludeHolidays: rule.excludeHolidays,
    freq: 'daily',
    interval: 1,
  };
  if (p === 'daily') return base;
  if (p === 'weekly' || p === 'biweekly')
    return { ...base, freq: 'weekly', interval: p === 'biweekly' ? 2 : 1, byWeekday: rule.byWeekday?.length ? rule.byWeekday : ['MO'] };
  if (p === 'monthdays') return { ...base, freq: 'monthly', byMonthDay: rule.byMonthDay?.length ? rule.byMonthDay : [1] };
  if (p === 'nth') return { ...base, freq: 'monthly', bySetPos: 1, byWeekday: [rule.byWeekday?.[0] ?? 'MO'] };
  return { ...base, freq: 'dates', dates: rule.dates ?? [] };
}

/** The rule in one sentence, e.g. 「毎週 月・木 7:00（祝日を除く）」. */
export function recurrenceText(rule: RecurrenceRule): string {
  const days = (rule.byWeekday ?? []).map((w) => WEEKDAY_LABEL[w]).join('・');
  let what: string;
  switch (patternOf(rule)) {
    case 'daily':
      what = '毎日';
      break;
    case 'weekly':
      what = `毎週 ${days}曜日`;
      break;
    case 'biweekly':
      what = `隔週 ${days}曜日`;
      break;
    case 'monthdays':
      what = `毎月 ${(rule.byMonthDay ?? []).map((d) => (d === -1 ? '末日' : `${d}日`)).join('・')}`;
      break;
    case 'nth':
      what = `毎月 ${rule.bySetPos === -1 ? '最終' : `第${rule.bySetPos}`}${days}曜日`;
      break;
    case 'dates':
      what = `指定日（${(rule.dates ?? []).length}日）`;
  }
  const extra = [
    rule.excludeHolidays ? '祝日を除く' : '',
    rule.excludeWeekdays.length ? `${rule.excludeWeekdays.map((w) => WEEKDAY_LABEL[w]).join('・')}曜日を除く` : '',
    rule.excludeDates.length ? `除外日 ${rule.excludeDates.length}日` : '',
  ]
    .filter(Boolean)
    .join('、');
  return `${what} ${rule.time}${extra ? `（${extra}）` : ''}`;
}

function DateList(props: { label: string; dates: string[]; onChange: (dates: string[]) => void; min?: string }) {
  const id = useId();
  const [value, setValue] = useState('');
  const add = () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || props.dates.includes(value)) return;
    props.onChange([...props.dates, value].sort());
    setValue('');
  };
  return (
    <fieldset className="field date-list" aria-label={props.label}>
      <legend>{props.label}</legend>
      <div className="add-item-row">
        <input id={id} type="date" aria-label={`${props.label}に加える日`} value={value} min={props.min} onChange={(e) => setValue(e.target.value)} />
        <button type="button" className="button small" onClick={add} disabled={!value}>
          追加
        </button>
      </div>
      {props.dates.length > 0 && (
        <ul className="chips">
          {props.dates.map((d) => (
            <li key={d} className="chip">
              {d.replaceAll('-', '/')}
              <button
                type="button"
                className="chip-remove"
                aria-label={`${d.replaceAll('-', '/')} を外す`}
                onClick={() => props.onChange(props.dates.filter((x) => x !== d))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

export function RecurrenceEditor(props: { rule: RecurrenceRule; onChange: (rule: RecurrenceRule) => void }) {
  const { rule } = props;
  const id = useId();
  const p = patternOf(rule);
  const set = (patch: Partial<RecurrenceRule>) => props.onChange({ ...rule, ...patch });
  const toggleWeekday = (list: Weekday[], w: Weekday, on: boolean) => (on ? WEEKDAYS.filter((x) => x === w || list.includes(x)) : list.filter((x) => x !== w));
  const monthDays = rule.byMonthDay ?? [];
  return (
    <div className="recurrence-editor">
      <div className="inline-fields">
        <div className="field">
          <label htmlFor={`${id}-p`}>くり返し</label>
          <select id={`${id}-p`} value={p} onChange={(e) => props.onChange(withPattern(rule, e.target.value as Pattern))}>
            {(Object.keys(PATTERN_LABEL) as Pattern[]).map((k) => (
              <option key={k} value={k}>
                {PATTERN_LABEL[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-t`}>送る時刻（日本時間）</label>
          <input id={`${id}-t`} type="time" step={300} value={rule.time} onChange={(e) => set({ time: e.target.value })} />
        </div>
      </div>

      {(p === 'weekly' || p === 'biweekly') && (
        <fieldset className="field">
          <legend>曜日</legend>
          <div className="weekday-row">
            {WEEKDAYS.map((w) => (
              <label key={w} className="choice">
                <input
                  type="checkbox"
                  checked={rule.byWeekday?.includes(w) ?? false}
                  onChange={(e) => set({ byWeekday: toggleWeekday(rule.byWeekday ?? [], w, e.target.checked) })}
                />
                {WEEKDAY_LABEL[w]}
              </label>
            ))}
          </div>
          {p === 'biweekly' && <p className="hint">開始日の週から数えて、2週間ごとに送ります。</p>}
        </fieldset>
      )}

      {p === 'monthdays' && (
        <fieldset className="field">
          <legend>日付</legend>
          <div className="monthday-grid">
            {[...Array.from({ length: 31 }, (_, i) => i + 1), -1].map((d) => (
              <label key={d} className="choice">
                <input
                  type="checkbox"
                  checked={monthDays.includes(d)}
                  onChange={(e) =>
                    set({
                      byMonthDay: e.target.checked
                        ? [...monthDays, d].sort((a, b) => (a === -1 ? 1 : b === -1 ? -1 : a - b))
                        : monthDays.filter((x) => x !== d),
                    })
                  }
                />
                {d === -1 ? '末日' : `${d}日`}
              </label>
            ))}
          </div>
          <p className="hint">29〜31日がない月は、その日は送りません。月の最後の日に送るときは「末日」を選んでください。</p>
        </fieldset>
      )}

      {p === 'nth' && (
        <div className="inline-fields">
          <div className="field">
            <label htmlFor={`${id}-n`}>第何週</label>
            <select id={`${id}-n`} value={rule.bySetPos ?? 1} onChange={(e) => set({ bySetPos: Number(e.target.value) })}>
              {[1, 2, 3, 4].map((n) => (
                <option key={n} value={n}>
                  第{n}
                </option>
              ))}
              <option value={-1}>最終</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-w`}>曜日</label>
            <select id={`${id}-w`} value={rule.byWeekday?.[0] ?? 'MO'} onChange={(e) => set({ byWeekday: [e.target.value as Weekday] })}>
              {WEEKDAYS.map((w) => (
                <option key={w} value={w}>
                  {WEEKDAY_LABEL[w]}曜日
                </option>
              ))}
            </select>
          </div>
        </div>
      )}

      {p === 'dates' && <DateList label="送る日" dates={rule.dates ?? []} min={rule.start} onChange={(dates) => set({ dates })} />}

      <div className="inline-fields">
        <div className="field">
          <label htmlFor={`${id}-s`}>開始日</label>
          <input id={`${id}-s`} type="date" value={rule.start} onChange={(e) => set({ start: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-e`}>終了日（任意）</label>
          <input id={`${id}-e`} type="date" value={rule.end ?? ''} min={rule.start} onChange={(e) => set({ end: e.target.value || undefined })} />
        </div>
      </div>

      <DateList label="除外する日" dates={rule.excludeDates} min={rule.start} onChange={(excludeDates) => set({ excludeDates })} />

      <fieldset className="field">
        <legend>除外する曜日</legend>
        <div className="weekday-row">
          {WEEKDAYS.map((w) => (
            <label key={w} className="choice">
              <input
                type="checkbox"
                checked={rule.excludeWeekdays.includes(w)}
                onChange={(e) => set({ excludeWeekdays: toggleWeekday(rule.excludeWeekdays, w, e.target.checked) })}
              />
              {WEEKDAY_LABEL[w]}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="choice">
        <input type="checkbox" checked={rule.excludeHolidays} onChange={(e) => set({ excludeHolidays: e.target.checked })} />
        祝日は送らない
      </label>
      <p className="hint">祝日は国民の祝日（振替休日を含む）です。除外した日の分は、次の回まで送りません（別の日にずらしません）。</p>
    </div>
  );
}
