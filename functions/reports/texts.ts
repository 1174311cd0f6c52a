/** What citizens are told about their reports, in their LINE language (Japanese is the fallback). */
import type { Lang } from '../shared/languages';
import { inLang } from '../scenarios/engine';
import type { Localized, ReportCategory } from './model';
import type { ReportStatus } from './labels';

export const REPORT_TEXTS = {
  received: {
    ja: '通報を受け付けました。ご協力ありがとうございます。\n受付番号: {no}',
    en: 'Thank you. Your report has been received.\nReceipt number: {no}',
    ko: '신고가 접수되었습니다. 협조해 주셔서 감사합니다.\n접수 번호: {no}',
    'zh-Hans': '已受理您的报告，感谢您的协助。\n受理编号：{no}',
    'zh-Hant': '已受理您的通報，感謝您的協助。\n受理編號：{no}',
  },
  summary: {
    ja: '種類: {category}\n場所: {place}\n写真: {photos}枚\n内容: {description}',
    en: 'Type: {category}\nPlace: {place}\nPhotos: {photos}\nDetails: {description}',
    ko: '종류: {category}\n장소: {place}\n사진: {photos}장\n내용: {description}',
    'zh-Hans': '类别：{category}\n地点：{place}\n照片：{photos}张\n内容：{description}',
    'zh-Hant': '類別：{category}\n地點：{place}\n照片：{photos}張\n內容：{description}',
  },
  followUp: {
    ja: '対応の状況は、このトークでお知らせします。',
    en: 'We will tell you how it goes in this chat.',
    ko: '처리 상황은 이 대화에서 알려 드리겠습니다.',
    'zh-Hans': '处理情况将在此聊天中通知您。',
    'zh-Hant': '處理情況將在此聊天中通知您。',
  },
  noPlace: { ja: '（未指定）', en: '(not given)', ko: '(미지정)', 'zh-Hans': '（未指定）', 'zh-Hant': '（未指定）' },
  statusHead: {
    ja: '受付番号 {no} の通報について',
    en: 'About your report {no}',
    ko: '접수 번호 {no} 신고에 대해',
    'zh-Hans': '关于受理编号 {no} 的报告',
    'zh-Hant': '關於受理編號 {no} 的通報',
  },
  in_progress: {
    ja: '担当課で対応を始めました。',
    en: 'The city has started working on it.',
    ko: '담당 부서에서 처리를 시작했습니다.',
    'zh-Hans': '负责部门已开始处理。',
    'zh-Hant': '負責部門已開始處理。',
  },
  done: {
    ja: '対応が完了しました。ご協力ありがとうございました。',
    en: 'It has been fixed. Thank you for your help.',
    ko: '처리가 완료되었습니다. 협조해 주셔서 감사합니다.',
    'zh-Hans': '已处理完毕。感谢您的协助。',
    'zh-Hant': '已處理完畢。感謝您的協助。',
  },
  rejected: {
    ja: '申し訳ありませんが、市では対応できません。',
    en: 'We are sorry, but the city cannot deal with this.',
    ko: '죄송하지만 시에서는 처리할 수 없습니다.',
    'zh-Hans': '很抱歉，市政府无法处理此事。',
    'zh-Hant': '很抱歉，市政府無法處理此事。',
  },
  duplicate: {
    ja: '同じ場所の通報（受付番号 {other}）としてまとめて対応します。',
    en: 'It is being handled together with an earlier report of the same place ({other}).',
    ko: '같은 장소의 신고(접수 번호 {other})와 함께 처리합니다.',
    'zh-Hans': '将与同一地点的报告（受理编号 {other}）一并处理。',
    'zh-Hant': '將與同一地點的通報（受理編號 {other}）一併處理。',
  },
  received_again: {
    ja: 'あらためて受け付けました。',
    en: 'It has been taken up again.',
    ko: '다시 접수했습니다.',
    'zh-Hans': '已重新受理。',
    'zh-Hant': '已重新受理。',
  },
  reason: { ja: '理由: {reason}', en: 'Reason: {reason}', ko: '이유: {reason}', 'zh-Hans': '原因：{reason}', 'zh-Hant': '原因：{reason}' },
  notFixed: { ja: '直っていない', en: 'Not fixed', ko: '고쳐지지 않음', 'zh-Hans': '还没修好', 'zh-Hant': '還沒修好' },
  addMore: { ja: '写真・コメントを追加', en: 'Add photo / comment', ko: '사진·댓글 추가', 'zh-Hans': '添加照片/留言', 'zh-Hant': '新增照片/留言' },
} satisfies Record<string, Required<Localized>>;

export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));

export const categoryLabel = (categories: readonly ReportCategory[], id: string, lang: Lang) => {
  const category = categories.find((c) => c.id === id);
  return category ? inLang(category.label, lang) : id;
};

/** The status message's fixed part in the citizen's language (受付 set by staff: the report was taken up again). */
export function statusText(status: ReportStatus, lang: Lang, values: { no: string; reason?: string; other?: string }): string {
  const head = fill(inLang(REPORT_TEXTS.statusHead, lang), { no: values.no });
  const body = status === 'received' ? inLang(REPORT_TEXTS.received_again, lang) : fill(inLang(REPORT_TEXTS[status], lang), { other: values.other ?? '' });
  const reason = status === 'rejected' && values.reason ? fill(inLang(REPORT_TEXTS.reason, lang), { reason: values.reason }) : '';
  return [head, body, reason].filter(Boolean).join('\n');
}
