import { choiceIdOf, type AttributeName, type Condition, type SegmentFields, type SegmentRule } from '../../api/segments';

/** Fallback names when the profile form no longer has the attribute (its conditions still apply). */
export const ATTRIBUTE_FALLBACK: Record<AttributeName, string> = { district: '居住地区', ageBand: '年代', gender: '性別', categories: '受信したい情報' };

export const LANGUAGE_FALLBACK: Record<string, string> = { ja: '日本語', en: '英語', ko: '韓国語', 'zh-Hans': '中国語（簡体字）', 'zh-Hant': '中国語（繁体字）' };

function slashDate(date: string): string {
  const [y, m, d] = date.split('-');
  return y && m && d ? `${y}/${m}/${d}` : date;
}

/** One condition in plain Japanese, e.g. 「居住地区が 荒尾・万田 のどれか」. */
export function conditionText(c: Condition, fields?: SegmentFields | null): string {
  switch (c.kind) {
    case 'attribute': {
      const def = fields?.attributes[c.attribute];
      const name = def?.label ?? ATTRIBUTE_FALLBACK[c.attribute];
      const labels = c.values.map((v) => def?.choices.find((ch) => choiceIdOf(ch) === v)?.label ?? v);
      const list = labels.length ? labels.join('・') : '（未選択）';
      return c.op === 'in' ? `${name}が ${list} のどれか` : `${name}が ${list} のどれでもない`;
    }
    case 'answeredForm': {
      const title = fields?.forms.find((f) => f.formId === c.formId)?.title ?? (c.formId ? 'アンケート' : '（未選択）');
      return `「${title}」に${c.answered ? '回答した' : 'まだ回答していない'}`;
    }
    case 'followed':
      return c.date ? `友だち追加日が ${slashDate(c.date)} ${c.op === 'before' ? 'より前' : '以降'}` : '友だち追加日（日付未入力）';
    case 'language': {
      const labels = c.values.map((l) => fields?.languages.find((x) => x.id === l)?.label ?? LANGUAGE_FALLBACK[l] ?? l);
      return `言語が ${labels.length ? labels.join('・') : '（未選択）'}`;
    }
  }
}

/** The whole rule in words; no conditions = 友だち全員. */
export function ruleText(rule: SegmentRule, fields?: SegmentFields | null): string {
  if (rule.conditions.length === 0) return '友だち全員（条件なし）';
  const parts = rule.conditions.map((c) => conditionText(c, fields));
  if (parts.length === 1) return parts[0];
  return rule.match === 'all' ? `次のすべて: ${parts.join('、かつ ')}` : `次のいずれか: ${parts.join('、または ')}`;
}

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
