/**
 * Scenarios in the webhook's dispatcher (functions/webhook/dispatcher.ts: after an open 1:1 chat,
 * before keyword rules). What starts a scenario: a published scenario's start word typed or sent by
 * a rich-menu keyword area (its keyword trigger), a postback `scenario:<scenarioId>` (rich menu,
 * a delivery's or a template's button), following the account (the onboarding scenario, after the
 * greeting) and another scenario's edge. A start word wins over a running scenario's free-text
 * answer but never over one of the current question's choices.
 *
 * Each event: the friend's run is read (consistently), the engine moves it, and the run is written
 * on its `seq` with its result in one transaction before anything is sent — two events never
 * advance from one position; a lost race reads again. The same event again (a retry after a
 * failed answer) asks the current question again with the same retry key, never a second step.
 */
import { normalizeForMatch } from '../keywords/normalize';
import type { Clock } from '../ports/clock';
import type { LineMessage } from '../ports/line-gateway';
import type { Lang } from '../shared/languages';
import { formLiffUrl } from '../shared/liff-url';
import { logger } from '../shared/powertools';
import type { InboundMessage, Responder } from '../webhook/dispatcher';
import {
  advanceRun,
  choiceByLabel,
  commandOf,
  inLang,
  isLive,
  parsePostback,
  render,
  startRun,
  type EngineContext,
  type Exit,
  type Input,
  type Outcome,
  type StepSource,
} from './engine';
import { START_POSTBACK_PREFIX, type RunRecord, type RunStatus, type ScenarioRun, type ScenarioVersion } from './model';
import type { ScenarioDefinitions, ScenarioRuns, StartWords } from './ports';

export { START_POSTBACK_PREFIX, startPostback } from './model';

/** How long an instance uses the start words it read before checking their marker (as keyword rules). */
export const WORDS_MAX_AGE_MS = 3_000;
/** Scenarios chained by their first steps in one event (A's first step leads to B, …): more is a loop. */
const CHAIN_MAX = 5;
/** Saves tried per event: the photos of one set arrive together and race on the run's seq. */
const SAVE_TRIES = 10;
/** Between tries: a random pause growing with the tries (≤ 50 ms × try), so racers spread out. */
const racePause = (tries: number) => new Promise((r) => setTimeout(r, Math.random() * 50 * (tries + 1)));
/** How long after a run ended or timed out 「最初から」 still starts it again. */
const RESTART_WITHIN_MS = 24 * 3_600_000;

export interface ScenarioRuntimeDeps {
  definitions: Pick<ScenarioDefinitions, 'get' | 'version' | 'startWords' | 'wordsVersion' | 'settings'>;
  steps: StepSource;
  runs: ScenarioRuns;
  clock: Clock;
  /** Where LINE fetches step images (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** The city's LIFF app: a form edge sends its LIFF address. */
  liffId?: string;
  newRunId: () => string;
  /** A hand-off edge: opens the 1:1 chat and says what happens next (functions/chat). */
  handoff?: (request: { userId: string; language: Lang; at: Date; scenarioId: string; eventId: string }) => Promise<LineMessage[]>;
  /**
   * A report edge: the run's answers become a citizen report (functions/reports). Idempotent by the
   * run: a retried event gets the same receipt again.
   */
  report?: (request: { run: ScenarioRun; language: Lang; at: Date }) => Promise<LineMessage[]>;
  words?: CachedStartWords;
}

