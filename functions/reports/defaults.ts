/** The settings a city starts with (staff edit every list in 市民通報 → 設定). */
import { ARAO_OUTLINE } from './geo';
import type { ReportSettings } from './model';

export const GSI_TILES = {
  url: 'https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png',
  attribution: '<a href="https://maps.gsi.go.jp/development/ichiran.html" target="_blank" rel="noopener">地理院タイル</a>',
};

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  categories: [
    { id: 'road', label: { ja: '道路', en: 'Road', ko: '도로', 'zh-Hans': '道路', 'zh-Hant': '道路' }, department: '土木課' },
    { id: 'park', label: { ja: '公園', en: 'Park', ko: '공원', 'zh-Hans': '公园', 'zh-Hant': '公園' }, department: '都市計画課' },
    { id: 'river', label: { ja: '河川', en: 'River', ko: '하천', 'zh-Hans': '河流', 'zh-Hant': '河川' }, department: '土木課' },
    { id: 'water', label: { ja: '上下水道', en: 'Water / sewer', ko: '상하수도', 'zh-Hans': '上下水道', 'zh-Hant': '上下水道' }, department: '水道課' },
    { id: 'light', label: { ja: '街灯', en: 'Street light', ko: '가로등', 'zh-Hans': '路灯', 'zh-Hant': '路燈' }, department: '土木課' },
    {
      id: 'dumping',
      label: { ja: '不法投棄', en: 'Illegal dumping', ko: '불법 투기', 'zh-Hans': '非法丢弃', 'zh-Hant': '非法丟棄' },
      department: '環境保全課',
    },
    { id: 'other', label: { ja: 'その他', en: 'Other', ko: '기타', 'zh-Hans': '其他', 'zh-Hant': '其他' }, department: '総務課' },
  ],
  departments: ['土木課', '都市計画課', '水道課', '環境保全課', '総務課', '防災安全課'],
  districts: [
    '荒尾',
    '万田',
    '原万田',
    '西原町',
    '四ツ山町',
    '大島',
    '緑ケ丘',
    '八幡台',
    '本井手',
    '上井手',
    '下井手',
    '増永',
    '宮内',
    '蔵満',
    '川登',
    '水野',
    '牛水',
    '樺',
    '野原',
    '菰屋',
    '金山',
    '平井',
    '府本',
    '清里',
    '有明',
    '桜山町',
    '一部',
    '高浜',
    '中央',
    '東屋形',
    '荒尾駅前',
  ],
  duplicate: { meters: 50, hours: 72 },
  boundary: ARAO_OUTLINE,
  tiles: GSI_TILES,
  rev: 0,
};
