/**
 * Citizen-facing messages in the five languages of the LIFF pages. `{n}` placeholders are
 * filled by `message()`. Staff-facing messages stay Japanese (admin API).
 */
import type { Lang } from '../shared/languages';

type Messages = Record<Lang, string>;

export const MESSAGES = {
  required: { ja: '入力してください。', en: 'This field is required.', ko: '입력해 주세요.', 'zh-Hans': '请填写此项。', 'zh-Hant': '請填寫此項。' },
  consentRequired: {
    ja: '個人情報の取り扱いへの同意が必要です。',
    en: 'Please agree to the handling of personal information.',
    ko: '개인정보 처리에 동의해 주세요.',
    'zh-Hans': '请同意个人信息的处理方式。',
    'zh-Hant': '請同意個人資料的處理方式。',
  },
  invalidChoice: {
    ja: '選択肢から選んでください。',
    en: 'Please choose from the options.',
    ko: '선택지에서 골라 주세요.',
    'zh-Hans': '请从选项中选择。',
    'zh-Hant': '請從選項中選擇。',
  },
  wrongValue: {
    ja: '回答の形式が正しくありません。',
    en: 'This answer is not in the expected format.',
    ko: '답변 형식이 올바르지 않습니다.',
    'zh-Hans': '回答格式不正确。',
    'zh-Hant': '回答格式不正確。',
  },
  unknownItem: {
    ja: 'この質問はありません。',
    en: 'This question does not exist.',
    ko: '이 질문은 없습니다.',
    'zh-Hans': '此问题不存在。',
    'zh-Hant': '此問題不存在。',
  },
  tooShort: {
    ja: '{n}文字以上で入力してください。',
    en: 'Please enter at least {n} characters.',
    ko: '{n}자 이상 입력해 주세요.',
    'zh-Hans': '请至少输入{n}个字符。',
    'zh-Hant': '請至少輸入{n}個字元。',
  },
  tooLong: {
    ja: '{n}文字以内で入力してください。',
    en: 'Please enter no more than {n} characters.',
    ko: '{n}자 이내로 입력해 주세요.',
    'zh-Hans': '请输入不超过{n}个字符。',
    'zh-Hant': '請輸入不超過{n}個字元。',
  },
  alphanumeric: {
    ja: '半角英数字で入力してください。',
    en: 'Please use only letters (A–Z) and digits (0–9).',
    ko: '영문자와 숫자(반각)만 입력해 주세요.',
    'zh-Hans': '请只输入半角英文字母和数字。',
    'zh-Hant': '請只輸入半形英文字母和數字。',
  },
  numeric: {
    ja: '半角数字で入力してください。',
    en: 'Please use digits (0–9) only.',
    ko: '숫자(반각)만 입력해 주세요.',
    'zh-Hans': '请只输入半角数字。',
    'zh-Hant': '請只輸入半形數字。',
  },
  pattern: {
    ja: '入力の形式が正しくありません。',
    en: 'The format is not correct.',
    ko: '입력 형식이 올바르지 않습니다.',
    'zh-Hans': '输入格式不正确。',
    'zh-Hant': '輸入格式不正確。',
  },
  date: {
    ja: '日付を正しく入力してください（例: 2026-04-01）。',
    en: 'Please enter a valid date (e.g. 2026-04-01).',
    ko: '올바른 날짜를 입력해 주세요(예: 2026-04-01).',
    'zh-Hans': '请输入正确的日期（例：2026-04-01）。',
    'zh-Hant': '請輸入正確的日期（例：2026-04-01）。',
  },
  upload: {
    ja: 'ファイルをもう一度アップロードしてください。',
    en: 'Please upload the file again.',
    ko: '파일을 다시 업로드해 주세요.',
    'zh-Hans': '请重新上传文件。',
    'zh-Hant': '請重新上傳檔案。',
  },
  invalidAnswers: {
    ja: '入力内容を確認してください。',
    en: 'Please check your answers.',
    ko: '입력 내용을 확인해 주세요.',
    'zh-Hans': '请检查填写的内容。',
    'zh-Hant': '請檢查填寫的內容。',
  },
  badRequest: {
    ja: '送信内容に誤りがあります。',
    en: 'The request is not valid.',
    ko: '요청 내용이 올바르지 않습니다.',
    'zh-Hans': '请求内容有误。',
    'zh-Hant': '請求內容有誤。',
  },
  invalidIdToken: {
    ja: 'LINEでの本人確認ができませんでした。LINEアプリから開き直してください。',
    en: 'We could not confirm your LINE login. Please open this page again from the LINE app.',
    ko: 'LINE 로그인을 확인할 수 없습니다. LINE 앱에서 다시 열어 주세요.',
    'zh-Hans': '无法确认您的LINE登录。请从LINE应用重新打开此页面。',
    'zh-Hant': '無法確認您的LINE登入。請從LINE應用程式重新開啟此頁面。',
  },
  formNotFound: {
    ja: 'フォームが見つかりません。',
    en: 'This form was not found.',
    ko: '양식을 찾을 수 없습니다.',
    'zh-Hans': '找不到此表单。',
    'zh-Hant': '找不到此表單。',
  },
  formClosed: {
    ja: 'このフォームは現在受け付けていません。',
    en: 'This form is not accepting answers now.',
    ko: '이 양식은 현재 접수하고 있지 않습니다.',
    'zh-Hans': '此表单目前不接受填写。',
    'zh-Hant': '此表單目前不接受填寫。',
  },
  uploadNotFound: {
    ja: 'ファイルが見つかりません。',
    en: 'The file was not found.',
    ko: '파일을 찾을 수 없습니다.',
    'zh-Hans': '找不到文件。',
    'zh-Hant': '找不到檔案。',
  },
  notMediaItem: {
    ja: 'この質問にはファイルを添付できません。',
    en: 'Files cannot be attached to this question.',
    ko: '이 질문에는 파일을 첨부할 수 없습니다.',
    'zh-Hans': '此问题不能附加文件。',
    'zh-Hant': '此問題不能附加檔案。',
  },
  tooLarge: {
    ja: 'ファイルが大きすぎます（{n}MBまで）。',
    en: 'The file is too large (up to {n} MB).',
    ko: '파일이 너무 큽니다({n}MB까지).',
    'zh-Hans': '文件太大（最大{n}MB）。',
    'zh-Hant': '檔案太大（最大{n}MB）。',
  },
  unsupportedType: {
    ja: 'この種類のファイルは送信できません（{n}）。',
    en: 'This kind of file cannot be sent ({n}).',
    ko: '이 종류의 파일은 보낼 수 없습니다({n}).',
    'zh-Hans': '无法发送此类文件（{n}）。',
    'zh-Hant': '無法傳送此類檔案（{n}）。',
  },
  typeMismatch: {
    ja: 'ファイルの中身が種類と一致しません。別のファイルを選んでください。',
    en: 'The file content does not match its type. Please choose another file.',
    ko: '파일 내용이 형식과 일치하지 않습니다. 다른 파일을 선택해 주세요.',
    'zh-Hans': '文件内容与其类型不符。请选择其他文件。',
    'zh-Hant': '檔案內容與其類型不符。請選擇其他檔案。',
  },
  internal: {
    ja: 'エラーが発生しました。時間をおいて再度お試しください。',
    en: 'Something went wrong. Please try again later.',
    ko: '오류가 발생했습니다. 잠시 후 다시 시도해 주세요.',
    'zh-Hans': '发生错误。请稍后再试。',
    'zh-Hant': '發生錯誤。請稍後再試。',
  },
} satisfies Record<string, Messages>;

export type MessageKey = keyof typeof MESSAGES;

export function message(key: MessageKey, lang: Lang, n?: string | number): string {
  const text = MESSAGES[key][lang] ?? MESSAGES[key].ja;
  return n === undefined ? text : text.replace('{n}', String(n));
}
