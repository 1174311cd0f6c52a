/**
 * The disaster-mail bridge's settings, as staff manage them on the console page 防災メール連携:
 * accepted senders, routing rules in order with a default, the message template's parts, and the
 * standard sentences per alert kind in the four other languages. Dependency-free: the console
 * imports the fixed lists from here.
 */
import { LANGS, type Lang } from '../shared/languages';

/** The alert kinds the bridge recognises (functions/disaster-mail/rules.ts, `alertKind`). */
export const ALERT_KINDS = ['emergency_safety', 'evacuation_order', 'elderly_evacuation', 'landslide_alert', 'heavy_rain_warning', 'lifted'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The console's names of the kinds (and of the CSV's column). */
export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  emergency_safety: '緊急安全確保（レベル5）',
  evacuation_order: '避難指示（レベル4）',
  elderly_evacuation: '高齢者等避難（レベル3）',
  landslide_alert: '土砂災害警戒情報',
  heavy_rain_warning: '大雨警報',
  lifted: '解除',
};

export type OtherLang = Exclude<Lang, 'ja'>;
/** The languages that get a standard sentence before the Japanese original. */
export const OTHER_LANGS: readonly OtherLang[] = LANGS.filter((lang): lang is OtherLang => lang !== 'ja');

/**
 * The standard sentence a friend whose LINE language is not Japanese reads first, before the
 * Japanese original. Written once, edited by staff; never machine-translated.
 */
export type PhraseTable = Record<AlertKind, Record<OtherLang, string>>;

export const DEFAULT_PHRASES: PhraseTable = {
  emergency_safety: {
    en: 'EMERGENCY (Level 5): A disaster is happening or about to happen. Take action now to save your life. Details in Japanese below.',
    ko: '긴급안전확보(경계 레벨 5): 재해가 발생했거나 임박했습니다. 즉시 목숨을 지키는 행동을 하십시오. 자세한 내용은 아래 일본어 원문을 보십시오.',
    'zh-Hans': '紧急安全确保（警戒级别5）：灾害已经发生或即将发生。请立即采取保护生命的行动。详情见下方日文原文。',
    'zh-Hant': '緊急安全確保（警戒等級5）：災害已經發生或即將發生。請立即採取保護生命的行動。詳情見下方日文原文。',
  },
  evacuation_order: {
    en: 'Evacuation order (Level 4): Everyone in the areas below must leave dangerous places now. Details in Japanese below.',
    ko: '피난 지시(경계 레벨 4): 아래 지역의 모든 분은 지금 위험한 장소에서 대피하십시오. 자세한 내용은 아래 일본어 원문을 보십시오.',
    'zh-Hans': '避难指示（警戒级别4）：以下地区的所有人请立即离开危险场所避难。详情见下方日文原文。',
    'zh-Hant': '避難指示（警戒等級4）：以下地區的所有人請立即離開危險場所避難。詳情見下方日文原文。',
  },
  elderly_evacuation: {
    en: 'Evacuation of older people and others (Level 3): Older people and those who need time to move should evacuate now; everyone else, get ready. Details in Japanese below.',
    ko: '고령자 등 피난(경계 레벨 3): 고령자 등 이동에 시간이 걸리는 분은 지금 대피하시고, 그 밖의 분은 대피 준비를 하십시오. 자세한 내용은 아래 일본어 원문을 보십시오.',
    'zh-Hans': '高龄者等避难（警戒级别3）：高龄者等行动需要时间的人请立即避难，其他人请做好避难准备。详情见下方日文原文。',
    'zh-Hant': '高齡者等避難（警戒等級3）：高齡者等行動需要時間的人請立即避難，其他人請做好避難準備。詳情見下方日文原文。',
  },
  landslide_alert: {
    en: 'Landslide alert: The risk of landslides is very high. Be ready to evacuate. Details in Japanese below.',
    ko: '토사재해 경계정보: 산사태 위험이 매우 높습니다. 대피할 준비를 하십시오. 자세한 내용은 아래 일본어 원문을 보십시오.',
    'zh-Hans': '泥石流灾害警戒信息：发生山体滑坡的危险非常高。请做好避难准备。详情见下方日文原文。',
    'zh-Hant': '土石災害警戒資訊：發生山崩的危險非常高。請做好避難準備。詳情見下方日文原文。',
  },
  heavy_rain_warning: {
    en: 'Heavy rain warning: Watch for landslides, flooding and rising rivers. Details in Japanese below.',
    ko: '호우 경보: 산사태, 침수, 하천 범람에 주의하십시오. 자세한 내용은 아래 일본어 원문을 보십시오.',
    'zh-Hans': '大雨警报：请注意山体滑坡、浸水和河流涨水。详情见下方日文原文。',
    'zh-Hant': '大雨警報：請注意山崩、淹水和河川暴漲。詳情見下方日文原文。',
  },
  lifted: {
    en: 'Lifted: The alert below has been lifted. Please stay careful. Details in Japanese below.',
    ko: '해제: 아래 경보·지시가 해제되었습니다. 계속 주의하십시오. 자세한 내용은 아래 일본어 원문을 보십시오.',
    'zh-Hans': '解除：下列警报或指示已解除。请继续注意安全。详情见下方日文原文。',
    'zh-Hant': '解除：下列警報或指示已解除。請繼續注意安全。詳情見下方日文原文。',
  },
};

