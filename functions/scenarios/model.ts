/**
 * Scenario chatbot (the city's specification §4⑻): a scenario is a graph of steps with no limit on
 * their number. A step sends up to 5 messages and then waits for one answer — a choice, free text,
 * an image, a location — or for nothing (it moves on at once). Its edges lead to another step,
 * another scenario, a form (LIFF), a hand-off to 1:1 chat, or the end. Steps are stored one item
 * each (a scenario of any size stays far below DynamoDB's 400 KB item limit) and read as a citizen
 * reaches them. A citizen's position is a run, pinned to the version it started on.
 */
import type { Lang } from '../shared/languages';

/** Text in the city's languages: Japanese always, the others where staff wrote them (Japanese is the fallback). */
export type Localized = { ja: string } & Partial<Record<Exclude<Lang, 'ja'>, string>>;

/** LINE's limits that shape a step (docs: developers.line.biz, quick reply and message objects). */
export const STEP_LIMITS = {
  messages: 5,
  /** Quick-reply buttons per message. */
  quickReplyItems: 13,
  /** A quick-reply button's label. */
  quickReplyLabel: 20,
  /** A text message. */
  text: 5_000,
  /** What a citizen may type into a free-text answer before it is refused unread. */
  answerText: 1_000,
  /** Photos one step may collect (`max` of an image wait). */
  photos: 10,
} as const;

/** A postback that starts a published scenario (rich-menu areas, scenario buttons of deliveries and replies). */
export const START_POSTBACK_PREFIX = 'scenario:';
export const startPostback = (scenarioId: string) => `${START_POSTBACK_PREFIX}${scenarioId}`;

/** Where an answer leads. */
export type Edge =
  | { to: 'step'; stepId: string }
  | { to: 'scenario'; scenarioId: string }
  | { to: 'form'; formId: string }
  | { to: 'handoff' }
  /** The run's answers become a citizen report (functions/reports/): receipt number and summary. */
  | { to: 'report' }
  | { to: 'end' };

export interface Choice {
  /** Stable within the step (the postback names it). */
  choiceId: string;
  label: Localized;
  /** What is stored under the step's `saveAs` (default: the Japanese label). */
  value?: string;
  next: Edge;
}

/** Checks on a free-text answer, in this order; the first that fails decides the re-prompt. */
export interface TextRules {
  required: boolean;
  minLength?: number;
  maxLength?: number;
  /** number: digits (half- or full-width, one sign and point); alphanumeric: A–Z, 0–9; date: a calendar date. */
  format?: 'number' | 'alphanumeric' | 'date' | 'pattern';
  /** With format 'pattern': checked for catastrophic backtracking when saved. */
  pattern?: string;
}

export type Wait =
  | { kind: 'choice'; choices: Choice[]; display: 'quickReply' | 'buttons'; saveAs?: string }
  | { kind: 'text'; rules: TextRules; saveAs?: string; next: Edge }
  /**
   * One photo, or with `max` > 1 up to that many (sent one by one or several at once): the step
   * stays until the citizen taps 「次へ」 or `max` arrived. `optional`: 「スキップ」 moves on without one.
   */
  | { kind: 'image'; optional: boolean; max?: number; saveAs?: string; next: Edge }
  | { kind: 'location'; saveAs?: string; next: Edge }
  | { kind: 'none'; next: Edge };

export type StepMessage = { type: 'text'; text: Localized } | { type: 'image'; mediaId: string };

export interface Step {
  stepId: string;
  /** Staff's name for it (editor, results: "abandoned at …"). */
  name: string;
  /** 0..5 messages; `{answer.<name>}` in a text is replaced by that answer of this run. */
  messages: StepMessage[];
  wait: Wait;
  /** The re-prompt for an unexpected answer (default: a sentence per language, see engine.ts). */
  reprompt?: Localized;
}

/** A published version's header; its steps are read one by one (`StepSource`). */
export interface ScenarioVersion {
  scenarioId: string;
  version: number;
  name: string;
  startStepId: string;
  /** Minutes without an answer after which a run is forgotten (default 30). */
  timeoutMinutes: number;
  /** Unexpected answers at one step before the way out (the end) is offered (default 3). */
  maxAttempts: number;
  /** The start words this version claims when it is published (rolling back restores an older version's words). */
  startWords?: string[];
  /**
   * Which save's steps are this version's (a ULID per save): two saves racing for one version number
   * write their steps apart, and only the one whose version header lands is ever read.
   */
  stepsId?: string;
}

