/** The friends list and a friend's page (docs/friends-api.md): staff with the friends function (personal data). */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import type { ZodType } from 'zod';
import { VIEWABLE_CONTENT_TYPES } from '../conversations/content';
import {
  conversation,
  friendFields,
  friendPage,
  friendsQuery,
  listFriends,
  messageContent,
  type ConversationView,
  type FriendFieldsView,
  type FriendListView,
  type FriendPageView,
  type StaffFriendsDeps,
} from '../friends/staff-friends';
import { json, type StreamedResult } from '../shared/http';
import type { RouteDefinition } from '../shared/router';
import type { RequestInfo, SignedIn } from '../staff/context';
import { RouteNotFoundError } from './errors';

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  who?: SignedIn;
}

export type FriendRouteDeps = StaffFriendsDeps;

const USER_ID = /^U[0-9a-f]{32}$/;
const pageQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).optional(), cursor: z.string().max(2048).optional() }).strict();

export function friendRoutes(
  deps: FriendRouteDeps,
  helpers: { parse<T>(schema: ZodType<T>, input: unknown, message?: string): T },
): RouteDefinition<Ctx, StreamedResult>[] {
  const access = { fn: 'friends' } as const;
  const userId = (params: Record<string, string>) => {
    if (!USER_ID.test(params.userId ?? '')) throw new RouteNotFoundError('この友だちは見つかりません。');
    return params.userId!;
  };
  const query = <T>(schema: ZodType<T>, ctx: Ctx) => helpers.parse(schema, ctx.event.queryStringParameters ?? {}, '表示の条件に誤りがあります。');
  return [
    { method: 'GET', path: '/friends', access, run: async (ctx) => json(200, (await listFriends(deps, query(friendsQuery, ctx))) satisfies FriendListView) },
    { method: 'GET', path: '/friends/fields', access, run: async () => json(200, (await friendFields(deps)) satisfies FriendFieldsView) },
    { method: 'GET', path: '/friends/:userId', access, run: async (_ctx, p) => json(200, (await friendPage(deps, userId(p))) satisfies FriendPageView) },
    {
      method: 'GET',
      path: '/friends/:userId/messages',
      access,
      run: async (ctx, p) => json(200, (await conversation(deps, userId(p), query(pageQuery, ctx))) satisfies ConversationView),
    },
    {
      method: 'GET',
      path: '/friends/:userId/messages/:messageId/content',
      access,
      run: async (_ctx, p) => {
        userId(p);
        return contentAnswer(deps, p.messageId ?? '');
      },
    },
  ];
}

/** A friend's image or file as the console fetches it: viewable types inline, the rest as a download; never run as a page. */
export async function contentAnswer(deps: Pick<StaffFriendsDeps, 'content'>, messageId: string): Promise<StreamedResult> {
  const { contentType, bytes } = await messageContent(deps, messageId);
  const inline = VIEWABLE_CONTENT_TYPES.has(contentType);
  return {
    statusCode: 200,
    headers: {
      'content-type': inline ? contentType : 'application/octet-stream',
      'content-disposition': inline ? 'inline' : `attachment; filename="${messageId}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; img-src 'self'; sandbox",
    },
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  };
}
