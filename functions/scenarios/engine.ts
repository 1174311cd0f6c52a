/**
 * The scenario engine: where a citizen's answer takes their run, and what they are sent. No storage
 * and no LINE calls here — steps come through `StepSource`, the run is returned for the caller to
 * store (conditionally on `seq`), the messages for it to send. Reused by citizen reports.
 *
 * Rules (docs/scenarios-api.md):
 * - A run is pinned to the version it started on; 「最初から」 starts that scenario again, 「戻る」
 *   goes back to the previous question (its answer forgotten), 「やめる」 ends the run — at any step,
 *   in Japanese or the friend's language; a choice labelled with such a word is the choice.
 * - An answer that does not fit gets the step's re-prompt (with why, for free text); after
 *   `maxAttempts` of them the run ends with a way out, so nobody is stuck.
 * - A tap on a button of an earlier question (its postback names the step and the run's `seq`) is
 *   not taken for an answer to the current one: the current question is asked again (not counted
 *   as a wrong answer).
 * - The same event twice (LINE's redelivery) changes nothing: the run remembers its events.
 * - Steps without a wait move on at once; more than AUTO_ADVANCE_MAX in a row end the run (a loop).
 * - Every ending says why (finished, quit, gave up, broken) for the results.
 */
import { message, type MessageKey } from '../forms/messages';
import { placePickerLiffUrl } from '../shared/liff-url';
import type { LineMessage } from '../ports/line-gateway';
import type { Lang } from '../shared/languages';
import {
  AUTO_ADVANCE_MAX,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_TIMEOUT_MINUTES,
  EVENTS_MAX,
  STEP_LIMITS,
  TRAIL_MAX,
  type AnswerValue,
  type Edge,
  type Localized,
  type ScenarioRun,
  type ScenarioVersion,
  type Step,
  type TextRules,
} from './model';

export interface StepSource {
  /** A step of a published version; null when it does not exist (a dangling edge the editor let through). */
  step(scenarioId: string, version: number, stepId: string): Promise<Step | null>;
}

/** What the citizen sent, as the engine needs it. */
export type Input =
  | { kind: 'text'; text: string }
  /** A postback of a scenario button (`parsePostback`): the run, its `seq` when the button was sent, the step and the choice. */
  | { kind: 'choice'; runId: string; seq: number; stepId: string; choiceId: string }
  /** `set`: LINE's imageSet when the citizen sent several photos at once (one event each, in any order). */
  | { kind: 'image'; messageId: string; set?: { id: string; index: number; total: number } }
  | { kind: 'location'; latitude: number; longitude: number; address?: string }
  | { kind: 'other' };

/** How a run ended at the end: finished (an edge to the end), quit (やめる), gave up (too many unexpected answers), broken (a missing step or a loop). */
export type EndReason = 'finished' | 'quit' | 'gave_up' | 'broken';

/** Where a run leaves the scenario: the caller starts the other scenario, opens the form or the chat. */
export type Exit =
  { to: 'end'; reason: EndReason } | { to: 'handoff' } | { to: 'report' } | { to: 'form'; formId: string } | { to: 'scenario'; scenarioId: string };

export interface Outcome {
  /** The run to store; `endedAt` set when it ended (`exit` says how). */
  run: ScenarioRun;
  /** In order; more than LINE's 5 a request when steps that do not wait came first: the caller sends them in requests of ≤ 5 (the reply, then pushes). */
  messages: LineMessage[];
  exit?: Exit;
  /** The event was already applied: store and send nothing. */
  duplicate?: true;
  /** The answer this event gave (results). */
  answered?: { stepId: string; saveAs?: string; value: AnswerValue };
}

export interface EngineContext {
  source: StepSource;
  version: ScenarioVersion;
  lang: Lang;
  now: Date;
  /** Where LINE fetches step images (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** The city's LIFF app: a place question also offers 「地図で選ぶ」 (the map pin page sends a location message). */
  liffId?: string;
}

const POSTBACK_PREFIX = 'sc|';

