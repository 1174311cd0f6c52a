/**
 * Texts the account sends before staff configure their own (greeting, default reply).
 * Later capabilities (keywords, scenarios) answer first; these are the fallback.
 */
import type { LineMessage } from '../ports/line-gateway';
import type { Language } from './languages';

const GREETING: Record<Language, (city: string, name: string) => string> = {
  ja: (city, name) =>
    `${name}さん、${city}LINE公式アカウントを友だち追加いただき、ありがとうございます。\n\n災害・防災情報や市からのお知らせをお届けします。\nメニューから、お住まいの地区や受け取りたい情報を登録すると、あなたに合った情報が届きます。`,
  en: (city, name) =>
    `Hello ${name}, thank you for adding the ${city} official LINE account.\n\nWe will send you disaster alerts and news from the city. Register your district and the topics you want from the menu to receive information that fits you.`,
  ko: (city, name) =>
    `${name}님, ${city} LINE 공식 계정을 친구 추가해 주셔서 감사합니다.\n\n재해·방재 정보와 시의 소식을 보내 드립니다. 메뉴에서 거주 지역과 받고 싶은 정보를 등록해 주세요.`,
  'zh-Hans': (city, name) =>
    `${name}，感谢您添加${city}LINE官方账号为好友。\n\n我们将为您发送灾害·防灾信息和市政通知。请在菜单中登记您居住的地区和希望接收的信息。`,
  'zh-Hant': (city, name) =>
    `${name}，感謝您將${city}LINE官方帳號加為好友。\n\n我們將為您發送災害・防災資訊和市政通知。請在選單中登記您居住的地區和希望接收的資訊。`,
};

const DEFAULT_REPLY: Record<Language, (city: string) => string> = {
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

export function greetingMessages(language: Language, cityName: string, displayName: string): LineMessage[] {
  return [{ type: 'text', text: GREETING[language](cityName, displayName) }];
}

export function defaultReplyMessages(language: Language, cityName: string): LineMessage[] {
  return [{ type: 'text', text: DEFAULT_REPLY[language](cityName) }];
}
