/**
 * Staff-written input patterns (a text item's `pattern`) are checked for catastrophic backtracking
 * before they are saved, and a citizen's answer never meets an unchecked one. A pattern such as
 * `(a+)+` made a 30-character answer take 3.7 s (2.5× per extra character) and stalled every
 * other request of the process.
 *
 * The checker is recheck (https://makenowjust-labs.github.io/recheck/), a maintained ReDoS
 * analyser (automata theory + fuzzing), in its pure-JavaScript build (no JVM, no native binary, no
 * worker: the same code in Lambda and locally), loaded only when a pattern needs checking. It is
 * decided on the pattern as the validator runs it: anchored, with the `u` flag.
 * - exponential backtracking: refused;
 * - polynomial: refused when the item's longest answer makes it slow (degree ≥ 3, or quadratic on
 *   answers longer than 1,000 characters: 10⁶ steps stay in milliseconds);
 * - undecided in the time allowed: refused (we cannot show it is safe).
 * A save has one time budget for all its patterns (a form may have 100 items); patterns shown
 * safe are stored with the form (`checkedPatterns`), so answering never checks them again.
 *
 * Keyword rules' regular expressions (functions/keywords/) are checked the same way in `search`
 * mode: unanchored (a match anywhere, as the matcher runs them) with the `iu` flags, on messages
 * cut to the matcher's length.
 */
import type { Diagnostics } from 'recheck';

export type PatternVerdict = { safe: true } | { safe: false; reason: string };

/** Quadratic matching is accepted up to answers of this length. */
const QUADRATIC_MAX_LENGTH = 1_000;
/**
 * One pattern's check, at most. A usual pattern takes milliseconds, but one with `.` or a wide
 * class under the `u` flag takes ~0.2–0.4 s on a quiet machine (https?://.+: 365 ms), several
 * times that on a busy one or a small Lambda: 1 s refused good patterns under load, and 3 s left
 * (a+)+b under the `iu` flags (~0.5 s quiet) undecided on a 2-core machine running test suites.
 */
const CHECK_TIMEOUT_MS = 5_000;
/** All the patterns of one save or one answer, at most: inside the API functions' 15 s. */
export const CHECK_BUDGET_MS = 10_000;

const UNDECIDED = '入力パターンが複雑すぎて、安全か確認できませんでした。もっと簡単な書き方にしてください。';

/** The expression the validator compiles for a staff pattern. */
export const anchoredPattern = (pattern: string) => `^(?:${pattern})$`;

type Checker = (source: string, flags: string, params: { timeout: number }) => Diagnostics;
let checker: Promise<Checker> | undefined;

/**
 * recheck's pure build, loaded on first use. Its main entry loads synckit, which resolves its
 * worker from import.meta.url at load time and fails inside a bundled Lambda; the pure build is
 * CommonJS marked __esModule, seen as a default export by Node's ESM loader and as named exports
 * by CommonJS interop (functions/types/recheck.d.ts).
 */
function loadChecker(): Promise<Checker> {
  checker ??= import('recheck/lib/browser.js').then((m) => {
    const module = (m as unknown as { default?: { checkSync: Checker } }).default ?? (m as unknown as { checkSync: Checker });
    return module.checkSync;
  });
  return checker;
}

/** How a pattern is run: a form's whole answer (anchored, `u`), or a keyword searched anywhere in a message (`iu`). */
export type PatternMode = 'whole' | 'search';

const WORDING: Record<PatternMode, { noun: string; longer: string }> = {
  whole: {
    noun: '入力パターン',
    longer: `最大文字数を${QUADRATIC_MAX_LENGTH.toLocaleString('ja-JP')}文字以下にするか、くり返しが重ならない書き方にしてください`,
  },
  search: { noun: '正規表現', longer: 'くり返し（+ や *）が重ならない書き方にしてください' },
};

/** Whether a text of up to `maxLength` characters can be matched against `pattern` safely. */
export async function patternVerdict(pattern: string, maxLength: number, timeoutMs = CHECK_TIMEOUT_MS, mode: PatternMode = 'whole'): Promise<PatternVerdict> {
  const { noun, longer } = WORDING[mode];
  const undecided = mode === 'whole' ? UNDECIDED : `${noun}が複雑すぎて、安全か確認できませんでした。もっと簡単な書き方にしてください。`;
  if (timeoutMs <= 0) return { safe: false, reason: undecided };
  let d: Diagnostics;
  try {
    const [source, flags] = mode === 'whole' ? [anchoredPattern(pattern), 'u'] : [pattern, 'iu'];
    d = (await loadChecker())(source, flags, { timeout: Math.min(timeoutMs, CHECK_TIMEOUT_MS) });
  } catch {
    return { safe: false, reason: `${noun}を確認できませんでした。もっと簡単な書き方にしてください。` };
  }
  if (d.status === 'safe') return { safe: true };
  if (d.status === 'unknown') return { safe: false, reason: undecided };
  const complexity = d.complexity;
  if (complexity.type === 'polynomial' && (complexity.degree ?? 3) <= 2 && maxLength <= QUADRATIC_MAX_LENGTH) return { safe: true };
  return {
    safe: false,
    reason:
      complexity.type === 'exponential'
        ? `この${noun}は、ある種の入力で処理が止まるおそれがあるため使えません（(a+)+ のような、くり返しの中のくり返しを避けてください）。`
        : `この${noun}は、長い入力で処理がとても遅くなるため使えません（${longer}）。`,
  };
}

/** Verdicts already reached in this process (patterns are few; answers are many). */
const verdicts = new Map<string, PatternVerdict>();
const VERDICTS_MAX = 500;

/**
 * Checks every pattern within one time budget (remembered per process); the verdicts in the order
 * given. What the budget does not reach is undecided, hence refused.
 */
export async function checkPatterns(
  patterns: { pattern: string; maxLength: number; mode?: PatternMode }[],
  budgetMs = CHECK_BUDGET_MS,
): Promise<PatternVerdict[]> {
  const deadline = Date.now() + budgetMs;
  const out: PatternVerdict[] = [];
  for (const { pattern, maxLength, mode = 'whole' } of patterns) {
    const key = `${mode}\0${maxLength}\0${pattern}`;
    let verdict = verdicts.get(key);
    if (!verdict) {
      verdict = await patternVerdict(pattern, maxLength, deadline - Date.now(), mode);
      // An undecided verdict may only be the budget running out: not remembered.
      if (verdict.safe || !verdict.reason.includes('安全か確認できませんでした')) {
        if (verdicts.size >= VERDICTS_MAX) verdicts.delete(verdicts.keys().next().value!);
        verdicts.set(key, verdict);
      }
    }
    out.push(verdict);
  }
  return out;
}

/** One pattern (answering a form saved before `checkedPatterns` existed). */
export async function isSafePattern(pattern: string, maxLength: number): Promise<boolean> {
  return (await checkPatterns([{ pattern, maxLength }]))[0]!.safe;
}
