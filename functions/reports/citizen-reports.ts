/**
 * The citizen's side of reports: a scenario run that reaches its 「通報として受け付ける」 edge becomes
 * a report (saved at once, one per run: a retried event finds it and answers the same receipt), its
 * photos are fetched from LINE by a job (functions/reports/photos.ts) so a photo that fails never
 * holds the report up; later the citizen adds a photo or a comment to an open report, or says
 * 「直っていない」 on a finished one (it reopens).
 */
import { answerText, inLang } from '../scenarios/engine';
import type { AnswerValue, ScenarioRun } from '../scenarios/model';
import type { Clock } from '../ports/clock';
import type { JsonQueue } from '../ports/event-queue';
import type { LineMessage } from '../ports/line-gateway';
import type { Lang } from '../shared/languages';
import { jstDay } from '../shared/japan-time';
import { districtOf, insidePolygon } from './geo';
import { CLOSED_STATUSES } from './labels';
import {
  REPORT_ANSWERS,
  REPORT_LIMITS,
  type Localized,
  type Report,
  type ReportContact,
  type ReportPhoto,
  type ReportPlace,
  type ReportSettings,
} from './model';
import type { ReportPhotosJob, ReportSettingsStore, ReportStore } from './ports';
import { categoryLabel, fill, REPORT_TEXTS } from './texts';
import type { InboundMessage, Responder } from '../webhook/dispatcher';

export interface ReportIntakeDeps {
  reports: ReportStore;
  settings: Pick<ReportSettingsStore, 'settings'>;
  /** The photo job (the planner queue). */
  jobs: JsonQueue<ReportPhotosJob>;
  clock: Clock;
  /** The friend's LINE name for staff (read once, when the report is made). */
  friends?: { get(userId: string): Promise<{ displayName: string } | null> };
}

/** The postbacks of a report's messages. */
export const REPORT_POSTBACK = { notFixed: 'report:notfixed:', add: 'report:add:' } as const;

const KNOWN = new Set<string>(Object.values(REPORT_ANSWERS));

/** The run's answers as a report (pure: the receipt number and time given). */
export function reportOf(run: ScenarioRun, input: { receiptNo: string; lang: Lang; at: string; settings: ReportSettings; displayName?: string }): Report {
  const { settings } = input;
  const a = run.answers;
  const photos: ReportPhoto[] = photoIdsOf(a)
    .slice(0, REPORT_LIMITS.photos)
    .map((photoId) => ({ photoId, from: 'citizen', status: 'pending', addedAt: input.at }));
  const placeAnswer = a[REPORT_ANSWERS.place];
  const place: ReportPlace | undefined =
    placeAnswer?.kind === 'location'
      ? {
          latitude: placeAnswer.latitude,
          longitude: placeAnswer.longitude,
          ...(placeAnswer.address ? { address: placeAnswer.address.slice(0, 300) } : {}),
          ...(settings.boundary && !insidePolygon(placeAnswer, settings.boundary) ? { outside: true } : {}),
        }
      : undefined;
  const category = categoryOf(a[REPORT_ANSWERS.category], settings);
  const consent = a[REPORT_ANSWERS.consent];
  const consented = consent?.kind === 'choice' && /^(yes|同意する|はい)$/i.test(consent.value.trim());
  const name = textOf(a[REPORT_ANSWERS.name]).slice(0, REPORT_LIMITS.nameChars);
  const phone = textOf(a[REPORT_ANSWERS.phone]).slice(0, REPORT_LIMITS.phoneChars);
  // A name or phone is kept only with consent (the scenario asks for it before them).
  const contact: ReportContact | undefined =
    consented && (name || phone) ? { ...(name ? { name } : {}), ...(phone ? { phone } : {}), consentedAt: input.at } : undefined;
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(a))
    if (!KNOWN.has(key) && !key.startsWith('@') && value.kind !== 'skipped') extra[key] = answerText(value).slice(0, 1_000);
  const district = districtOf(place?.address, settings.districts);
  const department = settings.categories.find((c) => c.id === category)?.department;
  return {
    reportId: run.runId,
    receiptNo: input.receiptNo,
    userId: run.userId,
    lang: input.lang,
    ...(input.displayName ? { displayName: input.displayName } : {}),
    category,
    description: textOf(a[REPORT_ANSWERS.description]).slice(0, REPORT_LIMITS.descriptionChars),
    ...(place ? { place } : {}),
    ...(district ? { district } : {}),
    photos,
    ...(contact ? { contact } : {}),
    status: 'received',
    ...(department ? { department } : {}),
    extra,
    scenarioId: run.scenarioId,
    createdAt: input.at,
    updatedAt: input.at,
    statusAt: input.at,
    history: [{ at: input.at, kind: 'created', status: 'received' }],
    rev: 1,
  };
}

