/**
 * 初期データ: the starter set of keyword auto-replies the city's specification asks the contractor
 * to prepare (委託仕様書 4⑺ウ「メッセージは、本市が素案を提供し、受託者において初期データを作成すること」).
 * It is seeded once; from then on staff edit, stop or delete these rules in the console
 * (管理画面の「キーワード応答」) like any other rule, and nothing here overwrites their changes.
 *
 * Rules of this file:
 * - Every fact is one of: the city's official site (https://www.city.arao.lg.jp/), 119/110, a
 *   national rule, or an Arao City fact a public page states — with `// source: <url>` next to it.
 *   Where a fact was not found, the reply sends the citizen to the city's site and a
 *   `// 要確認:` comment above the rule tells the city's staff what to fill in.
 * - Matching runs on normalised text (normalize.ts: NFKC, katakana→hiragana, small kana→full,
 *   long vowels, spaces and punctuation dropped, lower case), so ゴミ/ごみ/ｺﾞﾐ need one keyword;
 *   regular expressions are also tried on the message as sent (hence the hiragana alternatives).
 * - Priorities: emergencies 1–10, topics 100–499 (the more specific first: 粗大ごみ before ごみ),
 *   general answers and greetings 800–999. Each priority is used once, so the order is plain.
 * - Replies: a Japanese variant (です・ます, short: a LINE message, not a web page), and an English
 *   one for the rules citizens need most (emergencies, evacuation, disaster information, rubbish,
 *   office hours, 住民票, マイナンバーカード, help).
 *
 * Bump STARTER_SET_VERSION whenever the set changes (the version is recorded with the seeded set).
 */
import type { Bubble, Variant } from '../deliveries/model';
import type { KeywordRule } from './model';

export type StarterRule = Pick<KeywordRule, 'name' | 'match' | 'patterns' | 'priority' | 'enabled' | 'replies'>;

/** Bumped when the set changes (recorded with the seeded set). */
export const STARTER_SET_VERSION = 1;

/** The city's official site (the one URL every reply may link to). */
const CITY_SITE = 'https://www.city.arao.lg.jp/';

/**
 * The city hall's main number and address (two independent pages agree; 要確認: 市の公式ページで再確認してください).
 * source: https://house.goo.ne.jp/chiiki/kurashi/kumamoto/43204.html
 * source: https://gomi.kt-hub.com/?p=3756
 */
const CITY_HALL_PHONE = '0968-63-1111';
const CITY_HALL_ADDRESS = '荒尾市宮内出目390';

/**
 * 荒尾市企業局 お客様センター (water: 開栓・閉栓, charges, meter reading; leaks).
 * source: https://www.city.arao.lg.jp/kurashi/suido/about/page1277.html
 * source: https://mykoho.jp/article/432041/10092420/10197533 (広報あらお: 問合せ 企業局 お客様センター 64-3333)
 */
const WATER_CENTER_PHONE = '0968-64-3333';

const text = (t: string): Bubble => ({ type: 'text', text: t });
const siteJa = (t = '詳しくは荒尾市のホームページでご確認いただけます。'): Bubble => ({ type: 'link', text: t, label: '荒尾市ホームページ', url: CITY_SITE });
const siteEn = (t = 'For details, please see the Arao City website (in Japanese).'): Bubble => ({
  type: 'link',
  text: t,
  label: 'Arao City website',
  url: CITY_SITE,
});
const ja = (...bubbles: Bubble[]): Variant => ({ lang: 'ja', bubbles });
const en = (...bubbles: Bubble[]): Variant => ({ lang: 'en', bubbles });

/** The help answer (two rules give it: the bare word, and a question in a sentence). */
function helpReplies(): Variant[] {
  return [
    ja(
      text(
        '荒尾市LINE公式アカウントです。市からのお知らせや防災情報をお届けしています。\n\n知りたいことを短い言葉で送ると、自動でご案内します。\n例：「ごみの日」「粗大ごみ」「避難所」「住民票」「マイナンバー」「開庁時間」「問い合わせ」',
      ),
      text('火事・救急のときは119番、事件・事故のときは110番に電話してください。このLINEへのメッセージでは通報できません。'),
    ),
    en(
      text(
        'This is the official LINE account of Arao City. We send news and disaster information from the city.\n\nSend a short keyword to get an automatic answer, e.g. "evacuation", "garbage day", "my number card", "office hours".',
      ),
      text('In an emergency, call 119 (fire, ambulance) or 110 (police). Messages to this account do not reach them.'),
    ),
  ];
}

