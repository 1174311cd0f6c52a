/**
 * The keyword matcher: rules compiled once per rule set, then each message in time linear in the
 * rules it must try. Order (the one the console shows): priority (1 first), then exact before
 * contains before regular expression, then the rule made first (its ULID). The first rule that
 * matches answers; rules switched off or outside their period are skipped at the message's time.
 *
 * - exact: one Map lookup of the normalised message (normalize.ts) for all exact rules;
 * - contains: the normalised keyword inside the normalised message;
 * - regex: the expression (`iu` flags, checked for catastrophic backtracking when saved) tried on
 *   the message as written and on its normalised form.
 * Only the first KEYWORD_LIMITS.matchChars characters of a message, and of its normal form, are
 * matched: the length the save-time check judged expressions on.
 */
import { KEYWORD_LIMITS, MATCH_KINDS, type MatchableRule } from './model';
import { normalizeForMatch } from './normalize';
import { compileKeywordRegex } from './regex';

interface Compiled<R extends MatchableRule> {
  rule: R;
  order: number;
  fromMs: number;
  untilMs: number;
  normalized: string[];
  regexes: RegExp[];
}

const KIND_ORDER: Record<MatchableRule['match'], number> = Object.fromEntries(MATCH_KINDS.map((k, i) => [k, i])) as Record<MatchableRule['match'], number>;

/** The order rules are tried in (the console lists them in it). */
export function compareRules(a: MatchableRule, b: MatchableRule): number {
  return a.priority - b.priority || KIND_ORDER[a.match] - KIND_ORDER[b.match] || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** The part of a message that is matched. */
export const matchedPart = (text: string) => (text.length > KEYWORD_LIMITS.matchChars ? text.slice(0, KEYWORD_LIMITS.matchChars) : text);

export class KeywordMatcher<R extends MatchableRule = MatchableRule> {
  private readonly ordered: Compiled<R>[];
  /** Normalised exact keyword → the exact rules having it, in order. */
  private readonly exact = new Map<string, Compiled<R>[]>();
  /** Contains and regex rules, in order. */
  private readonly scanned: Compiled<R>[];

  constructor(rules: readonly R[]) {
    this.ordered = [...rules]
      .filter((r) => r.enabled)
      .sort(compareRules)
      .map((rule, order) => ({
        rule,
        order,
        fromMs: rule.activeFrom ? Date.parse(rule.activeFrom) : -Infinity,
        untilMs: rule.activeUntil ? Date.parse(rule.activeUntil) : Infinity,
        normalized: rule.match === 'regex' ? [] : rule.patterns.map(normalizeForMatch).filter((p) => p.length > 0),
        regexes: rule.match === 'regex' ? rule.patterns.flatMap(safeCompile) : [],
      }));
    for (const c of this.ordered) {
      if (c.rule.match !== 'exact') continue;
      for (const p of c.normalized) {
        const list = this.exact.get(p);
        if (list) list.push(c);
        else this.exact.set(p, [c]);
      }
    }
    this.scanned = this.ordered.filter((c) => c.rule.match !== 'exact');
  }

  get size(): number {
    return this.ordered.length;
  }

  /** The rule that answers `text` at `at`, or undefined. */
  match(text: string, at: Date): R | undefined {
    return this.matches(text, at, 1)[0];
  }

  /** Every rule that would match, in the order they are tried (the console's "try" shows them), at most `limit`. */
  matches(text: string, at: Date, limit = Infinity): R[] {
    const raw = matchedPart(text);
    // NFKC can lengthen a text (one ﷺ becomes 18 characters): the normal form is cut to the same length.
    const normalized = matchedPart(normalizeForMatch(raw));
    if (normalized.length === 0 && raw.trim().length === 0) return [];
    const t = at.getTime();
    const live = (c: Compiled<R>) => t >= c.fromMs && t <= c.untilMs;
    const exactHits = (this.exact.get(normalized) ?? []).filter(live);
    const out: R[] = [];
    let e = 0;
    for (const c of this.scanned) {
      // Exact hits that come before this rule in the order go first.
      while (e < exactHits.length && exactHits[e]!.order < c.order) {
        out.push(exactHits[e++]!.rule);
        if (out.length >= limit) return out;
      }
      if (!live(c)) continue;
      const hit = c.rule.match === 'contains' ? c.normalized.some((p) => normalized.includes(p)) : c.regexes.some((re) => re.test(raw) || re.test(normalized));
      if (hit) {
        out.push(c.rule);
        if (out.length >= limit) return out;
      }
    }
    while (e < exactHits.length && out.length < limit) out.push(exactHits[e++]!.rule);
    return out;
  }
}

/** A stored expression that no longer compiles (a newer engine) is skipped, never thrown per message. */
function safeCompile(source: string): RegExp[] {
  try {
    return [compileKeywordRegex(source)];
  } catch {
    return [];
  }
}
