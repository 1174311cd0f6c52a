/**
 * Staff use cases of the friends list and a friend's page (console page 友だち, staff with the
 * friends function: names, attributes and messages are personal data). The list reads at most
 * LIST_BUDGET friends per request (functions/friends/directory.ts); a search or a rare filter goes
 * on with the cursor. A friend's page: profile, attributes, the latest answer to each form, status
 * dates and the conversation, newest first.
 */
import * as z from 'zod';
import type { ConversationPages } from '../conversations/conversation-log';
import { audienceRules, formIdsOf, inAudience } from '../deliveries/segment';
import { EVERYONE_ID, type AudienceFriend, type SegmentRule } from '../deliveries/model';
import type { AudienceSource, DeliveryRepository, SegmentRepository } from '../deliveries/ports';
import { pickVariant, toLineMessages } from '../deliveries/compose';
import { logger } from '../shared/powertools';
import type { FormResponse } from '../forms/form';
import type { FormRepository, ResponseRepository } from '../forms/ports';
import { ATTRIBUTES } from '../forms/vocabulary';
import { normalizeForMatch } from '../keywords/normalize';
import { LANGS } from '../shared/languages';
import { NotFoundError, ValidationError } from '../shared/errors';
import { CONTENT_MAX_BYTES, type MessageContentReader } from '../conversations/content';
import type { DirectoryPage, FriendDirectory, FriendRow } from './directory';
import type { ConversationView, FriendFieldsView, FriendListView, FriendPageView } from './views';
import { answerText } from '../forms/csv';
import { attributeDefinitions } from '../forms/staff-forms';

export type { ConversationView, FriendFieldsView, FriendListView, FriendPageView, FriendsQueryInput } from './views';

export interface StaffFriendsDeps {
  directory: FriendDirectory;
  segments: Pick<SegmentRepository, 'get' | 'list'>;
  audience: Pick<AudienceSource, 'answeredUsers'>;
  conversations: ConversationPages;
  forms: Pick<FormRepository, 'list' | 'get' | 'profileFormId'>;
  responses: Pick<ResponseRepository, 'latest'>;
  content: MessageContentReader;
  /** The deliveries a friend got are shown with their content (the variant of the friend's language). */
  deliveries?: Pick<DeliveryRepository, 'get'>;
  /** Where a delivery's images are served (the public media route). */
  publicBaseUrl?: string;
}

/** Friends read per list request at most (a few DynamoDB pages): the list stays fast with any number of friends. */
export const LIST_BUDGET = 2_000;
const USER_ID = /^U[0-9a-f]{32}$/;

export const friendsQuery = z
  .object({
    q: z.string().trim().max(100, '検索する言葉は100文字以内にしてください。').optional(),
    status: z.enum(['active', 'blocked']).optional(),
    language: z.enum([...LANGS, 'other']).optional(),
    segmentId: z.string().max(40).optional(),
    district: z.string().max(64).optional(),
    ageBand: z.string().max(64).optional(),
    gender: z.string().max(64).optional(),
    categories: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().max(2048).optional(),
  })
  .strict();
export type FriendsQuery = z.output<typeof friendsQuery>;

const attributeHas = (value: string | string[] | undefined, wanted: string) => (Array.isArray(value) ? value.includes(wanted) : value === wanted);

export async function listFriends(deps: StaffFriendsDeps, query: FriendsQuery): Promise<FriendListView> {
  const q = query.q?.trim() ?? '';
  // A user ID is one read.
  if (USER_ID.test(q)) {
    const friend = await deps.directory.get(q);
    return { items: friend ? [friend] : [], scanned: friend ? 1 : 0 };
  }
  let rules: readonly SegmentRule[] | undefined;
  const answered = new Map<string, Set<string>>();
  if (query.segmentId && query.segmentId !== EVERYONE_ID) {
    const segment = await deps.segments.get(query.segmentId);
    if (!segment) throw new ValidationError('セグメントが見つかりません（削除された可能性があります）。');
    rules = audienceRules({ rule: segment.rule });
    const formIds = [...new Set(rules.flatMap(formIdsOf))];
    await Promise.all(formIds.map(async (formId) => answered.set(formId, await deps.audience.answeredUsers(formId))));
  }
  const name = normalizeForMatch(q);
  const accept = (f: FriendRow): boolean => {
    if (query.status && f.status !== query.status) return false;
    if (query.language && (query.language === 'other' ? LANGS.includes(f.language as never) : f.language !== query.language)) return false;
    for (const attribute of ATTRIBUTES) {
      const wanted = query[attribute];
      if (wanted && !attributeHas(f.attributes?.[attribute], wanted)) return false;
    }
    if (name && !normalizeForMatch(f.displayName).includes(name) && !f.userId.toLowerCase().startsWith(q.toLowerCase())) return false;
    if (rules) {
      const audienceFriend: AudienceFriend = {
        userId: f.userId,
        displayName: f.displayName,
        status: f.status,
        followedAtMs: f.followedAt ? Date.parse(f.followedAt) : Number.NaN,
        language: f.language,
        attributes: f.attributes,
      };
      if (!inAudience(rules, audienceFriend, answered)) return false;
    }
    return true;
  };
  const filterKey = JSON.stringify([q, query.status, query.language, query.segmentId, ...ATTRIBUTES.map((a) => query[a])]);
  const page: DirectoryPage = await deps.directory.page({ limit: query.limit ?? 50, budget: LIST_BUDGET, cursor: query.cursor, filterKey }, accept);
  return { items: page.items, scanned: page.scanned, ...(page.cursor ? { cursor: page.cursor } : {}) };
}

