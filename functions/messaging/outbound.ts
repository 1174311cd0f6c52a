/**
 * Sends the account's answer to one friend: the free reply token first, a push
 * when the token is no longer usable (LINE: 1 minute, single use). The push
 * carries a retry key derived from the triggering event, so a retried event can
 * never push twice. The message is added to the conversation history.
 * More than LINE's 5 messages (a scenario's steps that do not wait, then a
 * question) go as the reply of the first 5, then pushes of 5, each with its own
 * retry key.
 */
import { ulid } from 'ulid';
import type { ConversationLog } from '../conversations/conversation-log';
import type { Clock } from '../ports/clock';
import { retryKey } from '../shared/retry-key';
import { InvalidReplyTokenError, type LineGateway, type LineMessage } from '../ports/line-gateway';

export interface OutboundDeps {
  line: LineGateway;
  conversations: ConversationLog;
  clock: Clock;
}

export interface AnswerTarget {
  userId: string;
  replyToken?: string;
  /** Event that caused the answer; seeds the push retry key. */
  webhookEventId: string;
}

/** The push retry key of the answer to one webhook event (the same on every retry of that event). */
export function answerRetryKey(webhookEventId: string): string {
  return retryKey('answer', webhookEventId);
}

/** LINE's messages per reply or push request. */
export const MESSAGES_PER_REQUEST = 5;

export async function answer(deps: OutboundDeps, target: AnswerTarget, messages: LineMessage[]): Promise<'reply' | 'push'> {
  let via: 'reply' | 'push' = 'push';
  const parts: LineMessage[][] = [];
  for (let i = 0; i < messages.length; i += MESSAGES_PER_REQUEST) parts.push(messages.slice(i, i + MESSAGES_PER_REQUEST));
  if (target.replyToken && parts.length > 0) {
    try {
      await deps.line.reply(target.replyToken, parts[0]!);
      via = 'reply';
    } catch (error) {
      if (!(error instanceof InvalidReplyTokenError)) throw error;
    }
  }
  // The first part's key is the one answers always had; later parts add their place.
  for (const [i, part] of parts.entries()) {
    if (i === 0 && via === 'reply') continue;
    await deps.line.push(target.userId, part, i === 0 ? answerRetryKey(target.webhookEventId) : retryKey('answer', `${target.webhookEventId}#${i}`));
  }
  await deps.conversations.append({
    userId: target.userId,
    id: ulid(),
    at: deps.clock.now(),
    direction: 'out',
    by: 'bot',
    kind: 'messages',
    messages,
    webhookEventId: target.webhookEventId,
  });
  return via;
}
