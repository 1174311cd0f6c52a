/**
 * Keyword auto-replies: a citizen's message that matches a rule is answered with the rule's reply
 * (the same content blocks as a delivery: text, image, card, link button; a variant per language).
 * Dependency-free apart from the delivery content types, so the console imports it as it is.
 */
import type { Variant } from '../deliveries/model';

/** How a rule's keywords meet the (normalised) message. */
export const MATCH_KINDS = ['exact', 'contains', 'regex'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export const KEYWORD_LIMITS = {
  rules: 1_000,
  nameChars: 60,
  /** Keywords per rule, and the length of each (a regular expression may be longer). */
  patternsPerRule: 20,
  patternChars: 100,
  regexChars: 300,
  /** Priority: 1 is tried first. */
  priorityMin: 1,
  priorityMax: 9_999,
  /**
   * A message is matched on its first characters only: keyword questions are short, and a long
   * message (a complaint, a report) is for staff to read, not for an automatic answer. It also
   * bounds a regular expression's work per message.
   */
  matchChars: 300,
} as const;

export interface KeywordRule {
  ruleId: string;
  /** Staff's name for the rule (the list and the hit counts show it). */
  name: string;
  match: MatchKind;
  /** Any of these matches (exact, contains) — or, for `regex`, any of these expressions. */
  patterns: string[];
  priority: number;
  /** Off: kept but never used. */
  enabled: boolean;
  /** Japan-time period, inclusive (ISO instants); open when absent. */
  activeFrom?: string;
  activeUntil?: string;
  /** The answer: a Japanese variant, and others for friends with that LINE language. */
  replies: Variant[];
  /** After the reply, the friend is put through to staff (a 1:1 chat opens: functions/chat/). */
  handoff?: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** Bumped by every change; an edit names the version it started from. */
  version: number;
}

/** What a rule needs to match (the matcher's input; the stored rule has more). */
export type MatchableRule = Pick<KeywordRule, 'ruleId' | 'match' | 'patterns' | 'priority' | 'enabled' | 'activeFrom' | 'activeUntil'>;

/** One day's hits of a rule (Japan date). */
export interface KeywordHits {
  ruleId: string;
  date: string;
  count: number;
}

/** A message only the default reply answered (the unanswered list). */
export interface UnansweredMessage {
  userId: string;
  messageId: string;
  at: string;
  text: string;
  displayName?: string;
}