/** A scenario button's postback data (≤ 300 characters: IDs are short): the run's `seq` tells a button of this visit from one of an earlier visit to the same step. */
export function choicePostback(runId: string, seq: number, stepId: string, choiceId: string): string {
  return `${POSTBACK_PREFIX}${runId}|${seq}|${stepId}|${choiceId}`;
}

/** A postback of a scenario button, or null for any other postback. */
export function parsePostback(data: string): Extract<Input, { kind: 'choice' }> | null {
  if (!data.startsWith(POSTBACK_PREFIX)) return null;
  const [runId, seq, stepId, choiceId, ...rest] = data.slice(POSTBACK_PREFIX.length).split('|');
  if (!runId || !seq || !/^\d{1,9}$/.test(seq) || !stepId || !choiceId || rest.length > 0) return null;
  return { kind: 'choice', runId, seq: Number(seq), stepId, choiceId };
}

/** The words that steer a run, in every language (compared after trimming and lower-casing). */
export const COMMANDS: Record<'restart' | 'back' | 'quit' | 'skip' | 'next', Localized> = {
  restart: { ja: '最初から', en: 'Start over', ko: '처음부터', 'zh-Hans': '从头开始', 'zh-Hant': '從頭開始' },
  back: { ja: '戻る', en: 'Back', ko: '뒤로', 'zh-Hans': '返回', 'zh-Hant': '返回' },
  quit: { ja: 'やめる', en: 'Quit', ko: '그만두기', 'zh-Hans': '退出', 'zh-Hant': '退出' },
  skip: { ja: 'スキップ', en: 'Skip', ko: '건너뛰기', 'zh-Hans': '跳过', 'zh-Hant': '跳過' },
  /** Done sending photos (a step that takes several). */
  next: { ja: '次へ', en: 'Next', ko: '다음', 'zh-Hans': '下一步', 'zh-Hant': '下一步' },
};

const SAYINGS = {
  reprompt: {
    ja: 'すみません、お答えを受け付けられませんでした。もう一度お願いします。',
    en: "Sorry, I couldn't take that answer. Please try again.",
    ko: '죄송합니다. 답변을 받을 수 없었습니다. 다시 입력해 주세요.',
    'zh-Hans': '抱歉，无法接受该回答。请再试一次。',
    'zh-Hant': '抱歉，無法接受該回答。請再試一次。',
  },
  number: { ja: '数字で入力してください。', en: 'Please enter a number.', ko: '숫자로 입력해 주세요.', 'zh-Hans': '请输入数字。', 'zh-Hant': '請輸入數字。' },
  alphanumeric: {
    ja: '半角英数字で入力してください。',
    en: 'Please use letters and digits only.',
    ko: '영문자와 숫자로 입력해 주세요.',
    'zh-Hans': '请只输入字母和数字。',
    'zh-Hant': '請只輸入字母和數字。',
  },
  image: { ja: '写真を送ってください。', en: 'Please send a photo.', ko: '사진을 보내 주세요.', 'zh-Hans': '请发送照片。', 'zh-Hant': '請傳送照片。' },
  /** `{n}`: photos received so far at this step. */
  photos: {
    ja: '写真を受け取りました（{n}枚）。ほかにもあれば送ってください。終わったら「次へ」を押してください。',
    en: 'Photo received ({n} so far). Send more if you like, then tap "Next".',
    ko: '사진을 받았습니다 ({n}장). 더 있으면 보내 주세요. 끝나면 "다음"을 눌러 주세요.',
    'zh-Hans': '已收到照片（{n}张）。如有更多请继续发送，完成后请点「下一步」。',
    'zh-Hant': '已收到照片（{n}張）。如有更多請繼續傳送，完成後請點「下一步」。',
  },
  location: {
    ja: '位置情報を送ってください（＋ボタン →「位置情報」）。',
    en: 'Please send your location (+ button → Location).',
    ko: '위치 정보를 보내 주세요 (+ 버튼 → 위치 정보).',
    'zh-Hans': '请发送位置信息（＋按钮 →「位置信息」）。',
    'zh-Hant': '請傳送位置資訊（＋按鈕 →「位置資訊」）。',
  },
  sendLocation: { ja: '位置情報を送る', en: 'Send location', ko: '위치 정보 보내기', 'zh-Hans': '发送位置', 'zh-Hant': '傳送位置' },
  pickOnMap: { ja: '地図で選ぶ', en: 'Pick on a map', ko: '지도에서 선택', 'zh-Hans': '在地图上选择', 'zh-Hant': '在地圖上選擇' },
  choose: { ja: 'お選びください。', en: 'Please choose.', ko: '선택해 주세요.', 'zh-Hans': '请选择。', 'zh-Hant': '請選擇。' },
  answer: { ja: 'お答えください。', en: 'Please answer.', ko: '답해 주세요.', 'zh-Hans': '请回答。', 'zh-Hant': '請回答。' },
  stale: {
    ja: 'そのボタンは前の質問のものです。今の質問にお答えください。',
    en: 'That button belongs to an earlier question. Please answer this one.',
    ko: '그 버튼은 이전 질문의 것입니다. 현재 질문에 답해 주세요.',
    'zh-Hans': '该按钮属于之前的问题。请回答当前的问题。',
    'zh-Hant': '該按鈕屬於之前的問題。請回答目前的問題。',
  },
  gaveUp: {
    ja: 'うまく受け付けられなかったため、いったん終了します。もう一度始めるときは、メニューから選んでください。',
    en: "I couldn't take your answers, so I have stopped here. To start again, choose it from the menu.",
    ko: '답변을 받을 수 없어 여기서 종료합니다. 다시 시작하려면 메뉴에서 선택해 주세요.',
    'zh-Hans': '未能接受您的回答，暂时结束。如需重新开始，请从菜单中选择。',
    'zh-Hant': '未能接受您的回答，暫時結束。如需重新開始，請從選單中選擇。',
  },
  quit: { ja: '終了しました。', en: 'Stopped.', ko: '종료했습니다.', 'zh-Hans': '已结束。', 'zh-Hant': '已結束。' },
  broken: {
    ja: 'すみません、この案内は現在ご利用いただけません。',
    en: 'Sorry, this guide is not available right now.',
    ko: '죄송합니다. 이 안내는 현재 이용할 수 없습니다.',
    'zh-Hans': '抱歉，此指南目前无法使用。',
    'zh-Hant': '抱歉，此指南目前無法使用。',
  },
} satisfies Record<string, Required<Localized>>;

