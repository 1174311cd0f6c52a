/** Segments (配信先の絞り込み): calls of docs/deliveries-api.md, staff side, with the server's own shapes. */
import type { z } from 'zod';
import type { countBody, segmentBody, segmentUpdateBody } from '../../../functions/deliveries/schemas';
import type { AudienceCountAnswer, SegmentAnswer, SegmentFields, SegmentListAnswer } from '../../../functions/deliveries/views';
import { request } from './client';

export { ATTRIBUTES as ATTRIBUTE_NAMES } from '../../../functions/forms/vocabulary';
export { EVERYONE_ID } from '../../../functions/deliveries/model';
export type { AttributeName, Condition, SegmentRule } from '../../../functions/deliveries/model';
export type { SegmentFields };

/** A segment with its people's display names (added by the server). */
export type Segment = SegmentAnswer;
export type AudienceCount = AudienceCountAnswer;

const s = (id: string) => `/segments/${encodeURIComponent(id)}`;

export const listSegments = () => request<SegmentListAnswer>('GET', '/segments');
export const getSegment = (id: string) => request<Segment>('GET', s(id));
export const createSegment = (input: z.input<typeof segmentBody>) => request<Segment>('POST', '/segments', { body: input });
export const updateSegment = (id: string, input: z.input<typeof segmentUpdateBody>) => request<Segment>('PUT', s(id), { body: input });
export const deleteSegment = (id: string) => request<void>('DELETE', s(id));
export const countSegment = (rule: z.input<typeof countBody>['rule']) =>
  request<AudienceCount>('POST', '/segments/count', { body: { rule } satisfies z.input<typeof countBody> });
export const segmentFields = () => request<SegmentFields>('GET', '/segments/fields');