/** A stored answer: what the citizen gave, in a shape the results and CSV can show. */
export type AnswerValue =
  | { kind: 'choice'; choiceId: string; value: string }
  | { kind: 'text'; text: string }
  | { kind: 'image'; messageId: string }
  /** Several photos of one step; `sets`: how many of each of LINE's image sets arrived (the reply waits for a set's last). */
  | { kind: 'images'; messageIds: string[]; sets?: Record<string, number> }
  | { kind: 'location'; latitude: number; longitude: number; address?: string }
  | { kind: 'skipped' };

/** A citizen's position in a scenario (one at a time per friend). */
export interface ScenarioRun {
  runId: string;
  userId: string;
  scenarioId: string;
  /** The version the run started on: a citizen mid-way finishes on it, whatever staff publish meanwhile. */
  version: number;
  stepId: string;
  /** The steps behind this one (for 「戻る」), newest last; bounded. */
  trail: string[];
  answers: Record<string, AnswerValue>;
  /** Unexpected answers at the current step. */
  attempts: number;
  startedAt: string;
  updatedAt: string;
  /** When the run is forgotten if nothing arrives (updatedAt + the version's timeout). */
  expiresAt: string;
  /** Each advance adds one: the store's condition (two events never advance from the same position). */
  seq: number;
  /** The events that advanced it (webhookEventId), newest last, bounded: a redelivered event changes nothing. */
  events: string[];
  /** When it ended (finished, left for a hand-off/form/another scenario, quit or gave up); kept until it expires so a redelivered last event still changes nothing. */
  endedAt?: string;
  /** Where it went when it ended (a report edge's retry makes the report again, idempotently). */
  exitTo?: 'end' | 'handoff' | 'report' | 'form' | 'scenario';
}

export const DEFAULT_TIMEOUT_MINUTES = 30;
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Steps remembered for 「戻る」 and events remembered for redelivery. */
export const TRAIL_MAX = 50;
export const EVENTS_MAX = 20;
/** Steps that move on by themselves, in a row, before the engine stops (a loop the editor let through). */
export const AUTO_ADVANCE_MAX = 25;

/** Bounds of what staff save (the body of a save; a scenario's steps have no count limit). */
export const SCENARIO_LIMITS = {
  nameChars: 100,
  stepNameChars: 100,
  startWords: 20,
  startWordChars: 100,
  /** Choices of one step: 13 quick replies less 戻る/最初から, or a carousel of 10 columns of 3. */
  quickReplyChoices: 11,
  buttonChoices: 30,
  saveAsChars: 40,
  /** A save's JSON body: any number of steps up to this (500 ordinary steps are ~0.5 MB). */
  bodyBytes: 4 * 1024 * 1024,
  /** Versions listed on a scenario (older ones stay stored for runs pinned to them). */
  versionsListed: 100,
  timeoutMinutes: { min: 1, max: 24 * 60 },
  maxAttempts: { min: 1, max: 10 },
} as const;

/** A saved version as the scenario's header lists it. */
export interface VersionInfo {
  version: number;
  savedAt: string;
  savedBy: string;
  steps: number;
  publishedAt?: string;
  publishedBy?: string;
}

/**
 * A scenario (list item and header): every save makes a new version (steps one item each, never
 * changed again); publishing points citizens at one of them, rolling back at an older one.
 */
export interface ScenarioHeader {
  scenarioId: string;
  name: string;
  /** Exact words (after normalisation) that start the published version: the scenario's keyword trigger (a rich-menu keyword area sends one). */
  startWords: string[];
  /** The newest saved version (the editor opens it). */
  latestVersion: number;
  /** The version citizens start on; absent while unpublished. */
  publishedVersion?: number;
  /** Newest last, at most SCENARIO_LIMITS.versionsListed. */
  versions: VersionInfo[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** Bumped by every change; a change names the revision it started from. */
  rev: number;
}

/** What the editor saves as a new version. */
export interface ScenarioDraft {
  name: string;
  startWords: string[];
  startStepId: string;
  timeoutMinutes: number;
  maxAttempts: number;
  steps: Step[];
}

/** How a run stands in the results. */
export type RunStatus = 'running' | 'finished' | 'quit' | 'gave_up' | 'broken' | 'handoff' | 'form' | 'scenario' | 'report';

/** A run as the results keep it (one item per run, rewritten as it moves: the latest state wins by `seq`). */
export interface RunRecord {
  runId: string;
  scenarioId: string;
  version: number;
  userId: string;
  startedAt: string;
  updatedAt: string;
  /** The step it is at (running: where it waits; ended: where it ended). */
  stepId: string;
  status: RunStatus;
  answers: Record<string, AnswerValue>;
  seq: number;
  /** Running runs past this are abandoned (at `stepId`). Not `expiresAt`: that is the table's TTL attribute (epoch seconds); results are kept. */
  runExpiresAt: string;
}