export const STARTER_KEYWORD_RULES: readonly StarterRule[] = [
  // ---- emergencies (1–10) ---------------------------------------------------------------------

  {
    name: '救急・火事（119番）',
    match: 'contains',
    patterns: ['救急', '火事', '火災', '119番', '意識がない', '息をしていない', '呼吸をしていない', '大けが', '大怪我', 'ambulance'],
    priority: 1,
    enabled: true,
    replies: [
      ja(
        text('【火事・救急のとき】\nすぐに119番に電話してください。\nこのLINEへのメッセージでは消防・救急に連絡できません。'),
        // source: https://www.city.kumamoto.jp/smart/article/pub/detail.aspx?id=16131 (#7119 24時間365日、おおむね15歳以上 / #8000 おおむね中学生まで)
        // source: https://www.city.yamaga.kumamoto.jp/kiji0032750/index.html (熊本県の救急安心センター #7119 を24時間実施)
        // source: https://www.city.kumamoto.jp/kiji00361672/index.html (#8000: 夜間等、おおむね15歳未満)
        text(
          '救急車を呼ぶか迷うときは、熊本県の救急安心センター（#7119、24時間）に電話で相談できます。\n夜間や休日のお子さん（おおむね15歳未満）の急な病気は、子ども医療電話相談（#8000）へ。\n命に関わると思ったら、ためらわず119番に電話してください。',
        ),
      ),
      en(
        text('Fire or medical emergency: call 119 right away.\nMessages to this LINE account do not reach the fire department or an ambulance.'),
        text(
          "Not sure whether you need an ambulance? Kumamoto Prefecture's advice line #7119 is open 24 hours.\nFor a sick child (under about 15) at night or on holidays, call #8000.\nIf a life may be at risk, call 119 without hesitation.",
        ),
      ),
    ],
  },
  {
    name: '事件・事故（110番）',
    match: 'contains',
    patterns: ['事件', '事故', '110番', '泥棒', '空き巣', '不審者', 'police'],
    priority: 2,
    enabled: true,
    replies: [
      ja(text('【事件・事故のとき】\nすぐに110番に電話してください。けが人がいるときは119番へ。\nこのLINEへのメッセージでは警察・消防に連絡できません。')),
      en(text('Crime or accident: call 110 (police) right away. If someone is injured, call 119.\nMessages to this LINE account do not reach the police.')),
    ],
  },
  // 要確認: 指定避難所の一覧ページ（または防災ブック）のURLを、下のリンクに設定してください。
  // 避難所の問い合わせ先（防災安全課、電話 0968-63-1395 — 2022年の市の防災メールに記載）が今も正しければ、1つ目の吹き出しに加えられます。
  // source: https://anzen.m47.jp/p40/m689/1823946.html
  {
    name: '避難所',
    match: 'contains',
    patterns: ['避難', 'ひなん', '逃げる場所', '逃げ場所', 'evacuat', 'shelter'],
    priority: 5,
    enabled: true,
    replies: [
      ja(
        text(
          '避難所の場所は、荒尾市のホームページでご確認いただけます。\n災害のときに開設している避難所は、このLINEでお届けするお知らせや市のホームページでご確認ください。',
        ),
        // source: https://anzen.m47.jp/p40/m689/1814780.html (市の防災メール: お薬や日用品の携行、明るいうちに早めの避難)
        text('避難するときは、お薬や日用品など身の回りの物を持っていきましょう。暗くなってからの避難は危険です。明るいうちに、早めに避難してください。'),
        siteJa(),
      ),
      en(
        text(
          'You can find the evacuation shelters on the Arao City website. When shelters are opened in a disaster, we announce them on this LINE account and on the website.',
        ),
        text('Take your medicine and daily necessities with you. Moving after dark is dangerous: evacuate early, while it is still light.'),
        siteEn(),
      ),
    ],
  },
  // 要確認: 市の防災メール（2021〜2022年は「愛情ねっと」の荒尾市・防災カテゴリで配信）の登録方法、
  // （source: https://anzen.m47.jp/p40/m689/1576411.html）
  // 防災行政無線の有無と放送内容の確認方法があれば追記してください。防災メール連携（管理画面）を
  // 設定しない場合は、2つ目の吹き出しの「防災メールの内容も…」を削ってください。
  {
    name: '防災情報の受け取り方',
    match: 'contains',
    patterns: ['防災', 'ぼうさい', '災害', '警報', '台風', '大雨', '地震', '津波', '洪水', '土砂', 'ハザードマップ', 'disaster', 'typhoon', 'earthquake'],
    priority: 10,
    enabled: true,
    replies: [
      ja(
        text(
          'このLINE公式アカウントでは、避難情報など市からの防災情報をお届けします。\n大切なお知らせを見逃さないよう、このアカウントをブロックせず、LINEの通知をオンにしておいてください。',
        ),
        text('市が発信する防災メールの内容も、このアカウントでお届けします。テレビやラジオの気象情報にもご注意ください。'),
        siteJa('ハザードマップなど防災の情報は、荒尾市のホームページでご確認いただけます。'),
      ),
      en(
        text(
          'This LINE account sends disaster information from Arao City, such as evacuation notices. Please do not block this account, and keep LINE notifications on.',
        ),
        text("The city's disaster e-mails are also sent through this account. Please also follow the weather news on TV and radio."),
        siteEn('Hazard maps and other disaster information are on the Arao City website (in Japanese).'),
      ),
    ],
  },

  // ---- topics (100–499) -----------------------------------------------------------------------

  // 要確認: 開庁時間（例: 平日の何時から何時まで）と、休日・夜間の窓口があれば書き加えてください。
  // （仕様書 3⑷ の受託者の問合せ対応時間「平日8時30分〜17時15分」は市の開庁時間と同じとは限りません。）
  {
    name: '窓口の時間（開庁時間）',
    match: 'regex',
    patterns: [
      '開庁|閉庁',
      '(市役所|役所|窓口|市民課).{0,10}(何時|なん時|時間|開いて|あいて|空いて|休み|やすみ|土曜|日曜|土日|祝日|休日)',
      '(city ?hall|office).{0,15}(hours|open)',
    ],
    priority: 100,
    enabled: true,
    replies: [
      ja(
        text(
          `市役所の開庁時間や各窓口の受付時間は、荒尾市のホームページでご確認いただけます。\nご不明な点は、市役所の代表電話（${CITY_HALL_PHONE}）へお問い合わせください。`,
        ),
        siteJa(),
      ),
      en(
        text(
          `The opening hours of the city hall and its counters are on the Arao City website. For questions, call the city hall (${CITY_HALL_PHONE}, in Japanese).`,
        ),
        siteEn(),
      ),
    ],
  },
  // 要確認: 粗大ごみの出し方（申し込み先・電話番号、シールの料金、収集日、持ち込み先）を書き加えてください。
  {
    name: '粗大ごみ',
    match: 'contains',
    patterns: ['粗大', 'そだい', '大型ごみ', '大きいごみ', '大きなごみ', '家具'],
    priority: 110,
    enabled: true,
    replies: [ja(text('指定のごみ袋に入らない大きなごみ（粗大ごみ）の出し方、申し込み方法や料金は、荒尾市のホームページでご確認いただけます。'), siteJa())],
  },
  // 要確認: 地区ごとの収集日（ごみカレンダー）のページや、ごみ分別アプリがあれば、そのURLを下のリンクに設定してください。
  // 出す時刻（例：朝何時まで）は市の公式ページで確かめられなかったため入れていません。確かめて書き加えてください。
  {
    name: 'ごみの収集日',
    match: 'regex',
    patterns: ['(ごみ|ゴミ|塵).{0,15}(日|曜|カレンダー|かれんだ|いつ)', '(収集|回収)(日|曜)', '(garbage|trash|rubbish).{0,15}(day|collect|when)'],
    priority: 120,
    enabled: true,
    replies: [
      ja(
        text('ごみの収集日は、お住まいの地区によって異なる場合があります。荒尾市のホームページでご確認ください。'),
        text('ごみは収集日の朝、決められた時間までに出してください。'),
        siteJa(),
      ),
      en(
        text('Collection days may differ by area. Please check the Arao City website.'),
        text('Put your rubbish out in the morning of the collection day, by the set time.'),
        siteEn(),
      ),
    ],
  },
  // 要確認: 指定ごみ袋の色や出す時刻は市の公式ページで確かめられなかった（民間のまとめサイトのみ）ため入れていません。
  // ごみの出し方のページで確かめて書き加えてください。分別の早見表のURLがあれば下のリンクに設定してください。
  {
    name: 'ごみの出し方・分別',
    match: 'contains',
    patterns: [
      'ごみ',
      '分別',
      '資源物',
      'リサイクル',
      'ペットボトル',
      '空き缶',
      '空きびん',
      '電池',
      'スプレー缶',
      '古紙',
      '段ボール',
      'ダンボール',
      '家電',
      '捨て方',
      '捨てたい',
      '捨てる',
      'garbage',
      'trash',
      'rubbish',
    ],
    priority: 130,
    enabled: true,
    replies: [
      ja(
        text('家庭のごみは分別して市指定のごみ袋に入れ、収集日の朝、決められた時間までに出してください。'),
        siteJa('分別のしかたや品目ごとの出し方は、荒尾市のホームページでご確認いただけます。'),
      ),
      en(
        text("Sort your household rubbish, put it in the city's designated bags and put it out in the morning of the collection day, by the set time."),
        siteEn('How to sort each item is explained on the Arao City website (in Japanese).'),
      ),
    ],
  },
  // 要確認: 荒尾市がコンビニ交付に参加していることと、取得できる証明書・手数料・利用時間を確認して書き加えてください。
  {
    name: '証明書のコンビニ交付',
    match: 'regex',
    patterns: [
      '(コンビニ|こんびに).{0,10}(証明|住民票|印鑑|戸籍|交付|発行|とれ|取れ)',
      '(証明|住民票|印鑑|戸籍).{0,10}(コンビニ|こんびに)',
      '(キオスク|きおすく)端末',
      'マルチコピー|まるちこぴ',
    ],
    priority: 140,
    enabled: true,
    replies: [
      ja(
        text(
          'マイナンバーカード（利用者証明用電子証明書つき）があれば、コンビニなどのマルチコピー機で住民票の写しなどの証明書を取得できる「コンビニ交付」という全国の仕組みがあります。\n荒尾市での取り扱い（取得できる証明書・手数料・利用時間）は、市のホームページでご確認ください。',
        ),
        siteJa(),
      ),
    ],
  },
  {
    name: 'マイナンバーカード',
    match: 'contains',
    patterns: ['マイナンバー', 'マイナカード', 'マイナ保険証', '個人番号', '電子証明書', 'my number'],
    priority: 150,
    enabled: true,
    replies: [
      ja(
        text('マイナンバーカードの申請・受け取り・更新・住所などの変更の手続きは、市役所で行います。'),
        // source: https://www.city.mishima.shizuoka.jp/page/2069.html (有効期限: 18歳以上は発行から10回目の誕生日、電子証明書は5回目の誕生日)
        text('カードの有効期限は、18歳以上の方は発行から10回目の誕生日まで（18歳未満の方は5回目の誕生日まで）、電子証明書は発行から5回目の誕生日までです。'),
        siteJa('受付の場所や時間、必要なものは荒尾市のホームページでご確認いただけます。'),
      ),
      en(
        text('Applying for, receiving, renewing or updating your My Number Card is done at the city hall.'),
        text(
          'The card is valid until your 10th birthday after issue (5th if you are under 18); its electronic certificate until the 5th birthday after issue.',
        ),
        siteEn('Where and when to apply, and what to bring, are on the Arao City website (in Japanese).'),
      ),
    ],
  },
  // 要確認: 必要なもの（本人確認書類、マイナンバーカード等）と、国保・児童手当など関連手続きのページがあれば追記してください。
  {
    name: '転入・転出・転居（引っ越し）',
    match: 'contains',
    patterns: ['引っ越し', '引越', 'ひっこし', '転入', '転出', '転居', '住所変更', '住所が変わ'],
    priority: 160,
    enabled: true,
    replies: [
      ja(
        // source: http://www004.upp.so-net.ne.jp/hitosen/juukihou4.html (住民基本台帳法 第22条〜第24条)
        text(
          '引っ越しのときは、市役所の窓口で届出が必要です。\n・市外から荒尾市へ：引っ越した日から14日以内に転入届\n・荒尾市内での引っ越し：14日以内に転居届\n・荒尾市から市外へ：引っ越す前に転出届',
        ),
        siteJa('国民健康保険や児童手当など、ほかの手続きが必要になる場合もあります。詳しくは荒尾市のホームページでご確認ください。'),
      ),
    ],
  },
  // 要確認: 窓口の名前（市民課など）、手数料、郵送での請求方法のページがあれば追記してください。
  {
    name: '住民票',
    match: 'contains',
    patterns: ['住民票', '住民票の写し', 'じゅうみんひょう', 'residence certificate', 'juminhyo'],
    priority: 170,
    enabled: true,
    replies: [
      ja(
        // source: https://edit.www.city.ogori.fukuoka.jp/3208/3209/3215?menu=670 (本人・同一世帯以外は委任状: 全国共通の扱い)
        text(
          '住民票の写しは、市役所の窓口で請求できます。窓口に来る方の本人確認書類（マイナンバーカード、運転免許証など）をお持ちください。代理の方が請求するときは委任状が必要です。',
        ),
        text('マイナンバーカードを使ったコンビニでの取得については、「コンビニ交付」と送ってください。'),
        siteJa('手数料や受付時間は、荒尾市のホームページでご確認いただけます。'),
      ),
      en(
        text(
          "You can request a copy of your residence record (住民票の写し) at the city hall. Bring an ID such as your My Number Card or driver's licence. Someone requesting it for you needs a letter of attorney (委任状).",
        ),
        siteEn('Fees and opening hours are on the Arao City website (in Japanese).'),
      ),
    ],
  },
  {
    name: '印鑑登録・印鑑登録証明書',
    match: 'contains',
    patterns: ['印鑑', 'いんかん', 'はんこ', '実印'],
    priority: 180,
    enabled: true,
    replies: [
      ja(
        text('印鑑登録の手続きや、印鑑登録証明書の請求は、市役所の窓口でできます。証明書の請求には「印鑑登録証」が必要です。'),
        siteJa('必要なものや手数料は、荒尾市のホームページでご確認いただけます。'),
      ),
    ],
  },
  {
    name: '戸籍・戸籍の届出',
    match: 'contains',
    patterns: ['戸籍', 'こせき', '謄本', '抄本', '出生届', '婚姻届', '離婚届', '死亡届'],
    priority: 190,
    enabled: true,
    replies: [
      ja(
        text('戸籍謄本などの戸籍証明書の請求や、出生・婚姻・死亡などの届出は、市役所の窓口で受け付けています。'),
        // source: https://www.city.ogi.lg.jp/main/22688.html (令和6年3月1日から戸籍証明書等の広域交付)
        // source: https://cms.city-nakatsu.jp/doc/2017051500142
        text('令和6年3月から、本籍地以外の市区町村の窓口でも、ご本人などが戸籍謄本を請求できるようになりました（広域交付）。'),
        siteJa('必要なものや手数料は、荒尾市のホームページでご確認いただけます。'),
      ),
    ],
  },
  // 要確認: 特定健診・がん検診・予防接種の担当窓口と、日程のページがあれば追記してください。
  {
    name: '健診・予防接種',
    match: 'contains',
    patterns: ['健診', '検診', '健康診断', '人間ドック', '予防接種', 'ワクチン'],
    priority: 195,
    enabled: true,
    replies: [ja(text('健康診断（特定健診・がん検診など）や予防接種の日程・対象・申し込み方法は、荒尾市のホームページでご確認いただけます。'), siteJa())],
  },
  // 要確認: 休日在宅当番医の案内先（広報あらお、市のページ、医師会など）を書き加えてください。
  {
    name: '休日・夜間の医療（当番医）',
    match: 'contains',
    patterns: ['当番医', '休日診療', '夜間診療', '病院', '急病', '発熱', '熱が', '熱を出', '具合が悪'],
    priority: 200,
    enabled: true,
    replies: [
      ja(
        text('休日や夜間に診てもらえる医療機関（当番医）は、荒尾市のホームページなどでご確認ください。'),
        // source: https://www.city.kumamoto.jp/smart/article/pub/detail.aspx?id=16131
        // source: https://www.city.kumamoto.jp/kiji00361672/index.html
        text(
          '受診するか迷うときは、熊本県の救急安心センター（#7119、24時間）に相談できます。夜間や休日のお子さん（おおむね15歳未満）は子ども医療電話相談（#8000）へ。\n命に関わるときは、すぐに119番に電話してください。',
        ),
        siteJa(),
      ),
    ],
  },
  {
    name: '保育園・幼稚園',
    match: 'contains',
    patterns: ['保育', 'ほいく', '幼稚園', 'こども園', '入園', '待機児童'],
    priority: 220,
    enabled: true,
    replies: [
      ja(
        // source: https://www.city.arao.lg.jp/kosodate/hoikuen/hoikusho/page21009.html (教育・保育給付認定が必要、年度途中は子育て支援課窓口で随時受付)
        text(
          '幼稚園・保育所・認定こども園などを利用するには、市の「教育・保育給付認定」を受ける必要があります。\n年度の途中からの申し込みは、子育て支援課の窓口で受け付けています。お早めにお申し込みください。',
        ),
        siteJa('申し込みの時期や必要な書類は、荒尾市のホームページでご確認いただけます。'),
      ),
    ],
  },
  // 要確認: 児童手当・子ども医療費助成の担当課と、子育て情報のまとめページがあれば追記してください。
  {
    name: '子育て・児童手当',
    match: 'contains',
    patterns: ['児童手当', '子育て', '子ども医療', '子供医療', 'こども医療', '医療費助成', '母子手帳', '母子健康手帳', '妊娠', '出産', 'ひとり親', '手当'],
    priority: 230,
    enabled: true,
    replies: [
      ja(
        text('お子さんが生まれたときや、お子さんと一緒に引っ越してきたときは、児童手当の申請が必要です。'),
        siteJa('児童手当、子どもの医療費の助成、妊娠・出産の手続きなど、子育ての制度は荒尾市のホームページでご確認いただけます。'),
      ),
    ],
  },
  {
    name: '水道の漏水・凍結',
    match: 'contains',
    patterns: ['漏水', '水漏れ', '水が漏れ', '水道が漏れ', '水道管', '凍結', '破裂', '断水', '水が出ない'],
    priority: 240,
    enabled: true,
    replies: [
      ja(
        // source: https://mykoho.jp/article/432041/10092420/10197533 (止水栓を閉めて市指定給水装置工事事業者に修理を依頼、問合せ 企業局お客様センター)
        text('家の水道管から水が漏れているときは、まずメーターボックスの中の止水栓を閉めて、市指定の給水装置工事事業者に修理を依頼してください。'),
        text(`ご不明な点は、荒尾市企業局 お客様センター（電話 ${WATER_CENTER_PHONE}）へお問い合わせください。`),
      ),
    ],
  },
  {
    name: '水道の使用開始・中止・料金',
    match: 'contains',
    patterns: ['水道', 'すいどう', '開栓', '閉栓', '検針', '水道代'],
    priority: 250,
    enabled: true,
    replies: [
      ja(
        // source: https://www.city.arao.lg.jp/kurashi/suido/about/page1277.html (企業局お客様センター: 水道料金収納、開閉栓、検針等)
        text(
          `水道の使用開始・中止（開栓・閉栓）、水道料金、検針については、荒尾市企業局 お客様センター（電話 ${WATER_CENTER_PHONE}）へご連絡ください。引っ越しのときはお早めにどうぞ。`,
        ),
        siteJa(),
      ),
    ],
  },
  // 要確認: 介護保険・高齢者の相談の担当課と、地域包括支援センターの連絡先を書き加えてください。
  {
    name: '介護・高齢者の相談',
    match: 'contains',
    patterns: ['介護', 'ケアマネ', '包括支援', '認知症', '高齢者の相談'],
    priority: 255,
    enabled: true,
    replies: [
      ja(text('介護保険の申請（要介護認定）やサービスの利用、高齢の方の暮らしの相談は、市役所の担当窓口や地域包括支援センターで受け付けています。'), siteJa()),
    ],
  },
  // 要確認: 担当課の名前と、国保の税（料）の納付・減免のページがあれば追記してください。
  {
    name: '国民健康保険',
    match: 'contains',
    patterns: ['国民健康保険', '国保', 'こくほ', '健康保険', '保険証', '後期高齢者'],
    priority: 260,
    enabled: true,
    replies: [
      ja(
        text('国民健康保険の加入・脱退（就職・退職・引っ越しなど）、納付、保険証についての手続き・相談は、市役所の担当窓口で受け付けています。'),
        text('75歳以上の方は後期高齢者医療制度の対象です。'),
        siteJa(),
      ),
    ],
  },
  {
    name: '国民年金',
    match: 'contains',
    patterns: ['年金', 'ねんきん'],
    priority: 280,
    enabled: true,
    replies: [ja(text('国民年金の加入や、保険料の免除などの手続きは、市役所の担当窓口や年金事務所で相談できます。'), siteJa())],
  },
  // 要確認: 納期の一覧、納付方法（口座振替・スマホ決済など）、税証明のページがあれば追記してください。
  {
    name: '税金（市税）',
    match: 'contains',
    patterns: ['税', '納付', '納税', '口座振替', '滞納', '督促', '所得証明', '課税証明'],
    priority: 300,
    enabled: true,
    replies: [
      ja(text('市税（市県民税・固定資産税・軽自動車税など）の納付方法や納期、税の証明書については、荒尾市のホームページでご確認いただけます。'), siteJa()),
    ],
  },
  // 要確認: 通報機能（LINEからの通報）を公開したら、1つ目の吹き出しを通報の案内に差し替えてください。
  // 道路・街灯・公園など、担当課ごとの電話番号があれば書き加えてください。
  {
    name: '道路・街灯・公園などの不具合',
    match: 'contains',
    patterns: ['道路', '街灯', '防犯灯', '陥没', '側溝', 'カーブミラー', 'ガードレール', '公園', '遊具', '倒木', '通報', '壊れ', '破損', '故障'],
    priority: 320,
    enabled: true,
    replies: [
      ja(
        text(
          `道路の穴や街灯の故障など、道路・公園などの不具合をこのLINEから通報できる機能は、準備ができしだいお知らせします。\nそれまでは、お手数ですが市役所の担当課へお電話でお知らせください。担当課がわからないときは、代表電話（${CITY_HALL_PHONE}）へ。`,
        ),
        text('人や車に危険が迫っているときは、110番に電話してください。'),
      ),
    ],
  },
  // 要確認: 犬の登録・狂犬病予防注射の担当窓口（集合注射の日程）、迷い犬・猫の相談先を書き加えてください。
  {
    name: '犬・猫・ペット',
    match: 'contains',
    patterns: ['犬', '猫', 'ペット', '狂犬病'],
    priority: 330,
    enabled: true,
    replies: [
      ja(
        text('犬を飼い始めたら、市への登録（一生に1回）と、毎年の狂犬病予防注射が必要です（狂犬病予防法）。'),
        siteJa('手続きの窓口や、迷い犬・猫などの相談先は、荒尾市のホームページでご確認いただけます。'),
      ),
    ],
  },
  // 要確認: 開館時間・休館日と、図書館のホームページ（蔵書検索）のURLがあれば、下のリンクに設定してください。
  {
    name: '図書館',
    match: 'contains',
    patterns: ['図書館', 'としょかん', '本を借り', '本の返却'],
    priority: 340,
    enabled: true,
    replies: [
      ja(
        // source: https://cckuma.com/pickup/%e8%8d%92%e5%b0%be%e5%b8%82%e7%ab%8b%e5%9b%b3%e6%9b%b8%e9%a4%a8%e4%b8%8d%e7%9f%a5%e7%81%ab%e7%be%8e%e8%a1%93%e9%a4%a8%e5%9b%b3%e6%9b%b8%e9%a4%a8%e3%83%84%e3%82%bf%e3%83%a4%e5%9b%b3%e6%9b%b8%e9%a4%a8/
        // source: http://www.jukunicolas.net/posts/post413.html (荒尾図書館は荒尾シティモールの中)
        text('荒尾市立図書館は、あらおシティモールの中にあります。'),
        siteJa('開館時間や休館日は、荒尾市のホームページなどでご確認いただけます。'),
      ),
    ],
  },
  // 要確認: 施設予約システムがあれば、そのURLを下のリンクに設定してください。
  {
    name: '施設の利用・予約',
    match: 'contains',
    patterns: ['施設予約', '予約', '公民館', '体育館', '会議室', '貸館'],
    priority: 350,
    enabled: true,
    replies: [
      ja(
        text(
          '公民館や体育館など、市の施設の利用方法や予約のしかたは施設ごとに異なります。荒尾市のホームページでご確認いただくか、各施設へお問い合わせください。',
        ),
        siteJa(),
      ),
    ],
  },

  // ---- general (800–999) ----------------------------------------------------------------------

  {
    name: '問い合わせ先・電話番号',
    match: 'contains',
    patterns: ['問い合', '問合', 'といあわせ', '電話', '連絡先', '担当', '市役所の場所', '市役所の住所', '市役所はどこ'],
    priority: 800,
    enabled: true,
    replies: [
      ja(
        text(`荒尾市役所（代表）\n電話：${CITY_HALL_PHONE}\n住所：${CITY_HALL_ADDRESS}\n\n担当の課がわからないときは、代表電話におかけください。`),
        siteJa('各課の連絡先は、荒尾市のホームページでご確認いただけます。'),
      ),
    ],
  },
  {
    name: '使い方（ヘルプ）',
    match: 'exact',
    patterns: ['ヘルプ', 'help', '使い方', 'つかいかた', 'メニュー', 'menu', '何ができる', '何ができるの', '何ができますか', 'できること', '機能', '説明'],
    priority: 900,
    enabled: true,
    replies: helpReplies(),
  },
  {
    name: '使い方（文章での質問）',
    match: 'contains',
    patterns: ['使い方を', '使いかた', 'このアカウント', 'このライン', 'このline', '何ができ', 'どう使'],
    priority: 910,
    enabled: true,
    replies: helpReplies(),
  },
  {
    name: 'あいさつ',
    match: 'exact',
    patterns: [
      'こんにちは',
      'こんにちわ',
      'おはよう',
      'おはようございます',
      'こんばんは',
      'こんばんわ',
      'はじめまして',
      'よろしく',
      'よろしくお願いします',
      'もしもし',
      'hello',
      'hi',
    ],
    priority: 950,
    enabled: true,
    replies: [
      ja(
        text(
          'こんにちは。荒尾市LINE公式アカウントです。\n知りたいことを短い言葉で送ってください（例：「ごみの日」「避難所」「住民票」）。\n「ヘルプ」と送ると、使い方をご案内します。',
        ),
      ),
    ],
  },
  {
    name: 'お礼',
    match: 'exact',
    patterns: [
      'ありがとう',
      'ありがと',
      'ありがとうございます',
      'ありがとうございました',
      'どうも',
      '助かりました',
      'わかりました',
      '了解',
      'サンキュー',
      'thanks',
      'thank you',
    ],
    priority: 960,
    enabled: true,
    replies: [ja(text('ご利用ありがとうございます。\nほかにも知りたいことがあれば、いつでも短い言葉で送ってくださいね。'))],
  },
];