const textOf = (value: AnswerValue | undefined) => (value?.kind === 'text' ? value.text.trim() : value?.kind === 'choice' ? value.value : '');

/** The photos of a run: the 「photos」 answer first, then any other photo answer. */
function photoIdsOf(answers: Record<string, AnswerValue>): string[] {
  const ids: string[] = [];
  const add = (v: AnswerValue | undefined) => {
    if (v?.kind === 'image') ids.push(v.messageId);
    if (v?.kind === 'images') ids.push(...v.messageIds);
  };
  add(answers[REPORT_ANSWERS.photos]);
  for (const [key, value] of Object.entries(answers)) if (key !== REPORT_ANSWERS.photos) add(value);
  return [...new Set(ids)];
}

/** The category answer (a choice whose ID, value or label names a category) → its id; 'other' (or the last category) when none fits. */
function categoryOf(answer: AnswerValue | undefined, settings: ReportSettings): string {
  // The choice's ID is the category's (the starter scenario): a renamed category still matches.
  if (answer?.kind === 'choice' && settings.categories.some((c) => c.id === answer.choiceId)) return answer.choiceId;
  const said = textOf(answer).normalize('NFKC').trim().toLowerCase();
  const found = settings.categories.find((c) => c.id === said || Object.values(c.label).some((l) => l && l.normalize('NFKC').trim().toLowerCase() === said));
  return found?.id ?? settings.categories.find((c) => c.id === 'other')?.id ?? settings.categories.at(-1)?.id ?? 'other';
}

export const receiptNo = (year: number, n: number) => `${year}-${String(n).padStart(6, '0')}`;

/**
 * The report edge: the report from the run (or the one a retry of this run already made), its photo
 * job queued, and the receipt with a summary in the citizen's language.
 */
export async function reportFromRun(
  deps: ReportIntakeDeps,
  request: { run: ScenarioRun; language: Lang; at: Date; displayName?: string },
): Promise<LineMessage[]> {
  const settings = await deps.settings.settings();
  let report = await deps.reports.get(request.run.runId);
  if (!report) {
    const at = request.at.toISOString();
    const displayName = request.displayName ?? (await deps.friends?.get(request.run.userId))?.displayName;
    const year = Number(jstDay(request.at).slice(0, 4));
    const no = receiptNo(year, await deps.reports.nextReceiptNo(year));
    const made = reportOf(request.run, {
      receiptNo: no,
      lang: request.language,
      at,
      settings,
      ...(displayName ? { displayName } : {}),
    });
    // A number taken by a retry that lost the race stays unused (a gap, never a double).
    report = (await deps.reports.create(made)) === 'created' ? made : await deps.reports.get(request.run.runId);
    if (!report) throw new Error('Report vanished after a create race');
  }
  // Queued again by a retry: the job does nothing for photos already stored.
  if (report.photos.some((p) => p.status === 'pending')) await deps.jobs.send([{ type: 'reportPhotos', reportId: report.reportId }]);
  return [receiptMessage(report, settings, request.language)];
}