/** Text in the friend's language, Japanese when the step has none. */
export function inLang(text: Localized, lang: Lang): string {
  return (lang !== 'ja' ? text[lang] : undefined) || text.ja;
}

/** `{answer.<name>}` replaced by the run's answer (nothing when unanswered). */
export function fillAnswers(text: string, answers: Record<string, AnswerValue>, lang: Lang = 'ja'): string {
  return text.replace(/\{answer\.([A-Za-z0-9_]{1,40})\}/g, (_, name: string) => answerText(answers[name], lang));
}

const PHOTO_COUNT: Required<Localized> = { ja: '(写真{n}枚)', en: '({n} photos)', ko: '(사진 {n}장)', 'zh-Hans': '(照片{n}张)', 'zh-Hant': '(照片{n}張)' };

/** An answer as text (templates in the citizen's language; results and CSV in Japanese). */
export function answerText(value: AnswerValue | undefined, lang: Lang = 'ja'): string {
  switch (value?.kind) {
    case 'choice':
      return value.value;
    case 'text':
      return value.text;
    case 'location':
      return value.address ?? `${value.latitude},${value.longitude}`;
    case 'image':
      return '(写真)';
    case 'images':
      return inLang(PHOTO_COUNT, lang).replace('{n}', String(value.messageIds.length));
    default:
      return '';
  }
}

export function isExpired(run: ScenarioRun, now: Date): boolean {
  return now.getTime() >= Date.parse(run.expiresAt);
}

/** A run the next event belongs to: not ended, not expired. */
export function isLive(run: ScenarioRun | null, now: Date): run is ScenarioRun {
  return !!run && !run.endedAt && !isExpired(run, now);
}

/**
 * Starts a run at the version's first step. `previous`: the friend's stored run (ended, expired or
 * another scenario's): the new one continues its `seq` (the store's condition) and its events (a
 * redelivered event of the old run changes nothing in the new one).
 */
