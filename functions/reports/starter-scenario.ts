/**
 * The report scenario a city starts with (initial data, created and published once; staff edit it
 * like any scenario, add steps without limit): category → photos (up to 5, optional) → place (LINE's
 * location) → description → optional name and phone with consent → confirmation → 「通報として受け付ける」.
 * Its answers' names are REPORT_ANSWERS (functions/reports/model.ts); any other answer staff add is
 * kept on the report as an extra.
 */
import { createScenario, publishScenario, saveScenario, type StaffScenariosDeps } from '../scenarios/staff-scenarios';
import type { ScenarioDraft, Step } from '../scenarios/model';
import type { SignedIn } from '../staff/context';
import { DEFAULT_REPORT_SETTINGS } from './defaults';
import { REPORT_ANSWERS as A } from './model';

export const STARTER_REPORT_SCENARIO_NAME = '市民通報（道路・公園・河川・上下水道など）';
export const STARTER_START_WORDS = ['通報', '通報する', '道路の破損'];

const steps: Step[] = [
  {
    stepId: 'category',
    name: '種類',
    messages: [
      {
        type: 'text',
        text: {
          ja: '道路・公園・河川・上下水道などの破損や異常を、写真と場所で市にお知らせいただけます。\n（事故や火災など緊急の場合は110番・119番へ）\n\nどの種類ですか？',
          en: 'You can report damage to roads, parks, rivers, water pipes and more, with a photo and the place.\n(In an emergency call 110 or 119.)\n\nWhat is it about?',
          ko: '도로·공원·하천·상하수도 등의 파손이나 이상을 사진과 장소로 시에 알려 주실 수 있습니다.\n(사고나 화재 등 긴급한 경우 110·119로)\n\n어떤 종류입니까?',
          'zh-Hans': '您可以通过照片和地点向市政府报告道路、公园、河流、上下水道等的损坏或异常。\n（事故、火灾等紧急情况请拨打110或119）\n\n是哪一类？',
          'zh-Hant': '您可以透過照片和地點向市政府通報道路、公園、河川、上下水道等的損壞或異常。\n（事故、火災等緊急情況請撥打110或119）\n\n是哪一類？',
        },
      },
    ],
    wait: {
      kind: 'choice',
      display: 'quickReply',
      saveAs: A.category,
      choices: DEFAULT_REPORT_SETTINGS.categories.map((c) => ({ choiceId: c.id, label: c.label, next: { to: 'step', stepId: 'photos' } })),
    },
  },
  {
    stepId: 'photos',
    name: '写真',
    messages: [
      {
        type: 'text',
        text: {
          ja: '写真を送ってください（5枚まで）。カメラで撮るか、写真を選んでください。\n写真がないときは「スキップ」を押してください。',
          en: 'Please send photos (up to 5): take one with the camera or choose from your photos.\nNo photo? Tap "Skip".',
          ko: '사진을 보내 주세요 (5장까지). 카메라로 찍거나 사진을 선택해 주세요.\n사진이 없으면 "건너뛰기"를 눌러 주세요.',
          'zh-Hans': '请发送照片（最多5张）。可以拍照或从相册选择。\n没有照片时请点「跳过」。',
          'zh-Hant': '請傳送照片（最多5張）。可以拍照或從相簿選擇。\n沒有照片時請點「跳過」。',
        },
      },
    ],
    wait: { kind: 'image', optional: true, max: 5, saveAs: A.photos, next: { to: 'step', stepId: 'place' } },
  },
  {
    stepId: 'place',
    name: '場所',
    messages: [
      {
        type: 'text',
        text: {
          ja: '場所を教えてください。「位置情報を送る」を押して、地図で場所を選んでください。',
          en: 'Where is it? Tap "Send location" and choose the place on the map.',
          ko: '장소를 알려 주세요. "위치 정보 보내기"를 눌러 지도에서 장소를 선택해 주세요.',
          'zh-Hans': '请告诉我们地点。请点「发送位置」，在地图上选择地点。',
          'zh-Hant': '請告訴我們地點。請點「傳送位置」，在地圖上選擇地點。',
        },
      },
    ],
    wait: { kind: 'location', saveAs: A.place, next: { to: 'step', stepId: 'description' } },
  },
  {
    stepId: 'description',
    name: '状況',
    messages: [
      {
        type: 'text',
        text: {
          ja: 'どのような状況か、短く教えてください。\n（例：歩道に直径30cmほどの穴があいている）',
          en: 'Please describe it briefly.\n(e.g. a hole about 30 cm wide in the pavement)',
          ko: '어떤 상황인지 간단히 알려 주세요.\n(예: 보도에 지름 30cm 정도의 구멍이 있음)',
          'zh-Hans': '请简单描述情况。\n（例：人行道上有一个直径约30厘米的洞）',
          'zh-Hant': '請簡單描述情況。\n（例：人行道上有一個直徑約30公分的洞）',
        },
      },
    ],
    wait: { kind: 'text', rules: { required: true, maxLength: 1000 }, saveAs: A.description, next: { to: 'step', stepId: 'consent' } },
  },
  {
    stepId: 'consent',
    name: '連絡先の同意',
    messages: [
      {
        type: 'text',
        text: {
          ja: '担当課から詳しいことをお尋ねする場合があります。お名前と電話番号を市に伝えてもよろしいですか？（この通報の対応以外には使いません）',
          en: 'The city may need to ask you for details. May we have your name and phone number? (Used only for this report.)',
          ko: '담당 부서에서 자세한 내용을 여쭤볼 수 있습니다. 이름과 전화번호를 알려 주시겠습니까? (이 신고의 처리 외에는 사용하지 않습니다)',
          'zh-Hans': '负责部门可能需要向您询问详情。可以告诉我们您的姓名和电话号码吗？（仅用于处理本报告）',
          'zh-Hant': '負責部門可能需要向您詢問詳情。可以告訴我們您的姓名和電話號碼嗎？（僅用於處理本通報）',
        },
      },
    ],
    wait: {
      kind: 'choice',
      display: 'quickReply',
      saveAs: A.consent,
      choices: [
        {
          choiceId: 'yes',
          value: 'yes',
          label: { ja: '同意して入力する', en: 'Agree and enter', ko: '동의하고 입력', 'zh-Hans': '同意并填写', 'zh-Hant': '同意並填寫' },
          next: { to: 'step', stepId: 'name' },
        },
        {
          choiceId: 'no',
          value: 'no',
          label: { ja: '入力しない', en: 'No thanks', ko: '입력하지 않음', 'zh-Hans': '不填写', 'zh-Hant': '不填寫' },
          next: { to: 'step', stepId: 'confirm' },
        },
      ],
    },
  },
  {
    stepId: 'name',
    name: 'お名前',
    messages: [
      {
        type: 'text',
        text: {
          ja: 'お名前を入力してください。',
          en: 'Your name, please.',
          ko: '이름을 입력해 주세요.',
          'zh-Hans': '请输入您的姓名。',
          'zh-Hant': '請輸入您的姓名。',
        },
      },
    ],
    wait: { kind: 'text', rules: { required: true, maxLength: 100 }, saveAs: A.name, next: { to: 'step', stepId: 'phone' } },
  },
  {
    stepId: 'phone',
    name: '電話番号',
    messages: [
      {
        type: 'text',
        text: {
          ja: '電話番号を入力してください（例：0968-63-1111）。',
          en: 'Your phone number, please (e.g. 0968-63-1111).',
          ko: '전화번호를 입력해 주세요 (예: 0968-63-1111).',
          'zh-Hans': '请输入电话号码（例：0968-63-1111）。',
          'zh-Hant': '請輸入電話號碼（例：0968-63-1111）。',
        },
      },
    ],
    wait: {
      kind: 'text',
      rules: { required: true, maxLength: 20, format: 'pattern', pattern: '[0-9０-９+＋()（）\\- ‐－]{6,20}' },
      saveAs: A.phone,
      next: { to: 'step', stepId: 'confirm' },
    },
  },
  {
    stepId: 'confirm',
    name: '確認',
    messages: [
      {
        type: 'text',
        text: {
          ja: 'この内容で通報します。\n種類: {answer.category}\n写真: {answer.photos}\n場所: {answer.place}\n状況: {answer.description}',
          en: 'Your report:\nType: {answer.category}\nPhotos: {answer.photos}\nPlace: {answer.place}\nDetails: {answer.description}',
          ko: '이 내용으로 신고합니다.\n종류: {answer.category}\n사진: {answer.photos}\n장소: {answer.place}\n상황: {answer.description}',
          'zh-Hans': '将以下内容提交报告。\n类别：{answer.category}\n照片：{answer.photos}\n地点：{answer.place}\n情况：{answer.description}',
          'zh-Hant': '將以下內容提交通報。\n類別：{answer.category}\n照片：{answer.photos}\n地點：{answer.place}\n情況：{answer.description}',
        },
      },
    ],
    wait: {
      kind: 'choice',
      display: 'buttons',
      choices: [
        {
          choiceId: 'send',
          label: { ja: 'この内容で送る', en: 'Send', ko: '이 내용으로 보내기', 'zh-Hans': '提交', 'zh-Hant': '送出' },
          next: { to: 'report' },
        },
        {
          choiceId: 'again',
          label: { ja: '最初から入力し直す', en: 'Start again', ko: '처음부터 다시', 'zh-Hans': '重新填写', 'zh-Hant': '重新填寫' },
          next: { to: 'step', stepId: 'category' },
        },
      ],
    },
  },
];

