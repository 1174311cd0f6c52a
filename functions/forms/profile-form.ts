/**
 * The city's standard profile form ("プロフィール登録"), created published at first start when
 * no profile form exists. Staff may edit it afterwards (choices, texts); the `attribute`
 * mappings tie its items to the friend's attributes that segments filter on.
 */
import type { Consent, FormInput, I18nText, ItemInput } from './form';

const t = (ja: string, en: string, ko: string, hans: string, hant: string): I18nText => ({ ja, en, ko, 'zh-Hans': hans, 'zh-Hant': hant });
const choice = (choiceId: string, label: I18nText) => ({ choiceId, label });

const DISTRICTS: [string, I18nText][] = [
  ['arao', t('荒尾', 'Arao', '아라오', '荒尾', '荒尾')],
  ['hirai', t('平井', 'Hirai', '히라이', '平井', '平井')],
  ['fumoto', t('府本', 'Fumoto', '후모토', '府本', '府本')],
  ['yahata', t('八幡', 'Yahata', '야하타', '八幡', '八幡')],
  ['ariake', t('有明', 'Ariake', '아리아케', '有明', '有明')],
  ['kiyosato', t('清里', 'Kiyosato', '기요사토', '清里', '清里')],
  ['midorigaoka', t('緑ケ丘', 'Midorigaoka', '미도리가오카', '绿丘', '綠丘')],
  ['manda', t('万田', 'Manda', '만다', '万田', '萬田')],
  ['chuo', t('中央', 'Chuo', '주오', '中央', '中央')],
  ['idegawa', t('井手川', 'Idegawa', '이데가와', '井手川', '井手川')],
  ['other', t('その他', 'Other', '기타', '其他', '其他')],
];

const AGE_BANDS: [string, I18nText][] = [
  ['10s', t('10代以下', '19 or under', '10대 이하', '19岁及以下', '19歲及以下')],
  ['20s', t('20代', '20s', '20대', '20多岁', '20多歲')],
  ['30s', t('30代', '30s', '30대', '30多岁', '30多歲')],
  ['40s', t('40代', '40s', '40대', '40多岁', '40多歲')],
  ['50s', t('50代', '50s', '50대', '50多岁', '50多歲')],
  ['60s', t('60代', '60s', '60대', '60多岁', '60多歲')],
  ['70s', t('70代', '70s', '70대', '70多岁', '70多歲')],
  ['80s', t('80代以上', '80 or over', '80대 이상', '80岁及以上', '80歲及以上')],
];

const GENDERS: [string, I18nText][] = [
  ['male', t('男性', 'Male', '남성', '男性', '男性')],
  ['female', t('女性', 'Female', '여성', '女性', '女性')],
  ['other', t('その他', 'Other', '기타', '其他', '其他')],
  ['no_answer', t('回答しない', 'Prefer not to say', '응답하지 않음', '不回答', '不回答')],
];

const CATEGORIES: [string, I18nText][] = [
  ['disaster', t('防災・災害', 'Disaster prevention', '방재·재해', '防灾·灾害', '防災·災害')],
  ['childcare', t('子育て', 'Childcare', '육아', '育儿', '育兒')],
  ['health', t('健康・医療', 'Health and medical care', '건강·의료', '健康·医疗', '健康·醫療')],
  ['events', t('イベント', 'Events', '이벤트', '活动', '活動')],
  ['environment', t('ごみ・環境', 'Waste and environment', '쓰레기·환경', '垃圾·环境', '垃圾·環境')],
  ['tourism', t('観光', 'Tourism', '관광', '观光', '觀光')],
  ['city', t('市政情報', 'City news', '시정 정보', '市政信息', '市政資訊')],
];

/** Fixed item ids: the standard items are referred to by docs and tests. */
export const PROFILE_ITEM_IDS = { district: 'district', ageBand: 'age_band', gender: 'gender', categories: 'categories' } as const;

export const PRIVACY_POLICY_URL = process.env.PRIVACY_POLICY_URL ?? 'https://www.city.arao.lg.jp/privacy/';

const consent: Consent = {
  text: t(
    '回答内容は、市からのお知らせをお住まいの地区や関心に合わせてお届けするためだけに使います。',
    'Your answers are used only to send you city news that fits your district and interests.',
    '응답 내용은 거주 지역과 관심사에 맞는 시의 소식을 보내 드리기 위해서만 사용합니다.',
    '您的回答仅用于根据您的居住地区和兴趣向您发送市政通知。',
    '您的回答僅用於根據您的居住地區和興趣向您傳送市政通知。',
  ),
  links: [{ label: t('個人情報の取り扱い', 'Privacy policy', '개인정보 처리방침', '隐私政策', '隱私權政策'), url: PRIVACY_POLICY_URL }],
};

const single = (
  itemId: string,
  label: I18nText,
  choices: [string, I18nText][],
  attribute: ItemInput['attribute'],
  type: ItemInput['type'] = 'single',
): ItemInput => ({
  itemId,
  type,
  label,
  required: true,
  attribute,
  choices: choices.map(([id, l]) => choice(id, l)),
});

export function standardProfileForm(): FormInput {
  return {
    title: t('プロフィール登録', 'Profile registration', '프로필 등록', '个人资料登记', '個人資料登記'),
    description: t(
      'お住まいの地区などを登録すると、あなたに合った市からのお知らせが届きます。',
      'Register your district and interests to receive city news that fits you.',
      '거주 지역 등을 등록하면 맞춤형 시 소식을 받을 수 있습니다.',
      '登记居住地区等信息后，您将收到适合您的市政通知。',
      '登記居住地區等資訊後，您將收到適合您的市政通知。',
    ),
    consent,
    items: [
      single(PROFILE_ITEM_IDS.district, t('居住地区', 'District', '거주 지역', '居住地区', '居住地區'), DISTRICTS, 'district', 'dropdown'),
      single(PROFILE_ITEM_IDS.ageBand, t('年代', 'Age group', '연령대', '年龄段', '年齡層'), AGE_BANDS, 'ageBand'),
      single(PROFILE_ITEM_IDS.gender, t('性別', 'Gender', '성별', '性别', '性別'), GENDERS, 'gender'),
      {
        ...single(
          PROFILE_ITEM_IDS.categories,
          t('受信したい情報のカテゴリ', 'Topics you want to receive', '받고 싶은 정보 분야', '希望接收的信息类别', '希望接收的資訊類別'),
          CATEGORIES,
          'categories',
          'multiple',
        ),
        required: false,
      },
    ],
  };
}
