import { useEffect, useId, useRef, useState } from 'react';
import { messageOf } from '../../api/client';
import type { Lang } from '../../../../functions/shared/languages';
import {
  ATTRIBUTE_NAMES,
  countSegment,
  type AttributeName,
  type AudienceCount,
  type Condition,
  type SegmentFields,
  type SegmentRule,
} from '../../api/segments';
import { jstDate, number } from '../../format';
import { ATTRIBUTE_FALLBACK, LANGUAGE_FALLBACK, ruleProblems } from './rule-text';

type Kind = AttributeName | Exclude<Condition['kind'], 'attribute'>;

const kindOf = (c: Condition): Kind => (c.kind === 'attribute' ? c.attribute : c.kind);

function newCondition(kind: Kind): Condition {
  if (kind === 'answeredForm') return { kind: 'answeredForm', formId: '', answered: true };
  if (kind === 'followed') return { kind: 'followed', op: 'onOrAfter', date: jstDate() };
  if (kind === 'language') return { kind: 'language', values: [] };
  return { kind: 'attribute', attribute: kind, op: 'in', values: [] };
}

function kindLabel(kind: Kind, fields: SegmentFields | null): string {
  if (kind === 'answeredForm') return 'アンケートへの回答';
  if (kind === 'followed') return '友だち追加日';
  if (kind === 'language') return '言語';
  return fields?.attributes[kind]?.label ?? ATTRIBUTE_FALLBACK[kind];
}

/** 「すべての条件に一致」/「いずれかの条件に一致」 and the condition rows. */
export function RuleEditor(props: { rule: SegmentRule; fields: SegmentFields | null; onChange: (rule: SegmentRule) => void }) {
  const { rule, fields } = props;
  const [addKind, setAddKind] = useState<Kind>('district');
  const matchName = useId();
  const kinds: Kind[] = [...ATTRIBUTE_NAMES.filter((a) => !fields || fields.attributes[a]), 'answeredForm', 'followed', 'language'];
  const set = (i: number, c: Condition) => props.onChange({ ...rule, conditions: rule.conditions.map((x, j) => (j === i ? c : x)) });
  return (
    <div className="rule-editor">
      <fieldset className="field">
        <legend>条件の組み合わせ</legend>
        <div className="radio-row">
          <label className="choice">
            <input type="radio" name={matchName} checked={rule.match === 'all'} onChange={() => props.onChange({ ...rule, match: 'all' })} />
            すべての条件に一致
          </label>
          <label className="choice">
            <input type="radio" name={matchName} checked={rule.match === 'any'} onChange={() => props.onChange({ ...rule, match: 'any' })} />
            いずれかの条件に一致
          </label>
        </div>
      </fieldset>
      {rule.conditions.length === 0 && <p className="hint">条件がないときは、友だち全員が対象です（ブロック中の人には送りません）。</p>}
      {rule.conditions.map((c, i) => (
        <ConditionRow
          key={i}
          index={i}
          condition={c}
          fields={fields}
          onChange={(next) => set(i, next)}
          onRemove={() => props.onChange({ ...rule, conditions: rule.conditions.filter((_, j) => j !== i) })}
        />
      ))}
      <div className="add-item">
        <label className="field-label" htmlFor={`${matchName}-add`}>
          追加する条件
        </label>
        <div className="add-item-row">
          <select id={`${matchName}-add`} value={addKind} onChange={(e) => setAddKind(e.target.value as Kind)}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k, fields)}
              </option>
            ))}
          </select>
          <button type="button" className="button" onClick={() => props.onChange({ ...rule, conditions: [...rule.conditions, newCondition(addKind)] })}>
            ＋ 条件を追加
          </button>
        </div>
      </div>
    </div>
  );
}