export function receiptMessage(report: Report, settings: ReportSettings, lang: Lang): LineMessage {
  const summary = fill(inLang(REPORT_TEXTS.summary, lang), {
    category: categoryLabel(settings.categories, report.category, lang),
    place:
      report.place?.address ??
      (report.place ? `${report.place.latitude.toFixed(5)}, ${report.place.longitude.toFixed(5)}` : inLang(REPORT_TEXTS.noPlace, lang)),
    photos: report.photos.length,
    description: report.description.length > 200 ? `${[...report.description].slice(0, 200).join('')}…` : report.description,
  });
  const text = [fill(inLang(REPORT_TEXTS.received, lang), { no: report.receiptNo }), summary, inLang(REPORT_TEXTS.followUp, lang)].join('\n\n');
  return { type: 'text', text: text.slice(0, 5_000) };
}

export const isClosed = (report: Pick<Report, 'status'>) => CLOSED_STATUSES.includes(report.status);

/** Whether the reports' responder has anything to do with this message (no read: the postback or the friend's mark). */
export function mayConcernReports(message: Pick<InboundMessage, 'kind' | 'postbackData' | 'friend'>): boolean {
  const data = message.kind === 'postback' ? (message.postbackData ?? '') : '';
  return data.startsWith(REPORT_POSTBACK.notFixed) || data.startsWith(REPORT_POSTBACK.add) || !!message.friend?.reportAdding;
}

/** How long after 「写真・コメントを追加」 what the citizen sends is added to the report. */
export const ADDING_MS = 10 * 60_000;

const ADD_TEXTS = {
  prompt: {
    ja: '受付番号 {no} に追加する写真かコメントを送ってください（10分以内）。',
    en: 'Send the photos or a comment to add to report {no} (within 10 minutes).',
    ko: '접수 번호 {no}에 추가할 사진이나 댓글을 보내 주세요 (10분 이내).',
    'zh-Hans': '请发送要添加到受理编号 {no} 的照片或留言（10分钟内）。',
    'zh-Hant': '請傳送要新增到受理編號 {no} 的照片或留言（10分鐘內）。',
  },
  added: {
    ja: '受付番号 {no} に追加しました。ほかにもあれば続けて送ってください。',
    en: 'Added to report {no}. Send more if you like.',
    ko: '접수 번호 {no}에 추가했습니다. 더 있으면 계속 보내 주세요.',
    'zh-Hans': '已添加到受理编号 {no}。如有更多请继续发送。',
    'zh-Hant': '已新增到受理編號 {no}。如有更多請繼續傳送。',
  },
  full: {
    ja: '受付番号 {no} の写真は20枚までです。これ以上は追加できません。',
    en: 'Report {no} already has 20 photos; no more can be added.',
    ko: '접수 번호 {no}의 사진은 20장까지입니다. 더 이상 추가할 수 없습니다.',
    'zh-Hans': '受理编号 {no} 的照片最多20张，无法再添加。',
    'zh-Hant': '受理編號 {no} 的照片最多20張，無法再新增。',
  },
  done: { ja: '終わる', en: 'Done', ko: '끝내기', 'zh-Hans': '结束', 'zh-Hant': '結束' },
  finished: {
    ja: '追加を終えました。ありがとうございました。',
    en: 'Thank you. Nothing more will be added.',
    ko: '추가를 마쳤습니다. 감사합니다.',
    'zh-Hans': '已结束添加。谢谢。',
    'zh-Hant': '已結束新增。謝謝。',
  },
  closed: {
    ja: '受付番号 {no} の通報は対応を終えています。直っていない場合は「直っていない」を押してください。',
    en: 'Report {no} has been closed. If it is not fixed, tap "Not fixed".',
    ko: '접수 번호 {no} 신고는 처리가 끝났습니다. 고쳐지지 않았다면 "고쳐지지 않음"을 눌러 주세요.',
    'zh-Hans': '受理编号 {no} 的报告已处理完毕。如果还没修好，请点「还没修好」。',
    'zh-Hant': '受理編號 {no} 的通報已處理完畢。如果還沒修好，請點「還沒修好」。',
  },
  reopened: {
    ja: '受付番号 {no} の通報をあらためて受け付けました。担当課で確認します。',
    en: 'Report {no} has been taken up again. The city will check it.',
    ko: '접수 번호 {no} 신고를 다시 접수했습니다. 담당 부서에서 확인하겠습니다.',
    'zh-Hans': '已重新受理编号 {no} 的报告。负责部门将进行确认。',
    'zh-Hant': '已重新受理編號 {no} 的通報。負責部門將進行確認。',
  },
  notClosed: {
    ja: '受付番号 {no} の通報は対応中です。',
    en: 'Report {no} is still being handled.',
    ko: '접수 번호 {no} 신고는 처리 중입니다.',
    'zh-Hans': '受理编号 {no} 的报告正在处理中。',
    'zh-Hant': '受理編號 {no} 的通報正在處理中。',
  },
  unknown: {
    ja: 'この通報は見つかりません。',
    en: 'This report could not be found.',
    ko: '이 신고를 찾을 수 없습니다.',
    'zh-Hans': '找不到此报告。',
    'zh-Hant': '找不到此通報。',
  },
} satisfies Record<string, Required<Localized>>;

