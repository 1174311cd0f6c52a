/**
 * Keyword matching (functions/keywords/matcher.ts) with 1,000 active rules, in this process: the
 * set compiled as a webhook instance compiles it after a change, then every message matched as
 * the dispatcher matches it (normalisation included). Target: p99 ≤ 1 ms per message.
 */
import { performance } from 'node:perf_hooks';
import { KeywordMatcher } from '../functions/keywords/matcher';
import { syntheticMessages, syntheticRules } from './keyword-rules';
import { percentile } from './runtime';

export interface KeywordBenchResult {
  rules: number;
  messages: number;
  compileMs: number;
  matched: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  noMatchP99Us: number;
}

export function runKeywordBench(options: { rules: number; messages: number }): KeywordBenchResult {
  const rules = syntheticRules(options.rules);
  const messages = syntheticMessages(options.messages, rules);
  const at = new Date('2026-12-07T03:00:00Z');
  // Warm-up: a first compile and pass (JIT), not measured.
  const warm = new KeywordMatcher(rules);
  for (const m of messages.slice(0, 2_000)) warm.match(m, at);

  const t0 = performance.now();
  const matcher = new KeywordMatcher(rules);
  const compileMs = performance.now() - t0;
  const times: number[] = [];
  const misses: number[] = [];
  let matched = 0;
  for (const m of messages) {
    const s = performance.now();
    const rule = matcher.match(m, at);
    const us = (performance.now() - s) * 1000;
    times.push(us);
    if (rule) matched++;
    else misses.push(us);
  }
  times.sort((a, b) => a - b);
  misses.sort((a, b) => a - b);
  return {
    rules: matcher.size,
    messages: messages.length,
    compileMs,
    matched,
    p50Us: percentile(times, 50),
    p99Us: percentile(times, 99),
    maxUs: times.at(-1)!,
    noMatchP99Us: misses.length ? percentile(misses, 99) : 0,
  };
}
