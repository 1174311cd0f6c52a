/** 1:1 chat routes of the admin API (docs/chat-api.md): staff with the chat function. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import type { ZodType } from 'zod';
import type { ConversationEntry } from '../conversations/conversation-log';
import { assignBody, cannedBody, inboxQuery, noteBody, sendBody, settingsBody } from '../chat/schemas';
import {
  addNote,
  assign,
  chatStaff,
  chatState,
  closeThread,
  getThread,
  inbox,
  markRead,
  reopenThread,
  saveCanned,
  saveChatSettings,
  sendMessage,
  type StaffChatDeps,
} from '../chat/staff-chat';
import type { CannedAnswersView, ChatEntryView, ChatSettingsView, ChatStaffView, ChatStateView, ChatThreadView, InboxView } from '../chat/views';
import { conversation, type ConversationView, type StaffFriendsDeps } from '../friends/staff-friends';
import { json, type StreamedResult } from '../shared/http';
import type { RouteDefinition } from '../shared/router';
import type { RequestInfo, SignedIn } from '../staff/context';
import { RouteNotFoundError } from './errors';
import { contentAnswer } from './friend-routes';

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  who?: SignedIn;
}

/** The chat's own deps, and the friends' history readers (the conversation shown in the chat is the friend's whole history). */
export type ChatRouteDeps = StaffChatDeps & { history: Pick<StaffFriendsDeps, 'conversations' | 'content' | 'deliveries' | 'directory' | 'publicBaseUrl'> };

const USER_ID = /^U[0-9a-f]{32}$/;
const pageQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).optional(), cursor: z.string().max(2048).optional() }).strict();

/** A stored entry as the API answers it. */
const entryView = (e: ConversationEntry): ChatEntryView => ({ ...e, at: e.at.toISOString() });

export function chatRoutes(
  deps: ChatRouteDeps,
  helpers: { parse<T>(schema: ZodType<T>, input: unknown, message?: string): T; jsonBody(event: APIGatewayProxyEventV2, maxBytes?: number): unknown },
): RouteDefinition<Ctx, StreamedResult>[] {
  const access = { fn: 'chat' } as const;
  const body = <T>(schema: ZodType<T>, ctx: Ctx, maxBytes = 32 * 1024) => helpers.parse(schema, helpers.jsonBody(ctx.event, maxBytes));
  const query = <T>(schema: ZodType<T>, ctx: Ctx) => helpers.parse(schema, ctx.event.queryStringParameters ?? {}, '表示の条件に誤りがあります。');
  const userId = (params: Record<string, string>) => {
    if (!USER_ID.test(params.userId ?? '')) throw new RouteNotFoundError('この会話は見つかりません。');
    return params.userId!;
  };
  const r = (method: 'GET' | 'POST' | 'PUT', path: string, run: RouteDefinition<Ctx, StreamedResult>['run']): RouteDefinition<Ctx, StreamedResult> => ({
    method,
    path,
    access,
    run,
  });
  return [
    r('GET', '/chat/state', async (ctx) => json(200, (await chatState(deps, ctx.who!)) satisfies ChatStateView)),
    r('GET', '/chat/inbox', async (ctx) => json(200, (await inbox(deps, ctx.who!, query(inboxQuery, ctx))) satisfies InboxView)),
    r('GET', '/chat/staff', async () => json(200, (await chatStaff(deps)) satisfies ChatStaffView)),
    r('GET', '/chat/settings', async () => json(200, (await deps.settings.settings()) satisfies ChatSettingsView)),
    r('PUT', '/chat/settings', async (ctx) => json(200, (await saveChatSettings(deps, ctx.who!, body(settingsBody, ctx))) satisfies ChatSettingsView)),
    r('GET', '/chat/canned', async () => json(200, (await deps.settings.canned()) satisfies CannedAnswersView)),
    r('PUT', '/chat/canned', async (ctx) => json(200, (await saveCanned(deps, ctx.who!, body(cannedBody, ctx, 600 * 1024))) satisfies CannedAnswersView)),
    r('GET', '/chat/threads/:userId', async (_ctx, p) => json(200, (await getThread(deps, userId(p))) satisfies ChatThreadView)),
    // A friend's history through the chat: only for someone who asked for a person (the friends page is for the rest).
    r('GET', '/chat/threads/:userId/messages', async (ctx, p) => {
      await getThread(deps, userId(p));
      return json(200, (await conversation(deps.history, userId(p), query(pageQuery, ctx))) satisfies ConversationView);
    }),
    r('GET', '/chat/threads/:userId/messages/:messageId/content', async (_ctx, p) => {
      await getThread(deps, userId(p));
      return contentAnswer(deps.history, p.messageId ?? '');
    }),
    r('POST', '/chat/threads/:userId/read', async (_ctx, p) => json(200, (await markRead(deps, userId(p))) satisfies ChatThreadView)),
    r('POST', '/chat/threads/:userId/messages', async (ctx, p) =>
      json(201, entryView(await sendMessage(deps, ctx.who!, userId(p), body(sendBody, ctx))) satisfies ChatEntryView),
    ),
    r('POST', '/chat/threads/:userId/notes', async (ctx, p) =>
      json(201, entryView(await addNote(deps, ctx.who!, userId(p), body(noteBody, ctx))) satisfies ChatEntryView),
    ),
    r('PUT', '/chat/threads/:userId/assignee', async (ctx, p) =>
      json(200, (await assign(deps, ctx.who!, userId(p), body(assignBody, ctx).loginId)) satisfies ChatThreadView),
    ),
    r('POST', '/chat/threads/:userId/close', async (ctx, p) => json(200, (await closeThread(deps, ctx.who!, userId(p))) satisfies ChatThreadView)),
    r('POST', '/chat/threads/:userId/reopen', async (ctx, p) => json(200, (await reopenThread(deps, ctx.who!, userId(p))) satisfies ChatThreadView)),
  ];
}