export async function friendPage(deps: StaffFriendsDeps, userId: string): Promise<FriendPageView> {
  const friend = await deps.directory.get(userId);
  if (!friend) throw new NotFoundError('この友だちは見つかりません。');
  const forms = await deps.forms.list();
  const latest = await Promise.all(forms.map(async (form) => ({ form, response: await deps.responses.latest(form.formId, userId) })));
  return {
    friend,
    answers: latest
      .filter((l): l is { form: (typeof l)['form']; response: FormResponse } => l.response !== null)
      .sort((a, b) => (a.response.submittedAt < b.response.submittedAt ? 1 : -1))
      .map(({ form, response }) => ({
        formId: form.formId,
        title: form.title.ja,
        kind: form.kind,
        submittedAt: response.submittedAt,
        lang: response.lang,
        answers: response.answers,
        readable: form.items
          .filter((item) => response.answers[item.itemId] !== undefined && response.answers[item.itemId] !== '')
          .map((item) => ({
            itemId: item.itemId,
            label: item.label.ja,
            text: answerText(item, response.answers[item.itemId], () => 'ファイル（アンケートの回答の画面で見られます）'),
          })),
      })),
  };
}

/** What a conversation page reads (the chat shows the same history). */
export type HistoryDeps = Pick<StaffFriendsDeps, 'conversations' | 'deliveries' | 'directory' | 'publicBaseUrl'>;

export async function conversation(deps: HistoryDeps, userId: string, query: { limit?: number; cursor?: string }): Promise<ConversationView> {
  const page = await deps.conversations.page(userId, { limit: Math.min(Math.max(query.limit ?? 50, 1), 100), cursor: query.cursor });
  const messages = await deliveryMessages(
    deps,
    userId,
    page.items.flatMap((e) => (e.deliveryId ? [e.deliveryId] : [])),
  );
  return {
    items: page.items.map((e) => ({
      ...e,
      at: e.at.toISOString(),
      ...(e.deliveryId ? (messages.get(e.deliveryId) ?? { text: '（この配信は削除されました）' }) : {}),
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** What each delivery said to this friend: its title and the LINE messages of the variant in their language (links as written). */
async function deliveryMessages(deps: HistoryDeps, userId: string, deliveryIds: string[]): Promise<Map<string, { text: string; messages: unknown[] }>> {
  const out = new Map<string, { text: string; messages: unknown[] }>();
  if (deliveryIds.length === 0 || !deps.deliveries) return out;
  const friend = await deps.directory.get(userId);
  const base = (deps.publicBaseUrl ?? '').replace(/\/+$/, '');
  const ctx = {
    mediaUrl: (mediaId: string, kind: string) => `${base}/media/${encodeURIComponent(mediaId)}/${kind}`,
    linkUrl: (_i: number, url: string) => url,
  };
  await Promise.all(
    [...new Set(deliveryIds)].map(async (deliveryId) => {
      const delivery = await deps.deliveries!.get(deliveryId);
      if (!delivery) return;
      try {
        const variant = pickVariant(delivery, friend?.language);
        out.set(deliveryId, { text: delivery.title, messages: toLineMessages(variant, [], ctx, friend?.displayName) });
      } catch (error) {
        logger.warn('Delivery not shown in a friend’s timeline', { deliveryId, error: error instanceof Error ? error.message : String(error) });
        out.set(deliveryId, { text: delivery.title, messages: [] });
      }
    }),
  );
  return out;
}

/** A friend's image (or other file) message, from LINE; NotFoundError when LINE no longer keeps it. */
export async function messageContent(deps: Pick<StaffFriendsDeps, 'content'>, messageId: string): Promise<{ contentType: string; bytes: Buffer }> {
  if (!/^\d{1,30}$/.test(messageId)) throw new NotFoundError('このメッセージは見つかりません。');
  const content = await deps.content.get(messageId, CONTENT_MAX_BYTES);
  if (!content) throw new NotFoundError('LINEにこのファイルが残っていません（保存期間を過ぎた可能性があります）。');
  return content;
}

/** The filters' choices: the profile form's attributes with their labels, and the saved segments' names. */
export async function friendFields(deps: StaffFriendsDeps): Promise<FriendFieldsView> {
  const [{ attributes }, segments] = await Promise.all([attributeDefinitions(deps), deps.segments.list()]);
  const out: FriendFieldsView['attributes'] = {};
  for (const [name, def] of Object.entries(attributes)) {
    if (def)
      out[name as keyof FriendFieldsView['attributes']] = { label: def.label, choices: def.choices.map((c) => ({ choiceId: c.choiceId, label: c.label })) };
  }
  return { attributes: out, segments: segments.map((s) => ({ segmentId: s.segmentId, name: s.name })) };
}