export async function startRun(ctx: EngineContext, init: { runId: string; userId: string; eventId?: string; previous?: ScenarioRun | null }): Promise<Outcome> {
  const at = ctx.now.toISOString();
  const events = [...(init.previous?.events ?? []), ...(init.eventId ? [init.eventId] : [])].slice(-EVENTS_MAX);
  const run: ScenarioRun = {
    runId: init.runId,
    userId: init.userId,
    scenarioId: ctx.version.scenarioId,
    version: ctx.version.version,
    stepId: ctx.version.startStepId,
    trail: [],
    answers: {},
    attempts: 0,
    startedAt: at,
    updatedAt: at,
    expiresAt: expiry(ctx, ctx.now),
    seq: init.previous ? init.previous.seq + 1 : 0,
    events,
  };
  return follow(ctx, run, { to: 'step', stepId: ctx.version.startStepId }, []);
}

/** Applies one event to a live run (the caller checked it is not expired and belongs to `ctx.version`). */
export async function advanceRun(ctx: EngineContext, current: ScenarioRun, input: Input, eventId: string): Promise<Outcome> {
  if (current.events.includes(eventId)) return { run: current, messages: [], duplicate: true };
  const run: ScenarioRun = {
    ...current,
    trail: [...current.trail],
    answers: { ...current.answers },
    events: [...current.events, eventId].slice(-EVENTS_MAX),
    seq: current.seq + 1,
    updatedAt: ctx.now.toISOString(),
    expiresAt: expiry(ctx, ctx.now),
  };

  const step = await ctx.source.step(run.scenarioId, run.version, run.stepId);
  if (!step) return ended(ctx, run, [text(inLang(SAYINGS.broken, ctx.lang))], { to: 'end', reason: 'broken' });
  // A command word in the friend's language or Japanese — unless it is one of this question's choices.
  const labelled = step.wait.kind === 'choice' && input.kind === 'text' && choiceByLabel(step.wait.choices, input.text, ctx.lang);
  const command = input.kind === 'text' && !labelled ? commandOf(input.text, ctx.lang) : null;
  if (command === 'quit') return ended(ctx, run, [text(inLang(SAYINGS.quit, ctx.lang))], { to: 'end', reason: 'quit' });
  if (command === 'restart') {
    const fresh = await startRun(ctx, { runId: run.runId, userId: run.userId, previous: current, eventId });
    return { ...fresh, run: { ...fresh.run, startedAt: run.startedAt } };
  }
  if (command === 'back') {
    const previousId = run.trail[run.trail.length - 1];
    const previous = previousId ? await ctx.source.step(run.scenarioId, run.version, previousId) : null;
    // At the first question (or a previous step that no longer exists) the question is asked again.
    if (!previous) return { run, messages: render(ctx, run, step) };
    run.trail.pop();
    if (previous.wait.kind !== 'none' && previous.wait.saveAs) delete run.answers[previous.wait.saveAs];
    // Photos collected at either step are forgotten with it.
    for (const s of [previous, step]) if (s.wait.kind === 'image') delete run.answers[photosKey(s)];
    run.stepId = previous.stepId;
    run.attempts = 0;
    return { run, messages: render(ctx, run, previous) };
  }
  if (step.wait.kind === 'image' && (step.wait.max ?? 1) > 1) {
    const collected = await collectPhoto(ctx, run, step, step.wait, input);
    if (collected) return collected;
  } else if (input.kind === 'image' && (await filledPhotoStepBefore(ctx, run))) {
    // More photos than the previous step takes (chosen together, or racing past its limit): kept out
    // of this question quietly, never counted as a wrong answer.
    return { run, messages: [] };
  }
  const taken = take(step, input, ctx.lang, run, current.seq);
  if ('unexpected' in taken) return unexpected(ctx, run, step, taken.unexpected);
  const answered = { stepId: step.stepId, ...(step.wait.kind !== 'none' && step.wait.saveAs ? { saveAs: step.wait.saveAs } : {}), value: taken.value };
  if (answered.saveAs) run.answers[answered.saveAs] = taken.value;
  run.trail = [...run.trail, step.stepId].slice(-TRAIL_MAX);
  run.attempts = 0;
  return { ...(await follow(ctx, run, taken.next, [])), answered };
}