const say = (text: Localized, lang: Lang, no = ''): LineMessage => ({ type: 'text', text: fill(inLang(text, lang), { no }) });

/**
 * The citizen's side as the webhook consumer uses it: the scenario's report edge, and a responder
 * (before the scenarios) for the buttons of status messages — 「直っていない」 reopens a finished
 * report, 「写真・コメントを追加」 adds what the citizen sends in the next ten minutes to an open one
 * (the friend item carries the mark: no extra read per message).
 */
export class ReportDesk {
  constructor(private readonly deps: ReportIntakeDeps) {}

  fromRun(request: { run: ScenarioRun; language: Lang; at: Date }): Promise<LineMessage[]> {
    return reportFromRun(this.deps, request);
  }

  responder(): Responder {
    return { name: 'reports', respond: (input) => this.respond(input) };
  }

  private async respond(message: InboundMessage): Promise<LineMessage[] | null> {
    const lang = message.language;
    const data = message.kind === 'postback' ? (message.postbackData ?? '') : '';
    if (data.startsWith(REPORT_POSTBACK.notFixed)) return this.notFixed(message, data.slice(REPORT_POSTBACK.notFixed.length));
    if (data.startsWith(REPORT_POSTBACK.add)) return this.startAdding(message, data.slice(REPORT_POSTBACK.add.length));
    const adding = message.friend?.reportAdding;
    if (!adding || Date.parse(adding.until) <= this.deps.clock.now().getTime()) return null;
    if (
      message.kind === 'text' &&
      comparable(message.text ?? '') !== '' &&
      [ADD_TEXTS.done.ja, inLang(ADD_TEXTS.done, lang)].map(comparable).includes(comparable(message.text ?? ''))
    ) {
      await this.deps.reports.markAdding(message.userId, null);
      return [say(ADD_TEXTS.finished, lang)];
    }
    if (message.kind !== 'text' && message.kind !== 'image') return null;
    return this.add(message, adding.reportId);
  }

