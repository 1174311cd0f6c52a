/**
 * The checks before a scenario is published (the editor shows them as it saves; publishing refuses
 * a version with an error): the graph — dangling edges, steps nobody reaches, loops a citizen cannot
 * leave, loops of steps that never wait — LINE's limits per step, names of answers, and translations
 * missing in a language the scenario otherwise speaks (a warning: Japanese is sent instead).
 * Pure: the caller adds what needs storage (other scenarios, forms, images, pattern safety).
 */
import { LANGS, LANGUAGE_LABELS } from '../shared/languages';
import { SCENARIO_LIMITS, STEP_LIMITS, type Edge, type Localized, type ScenarioDraft, type Step } from './model';

export interface ScenarioProblem {
  level: 'error' | 'warning';
  /** The step it is about (the editor jumps there). */
  stepId?: string;
  /** Plain Japanese for staff. */
  message: string;
}

export const SAVE_AS_PATTERN = /^[A-Za-z0-9_]{1,40}$/;

/** The edges a step can take. */
export function edgesOf(step: Step): Edge[] {
  return step.wait.kind === 'choice' ? step.wait.choices.map((c) => c.next) : [step.wait.next];
}

export function checkDraft(draft: ScenarioDraft): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const error = (message: string, stepId?: string) => problems.push({ level: 'error', message, ...(stepId ? { stepId } : {}) });
  const warn = (message: string, stepId?: string) => problems.push({ level: 'warning', message, ...(stepId ? { stepId } : {}) });
  const byId = new Map<string, Step>();
  for (const step of draft.steps) {
    if (byId.has(step.stepId)) error(`ステップID「${step.stepId}」が重複しています。`, step.stepId);
    byId.set(step.stepId, step);
  }
  const named = (id: string) => `「${byId.get(id)?.name || id}」`;
  if (draft.steps.length === 0) error('ステップがありません。');
  else if (!byId.has(draft.startStepId)) error('最初のステップが見つかりません。');

  // Per step: LINE's limits, choices, answers' names.
  const saved = new Set<string>();
  for (const step of draft.steps) {
    const wait = step.wait;
    if (wait.kind !== 'none' && wait.saveAs) {
      if (!SAVE_AS_PATTERN.test(wait.saveAs)) error(`${named(step.stepId)}の回答の名前は半角英数字と _ の40文字以内にしてください。`, step.stepId);
      saved.add(wait.saveAs);
    }
    if (step.messages.some((m) => m.type === 'image' && !m.mediaId)) error(`${named(step.stepId)}の画像を選んでください。`, step.stepId);
    if (step.messages.length > STEP_LIMITS.messages) error(`${named(step.stepId)}のメッセージは${STEP_LIMITS.messages}件までです。`, step.stepId);
    if (wait.kind === 'choice') {
      const max = wait.display === 'quickReply' ? SCENARIO_LIMITS.quickReplyChoices : SCENARIO_LIMITS.buttonChoices;
      if (wait.choices.length === 0) error(`${named(step.stepId)}に選択肢がありません。`, step.stepId);
      if (wait.choices.length > max)
        error(
          `${named(step.stepId)}の選択肢は${wait.display === 'quickReply' ? 'クイックリプライで' : 'ボタンで'}${max}個までです（多いときはボタン表示にするか、ステップを分けてください）。`,
          step.stepId,
        );
      const ids = new Set<string>();
      for (const c of wait.choices) {
        if (ids.has(c.choiceId)) error(`${named(step.stepId)}の選択肢IDが重複しています。`, step.stepId);
        ids.add(c.choiceId);
        for (const lang of LANGS) {
          const label = c.label[lang];
          if (label && [...label].length > STEP_LIMITS.quickReplyLabel)
            error(`${named(step.stepId)}の選択肢「${label.slice(0, 20)}…」は${STEP_LIMITS.quickReplyLabel}文字までです。`, step.stepId);
        }
      }
      if (wait.display === 'buttons' && step.messages.length === STEP_LIMITS.messages) {
        const last = step.messages[step.messages.length - 1];
        if (last?.type !== 'text' || [...last.text.ja].length > 160)
          warn(`${named(step.stepId)}はボタン表示でメッセージが5件あるため、最後のメッセージがボタンの案内文に置き換わります。`, step.stepId);
      }
    }
    if (wait.kind === 'text') {
      const { minLength, maxLength, format, pattern } = wait.rules;
      if (minLength !== undefined && maxLength !== undefined && minLength > maxLength)
        error(`${named(step.stepId)}の最小文字数が最大文字数より大きくなっています。`, step.stepId);
      if (format === 'pattern' && !pattern) error(`${named(step.stepId)}の入力パターンが空です。`, step.stepId);
    }
  }
  // {answer.x} naming an answer no step saves.
  for (const step of draft.steps) {
    for (const m of step.messages) {
      if (m.type !== 'text') continue;
      for (const [, name] of Object.values(m.text)
        .join('\n')
        .matchAll(/\{answer\.([A-Za-z0-9_]{1,40})\}/g)) {
        if (!saved.has(name!)) warn(`${named(step.stepId)}の {answer.${name}} はどのステップでも保存されない回答です（空欄になります）。`, step.stepId);
      }
    }
  }

  // The graph: dangling edges, reachability, loops without a way out, loops that never wait.
  for (const step of draft.steps) {
    for (const edge of edgesOf(step)) {
      if (edge.to === 'step' && !byId.has(edge.stepId)) error(`${named(step.stepId)}の行き先のステップ「${edge.stepId}」がありません。`, step.stepId);
    }
  }
  if (byId.has(draft.startStepId)) {
    const reached = new Set<string>([draft.startStepId]);
    const queue = [draft.startStepId];
    while (queue.length > 0) {
      const step = byId.get(queue.shift()!)!;
      for (const edge of edgesOf(step)) {
        if (edge.to === 'step' && byId.has(edge.stepId) && !reached.has(edge.stepId)) {
          reached.add(edge.stepId);
          queue.push(edge.stepId);
        }
      }
    }
    for (const step of draft.steps) if (!reached.has(step.stepId)) error(`${named(step.stepId)}にはどこからも進めません。`, step.stepId);

    // Steps that reach a way out (end, hand-off, form, another scenario), walking the edges backwards.
    const incoming = new Map<string, string[]>();
    const out = new Set<string>();
    for (const step of draft.steps) {
      for (const edge of edgesOf(step)) {
        if (edge.to === 'step') incoming.set(edge.stepId, [...(incoming.get(edge.stepId) ?? []), step.stepId]);
        else out.add(step.stepId);
      }
    }
    const leaves = [...out];
    while (leaves.length > 0) {
      for (const from of incoming.get(leaves.pop()!) ?? []) {
        if (!out.has(from)) {
          out.add(from);
          leaves.push(from);
        }
      }
    }
    for (const step of draft.steps) {
      if (reached.has(step.stepId) && !out.has(step.stepId))
        error(`${named(step.stepId)}から先は終わりにたどり着けません（抜け出せないループ）。`, step.stepId);
    }
    // A cycle of steps that never wait would send messages without end (the engine stops it as broken).
    const color = new Map<string, 1 | 2>();
    const visit = (id: string): boolean => {
      color.set(id, 1);
      const step = byId.get(id)!;
      if (step.wait.kind === 'none' && step.wait.next.to === 'step' && byId.has(step.wait.next.stepId)) {
        const next = step.wait.next.stepId;
        if (color.get(next) === 1 || (!color.has(next) && visit(next))) return true;
      }
      color.set(id, 2);
      return false;
    };
    for (const step of draft.steps) {
      if (!color.has(step.stepId) && visit(step.stepId)) {
        error(`${named(step.stepId)}を含む、応答を待たないステップだけのループがあります。`, step.stepId);
        break;
      }
    }
  }

  // Translations: a language any text has should be in every text (else Japanese goes out).
  const texts: { stepId: string; text: Localized }[] = [];
  for (const step of draft.steps) {
    for (const m of step.messages) if (m.type === 'text') texts.push({ stepId: step.stepId, text: m.text });
    if (step.wait.kind === 'choice') for (const c of step.wait.choices) texts.push({ stepId: step.stepId, text: c.label });
    if (step.reprompt) texts.push({ stepId: step.stepId, text: step.reprompt });
  }
  for (const lang of LANGS.filter((l) => l !== 'ja' && texts.some((t) => t.text[l]?.trim()))) {
    const missing = [...new Set(texts.filter((t) => !t.text[lang]?.trim()).map((t) => t.stepId))];
    if (missing.length > 0)
      warn(
        `${LANGUAGE_LABELS[lang]}の訳がないステップが${missing.length}個あります（${missing.slice(0, 5).map(named).join('、')}${missing.length > 5 ? ' ほか' : ''}）。その部分は日本語で送られます。`,
        missing[0],
      );
  }
  return problems;
}
