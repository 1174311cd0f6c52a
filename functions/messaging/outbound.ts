/**
 * Sends the account's answer to one friend: the free reply token first, a push
 * when the token is no longer usable (LINE: 1 minute, single use). The push
 * carries a retry key derived from the triggering event, so a retried event can
 * never push twice. The message is added to the conversation history.
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

export async function answer(deps: OutboundDeps, target: AnswerTarget, messages: LineMessage[]): Promise<'reply' | 'push'> {
  let via: 'reply' | 'push' = 'push';
  if (target.replyToken) {
    try {
      await deps.line.reply(target.replyToken, messages);
      via = 'reply';
    } catch (error) {
      if (!(error instanceof InvalidReplyTokenError)) throw error;
    }
  }
  if (via === 'push') {
    await deps.line.push(target.userId, messages, answerRetryKey(target.webhookEventId));
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
