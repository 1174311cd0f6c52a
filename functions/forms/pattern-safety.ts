/**
 * Staff-written input patterns (a text item's `pattern`) are checked for catastrophic backtracking
 * before they are saved, and a citizen's answer never meets an unchecked one. A pattern such as
 * `(a+)+` made a 30-character answer take 3.7 s (2.5× per extra character) and stalled every
 * other request of the process.
 *
 * The checker is recheck (https://makenowjust-labs.github.io/recheck/), a maintained ReDoS
 * analyser (automata theory + fuzzing), in its pure-JavaScript build (no JVM, no native binary, no
 * worker: the same code in Lambda and locally). It is decided on the pattern as the validator runs
 * it: anchored, with the `u` flag.
 * - exponential backtracking: refused;
 * - polynomial: refused when the item's longest answer makes it slow (degree ≥ 3, or quadratic on
 *   answers longer than 1,000 characters: 10⁶ steps stay in milliseconds);
 * - undecided in the time allowed: refused (we cannot show it is safe).
 */
import type { Diagnostics } from 'recheck';
// The pure build: recheck's main entry loads synckit, which resolves its worker from
// import.meta.url at load time and fails inside a bundled Lambda.
import * as recheckModule from 'recheck/lib/browser.js';

/** The module's exports, however the runtime interoperates with CommonJS (see functions/types/recheck.d.ts). */
const recheck: Pick<typeof recheckModule, 'checkSync'> = (recheckModule as unknown as { default?: Pick<typeof recheckModule, 'checkSync'> }).default ?? recheckModule;

export type PatternVerdict = { safe: true } | { safe: false; reason: string };

/** Quadratic matching is accepted up to answers of this length. */
const QUADRATIC_MAX_LENGTH = 1_000;
const CHECK_TIMEOUT_MS = 3_000;

/** The expression the validator compiles for a staff pattern. */
export const anchoredPattern = (pattern: string) => `^(?:${pattern})$`;

function diagnose(pattern: string): Diagnostics {
  return recheck.checkSync(anchoredPattern(pattern), 'u', { timeout: CHECK_TIMEOUT_MS });
}

/** Whether a citizen's answer of up to `maxLength` characters can be matched against `pattern` safely. */
export function patternVerdict(pattern: string, maxLength: number): PatternVerdict {
  let d: Diagnostics;
  try {
    d = diagnose(pattern);
  } catch {
    return { safe: false, reason: '入力パターンを確認できませんでした。もっと簡単な書き方にしてください。' };
  }
  if (d.status === 'safe') return { safe: true };
  if (d.status === 'unknown') return { safe: false, reason: '入力パターンが複雑すぎて、安全か確認できませんでした。もっと簡単な書き方にしてください。' };
  const complexity = d.complexity;
  if (complexity.type === 'polynomial' && (complexity.degree ?? 3) <= 2 && maxLength <= QUADRATIC_MAX_LENGTH) return { safe: true };
  return {
    safe: false,
    reason:
      complexity.type === 'exponential'
        ? 'この入力パターンは、ある種の入力で処理が止まるおそれがあるため使えません（(a+)+ のような、くり返しの中のくり返しを避けてください）。'
        : `この入力パターンは、長い入力で処理がとても遅くなるため使えません（最大文字数を${QUADRATIC_MAX_LENGTH.toLocaleString('ja-JP')}文字以下にするか、くり返しが重ならない書き方にしてください）。`,
  };
}

/** Verdicts already reached in this process (patterns are few; answers are many). */
const verdicts = new Map<string, PatternVerdict>();
const VERDICTS_MAX = 500;

/** patternVerdict, remembered per pattern and length: what the answer validator asks before it matches. */
export function isSafePattern(pattern: string, maxLength: number): boolean {
  const key = `${maxLength}\0${pattern}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = patternVerdict(pattern, maxLength);
    if (verdicts.size >= VERDICTS_MAX) verdicts.delete(verdicts.keys().next().value!);
    verdicts.set(key, verdict);
  }
  return verdict.safe;
}