/** Where a step that takes several photos keeps them (its `saveAs`, else a name of its own). */
export const photosKey = (step: Step) => (step.wait.kind !== 'none' && step.wait.saveAs) || `@${step.stepId}`;

/**
 * A step that takes several photos: a photo is added and the step stays (a reply says how many, once
 * per image set: after its last photo); 「次へ」 (or 「スキップ」) with photos moves on with them, and
 * the `max`-th photo moves on by itself. null: the input is not one of these (the usual rules apply).
 */
async function collectPhoto(
  ctx: EngineContext,
  run: ScenarioRun,
  step: Step,
  wait: Extract<Step['wait'], { kind: 'image' }>,
  input: Input,
): Promise<Outcome | null> {
  const key = photosKey(step);
  const held = run.answers[key];
  const value: Extract<AnswerValue, { kind: 'images' }> =
    held?.kind === 'images'
      ? { ...held, messageIds: [...held.messageIds], ...(held.sets ? { sets: { ...held.sets } } : {}) }
      : { kind: 'images', messageIds: [] };
  const command = input.kind === 'text' ? commandOf(input.text, ctx.lang) : null;
  const moveOn = () => {
    run.answers[key] = value;
    run.trail = [...run.trail, step.stepId].slice(-TRAIL_MAX);
    run.attempts = 0;
    return follow(ctx, run, wait.next, []).then((o) => ({ ...o, answered: { stepId: step.stepId, saveAs: key, value } }));
  };
  if (input.kind === 'image') {
    if (!value.messageIds.includes(input.messageId)) value.messageIds.push(input.messageId);
    if (input.set) value.sets = { ...value.sets, [input.set.id]: (value.sets?.[input.set.id] ?? 0) + 1 };
    if (value.messageIds.length >= (wait.max ?? 1)) return moveOn();
    run.answers[key] = value;
    // Several at once: one reply, after the set's last photo (LINE sends one event per photo).
    const waiting = input.set && (value.sets?.[input.set.id] ?? 0) < input.set.total;
    return { run, messages: waiting ? [] : render(ctx, run, step) };
  }
  if ((command === 'next' || command === 'skip') && value.messageIds.length > 0) return moveOn();
  return null;
}

/** The step before this one took several photos (the citizen may still be sending some). */
async function filledPhotoStepBefore(ctx: EngineContext, run: ScenarioRun): Promise<boolean> {
  const previousId = run.trail[run.trail.length - 1];
  const previous = previousId ? await ctx.source.step(run.scenarioId, run.version, previousId) : null;
  return previous?.wait.kind === 'image' && (previous.wait.max ?? 1) > 1;
}

/** Moves along an edge: through steps that do not wait, to the first that does, or out. */
async function follow(ctx: EngineContext, run: ScenarioRun, edge: Edge, sent: LineMessage[]): Promise<Outcome> {
  const messages = [...sent];
  for (let moved = 0; ;) {
    if (edge.to === 'end') return ended(ctx, run, messages, { to: 'end', reason: 'finished' });
    if (edge.to !== 'step') return ended(ctx, run, messages, edge);
    const step = await ctx.source.step(run.scenarioId, run.version, edge.stepId);
    if (!step) return ended(ctx, run, [...messages, text(inLang(SAYINGS.broken, ctx.lang))], { to: 'end', reason: 'broken' });
    run.stepId = step.stepId;
    messages.push(...render(ctx, run, step));
    if (step.wait.kind !== 'none') return { run, messages };
    // More than AUTO_ADVANCE_MAX steps in a row that do not wait: a loop the editor let through.
    if (++moved > AUTO_ADVANCE_MAX) return ended(ctx, run, [...messages, text(inLang(SAYINGS.broken, ctx.lang))], { to: 'end', reason: 'broken' });
    edge = step.wait.next;
  }
}

/** A typed label counts as the tap (in the friend's language or Japanese). */
export function choiceByLabel<C extends { label: Localized }>(choices: C[], typed: string, lang: Lang): C | undefined {
  const t = comparable(typed);
  return choices.find((c) => comparable(inLang(c.label, lang)) === t || comparable(c.label.ja) === t);
}

