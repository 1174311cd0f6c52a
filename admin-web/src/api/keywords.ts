/** Keyword auto-replies (キーワード応答): calls of the staff API (functions/admin/keyword-routes.ts), with the server's own shapes. */
import type { z } from 'zod';
import type { createRuleBody, deleteRuleBody, importBody, tryBody, updateRuleBody } from '../../../functions/keywords/schemas';
import type { KeywordRule } from '../../../functions/keywords/model';
import type { HitsView, ImportResult, KeywordListView, TryView, UnansweredView } from '../../../functions/keywords/views';
import { downloadFile, request } from './client';

export { KEYWORD_LIMITS, MATCH_KINDS } from '../../../functions/keywords/model';
export type { KeywordRule, MatchKind, UnansweredMessage } from '../../../functions/keywords/model';
export { ENABLED_LABELS, MATCH_KIND_HINTS, MATCH_KIND_LABELS } from '../../../functions/keywords/labels';
export type { HitsView, ImportResult, KeywordListView, KeywordRuleView, TryView, UnansweredView } from '../../../functions/keywords/views';

/** What the editor sends: POST /keywords, and PUT /keywords/:ruleId with the version it was read at. */
export type RuleInput = z.input<typeof createRuleBody>;
export type RuleChange = z.input<typeof updateRuleBody>;
export type TryInput = z.input<typeof tryBody>;
export type ImportInput = z.input<typeof importBody>;
/** POST /keywords/import's answer: how many rules the file had and how many there are now. */
export type ImportAnswer = ImportResult;

const k = (ruleId: string) => `/keywords/${encodeURIComponent(ruleId)}`;

export const listRules = () => request<KeywordListView>('GET', '/keywords');
export const getRule = (ruleId: string) => request<KeywordRule>('GET', k(ruleId));
export const createRule = (input: RuleInput) => request<KeywordRule>('POST', '/keywords', { body: input });
export const updateRule = (ruleId: string, change: RuleChange) => request<KeywordRule>('PUT', k(ruleId), { body: change });
export const deleteRule = (ruleId: string, version: number) =>
  request<void>('DELETE', k(ruleId), { body: { version } satisfies z.input<typeof deleteRuleBody> });
export const tryMessage = (input: TryInput) => request<TryView>('POST', '/keywords/try', { body: input });
export const ruleHits = (days: number) => request<HitsView>('GET', '/keywords/hits', { query: { days } });
export const listUnanswered = (cursor?: string, limit = 50) => request<UnansweredView>('GET', '/keywords/unanswered', { query: { cursor, limit } });
export const importRules = (input: ImportInput) => request<ImportAnswer>('POST', '/keywords/import', { body: input });

/** GET /keywords/export as a file (CSV for Excel with its BOM, or JSON for another environment), bytes unchanged. */
export const downloadRules = (format: 'csv' | 'json') =>
  downloadFile('/keywords/export', { format }, `keywords.${format}`, format === 'csv' ? 'text/csv' : 'application/json');