export const STARTER_REPORT_DRAFT: ScenarioDraft = {
  name: STARTER_REPORT_SCENARIO_NAME,
  startWords: STARTER_START_WORDS,
  startStepId: 'category',
  timeoutMinutes: 60,
  maxAttempts: 3,
  steps,
};

const SYSTEM = { account: { loginId: 'system', displayName: '初期データ' }, ip: '-' } as unknown as SignedIn;

/**
 * Creates and publishes the starter report scenario once (a marker on the report settings' partition
 * says it was done: staff who delete or rename it later are not undone).
 */
export async function ensureStarterReportScenario(
  deps: StaffScenariosDeps & { marker: { claim(): Promise<boolean>; release(): Promise<void> } },
): Promise<'created' | 'exists'> {
  if (!(await deps.marker.claim())) return 'exists';
  try {
    const created = await createScenario(deps, SYSTEM, { name: STARTER_REPORT_SCENARIO_NAME });
    const saved = await saveScenario(deps, SYSTEM, created.header.scenarioId, { ...STARTER_REPORT_DRAFT, rev: created.header.rev });
    await publishScenario(deps, SYSTEM, created.header.scenarioId, { version: saved.header.latestVersion, rev: saved.header.rev });
    return 'created';
  } catch (error) {
    await deps.marker.release();
    throw error;
  }
}