function ended(ctx: EngineContext, run: ScenarioRun, messages: LineMessage[], exit: Exit): Outcome {
  run.endedAt = ctx.now.toISOString();
  run.exitTo = exit.to;
  return { run, messages, exit };
}

/** Why an answer was not taken: the engine's sentences, or the forms' (the same checks, one wording: functions/forms/messages.ts). */
export type Why = keyof typeof SAYINGS | 'required' | 'tooShort' | 'tooLong' | 'date' | 'pattern';
const FORM_WORDING = new Set<Why>(['required', 'tooShort', 'tooLong', 'date', 'pattern']);

type Taken = { value: AnswerValue; next: Edge } | { unexpected: Why };

/** The answer an input gives to the step's wait, or why it does not fit. */
function take(step: Step, input: Input, lang: Lang, run: ScenarioRun, shownSeq: number): Taken {
  const wait = step.wait;
  // A button of an earlier question, an earlier visit of this one, or another run, whatever this step waits for.
  if (input.kind === 'choice' && (input.runId !== run.runId || input.stepId !== step.stepId || input.seq !== shownSeq)) return { unexpected: 'stale' };
  switch (wait.kind) {
    case 'none':
      return { unexpected: 'reprompt' };
    case 'choice': {
      if (input.kind === 'choice') {
        const choice = wait.choices.find((c) => c.choiceId === input.choiceId);
        return choice
          ? { value: { kind: 'choice', choiceId: choice.choiceId, value: choice.value ?? choice.label.ja }, next: choice.next }
          : { unexpected: 'stale' };
      }
      const choice = input.kind === 'text' && choiceByLabel(wait.choices, input.text, lang);
      if (choice) return { value: { kind: 'choice', choiceId: choice.choiceId, value: choice.value ?? choice.label.ja }, next: choice.next };
      return { unexpected: 'reprompt' };
    }
    case 'text': {
      if (input.kind !== 'text') return { unexpected: 'reprompt' };
      const why = checkText(input.text, wait.rules);
      return why ? { unexpected: why } : { value: { kind: 'text', text: input.text.trim() }, next: wait.next };
    }
    case 'image':
      if (input.kind === 'image') return { value: { kind: 'image', messageId: input.messageId }, next: wait.next };
      if (wait.optional && input.kind === 'text' && ['skip', 'next'].includes(commandOf(input.text, lang) ?? ''))
        return { value: { kind: 'skipped' }, next: wait.next };
      return { unexpected: 'image' };
    case 'location':
      if (input.kind === 'location') {
        const { latitude, longitude, address } = input;
        if (!isCoordinate(latitude, longitude)) return { unexpected: 'location' };
        return { value: { kind: 'location', latitude, longitude, ...(address ? { address } : {}) }, next: wait.next };
      }
      return { unexpected: 'location' };
  }
}

/** A place on Earth (LINE's location message; anything else is refused, not stored). */
export const isCoordinate = (latitude: number, longitude: number) =>
  Number.isFinite(latitude) && Number.isFinite(longitude) && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;

/** Why a free-text answer does not fit its rules (null: it does). */
export function checkText(raw: string, rules: TextRules): Why | null {
  if (raw.length > STEP_LIMITS.answerText) return 'tooLong';
  const value = raw.trim();
  if (!value) return rules.required ? 'required' : null;
  const length = [...value].length;
  if (rules.minLength !== undefined && length < rules.minLength) return 'tooShort';
  if (rules.maxLength !== undefined && length > rules.maxLength) return 'tooLong';
  const half = value.normalize('NFKC');
  switch (rules.format) {
    case 'number':
      return /^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(half.replace(/,/g, '')) ? null : 'number';
    case 'alphanumeric':
      return /^[A-Za-z0-9]+$/.test(half) ? null : 'alphanumeric';
    case 'date':
      return isDate(half) ? null : 'date';
    case 'pattern':
      return rules.pattern && new RegExp(`^(?:${rules.pattern})$`, 'u').test(value) ? null : 'pattern';
    default:
      return null;
  }
}

