/** What the account says to a citizen about the 1:1 chat, in their LINE language. */
import type { Lang } from '../shared/languages';

const LOCALES: Record<Lang, string> = { ja: 'ja-JP', en: 'en-US', ko: 'ko-KR', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW' };

/** A moment as the citizen reads it: 「12月8日(火) 8:30」, "Tue, Dec 8, 8:30 AM" … (Japan time). */
export function whenText(language: Lang, at: Date): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    timeZone: 'Asia/Tokyo',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
  }).format(at);
}

export const CHAT_TEXTS: Record<Lang, { opened: string; outside: (when: string | null) => string; already: string }> = {
  ja: {
    opened: '市の職員におつなぎします。ご用件をこのままメッセージでお送りください。\n職員がお返事するまで少しお待ちください。',
    outside: (when) =>
      `ただいま受付時間外です。ご用件はこのままメッセージでお送りください。${when ? `\n${when}以降に` : '\n受付再開後に'}職員が順にお返事します。\n\n緊急の場合は 110番（警察）・119番（消防・救急）へ。`,
    already: '市の職員とのやりとりが続いています。このままメッセージをお送りください。',
  },
  en: {
    opened: 'We are connecting you to city staff. Please send your question here as a message.\nA staff member will answer shortly.',
    outside: (when) =>
      `Our office is closed now. Please send your question here as a message.\nStaff will answer ${when ? `from ${when}` : 'when the office reopens'}.\n\nIn an emergency call 110 (police) or 119 (fire/ambulance).`,
    already: 'You are talking with city staff. Please go on sending your messages here.',
  },
  ko: {
    opened: '시청 직원에게 연결합니다. 용건을 이곳에 메시지로 보내 주세요.\n직원이 곧 답변드립니다.',
    outside: (when) =>
      `지금은 접수 시간이 아닙니다. 용건을 이곳에 메시지로 보내 주세요.\n${when ? `${when} 이후에` : '접수 재개 후에'} 직원이 순서대로 답변드립니다.\n\n긴급 시에는 110(경찰)・119(소방・구급)로 연락해 주세요.`,
    already: '시청 직원과 대화 중입니다. 이곳에 계속 메시지를 보내 주세요.',
  },
  'zh-Hans': {
    opened: '正在为您转接市政府工作人员。请直接在此发送您的问题。\n工作人员会尽快回复。',
    outside: (when) =>
      `现在是非受理时间。请直接在此发送您的问题。\n工作人员将${when ? `于${when}以后` : '在恢复受理后'}依次回复。\n\n紧急情况请拨打110（警察）或119（消防・急救）。`,
    already: '您正在与市政府工作人员对话。请继续在此发送消息。',
  },
  'zh-Hant': {
    opened: '正在為您轉接市政府工作人員。請直接在此傳送您的問題。\n工作人員會盡快回覆。',
    outside: (when) =>
      `現在是非受理時間。請直接在此傳送您的問題。\n工作人員將${when ? `於${when}以後` : '在恢復受理後'}依序回覆。\n\n緊急情況請撥打110（警察）或119（消防・急救）。`,
    already: '您正在與市政府工作人員對話。請繼續在此傳送訊息。',
  },
};
