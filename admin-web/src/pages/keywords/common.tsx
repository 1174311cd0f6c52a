/** Pieces shared by the pages of キーワード応答: the tabs, a rule's state in words, the order sentence. */
import { ENABLED_LABELS, KEYWORD_LIMITS, MATCH_KINDS, MATCH_KIND_LABELS, type KeywordRule } from '../../api/keywords';
import { Link } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { usePath } from '../../router';

export const BASE = '/keywords';

export const rulePath = (ruleId: string) => `${BASE}/${encodeURIComponent(ruleId)}`;

/**
 * The editor of a new rule, its first keyword (and name) taken from a message (答えられなかったメッセージ):
 * on one line and no longer than a keyword may be, so the address stays short.
 */
export function newRulePath(keyword?: string): string {
  const line = (keyword ?? '').replace(/\s+/g, ' ').trim().slice(0, KEYWORD_LIMITS.patternChars);
  return line ? `${BASE}/new?keyword=${encodeURIComponent(line)}` : `${BASE}/new`;
}

/** The sub-pages of キーワード応答, as tabs under the heading. */
export function KeywordsNav() {
  const path = usePath();
  const items = [
    {
      to: BASE,
      label: 'ルール',
      active: path === BASE || path === `${BASE}/` || path === `${BASE}/new` || /^\/keywords\/[0-9A-Z]{26}\/?$/.test(path),
    },
    { to: `${BASE}/unanswered`, label: '答えられなかったメッセージ', active: path === `${BASE}/unanswered` },
    { to: `${BASE}/hits`, label: '応答の回数', active: path === `${BASE}/hits` },
  ];
  return (
    <nav className="subnav" aria-label="キーワード応答のメニュー">
      {items.map((i) => (
        <Link key={i.to} to={i.to} className={i.active ? 'active' : undefined} aria-current={i.active ? 'page' : undefined}>
          {i.label}
        </Link>
      ))}
    </nav>
  );
}

/** 「優先度の小さい順 → 完全一致・部分一致・正規表現の順 → 作成の古い順」: how rules are tried, in one paragraph. */
export function OrderExplained() {
  const kinds = MATCH_KINDS.map((k) => MATCH_KIND_LABELS[k]).join('・');
  return (
    <p className="order-explain">
      友だちからメッセージが届くと、ルールを<strong>この表の上から順に</strong>調べ、<strong>最初に当てはまったルールの返信</strong>
      を送ります。順番は <strong>優先度の小さい順</strong> → 優先度が同じなら <strong>{kinds}の順</strong> → それも同じなら
      <strong>作成の古い順</strong> です。どのルールにも当てはまらないメッセージには既定の返信を送り、「答えられなかったメッセージ」に記録します。
    </p>
  );
}

/** Where a rule stands now: 停止, 期間外 (switched on but outside its period) or 有効. */
export type RuleState = 'enabled' | 'disabled' | 'outside';

export function ruleState(rule: Pick<KeywordRule, 'enabled' | 'activeFrom' | 'activeUntil'>, now = Date.now()): RuleState {
  if (!rule.enabled) return 'disabled';
  if (rule.activeFrom && Date.parse(rule.activeFrom) > now) return 'outside';
  if (rule.activeUntil && Date.parse(rule.activeUntil) < now) return 'outside';
  return 'enabled';
}

export function StateBadge(props: { rule: Pick<KeywordRule, 'enabled' | 'activeFrom' | 'activeUntil'> }) {
  const state = ruleState(props.rule);
  const label = state === 'outside' ? '期間外' : ENABLED_LABELS[state === 'enabled' ? 'true' : 'false'];
  return <span className={`badge keyword-state-${state}`}>{label}</span>;
}

/** 「2026/12/01 09:00 〜 2026/12/31 17:00」, or null when the rule has no period (いつでも). */
export function periodText(rule: Pick<KeywordRule, 'activeFrom' | 'activeUntil'>): string | null {
  if (!rule.activeFrom && !rule.activeUntil) return null;
  return `${rule.activeFrom ? formatDateTime(rule.activeFrom) : ''} 〜 ${rule.activeUntil ? formatDateTime(rule.activeUntil) : ''}`;
}

/** 「1番目」: a place in the order rules are tried. */
export const orderText = (order: number) => `${number.format(order)}番目`;

/** A count of hits; zero stays a 0, in grey, so the figures line up and the busy rules stand out. */
export function Count(props: { value: number }) {
  return <span className={props.value === 0 ? 'muted' : undefined}>{number.format(props.value)}</span>;
}
