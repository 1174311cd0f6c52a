/**
 * Staff use cases of segments (admin API, functions `segments` and `deliveries`) and the audience
 * count they share with delivery estimates. Every change is audited.
 */
import { ulid } from 'ulid';
import type { AuditDeps } from '../audit/trail';
import { recordAudit } from '../audit/trail';
import type { SignedIn } from '../staff/context';
import { attributeDefinitions, listForms, type StaffFormsDeps } from '../forms/staff-forms';
import { LANGS, LANGUAGE_LABELS, type Lang } from '../shared/languages';
import { pickVariant } from './compose';
import { DeliveryNotFoundError, StaleVersionError } from './errors';
import { EVERYONE_ID, type DeliveryContent, type Segment, type SegmentRule } from './model';
import type { AudienceCount, SegmentFields } from './views';
import type { AudienceSource, SegmentRepository } from './ports';
import { EVERYONE, formIdsOf, inAudience } from './segment';
import { ConflictError } from '../shared/errors';

export interface StaffSegmentsDeps extends AuditDeps {
  segments: SegmentRepository;
  audience: AudienceSource;
  /** For the condition editor: attribute choices and the forms one can have answered. */
  forms: StaffFormsDeps;
}

export { EVERYONE_ID };

export async function listSegments(deps: StaffSegmentsDeps): Promise<Segment[]> {
  const saved = await deps.segments.list();
  return [EVERYONE, ...saved.sort((a, b) => a.name.localeCompare(b.name, 'ja'))];
}

export async function getSegment(deps: { segments: Pick<StaffSegmentsDeps['segments'], 'get'> }, segmentId: string): Promise<Segment> {
  if (segmentId === EVERYONE_ID) return EVERYONE;
  const segment = await deps.segments.get(segmentId);
  if (!segment) throw new DeliveryNotFoundError('セグメント');
  return segment;
}

export async function createSegment(
  deps: StaffSegmentsDeps,
  who: SignedIn,
  input: { name: string; description?: string; rule: SegmentRule },
): Promise<Segment> {
  const now = deps.clock.now().toISOString();
  const by = who.account.loginId;
  const segment: Segment = {
    segmentId: ulid(),
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    rule: input.rule,
    createdAt: now,
    createdBy: by,
    updatedAt: now,
    updatedBy: by,
    version: 1,
  };
  await deps.segments.create(segment);
  await recordAudit(deps, {
    actor: by,
    action: 'segment.created',
    target: `segment:${segment.segmentId}`,
    ip: who.ip,
    after: { name: segment.name, rule: segment.rule },
  });
  return segment;
}

export async function updateSegment(
  deps: StaffSegmentsDeps,
  who: SignedIn,
  segmentId: string,
  input: { name: string; description?: string; rule: SegmentRule; version: number },
): Promise<Segment> {
  if (segmentId === EVERYONE_ID) throw new ConflictError('「全員」は変更できません。');
  const current = await getSegment(deps, segmentId);
  if (current.version !== input.version) throw new StaleVersionError();
  const { description: _old, ...rest } = current;
  const next: Segment = {
    ...rest,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    rule: input.rule,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
    version: current.version + 1,
  };
  try {
    await deps.segments.replace(next, current.version);
  } catch (error) {
    if (error instanceof ConflictError) throw new StaleVersionError();
    throw error;
  }
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'segment.updated',
    target: `segment:${segmentId}`,
    ip: who.ip,
    before: { name: current.name, rule: current.rule },
    after: { name: next.name, rule: next.rule },
  });
  return next;
}

export async function deleteSegment(deps: StaffSegmentsDeps, who: SignedIn, segmentId: string): Promise<void> {
  if (segmentId === EVERYONE_ID) throw new ConflictError('「全員」は削除できません。');
  const current = await getSegment(deps, segmentId);
  await deps.segments.delete(segmentId);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'segment.deleted',
    target: `segment:${segmentId}`,
    ip: who.ip,
    before: { name: current.name, rule: current.rule },
  });
}

export type { AudienceCount } from './views';

/**
 * Counts the audience by reading every friend once (the same evaluation the planner uses, so the
 * count shown before sending is the number the planner will reach, give or take friends who
 * follow or block in between).
 */
export async function countAudience(
  deps: Pick<StaffSegmentsDeps, 'audience'>,
  rule: SegmentRule | readonly SegmentRule[],
  content?: DeliveryContent,
): Promise<AudienceCount> {
  // Several rules (a disaster-mail route to several segments): a friend counts when any matches.
  const rules: readonly SegmentRule[] = Array.isArray(rule) ? rule : [rule as SegmentRule];
  const answered = new Map(
    await Promise.all([...new Set(rules.flatMap(formIdsOf))].map(async (formId) => [formId, await deps.audience.answeredUsers(formId)] as const)),
  );
  let matching = 0;
  let activeFriends = 0;
  const byLang: Partial<Record<Lang, number>> = {};
  for await (const page of deps.audience.pages()) {
    for (const friend of page.friends) {
      if (friend.status !== 'active') continue;
      activeFriends += 1;
      if (!inAudience(rules, friend, answered)) continue;
      matching += 1;
      const lang = content ? pickVariant(content, friend.language).lang : 'ja';
      byLang[lang] = (byLang[lang] ?? 0) + 1;
    }
  }
  return { matching, activeFriends, byLang };
}

/** What the condition editor offers: profile attributes with their choices, forms, languages. */
export async function segmentFields(deps: StaffSegmentsDeps): Promise<SegmentFields> {
  const [{ attributes }, forms] = await Promise.all([attributeDefinitions(deps.forms), listForms(deps.forms)]);
  return {
    attributes,
    forms: forms.map((f) => ({ formId: f.formId, title: f.title.ja, kind: f.kind })),
    languages: LANGS.map((lang) => ({ id: lang, label: LANGUAGE_LABELS[lang] })),
  };
}
