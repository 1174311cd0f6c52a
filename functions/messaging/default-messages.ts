/**
 * Texts the account sends before staff configure their own (greeting, default reply).
 * Later capabilities (keywords, scenarios) answer first; these are the fallback.
 */
import type { LineMessage } from '../ports/line-gateway';
import type { Lang } from '../shared/languages';

/** The welcome: only what exists (no menu is promised; registration is the button below it). */
const GREETING: Record<Lang, (city: string, name: string) => string> = {
  ja: (city, name) => `${name}さん、${city}LINE公式アカウントを友だち追加いただき、ありがとうございます。\n\n災害・防災情報や市からのお知らせをお届けします。`,
  en: (city, name) => `Hello ${name}, thank you for adding the ${city} official LINE account.\n\nWe will send you disaster alerts and news from the city.`,
  ko: (city, name) => `${name}님, ${city} LINE 공식 계정을 친구 추가해 주셔서 감사합니다.\n\n재해·방재 정보와 시의 소식을 보내 드립니다.`,
  'zh-Hans': (city, name) => `${name}，感谢您添加${city}LINE官方账号为好友。\n\n我们将为您发送灾害·防灾信息和市政通知。`,
  'zh-Hant': (city, name) => `${name}，感謝您將${city}LINE官方帳號加為好友。\n\n我們將為您發送災害・防災資訊和市政通知。`,
};

/** The invitation to the profile form, with its button (a template's text: at most 160 characters). */
const REGISTER: Record<Lang, { text: string; label: string }> = {
  ja: { text: 'お住まいの地区や受け取りたい情報を登録すると、あなたに合った情報が届きます。', label: '登録する' },
  en: { text: 'Register your district and the topics you want, and we will send you the information that fits you.', label: 'Register' },
  ko: { text: '거주 지역과 받고 싶은 정보를 등록하시면 맞춤 정보를 보내 드립니다.', label: '등록하기' },
  'zh-Hans': { text: '登记您居住的地区和希望接收的信息后，我们将为您发送合适的信息。', label: '登记' },
  'zh-Hant': { text: '登記您居住的地區和希望接收的資訊後，我們將為您發送合適的資訊。', label: '登記' },
};

const DEFAULT_REPLY: Record<Lang, (city: string) => string> = {
  ja: (city) =>
    `メッセージありがとうございます。\nこのアカウントは${city}からのお知らせ用のため、個別のご質問にはこの画面でお答えできない場合があります。\n\n急ぎのご用件は${city}役所の担当課へお問い合わせください。\n緊急の場合は 110番（警察）・119番（消防・救急）へ。`,
  en: (city) =>
    `Thank you for your message.\nThis account sends notices from ${city}, so we may not be able to answer individual questions here.\n\nFor urgent matters please contact the city office. In an emergency call 110 (police) or 119 (fire/ambulance).`,
  ko: (city) =>
    `메시지 감사합니다.\n이 계정은 ${city}의 안내용이므로 개별 질문에는 답변드리지 못할 수 있습니다.\n\n급한 용건은 시청 담당 부서로 문의해 주세요. 긴급 시에는 110(경찰)・119(소방・구급)로 연락해 주세요.`,
  'zh-Hans': (city) =>
    `感谢您的留言。\n本账号用于发布${city}的通知，可能无法在此回答个别问题。\n\n紧急事务请联系市政府相关部门。紧急情况请拨打110（警察）或119（消防・急救）。`,
  'zh-Hant': (city) =>
    `感謝您的留言。\n本帳號用於發布${city}的通知，可能無法在此回答個別問題。\n\n緊急事務請聯絡市政府相關部門。緊急情況請撥打110（警察）或119（消防・急救）。`,
};

/**
 * The greeting; with the city's profile form address (a LIFF URL, which LINE opens signed in), a
 * second bubble invites the friend to register with a button to it.
 */
export function greetingMessages(language: Lang, cityName: string, displayName: string, profileFormUrl?: string): LineMessage[] {
  const greeting: LineMessage = { type: 'text', text: GREETING[language](cityName, displayName) };
  if (!profileFormUrl) return [greeting];
  const register = REGISTER[language];
  return [
    greeting,
    {
      type: 'template',
      altText: register.text,
      template: { type: 'buttons', text: register.text, actions: [{ type: 'uri', label: register.label, uri: profileFormUrl }] },
    },
  ];
}

export function defaultReplyMessages(language: Lang, cityName: string): LineMessage[] {
  return [{ type: 'text', text: DEFAULT_REPLY[language](cityName) }];
}
