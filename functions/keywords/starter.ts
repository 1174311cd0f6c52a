/**
 * The starter set (starter-rules.ts: the common questions of a city, which the specification asks
 * the contractor to prepare) loaded once, at first start — the local runtime's start, the admin
 * API's first request, or the hourly scheduled job, whichever comes first. Idempotent: the
 * rules and the set's marker are written in one conditional transaction.
 */
import { ulid } from 'ulid';
import type { AuditLog } from '../audit/audit';
import { recordAudit } from '../audit/trail';
import type { Clock } from '../ports/clock';
import type { KeywordRule } from './model';
import type { KeywordRuleRepository } from './ports';
import { STARTER_KEYWORD_RULES, STARTER_SET_VERSION } from './starter-rules';

/** Loads the starter set (starter-rules.ts) once, at first start: local start, the admin API's first request, or the hourly scheduled job. */
export async function ensureStarterKeywords(deps: { keywordRules: KeywordRuleRepository; audit: AuditLog; clock: Clock }): Promise<'seeded' | 'exists'> {
  if (await deps.keywordRules.marker()) return 'exists';
  const now = deps.clock.now();
  const at = now.toISOString();
  const rules: KeywordRule[] = STARTER_KEYWORD_RULES.map((r, i) => ({
    ruleId: ulid(now.getTime() + i),
    ...r,
    createdAt: at,
    createdBy: 'system',
    updatedAt: at,
    updatedBy: 'system',
    version: 1,
  }));
  const result = await deps.keywordRules.seed(rules, STARTER_SET_VERSION);
  if (result === 'seeded') {
    await recordAudit(deps, {
      actor: 'system',
      action: 'keywords.seeded',
      target: 'keywords',
      ip: '-',
      summary: `キーワード応答の初期データ（${rules.length}件）を登録`,
      after: { rules: rules.length },
    });
  }
  return result;
}