/** 2026/12/7, 2026-12-07, 2026年12月7日 — a real calendar date. */
function isDate(value: string): boolean {
  const m = /^(\d{4})[/\-年.](\d{1,2})[/\-月.](\d{1,2})日?$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function unexpected(ctx: EngineContext, run: ScenarioRun, step: Step, why: Why): Outcome {
  // An old button is a slip, not a wrong answer: it does not count towards the way out.
  if (why !== 'stale') run.attempts += 1;
  if (run.attempts >= (ctx.version.maxAttempts || DEFAULT_MAX_ATTEMPTS)) {
    const way = text(inLang(SAYINGS.gaveUp, ctx.lang));
    (way as { quickReply?: unknown }).quickReply = { items: [messageItem(inLang(COMMANDS.restart, ctx.lang))] };
    return ended(ctx, run, [way], { to: 'end', reason: 'gave_up' });
  }
  const rules = step.wait.kind === 'text' ? step.wait.rules : undefined;
  const n =
    why === 'tooShort' ? rules?.minLength : why === 'tooLong' ? Math.min(rules?.maxLength ?? STEP_LIMITS.answerText, STEP_LIMITS.answerText) : undefined;
  const reason = FORM_WORDING.has(why) ? message(why as MessageKey, ctx.lang, n) : inLang(SAYINGS[why as keyof typeof SAYINGS], ctx.lang);
  const lead = step.reprompt ? inLang(step.reprompt, ctx.lang) : why === 'reprompt' ? reason : `${inLang(SAYINGS.reprompt, ctx.lang)}\n${reason}`;
  // The question again, with its buttons: the re-prompt first, then the step's last message.
  const asked = render(ctx, run, step);
  return { run, messages: [text(lead), ...asked.slice(-1)].slice(0, STEP_LIMITS.messages) };
}

/** The step's messages in the friend's language, the wait's buttons on the last one (≤ 5 in all). */
export function render(ctx: EngineContext, run: ScenarioRun, step: Step): LineMessage[] {
  const wait = step.wait;
  const buttonsTemplate = wait.kind === 'choice' && wait.display === 'buttons';
  const messages: LineMessage[] = step.messages.slice(0, STEP_LIMITS.messages).map((m) =>
    m.type === 'text'
      ? text(fillAnswers(inLang(m.text, ctx.lang), run.answers, ctx.lang).slice(0, STEP_LIMITS.text))
      : {
          type: 'image',
          originalContentUrl: `${ctx.publicBaseUrl}/media/${encodeURIComponent(m.mediaId)}/original`,
          previewImageUrl: `${ctx.publicBaseUrl}/media/${encodeURIComponent(m.mediaId)}/preview`,
        },
  );
  if (wait.kind === 'none') return messages;
  const nav = [...(run.trail.length > 0 ? [COMMANDS.back] : []), COMMANDS.restart].map((c) => messageItem(inLang(c, ctx.lang)));
  let items: QuickReplyItem[];
  if (wait.kind === 'choice') {
    const choices = wait.choices.map((c) => ({ label: inLang(c.label, ctx.lang), data: choicePostback(run.runId, run.seq, step.stepId, c.choiceId) }));
    if (buttonsTemplate) {
      // The question itself becomes the template's text when it fits (≤ 160), else it stays a message
      // above a plainly worded template (a fifth message then gives way: the editor keeps such a step to 4).
      const last = messages[messages.length - 1];
      const fits = last?.type === 'text' && [...last.text].length <= 160;
      if (fits || messages.length === STEP_LIMITS.messages) messages.pop();
      messages.push(buttons(choices, fits ? (last as { text: string }).text : inLang(SAYINGS.choose, ctx.lang)));
      items = nav;
    } else {
      // LINE shows 13 quick-reply buttons: the choices first, 戻る / 最初から in what is left (the editor keeps choices within it).
      items = [...choices.slice(0, STEP_LIMITS.quickReplyItems - nav.length).map((c) => postbackItem(c.label, c.data)), ...nav];
    }
  } else if (wait.kind === 'image') {
    const held = run.answers[photosKey(step)];
    const count = (wait.max ?? 1) > 1 && held?.kind === 'images' ? held.messageIds.length : 0;
    // Photos already here: say so, and offer 「次へ」 instead of the question again.
    if (count > 0) messages.splice(0, messages.length, text(inLang(SAYINGS.photos, ctx.lang).replace('{n}', String(count))));
    items = [
      { type: 'action', action: { type: 'camera', label: label(ctx.lang === 'ja' ? 'カメラ' : 'Camera') } },
      { type: 'action', action: { type: 'cameraRoll', label: label(ctx.lang === 'ja' ? '写真を選ぶ' : 'Photos') } },
      ...(count > 0 ? [messageItem(inLang(COMMANDS.next, ctx.lang))] : wait.optional ? [messageItem(inLang(COMMANDS.skip, ctx.lang))] : []),
      ...nav,
    ];
  } else if (wait.kind === 'location') {
    items = [
      { type: 'action', action: { type: 'location', label: label(inLang(SAYINGS.sendLocation, ctx.lang)) } },
      ...(ctx.liffId
        ? [{ type: 'action' as const, action: { type: 'uri', label: label(inLang(SAYINGS.pickOnMap, ctx.lang)), uri: placePickerLiffUrl(ctx.liffId) } }]
        : []),
      ...nav,
    ];
  } else {
    items = nav;
  }
  // A step without a message still asks something neutral to hang its buttons on.
  if (messages.length === 0) messages.push(text(inLang(wait.kind === 'choice' ? SAYINGS.choose : SAYINGS.answer, ctx.lang)));
  const last = messages[messages.length - 1]!;
  if (items.length > 0) (last as { quickReply?: unknown }).quickReply = { items: items.slice(0, STEP_LIMITS.quickReplyItems) };
  return messages;
}

type QuickReplyItem = { type: 'action'; action: Record<string, unknown> };

const label = (s: string) => [...s].slice(0, STEP_LIMITS.quickReplyLabel).join('');
const messageItem = (s: string): QuickReplyItem => ({ type: 'action', action: { type: 'message', label: label(s), text: s } });
const postbackItem = (s: string, data: string): QuickReplyItem => ({ type: 'action', action: { type: 'postback', label: label(s), data, displayText: s } });
const text = (s: string): LineMessage => ({ type: 'text', text: s });

/** Choices as a buttons template (≤ 4) or a carousel of them (3 a column, ≤ 10 columns). */
function buttons(choices: { label: string; data: string }[], question: string): LineMessage {
  const action = (c: { label: string; data: string }) => ({ type: 'postback' as const, label: label(c.label), data: c.data, displayText: c.label });
  const altText = [...question].slice(0, 400).join('');
  if (choices.length <= 4) {
    return { type: 'template', altText, template: { type: 'buttons', text: [...question].slice(0, 160).join(''), actions: choices.map(action) } };
  }
  // ≤ 10 columns of 3 (the editor keeps a buttons step within 30 choices).
  const columns = [];
  const total = Math.min(10, Math.ceil(choices.length / 3));
  for (let i = 0; i < choices.length && columns.length < total; i += 3) {
    const part = choices.slice(i, i + 3);
    // Every column of a carousel has the same number of actions: the last one is padded with its own first.
    while (part.length < 3) part.push(part[0]!);
    columns.push({ text: `${columns.length + 1} / ${total}`, actions: part.map(action) });
  }
  return { type: 'template', altText, template: { type: 'carousel', columns } };
}

/** A command word in the friend's language or Japanese (another language's word may be a real answer). */
export function commandOf(raw: string, lang: Lang): keyof typeof COMMANDS | null {
  const typed = comparable(raw);
  for (const [name, words] of Object.entries(COMMANDS) as [keyof typeof COMMANDS, Localized][]) {
    if (comparable(words.ja) === typed || comparable(inLang(words, lang)) === typed) return name;
  }
  return null;
}

const comparable = (s: string) => s.normalize('NFKC').trim().toLowerCase();

function expiry(ctx: EngineContext, now: Date): string {
  return new Date(now.getTime() + (ctx.version.timeoutMinutes || DEFAULT_TIMEOUT_MINUTES) * 60_000).toISOString();
}