/** Where a route sends: everyone, or the friends of any of these segments. */
export type RouteTarget = { kind: 'everyone' } | { kind: 'segments'; segmentIds: string[] };

export interface Route {
  id: string;
  name: string;
  /** Matchers (all that are set must hold; any keyword of a list suffices): senders as in accepted senders, keywords compared after NFKC. */
  senders?: string[];
  subjectKeywords?: string[];
  bodyKeywords?: string[];
  target: RouteTarget;
  /** Send at once, or hold for approval by staff with the disaster-mail function. */
  mode: 'auto' | 'hold';
  /** Hold only: a held mail nobody handled goes out after this many minutes (absent: it waits). */
  releaseAfterMinutes?: number;
}

export interface BridgeSettings {
  /** Exact addresses or domains; anything else is refused, logged and never sent. */
  acceptedSenders: string[];
  /** In order: the first match takes the mail. */
  routes: Route[];
  /** Taken when no route matches (null: the mail is only logged). */
  defaultRoute: Route | null;
  /** A line starting with any of these ends the message (mail footers, signatures, 配信停止 links). */
  footerMarkers: string[];
  /** The city's disaster page, added under every alert. */
  disasterPageUrl?: string;
  phrases: PhraseTable;
  /** The same content within this many minutes is a duplicate. */
  duplicateWindowMinutes: number;
  /**
   * In AWS, hold every mail whose DMARC verdict is not PASS (absent: true). Only DMARC proves the
   * From that accepted senders match; turn it off only for a sender whose domain has no DMARC record.
   */
  requireDmarcPass?: boolean;
}

/**
 * Before the first save: nothing is accepted (every mail is refused and logged until staff name
 * the city's senders), no route, the usual mail footers cut, the standard phrases, a 60-minute
 * duplicate window.
 */
export const DEFAULT_BRIDGE_SETTINGS: BridgeSettings = {
  acceptedSenders: [],
  routes: [],
  defaultRoute: null,
  footerMarkers: ['-----', '━━━', '配信停止', '※このメールは'],
  phrases: DEFAULT_PHRASES,
  duplicateWindowMinutes: 60,
  requireDmarcPass: true,
};

// ---- received mail (the console's log) --------------------------------------------------------

/** An attachment of a received mail: recorded, never sent. */
export interface MailAttachment {
  filename?: string;
  contentType: string;
  bytes: number;
}

/** The Japanese text staff may send instead of the composed one (the other languages' sentence, ≤ 502, goes before it within LINE's 5,000). */
export const APPROVED_TEXT_MAX = 4_400;

/**
 * What became of a received mail: sent (a delivery was queued: automatically, approved, or
 * released after its hold time), held (waiting for staff), discarded (held, then discarded by
 * staff), refused (sender not accepted), duplicate (of an earlier mail), no_route (no route and
 * no default route: only logged), unreadable (could not be parsed or too large: kept and alarmed).
 */
export const MAIL_DECISIONS = ['sent', 'held', 'discarded', 'refused', 'duplicate', 'no_route', 'unreadable'] as const;
export type MailDecision = (typeof MAIL_DECISIONS)[number];

/** The console's names of the decisions. */
export const MAIL_DECISION_LABELS: Record<MailDecision, string> = {
  sent: '送信',
  held: '承認待ち',
  discarded: '破棄',
  refused: '受け付けない差出人',
  duplicate: '重複',
  no_route: '該当ルールなし',
  unreadable: '読み取れないメール',
};

/** SES's verdicts on the sender and the content (AWS only; a mail received locally over SMTP has none). */
export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';
export interface MailAuthentication {
  spf?: VerdictStatus;
  dkim?: VerdictStatus;
  dmarc?: VerdictStatus;
  /** SES's virus scan. */
  virus?: VerdictStatus;
}
