/**
 * Segment evaluation: does a friend belong to the audience of a rule? Pure functions shared by the
 * live count (staff-segments.ts) and the planner, so the number shown before sending is the
 * number the planner reaches. Semantics of each condition: model.ts (`Condition`).
 */
import { jstDayStartMs } from '../shared/japan-time';
import { LANGUAGE_LABELS, toLang } from '../shared/languages';
import type { AttributeName, Audience, AudienceFriend, Condition, Segment, SegmentRule } from './model';

/** Form id → user IDs with a latest response (only the forms of `formIdsOf(rule)` are needed). */
export type AnsweredIndex = ReadonlyMap<string, ReadonlySet<string>>;

/** The built-in segment "全員": every active friend. Not stored; always listed first. */
export const EVERYONE: Segment = Object.freeze({
  segmentId: 'everyone',
  name: '全員',
  description: 'ブロックしていないすべての友だち',
  rule: Object.freeze({ match: 'all', conditions: Object.freeze([]) as unknown as Condition[] }) as SegmentRule,
  createdAt: '1970-01-01T00:00:00.000Z',
  createdBy: 'system',
  updatedAt: '1970-01-01T00:00:00.000Z',
  updatedBy: 'system',
  version: 1,
}) as Segment;

/**
 * True when `friend` is in the audience of `rule`. Blocked friends never match; a rule without
 * conditions matches every active friend.
 */
export function matches(rule: SegmentRule, friend: AudienceFriend, answered: AnsweredIndex): boolean {
  if (friend.status !== 'active') return false;
  // No condition is everyone, whether "all" or "any" (the console can leave either empty).
  if (rule.conditions.length === 0) return true;
  // A loop, no closure per friend: the planner evaluates every active friend.
  const any = rule.match === 'any';
  for (const condition of rule.conditions) if (conditionHolds(condition, friend, answered) === any) return any;
  return !any;
}

function conditionHolds(condition: Condition, friend: AudienceFriend, answered: AnsweredIndex): boolean {
  switch (condition.kind) {
    case 'attribute': {
      const has = hasAttributeValue(friend, condition.attribute, condition.values);
      return condition.op === 'in' ? has : !has;
    }
    case 'answeredForm':
      return (answered.get(condition.formId)?.has(friend.userId) ?? false) === condition.answered;
    case 'followed':
      return followedHolds(friend.followedAtMs, condition.op, condition.date);
    case 'language':
      return condition.values.includes(toLang(friend.language));
  }
}

/** Single-valued: the value is one of `values`; multi-valued (categories): any of its values is. */
function hasAttributeValue(friend: AudienceFriend, attribute: AttributeName, values: readonly string[]): boolean {
  const value = friend.attributes?.[attribute];
  if (value === undefined || value === null) return false;
  if (!Array.isArray(value)) return values.includes(value);
  for (const v of value) if (values.includes(v)) return true;
  return false;
}

function followedHolds(at: number, op: 'before' | 'onOrAfter', date: string): boolean {
  const boundary = jstDayStartMs(date);
  if (Number.isNaN(at) || Number.isNaN(boundary)) return false;
  return op === 'before' ? at < boundary : at >= boundary;
}

/** The forms whose respondents the rule needs (load each once before evaluating friends). */
export function formIdsOf(rule: SegmentRule): string[] {
  const ids = rule.conditions.flatMap((c) => (c.kind === 'answeredForm' ? [c.formId] : []));
  return [...new Set(ids)];
}

/** The rules of an audience: `anyOf` when it names several segments, else its one rule. */
export const audienceRules = (audience: Pick<Audience, 'rule' | 'anyOf'>): SegmentRule[] => (audience.anyOf?.length ? audience.anyOf : [audience.rule]);

/** True when `friend` is in the audience: any of its rules matches. */
export function inAudience(rules: readonly SegmentRule[], friend: AudienceFriend, answered: AnsweredIndex): boolean {
  for (const rule of rules) if (matches(rule, friend, answered)) return true;
  return false;
}

/** Everyone: one rule without conditions. */
export const isEveryone = (audience: Pick<Audience, 'rule' | 'anyOf'>): boolean => audienceRules(audience).some((r) => r.conditions.length === 0);

// ---- labels -----------------------------------------------------------------------------------

/** Names for `describeRule`: the same shape as `GET /segments/fields` (any part may be missing). */
export interface RuleLabels {
  attributes?: Partial<Record<AttributeName, { label: string; choices?: readonly { choiceId: string; label: string }[] }>>;
  forms?: readonly { formId: string; title: string }[];
}

const ATTRIBUTE_NAMES: Record<AttributeName, string> = { district: '居住地区', ageBand: '年代', gender: '性別', categories: 'カテゴリ' };
/** History lists show the label in one line. */
export const RULE_LABEL_MAX = 200;

/**
 * A short Japanese description of a rule for history and the CSV, e.g.
 * "居住地区: 荒尾・緑ケ丘 かつ 年代: 30代". Unknown choice or form ids are shown as they are.
 */
export function describeRule(rule: SegmentRule, labels: RuleLabels = {}): string {
  if (rule.conditions.length === 0) return EVERYONE.name;
  const joiner = rule.match === 'any' ? ' または ' : ' かつ ';
  const text = rule.conditions.map((c) => describeCondition(c, labels)).join(joiner);
  return text.length > RULE_LABEL_MAX ? `${text.slice(0, RULE_LABEL_MAX - 1)}…` : text;
}

function describeCondition(condition: Condition, labels: RuleLabels): string {
  switch (condition.kind) {
    case 'attribute': {
      const def = labels.attributes?.[condition.attribute];
      const names = condition.values.map((v) => def?.choices?.find((c) => c.choiceId === v)?.label ?? v).join('・');
      const label = def?.label ?? ATTRIBUTE_NAMES[condition.attribute];
      return condition.op === 'in' ? `${label}: ${names}` : `${label}: ${names} 以外`;
    }
    case 'answeredForm': {
      const title = labels.forms?.find((f) => f.formId === condition.formId)?.title ?? condition.formId;
      return `「${title}」に${condition.answered ? '回答済み' : '未回答'}`;
    }
    case 'followed': {
      const day = condition.date.replaceAll('-', '/');
      return `友だち追加: ${day}${condition.op === 'before' ? 'より前' : '以降'}`;
    }
    case 'language':
      return `言語: ${condition.values.map((l) => LANGUAGE_LABELS[l] ?? l).join('・')}`;
  }
}