  private async own(message: InboundMessage, reportId: string): Promise<Report | null> {
    if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(reportId)) return null;
    const report = await this.deps.reports.get(reportId);
    return report && report.userId === message.userId ? report : null;
  }

  private async notFixed(message: InboundMessage, reportId: string): Promise<LineMessage[]> {
    const lang = message.language;
    for (let tries = 0; tries < 4; tries++) {
      const report = await this.own(message, reportId);
      if (!report) return [say(ADD_TEXTS.unknown, lang)];
      // A second tap (or LINE's redelivery) after it reopened: said again, changed once.
      if (report.history.some((h) => h.kind === 'reopened' && h.messageId === message.messageId)) return [say(ADD_TEXTS.reopened, lang, report.receiptNo)];
      if (report.status !== 'done') return [say(ADD_TEXTS.notClosed, lang, report.receiptNo)];
      const at = this.deps.clock.now().toISOString();
      const next: Report = {
        ...report,
        status: 'received',
        statusAt: at,
        updatedAt: at,
        history: [...report.history, { at, kind: 'reopened' as const, status: 'received' as const, messageId: message.messageId }].slice(
          -REPORT_LIMITS.history,
        ),
        rev: report.rev + 1,
      };
      if (await this.deps.reports.save(next, report.rev)) return [say(ADD_TEXTS.reopened, lang, report.receiptNo)];
    }
    throw new Error('Report kept changing under 直っていない');
  }

  private async startAdding(message: InboundMessage, reportId: string): Promise<LineMessage[]> {
    const lang = message.language;
    const report = await this.own(message, reportId);
    if (!report) return [say(ADD_TEXTS.unknown, lang)];
    if (isClosed(report)) return [say(ADD_TEXTS.closed, lang, report.receiptNo)];
    const until = new Date(this.deps.clock.now().getTime() + ADDING_MS).toISOString();
    await this.deps.reports.markAdding(message.userId, { reportId, until });
    return [withDone(say(ADD_TEXTS.prompt, lang, report.receiptNo), lang)];
  }

  /** A comment or a photo added to the report (once per LINE message: its id is on the history line). */
  private async add(message: InboundMessage, reportId: string): Promise<LineMessage[]> {
    const lang = message.language;
    for (let tries = 0; tries < 6; tries++) {
      const report = await this.own(message, reportId);
      if (!report || isClosed(report)) {
        await this.deps.reports.markAdding(message.userId, null);
        return report ? [say(ADD_TEXTS.closed, lang, report.receiptNo)] : [say(ADD_TEXTS.unknown, lang)];
      }
      const reply = message.imageSet && message.imageSet.index !== message.imageSet.total ? [] : [withDone(say(ADD_TEXTS.added, lang, report.receiptNo), lang)];
      if (report.history.some((h) => h.messageId === message.messageId)) {
        // A retry after the save: the photo job may not have been queued.
        if (report.photos.some((p) => p.photoId === message.messageId && p.status === 'pending'))
          await this.deps.jobs.send([{ type: 'reportPhotos', reportId }]);
        return reply;
      }
      const at = this.deps.clock.now().toISOString();
      const next: Report = { ...report, photos: [...report.photos], history: [...report.history], rev: report.rev + 1, updatedAt: at };
      if (message.kind === 'image') {
        if (next.photos.length >= REPORT_LIMITS.photos) return [say(ADD_TEXTS.full, lang, report.receiptNo)];
        next.photos.push({ photoId: message.messageId, from: 'citizen', status: 'pending', addedAt: at });
        next.history.push({ at, kind: 'citizen_photo', photoId: message.messageId, messageId: message.messageId });
      } else {
        next.history.push({ at, kind: 'citizen_comment', text: (message.text ?? '').slice(0, REPORT_LIMITS.descriptionChars), messageId: message.messageId });
      }
      next.history = next.history.slice(-REPORT_LIMITS.history);
      if (!(await this.deps.reports.save(next, report.rev))) continue;
      if (message.kind === 'image') await this.deps.jobs.send([{ type: 'reportPhotos', reportId }]);
      return reply;
    }
    throw new Error('Report kept changing while the citizen added to it');
  }
}

const comparable = (s: string) => s.normalize('NFKC').trim().toLowerCase();

function withDone(m: LineMessage, lang: Lang): LineMessage {
  const label = inLang(ADD_TEXTS.done, lang);
  return { ...m, quickReply: { items: [{ type: 'action', action: { type: 'message', label, text: label } }] } } as LineMessage;
}
