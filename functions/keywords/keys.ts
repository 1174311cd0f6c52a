/**
 * Keys of the keyword capability (docs/data-model.md):
 * - Rule:        PK KEYWORDS         SK RULE#<ruleId>      (the whole set in one partition: ≤ 1,000 rules, one query)
 * - Set marker:  PK KEYWORDS         SK SET                (version, count; a cached set compares its version)
 * - Hits:        PK KWHITS#<date>    SK <ruleId>           (count per Japan date; one query per day for every rule)
 * - Hit marker:  PK KWHIT#<messageId> SK HIT               (the message was counted: a retried event counts once; expires with the day's counts)
 * - Unanswered:  PK UNANSWERED       SK <ISO time>#<messageId>  (newest first; expires after UNANSWERED_DAYS)
 */
export const KEYWORDS_PARTITION = 'KEYWORDS';
export const RULE_SK_PREFIX = 'RULE#';
export const ruleKey = (ruleId: string) => ({ PK: KEYWORDS_PARTITION, SK: `${RULE_SK_PREFIX}${ruleId}` });
export const ruleSetKey = () => ({ PK: KEYWORDS_PARTITION, SK: 'SET' });
export const hitsPartition = (date: string) => `KWHITS#${date}`;
export const hitKey = (date: string, ruleId: string) => ({ PK: hitsPartition(date), SK: ruleId });
export const hitMarkerKey = (messageId: string) => ({ PK: `KWHIT#${messageId}`, SK: 'HIT' });
export const UNANSWERED_PARTITION = 'UNANSWERED';
export const unansweredKey = (at: string, messageId: string) => ({ PK: UNANSWERED_PARTITION, SK: `${at}#${messageId}` });
/** How long an unanswered message stays listed, and a day's hit counts are kept. */
export const UNANSWERED_DAYS = 180;
export const HITS_DAYS = 400;
