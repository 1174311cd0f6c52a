/** The scenario words staff read (console and CSV): one table per concept. Dependency-free (the console imports it). */
export const WAIT_KIND_LABELS = {
  choice: '選択肢から選ぶ',
  text: '文字で答える',
  image: '写真を送る',
  location: '位置情報を送る',
  none: '待たずに次へ進む',
} as const;

export const EDGE_LABELS = {
  step: '次のステップへ',
  scenario: '別のシナリオへ',
  form: 'フォームを開く',
  handoff: '職員へ引き継ぐ（1:1チャット）',
  report: '通報として受け付ける',
  end: '終了',
} as const;

export const TEXT_FORMAT_LABELS = {
  '': '指定なし',
  number: '数字',
  alphanumeric: '半角英数字',
  date: '日付',
  pattern: 'パターン（正規表現）',
} as const;

export const CHOICE_DISPLAY_LABELS = { quickReply: 'クイックリプライ（画面下のボタン、11個まで）', buttons: 'ボタン（メッセージの中、30個まで）' } as const;
