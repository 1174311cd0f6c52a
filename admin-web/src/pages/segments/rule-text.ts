import type { AttributeName, SegmentRule } from '../../api/segments';
import { LANGUAGE_LABELS } from '../../../../functions/shared/languages';
import { ATTRIBUTE_FALLBACK as SHARED_ATTRIBUTE_FALLBACK } from '../../../../functions/deliveries/rule-text';

/**
 * Conditions in words: the one wording of the server and the console (functions/deliveries/rule-text.ts),
 * also used by the audit log's segment details.
 */
export { conditionText, ruleText } from '../../../../functions/deliveries/rule-text';

/** Fallback names when the profile form no longer has the attribute (its conditions still apply). */
export const ATTRIBUTE_FALLBACK = SHARED_ATTRIBUTE_FALLBACK as Record<AttributeName, string>;

export const LANGUAGE_FALLBACK: Record<string, string> = LANGUAGE_LABELS;

/** What must be fixed before saving or counting. */
export function ruleProblems(rule: SegmentRule): string[] {
  const out: string[] = [];
  rule.conditions.forEach((c, i) => {
    const n = `条件 ${i + 1}`;
    if ((c.kind === 'attribute' || c.kind === 'language') && c.values.length === 0) out.push(`${n}: 当てはまるものを1つ以上選んでください。`);
    if (c.kind === 'answeredForm' && !c.formId) out.push(`${n}: アンケートを選んでください。`);
    if (c.kind === 'followed' && !/^\d{4}-\d{2}-\d{2}$/.test(c.date)) out.push(`${n}: 日付を入力してください。`);
  });
  return out;
}