function ConditionRow(props: { index: number; condition: Condition; fields: SegmentFields | null; onChange: (c: Condition) => void; onRemove: () => void }) {
  const { condition: c, fields, index } = props;
  const id = useId();
  const n = `条件 ${index + 1}`;
  const toggle = <T extends string>(values: T[], v: T, on: boolean): T[] => (on ? [...values, v] : values.filter((x) => x !== v));
  return (
    <fieldset className="condition-row" aria-label={n}>
      <legend>
        {n}: {kindLabel(kindOf(c), fields)}
      </legend>
      <button type="button" className="button small danger condition-remove" onClick={props.onRemove} aria-label={`${n} を削除`}>
        削除
      </button>
      {c.kind === 'attribute' && (
        <>
          <div className="inline-fields">
            <div className="field compact">
              <label htmlFor={`${id}-op`}>条件</label>
              <select id={`${id}-op`} value={c.op} onChange={(e) => props.onChange({ ...c, op: e.target.value as 'in' | 'notIn' })}>
                <option value="in">選んだものを含む</option>
                <option value="notIn">選んだものを含まない</option>
              </select>
            </div>
          </div>
          <div className="checkbox-grid" role="group" aria-label={`${n} の選択肢`}>
            {(fields?.attributes[c.attribute]?.choices ?? [])
              .filter((ch) => !ch.retired || c.values.includes(ch.choiceId))
              .map((ch) => (
                <label key={ch.choiceId} className="choice">
                  <input
                    type="checkbox"
                    checked={c.values.includes(ch.choiceId)}
                    onChange={(e) => props.onChange({ ...c, values: toggle(c.values, ch.choiceId, e.target.checked) })}
                  />
                  {ch.label}
                  {ch.retired && '（非表示中）'}
                </label>
              ))}
            {!fields?.attributes[c.attribute] && <p className="hint">プロフィールのフォームにこの項目がありません。</p>}
          </div>
          {c.op === 'notIn' && <p className="hint">この項目に答えていない友だちも「含まない」に当てはまります。</p>}
        </>
      )}
      {c.kind === 'answeredForm' && (
        <div className="inline-fields">
          <div className="field compact">
            <label htmlFor={`${id}-form`}>アンケート</label>
            <select id={`${id}-form`} value={c.formId} onChange={(e) => props.onChange({ ...c, formId: e.target.value })}>
              <option value="">選んでください</option>
              {(fields?.forms ?? []).map((f) => (
                <option key={f.formId} value={f.formId}>
                  {f.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field compact">
            <label htmlFor={`${id}-ans`}>回答</label>
            <select id={`${id}-ans`} value={c.answered ? 'yes' : 'no'} onChange={(e) => props.onChange({ ...c, answered: e.target.value === 'yes' })}>
              <option value="yes">回答した</option>
              <option value="no">回答していない</option>
            </select>
          </div>
        </div>
      )}
      {c.kind === 'followed' && (
        <div className="inline-fields">
          <div className="field compact">
            <label htmlFor={`${id}-date`}>日付</label>
            <input id={`${id}-date`} type="date" value={c.date} onChange={(e) => props.onChange({ ...c, date: e.target.value })} />
          </div>
          <div className="field compact">
            <label htmlFor={`${id}-fop`}>範囲</label>
            <select id={`${id}-fop`} value={c.op} onChange={(e) => props.onChange({ ...c, op: e.target.value as 'before' | 'onOrAfter' })}>
              <option value="before">この日より前（以前）</option>
              <option value="onOrAfter">この日以降</option>
            </select>
          </div>
        </div>
      )}
      {c.kind === 'language' && (
        <>
          <div className="checkbox-grid" role="group" aria-label={`${n} の選択肢`}>
            {(fields?.languages ?? (Object.keys(LANGUAGE_FALLBACK) as Lang[]).map((l) => ({ id: l as Lang, label: LANGUAGE_FALLBACK[l] }))).map((l) => (
              <label key={l.id} className="choice">
                <input
                  type="checkbox"
                  checked={c.values.includes(l.id)}
                  onChange={(e) => props.onChange({ ...c, values: toggle(c.values, l.id, e.target.checked) })}
                />
                {l.label}
              </label>
            ))}
          </div>
          <p className="hint">LINE アプリの言語設定です。5つ以外の言語の友だちは「日本語」として数えます。</p>
        </>
      )}
    </fieldset>
  );
}

/**
 * The live count of active friends matching a rule, asked again ~400 ms after the last change
 * (typing or ticking does not send a request per keystroke); an older answer never overwrites a newer one.
 */
export function useAudienceCount(rule: SegmentRule | null): { count: AudienceCount | null; loading: boolean; error: string | null } {
  const [count, setCount] = useState<AudienceCount | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const key = rule ? JSON.stringify(rule) : '';
  useEffect(() => {
    if (!rule) return;
    const problems = ruleProblems(rule);
    const mine = ++seq.current;
    if (problems.length) {
      setError('条件を選び終えると、人数を数えます。');
      setLoading(false);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      countSegment(rule).then(
        (c) => {
          if (mine !== seq.current) return;
          setCount(c);
          setError(null);
          setLoading(false);
        },
        (e) => {
          if (mine !== seq.current) return;
          setError(messageOf(e));
          setLoading(false);
        },
      );
    }, 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { count, loading, error };
}

/** 「該当する友だち: N人（友だち全体 M人）」 with a polite live region for screen readers. */
export function AudienceCountLine(props: { rule: SegmentRule | null; label?: string }) {
  const { count, loading, error } = useAudienceCount(props.rule);
  return (
    <p className="audience-count" role="status" aria-live="polite" data-testid="audience-count" aria-busy={loading}>
      {error ? (
        <span className="muted">{error}</span>
      ) : count ? (
        <>
          {props.label ?? '該当する友だち'}: <strong>{number.format(count.matching)}人</strong>（友だち全体 {number.format(count.activeFriends)}人）
          {loading && <span className="muted">　数えなおしています…</span>}
        </>
      ) : (
        <span className="muted">人数を数えています…</span>
      )}
    </p>
  );
}
