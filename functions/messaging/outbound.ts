/**
 * Sends the account's answer to one friend: the free reply token first, a push
 * when the token is no longer usable (LINE: 1 minute, single use). The push
 * carries a retry key derived from the triggering event, so a retried event can
 * never push twice. The message is added to the conversation history.
 */
import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { ConversationLog } from '../conversations/conversation-log';
import type { Clock } from '../ports/clock';
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

/** A UUID-shaped key that is the same every time for the same seed. */
export function deterministicRetryKey(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
    await deps.line.push(target.userId, messages, deterministicRetryKey(`answer:${target.webhookEventId}`));
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