const SAYINGS = {
  closed: {
    ja: 'この質問の受付は終わりました。もう一度始めるときは、メニューから選んでください。',
    en: 'This question has closed. To start again, choose it from the menu.',
    ko: '이 질문의 접수는 끝났습니다. 다시 시작하려면 메뉴에서 선택해 주세요.',
    'zh-Hans': '此问题已结束。如需重新开始，请从菜单中选择。',
    'zh-Hant': '此問題已結束。如需重新開始，請從選單中選擇。',
  },
  unavailable: {
    ja: 'すみません、この案内は現在ご利用いただけません。',
    en: 'Sorry, this guide is not available right now.',
    ko: '죄송합니다. 이 안내는 현재 이용할 수 없습니다.',
    'zh-Hans': '抱歉，此指南目前无法使用。',
    'zh-Hant': '抱歉，此指南目前無法使用。',
  },
  form: {
    ja: 'こちらから入力してください。',
    en: 'Please fill in the form here.',
    ko: '여기에서 입력해 주세요.',
    'zh-Hans': '请在此填写。',
    'zh-Hant': '請在此填寫。',
  },
  open: { ja: '開く', en: 'Open', ko: '열기', 'zh-Hans': '打开', 'zh-Hant': '開啟' },
  /** A hand-off while this platform has no 1:1 chat yet: said, not silent. */
  noReport: {
    ja: '申し訳ありません。ただいまこちらでは通報を受け付けられません。お急ぎの場合は市役所の担当課へお電話ください。',
    en: 'Sorry, reports cannot be taken here right now. If it is urgent, please call the city office.',
    ko: '죄송합니다. 지금은 여기에서 신고를 받을 수 없습니다. 급한 경우 시청 담당 부서로 전화해 주세요.',
    'zh-Hans': '抱歉，目前无法在此受理报告。如有急事，请致电市政府相关部门。',
    'zh-Hant': '抱歉，目前無法在此受理通報。如有急事，請致電市政府相關部門。',
  },
  noHandoff: {
    ja: '申し訳ありません。ただいま職員がこのトークでお返事できません。お急ぎの場合は市役所の担当課へお電話ください。',
    en: 'Sorry, our staff cannot reply in this chat right now. If it is urgent, please call the city office.',
    ko: '죄송합니다. 지금은 직원이 이 대화에서 답변할 수 없습니다. 급한 경우 시청 담당 부서로 전화해 주세요.',
    'zh-Hans': '抱歉，工作人员目前无法在此聊天中回复。如有急事，请致电市政府相关部门。',
    'zh-Hant': '抱歉，工作人員目前無法在此聊天中回覆。如有急事，請致電市政府相關部門。',
  },
} as const;

/** Published start words per instance, re-read when their marker moved (checked at most every WORDS_MAX_AGE_MS). */
export class CachedStartWords {
  private current?: StartWords & { checkedAt: number };
  private refreshing?: Promise<Map<string, string>>;

