/**
 * A segment's conditions in plain Japanese (「居住地区が 荒尾・万田 のどれか」), with the profile
 * form's own names for attributes and choices where they are known. Dependency-free: the console's
 * segment screens and its audit log import this file, the server's audit CSV uses it too.
 */
import { LANGUAGE_LABELS } from '../shared/languages';
import { slashDate } from '../shared/japan-time';

/** Names when the profile form no longer has the attribute (its conditions still apply). */
export const ATTRIBUTE_FALLBACK: Record<string, string> = { district: '居住地区', ageBand: '年代', gender: '性別', categories: '受信したい情報' };

/** A condition as stored (functions/deliveries/model.ts `Condition`). */
export type ConditionShape =
  | { kind: 'attribute'; attribute: string; op: 'in' | 'notIn'; values: readonly string[] }
  | { kind: 'answeredForm'; formId: string; answered: boolean }
  | { kind: 'followed'; op: 'before' | 'onOrAfter'; date: string }
  | { kind: 'language'; values: readonly string[] };

export interface RuleShape {
  match: 'all' | 'any';
  conditions: readonly ConditionShape[];
}

/**
 * The names the text uses: the shape of `GET /segments/fields` and `GET /attributes` (a choice's id
 * is `choiceId`; older answers call it `id`). Any part may be missing: ids are shown then.
 */
export interface RuleNames {
  attributes?: Partial<Record<string, { label: string; choices?: readonly { choiceId?: string; id?: string; label: string }[] }>>;
  forms?: readonly { formId: string; title: string }[];
  languages?: readonly { id: string; label: string }[];
}

/** One condition, e.g. 「居住地区が 荒尾・万田 のどれか」. */
export function conditionText(c: ConditionShape, names?: RuleNames | null): string {
  switch (c.kind) {
    case 'attribute': {
      const def = names?.attributes?.[c.attribute];
      const name = def?.label ?? ATTRIBUTE_FALLBACK[c.attribute] ?? c.attribute;
      const labels = c.values.map((v) => def?.choices?.find((ch) => (ch.choiceId ?? ch.id) === v)?.label ?? v);
      const list = labels.length ? labels.join('・') : '（未選択）';
      return c.op === 'in' ? `${name}が ${list} のどれか` : `${name}が ${list} のどれでもない`;
    }
    case 'answeredForm': {
      const title = names?.forms?.find((f) => f.formId === c.formId)?.title ?? (c.formId ? 'アンケート' : '（未選択）');
      return `「${title}」に${c.answered ? '回答した' : 'まだ回答していない'}`;
    }
    case 'followed':
      return c.date ? `友だち追加日が ${slashDate(c.date)} ${c.op === 'before' ? 'より前' : '以降'}` : '友だち追加日（日付未入力）';
    case 'language': {
      const labels = c.values.map((l) => names?.languages?.find((x) => x.id === l)?.label ?? LANGUAGE_LABELS[l as keyof typeof LANGUAGE_LABELS] ?? l);
      return `言語が ${labels.length ? labels.join('・') : '（未選択）'}`;
    }
  }
}

/** The whole rule in words; no conditions = 友だち全員. */
export function ruleText(rule: RuleShape, names?: RuleNames | null): string {
  if (rule.conditions.length === 0) return '友だち全員（条件なし）';
  const parts = rule.conditions.map((c) => conditionText(c, names));
  if (parts.length === 1) return parts[0];
  return rule.match === 'all' ? `次のすべて: ${parts.join('、かつ ')}` : `次のいずれか: ${parts.join('、または ')}`;
}
