/** A keyword rule's answer as LINE messages (the webhook's responder and the console's "try"). */
import { pickVariant, toLineMessages } from '../deliveries/compose';
import type { LineMessage } from '../ports/line-gateway';
import type { KeywordRule } from './model';

/** The answer a rule gives a friend in `language` (images from the platform's public address; links as written). */
export function ruleMessages(rule: Pick<KeywordRule, 'replies'>, language: string | undefined, publicBaseUrl: string, friendName?: string): LineMessage[] {
  return toLineMessages(
    pickVariant({ variants: rule.replies }, language),
    [],
    { mediaUrl: (mediaId, kind) => `${publicBaseUrl}/media/${encodeURIComponent(mediaId)}/${kind}`, linkUrl: (_i, url) => url },
    friendName,
  );
}