  constructor(
    private readonly definitions: Pick<ScenarioDefinitions, 'startWords' | 'wordsVersion'>,
    private readonly maxAgeMs = WORDS_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async words(): Promise<Map<string, string>> {
    if (this.current && this.now() - this.current.checkedAt < this.maxAgeMs) return this.current.words;
    this.refreshing ??= this.refresh()
      .catch((error: unknown) => {
        if (!this.current) throw error;
        logger.warn('Scenario start words not refreshed; using the ones read before', { error: error instanceof Error ? error.message : String(error) });
        return this.current.words;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(): Promise<Map<string, string>> {
    const checkedAt = this.now();
    const version = await this.definitions.wordsVersion();
    if (this.current && this.current.version === version) {
      this.current.checkedAt = checkedAt;
      return this.current.words;
    }
    const read = await this.definitions.startWords();
    this.current = { ...read, checkedAt };
    return read.words;
  }
}

/** The engine's view of a message (null: nothing a scenario takes). */
function inputOf(message: InboundMessage): Input {
  switch (message.kind) {
    case 'text':
      return { kind: 'text', text: message.text ?? '' };
    case 'postback':
      return parsePostback(message.postbackData ?? '') ?? { kind: 'other' };
    case 'image':
      return { kind: 'image', messageId: message.messageId, ...(message.imageSet ? { set: message.imageSet } : {}) };
    case 'location':
      return message.location ? { kind: 'location', ...message.location } : { kind: 'other' };
    default:
      return { kind: 'other' };
  }
}

function statusOf(run: ScenarioRun, exit: Exit | undefined): RunStatus {
  if (!run.endedAt || !exit) return 'running';
  return exit.to === 'end' ? exit.reason : exit.to;
}

function recordOf(run: ScenarioRun, exit: Exit | undefined): RunRecord {
  return {
    runId: run.runId,
    scenarioId: run.scenarioId,
    version: run.version,
    userId: run.userId,
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    stepId: run.stepId,
    status: statusOf(run, exit),
    answers: run.answers,
    seq: run.seq,
    runExpiresAt: run.expiresAt,
  };
}

export class ScenarioRuntime {
  private readonly words: CachedStartWords;

  constructor(private readonly deps: ScenarioRuntimeDeps) {
    this.words = deps.words ?? new CachedStartWords(deps.definitions);
  }

  responder(): Responder {
    return { name: 'scenario', respond: (input) => this.respond(input) };
  }

  /** The onboarding scenario for a new friend (after the greeting); [] when none is set or it is not published. */
  async onboard(request: { userId: string; language: Lang; eventId: string }): Promise<LineMessage[]> {
    const settings = await this.deps.definitions.settings();
    if (!settings.onboardingScenarioId) return [];
    for (let tries = 0; tries < SAVE_TRIES; tries++) {
      const stored = await this.deps.runs.get(request.userId);
      if (stored?.events.includes(request.eventId)) return this.again(stored, request.language, request.eventId);
      const result = await this.start(settings.onboardingScenarioId, request.userId, request.language, request.eventId, stored);
      if (result === 'raced') {
        await racePause(tries);
        continue;
      }
      return result ?? [];
    }
    throw new Error('Scenario run kept changing under the onboarding');
  }

  async respond(message: InboundMessage): Promise<LineMessage[] | null> {
    const input = inputOf(message);
    const postback = message.kind === 'postback' ? (message.postbackData ?? '') : '';
    const startId = postback.startsWith(START_POSTBACK_PREFIX) ? postback.slice(START_POSTBACK_PREFIX.length) : null;
    // Only text, a scenario postback, an image or a location can concern a scenario.
    if (input.kind === 'other' && !startId) return null;
    for (let tries = 0; tries < SAVE_TRIES; tries++) {
      const result = await this.once(message, input, startId);
      if (result !== 'raced') return result;
      await racePause(tries);
    }
    throw new Error('Scenario run kept changing under this event');
  }

  private async once(message: InboundMessage, input: Input, startId: string | null): Promise<LineMessage[] | null | 'raced'> {
    const { userId, language: lang } = message;
    const eventId = message.messageId;
    const now = this.deps.clock.now();
    const stored = await this.deps.runs.get(userId);
    if (stored?.events.includes(eventId)) return this.again(stored, lang, eventId);
    if (startId) return this.start(startId, userId, lang, eventId, stored, true);

    const live = isLive(stored, now) ? stored : null;
    const version = live ? await this.deps.definitions.version(live.scenarioId, live.version) : null;
    if (input.kind === 'text') {
      const wordOwner = (await this.words.words()).get(normalizeForMatch(input.text));
      // A start word wins over a free-text answer, not over one of the current question's choices.
      if (wordOwner && !(live && version && (await this.isChoiceLabel(live, version, input.text, lang)))) {
        return this.start(wordOwner, userId, lang, eventId, stored);
      }
    }
    // 「最初から」 after a run ended or timed out (the way out a gave-up run offers): that scenario again.
    if (
      !live &&
      stored &&
      input.kind === 'text' &&
      commandOf(input.text, lang) === 'restart' &&
      now.getTime() - Math.max(Date.parse(stored.updatedAt), Date.parse(stored.expiresAt)) < RESTART_WITHIN_MS
    ) {
      return this.start(stored.scenarioId, userId, lang, eventId, stored, true);
    }
    if (!live || !version) {
      // A scenario button after its run ended or timed out: said plainly, not left to the keyword rules.
      return input.kind === 'choice' ? [{ type: 'text', text: inLang(SAYINGS.closed, lang) }] : null;
    }
    const outcome = await advanceRun(this.context(version, lang, now), live, input, eventId);
    if (outcome.duplicate) return this.again(live, lang, eventId);
    return this.commit(outcome, live.seq, lang, 0);
  }

  /** Starts the published version of `scenarioId` (null when it does not exist: the text goes on to the keyword rules). */
  private async start(
    scenarioId: string,
    userId: string,
    lang: Lang,
    eventId: string,
    stored: ScenarioRun | null,
    asked = false,
    depth = 0,
  ): Promise<LineMessage[] | null | 'raced'> {
    const header = await this.deps.definitions.get(scenarioId);
    const version = header?.publishedVersion ? await this.deps.definitions.version(scenarioId, header.publishedVersion) : null;
    if (!version) return asked || depth > 0 ? [{ type: 'text', text: inLang(SAYINGS.unavailable, lang) }] : null;
    const outcome = await startRun(this.context(version, lang, this.deps.clock.now()), { runId: this.deps.newRunId(), userId, eventId, previous: stored });
    return this.commit(outcome, stored?.seq ?? null, lang, depth);
  }

  /** Stores the run (and its result) on the seq it was read with, then what its exit adds. */
  private async commit(outcome: Outcome, expectedSeq: number | null, lang: Lang, depth: number): Promise<LineMessage[] | 'raced'> {
    if (!(await this.deps.runs.save(outcome.run, expectedSeq, recordOf(outcome.run, outcome.exit)))) return 'raced';
    const messages = [...outcome.messages];
    const exit = outcome.exit;
    if (!exit || exit.to === 'end') return messages;
    if (exit.to === 'form') {
      if (this.deps.liffId) messages.push(this.formMessage(formLiffUrl(this.deps.liffId, exit.formId), lang));
      else logger.warn('Scenario form edge without a LIFF app', { scenarioId: outcome.run.scenarioId });
      return messages;
    }
    if (exit.to === 'handoff') {
      if (this.deps.handoff)
        messages.push(
          ...(await this.deps.handoff({
            userId: outcome.run.userId,
            language: lang,
            at: this.deps.clock.now(),
            scenarioId: outcome.run.scenarioId,
            // The message that led here: a retry of it is known to the chat as the one that opened it.
            eventId: outcome.run.events.at(-1) ?? outcome.run.runId,
          })),
        );
      else messages.push({ type: 'text', text: inLang(SAYINGS.noHandoff, lang) });
      return messages;
    }
    if (exit.to === 'report') return [...messages, ...(await this.reported(outcome.run, lang))];
    // Another scenario: it starts now, on its published version, continuing this run's seq and events.
    if (depth + 1 >= CHAIN_MAX) return [...messages, { type: 'text', text: inLang(SAYINGS.unavailable, lang) }];
    const next = await this.start(exit.scenarioId, outcome.run.userId, lang, `${outcome.run.events.at(-1) ?? ''}#${depth + 1}`, outcome.run, false, depth + 1);
    if (next === 'raced') return 'raced';
    return [...messages, ...(next ?? [])];
  }

  private async reported(run: ScenarioRun, lang: Lang): Promise<LineMessage[]> {
    if (this.deps.report) return this.deps.report({ run, language: lang, at: this.deps.clock.now() });
    logger.warn('Scenario report edge without the reports capability', { scenarioId: run.scenarioId });
    return [{ type: 'text', text: inLang(SAYINGS.noReport, lang) }];
  }

  /** The event was applied before (its answer failed): the current question again, or nothing when the run ended. */
  private async again(run: ScenarioRun, lang: Lang, eventId: string): Promise<LineMessage[]> {
    // The event that made the run a report came again (the report or its reply failed): the report again, the same receipt.
    if (run.endedAt && run.exitTo === 'report' && run.events.at(-1) === eventId) return this.reported(run, lang);
    if (!isLive(run, this.deps.clock.now())) return [];
    const version = await this.deps.definitions.version(run.scenarioId, run.version);
    const step = version && (await this.deps.steps.step(run.scenarioId, run.version, run.stepId));
    return version && step ? render(this.context(version, lang, this.deps.clock.now()), run, step) : [];
  }

  private async isChoiceLabel(run: ScenarioRun, version: ScenarioVersion, typed: string, lang: Lang): Promise<boolean> {
    const step = await this.deps.steps.step(run.scenarioId, version.version, run.stepId);
    if (step?.wait.kind !== 'choice') return false;
    // The engine's own comparison: what it would take as this choice.
    return !!choiceByLabel(step.wait.choices, typed, lang);
  }

  private context(version: ScenarioVersion, lang: Lang, now: Date): EngineContext {
    return { source: this.deps.steps, version, lang, now, publicBaseUrl: this.deps.publicBaseUrl, ...(this.deps.liffId ? { liffId: this.deps.liffId } : {}) };
  }

  private formMessage(url: string, lang: Lang): LineMessage {
    const text = inLang(SAYINGS.form, lang);
    return { type: 'template', altText: text, template: { type: 'buttons', text, actions: [{ type: 'uri', label: inLang(SAYINGS.open, lang), uri: url }] } };
  }
}
