/**
 * The alert-mail fixtures (test/events/mail/<name>.eml, written by test/events/mail/generate.ts)
 * and the exact text each must come out as. Texts are what Japanese disaster-prevention mail
 * services send: bracketed titles, full-width digits and signs, CP932's circled numbers and
 * company sign, 髙 (an IBM extension), long lines, and mail footers.
 */
export interface MailFixture {
  name: string;
  kind: 'plain' | 'html' | 'alternative' | 'attachment';
  charset: 'ISO-2022-JP' | 'Shift_JIS' | 'EUC-JP' | 'UTF-8';
  /** The subject's charset when it differs from the body's; 'ascii' writes it unencoded. */
  subjectCharset?: 'ISO-2022-JP' | 'Shift_JIS' | 'EUC-JP' | 'UTF-8' | 'ascii';
  cte: '7bit' | '8bit' | 'quoted-printable' | 'base64';
  from: string;
  /** A display name, encoded in the body's charset. */
  fromName?: string;
  date: string;
  subject: string;
  /** The text part (plain, alternative, attachment). */
  body: string;
  /** The HTML part (html, alternative). */
  html?: string;
  /** The text expected out of `html` (html only). */
  htmlText?: string;
}

const EVACUATION = [
  '荒尾市災害対策本部からのお知らせです。',
  '',
  '【警戒レベル４】避難指示を発令しました。',
  '対象地区：荒尾・万田・緑ケ丘・八幡台（土砂災害警戒区域）',
  '発令日時：１２月７日　３時１５分',
  '',
  '危険な場所から全員避難してください。',
  '避難所：荒尾総合文化センター、中央小学校体育館',
].join('\n');

const FOOTER = ['', '---------------------', '荒尾市防災メール', '配信停止はこちら https://bousai.city.arao.example/stop'].join('\n');

export const FIXTURES: MailFixture[] = [
  {
    name: 'iso-2022-jp-7bit',
    kind: 'plain',
    charset: 'ISO-2022-JP',
    cte: '7bit',
    from: 'bousai@city.arao.example',
    fromName: '荒尾市防災安全課',
    date: 'Mon, 07 Dec 2026 03:15:00 +0900',
    subject: '【荒尾市】避難指示（警戒レベル４）の発令について',
    body: EVACUATION + FOOTER,
  },
  {
    name: 'shift_jis-base64',
    kind: 'plain',
    charset: 'Shift_JIS',
    cte: 'base64',
    from: 'alert@bousai-mail.example.jp',
    date: 'Mon, 07 Dec 2026 03:20:00 +0900',
    subject: '【荒尾市】①高齢者等避難　㈱髙田建設前の市道が冠水',
    body:
      [
        '①高齢者等避難（警戒レベル３）を発令しました。',
        '②㈱髙田建設前の市道（荒尾～万田）は冠水のため通行止めです。',
        '③～⑤の地区の方は早めに避難してください。',
        'ﾊﾝｶｸｶﾀｶﾅもそのまま：ｱﾗｵｼ',
      ].join('\n') + FOOTER,
  },
  {
    name: 'shift_jis-quoted-printable',
    kind: 'plain',
    charset: 'Shift_JIS',
    cte: 'quoted-printable',
    from: 'alert@bousai-mail.example.jp',
    date: 'Mon, 07 Dec 2026 03:25:00 +0900',
    subject: '【荒尾市】大雨警報（土砂災害）発表　№２',
    body: [
      '熊本地方気象台は、荒尾市に大雨警報（土砂災害）を発表しました。',
      '今後の情報に十分注意してください。一行が長い文も途中で折り返されずに届くことを確かめるための、とても長い一行です。',
    ].join('\n'),
  },
  {
    name: 'euc-jp-quoted-printable',
    kind: 'plain',
    charset: 'EUC-JP',
    cte: 'quoted-printable',
    from: 'bousai@city.arao.example',
    date: 'Mon, 07 Dec 2026 06:00:00 +0900',
    subject: '【荒尾市】避難指示の解除について',
    body: ['荒尾・万田地区に発令していた避難指示を、６時００分に解除しました。', '引き続き、がけ崩れ等に注意してください。'].join('\n'),
  },
  {
    name: 'euc-jp-8bit',
    kind: 'plain',
    charset: 'EUC-JP',
    cte: '8bit',
    from: 'bousai@city.arao.example',
    date: 'Mon, 07 Dec 2026 06:05:00 +0900',
    subject: '【荒尾市】緊急安全確保（警戒レベル５）',
    body: ['命の危険　直ちに安全確保！', '既に災害が発生・切迫しています。'].join('\n'),
  },
  {
    name: 'utf-8-8bit',
    kind: 'plain',
    charset: 'UTF-8',
    cte: '8bit',
    from: 'Bousai@City.Arao.Example',
    date: 'Mon, 07 Dec 2026 07:00:00 +0900',
    subject: '【荒尾市】土砂災害警戒情報 🌧',
    body: ['土砂災害警戒情報が発表されました。', '絵文字も届く 🌧⚠️'].join('\n'),
  },
  {
    name: 'alternative-iso-2022-jp',
    kind: 'alternative',
    charset: 'ISO-2022-JP',
    cte: '7bit',
    from: 'bousai@city.arao.example',
    date: 'Mon, 07 Dec 2026 07:30:00 +0900',
    subject: '【荒尾市】給水のお知らせ',
    // JIS 0x2141 (the wave dash) comes out as ～ (U+FF5E), as Windows and LINE's fonts show it.
    body: ['断水地区への給水を行います。', '場所：荒尾市役所駐車場', '時間：９時～１７時'].join('\n'),
    html: '<html><body><p>断水地区への給水を<b>行います</b>。</p><p>場所：荒尾市役所駐車場<br>時間：９時～１７時</p></body></html>',
  },
  {
    name: 'html-only-utf-8',
    kind: 'html',
    charset: 'UTF-8',
    cte: 'base64',
    subjectCharset: 'UTF-8',
    from: 'noreply@bousai-mail.example.jp',
    date: 'Mon, 07 Dec 2026 08:00:00 +0900',
    subject: '【荒尾市】避難所開設情報',
    body: '',
    html: [
      '<!DOCTYPE html><html><head><style>p { color: red; }</style><title>無視される</title></head><body>',
      '<h1>避難所開設情報</h1>',
      '<p>次の避難所を開設しました。<br>荒尾総合文化センター<br/>中央小学校体育館</p>',
      '<p>お問い合わせ：防災安全課 &amp; 消防本部（&lt;0968-63-1111&gt;）</p>',
      '<script>alert(1)</script>',
      '</body></html>',
    ].join('\n'),
    htmlText: [
      '避難所開設情報',
      '',
      '次の避難所を開設しました。',
      '荒尾総合文化センター',
      '中央小学校体育館',
      '',
      'お問い合わせ：防災安全課 & 消防本部（<0968-63-1111>）',
    ].join('\n'),
  },
  {
    name: 'attachment-shift_jis',
    kind: 'attachment',
    charset: 'Shift_JIS',
    cte: 'base64',
    subjectCharset: 'ascii',
    from: 'bousai@city.arao.example',
    date: 'Mon, 07 Dec 2026 09:00:00 +0900',
    subject: 'Hinanjo list (ASCII subject)',
    body: '避難所一覧を添付します。添付ファイルは送られません。',
  },
];
