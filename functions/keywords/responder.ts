/**
 * Keyword auto-replies in the webhook's dispatcher (functions/webhook/dispatcher.ts): a text
 * message that a rule matches is answered with the rule's reply in the friend's language, and the
 * hit counted for the day; a text message that only the default reply answers is kept for staff
 * (the unanswered list).
 */
import type { InboundMessage, Responder } from '../webhook/dispatcher';
import type { LineMessage } from '../ports/line-gateway';
import { logger } from '../shared/powertools';
import { jstDay } from '../shared/japan-time';
import type { Clock } from '../ports/clock';
import type { KeywordHitCounter, UnansweredRecorder } from './ports';
import type { CachedKeywordRules } from './rule-cache';
import { ruleMessages } from './reply';

export interface KeywordResponderDeps {
  rules: CachedKeywordRules;
  keywordHits: KeywordHitCounter;
  clock: Clock;
  /** Where LINE fetches reply images (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** A rule with `handoff`: the friend asks for a person after its reply (functions/chat/citizen-chat.ts). */
  handoff?: (input: InboundMessage) => Promise<LineMessage[]>;
}

export function keywordResponder(deps: KeywordResponderDeps): Responder {
  return {
    name: 'keyword',
    async respond(input) {
      if (input.kind !== 'text' || !input.text?.trim()) return null;
      const rule = (await deps.rules.matcher()).match(input.text, input.at);
      if (!rule) return null;
      let messages;
      try {
        messages = ruleMessages(rule, input.friend?.language, deps.publicBaseUrl, input.friend?.displayName);
      } catch (error) {
        // Checked when saved; a rule that cannot be sent now (e.g. a name making a text too long) falls through.
        logger.warn('Keyword rule could not be composed', { ruleId: rule.ruleId, error: error instanceof Error ? error.message : String(error) });
        return null;
      }
      // A count, not the answer: its failure is logged and the citizen still gets the reply. Dated by
      // the message and keyed by it: a retried event counts once, on the same day.
      await deps.keywordHits.record(rule.ruleId, jstDay(input.at), input.messageId).catch((error: unknown) => {
        logger.warn('Keyword hit not counted', { ruleId: rule.ruleId, error: error instanceof Error ? error.message : String(error) });
      });
      if (rule.handoff && deps.handoff) messages.push(...(await deps.handoff(input)));
      return messages;
    },
  };
}

/** The default reply, keeping each text message it answers for the unanswered list. */
export function recordingUnanswered(fallback: Responder, unanswered: UnansweredRecorder): Responder {
  return {
    name: fallback.name,
    async respond(input: InboundMessage) {
      if (input.kind === 'text' && input.text?.trim()) {
        await unanswered.record({
          userId: input.userId,
          messageId: input.messageId,
          at: input.at.toISOString(),
          text: input.text.slice(0, 2_000),
          ...(input.friend?.displayName ? { displayName: input.friend.displayName } : {}),
        });
      }
      return fallback.respond(input);
    },
  };
}
