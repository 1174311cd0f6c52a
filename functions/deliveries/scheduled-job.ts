/**
 * The hourly scheduled job: statistics (and the reconcile of stuck deliveries) first, then data
 * upkeep — the audience index's format upgrade or rebuild, and once the form responses' list — so a
 * long rewrite can never cost an hour's statistics; an upkeep failure is logged, not thrown.
 */
import { logger } from '../shared/powertools';
import { refreshStatistics, type StatsDeps } from './stats';

export interface ScheduledJobDeps extends StatsDeps {
  /** Audience index upkeep: a format upgrade or a post-migration rebuild, off every delivery's path. */
  audienceIndex?: () => Promise<unknown>;
  /** Once: latest form responses written before the console's newest-first list join it. */
  formResponseList?: () => Promise<unknown>;
  /** Once: the keyword auto-replies' starter set, for a stage whose console nobody opened yet (functions/keywords/starter.ts). */
  keywordStarter?: () => Promise<unknown>;
  /** Hourly: a run of the rich menu link job (functions/richmenus/links.ts) — friends whose segments changed without a relink are put right. */
  richMenuSync?: () => Promise<unknown>;
}

export async function runScheduledJob(deps: ScheduledJobDeps) {
  const summary = await refreshStatistics(deps);
  if (deps.audienceIndex) await deps.audienceIndex().catch((error: unknown) => logger.error('Audience index upkeep failed', { error }));
  if (deps.formResponseList) await deps.formResponseList().catch((error: unknown) => logger.error('Form response list upkeep failed', { error }));
  if (deps.keywordStarter) await deps.keywordStarter().catch((error: unknown) => logger.error('Keyword starter set failed', { error }));
  if (deps.richMenuSync) await deps.richMenuSync().catch((error: unknown) => logger.error('Rich menu link job not queued', { error }));
  return summary;
}
