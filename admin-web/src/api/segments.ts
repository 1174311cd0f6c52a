/** Segments (配信先の絞り込み): shapes and calls of docs/deliveries-api.md, staff side. */
import { request } from './client';
import type { Lang } from '../../../functions/shared/languages';

export type AttributeName = 'district' | 'ageBand' | 'gender' | 'categories';
export const ATTRIBUTE_NAMES: AttributeName[] = ['district', 'ageBand', 'gender', 'categories'];

/** One condition on a friend (functions/deliveries/model.ts). */
export type Condition =
  | { kind: 'attribute'; attribute: AttributeName; op: 'in' | 'notIn'; values: string[] }
  | { kind: 'answeredForm'; formId: string; answered: boolean }
  | { kind: 'followed'; op: 'before' | 'onOrAfter'; date: string }
  | { kind: 'language'; values: Lang[] };

export interface SegmentRule {
  match: 'all' | 'any';
  conditions: Condition[];
}

export interface Segment {
  segmentId: string;
  name: string;
  description?: string;
  rule: SegmentRule;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** Display names (added by the server). */
  createdByName?: string;
  updatedByName?: string;
  version: number;
}

export const EVERYONE_ID = 'everyone';

/** A choice of a profile attribute; the server names its id `choiceId` (older contract text: `id`). */
export interface FieldChoice {
  choiceId?: string;
  id?: string;
  label: string;
  retired?: boolean;
}

export interface SegmentFields {
  attributes: Partial<Record<AttributeName, { label: string; multiple?: boolean; choices: FieldChoice[] }>>;
  forms: { formId: string; title: string; kind?: string }[];
  languages: { id: Lang; label: string }[];
}

export const choiceIdOf = (c: FieldChoice) => c.choiceId ?? c.id ?? '';

export interface AudienceCount {
  matching: number;
  activeFriends: number;
}

const s = (id: string) => `/segments/${encodeURIComponent(id)}`;

export const listSegments = () => request<{ items: Segment[] }>('GET', '/segments');
export const getSegment = (id: string) => request<Segment>('GET', s(id));
export const createSegment = (input: { name: string; description?: string; rule: SegmentRule }) => request<Segment>('POST', '/segments', { body: input });
export const updateSegment = (id: string, input: { name: string; description?: string; rule: SegmentRule; version: number }) => request<Segment>('PUT', s(id), { body: input });
export const deleteSegment = (id: string) => request<void>('DELETE', s(id));
export const countSegment = (rule: SegmentRule) => request<AudienceCount>('POST', '/segments/count', { body: { rule } });
export const segmentFields = () => request<SegmentFields>('GET', '/segments/fields');
