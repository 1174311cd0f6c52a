/**
 * The five languages the city serves — the one language module of server, console and LIFF pages.
 * Anything else a citizen's LINE app or browser speaks falls back to Japanese.
 */
export const LANGS = ['ja', 'en', 'ko', 'zh-Hans', 'zh-Hant'] as const;
export type Lang = (typeof LANGS)[number];

/** How staff call each language (console screens, CSVs, audit log, segment wording). */
export const LANGUAGE_LABELS: Readonly<Record<Lang, string>> = {
  ja: '日本語',
  en: '英語',
  ko: '韓国語',
  'zh-Hans': '中国語（簡体字）',
  'zh-Hant': '中国語（繁体字）',
};

/** Each language in its own words: the citizen's language switcher on LIFF pages. */
export const LANGUAGE_OWN_NAMES: Readonly<Record<Lang, string>> = {
  ja: '日本語',
  en: 'English',
  ko: '한국어',
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
};

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

const TRADITIONAL_REGIONS = new Set(['tw', 'hk', 'mo']);

/**
 * Maps a language tag as LINE or a browser gives it ("ja-JP", "zh-TW", "zh-Hant-HK", "en_US", "yue")
 * to a served language, or undefined when the city does not serve it.
 */
export function normalizeLang(tag: unknown): Lang | undefined {
  if (typeof tag !== 'string' || !tag) return undefined;
  const [primary, ...rest] = tag.trim().replace(/_/g, '-').toLowerCase().split('-').filter(Boolean);
  switch (primary) {
    case 'ja':
    case 'en':
    case 'ko':
      return primary;
    case 'zh':
    case 'cmn':
    case 'yue':
      if (rest.includes('hant')) return 'zh-Hant';
      if (rest.includes('hans')) return 'zh-Hans';
      if (primary === 'yue' || rest.some((r) => TRADITIONAL_REGIONS.has(r))) return 'zh-Hant';
      return 'zh-Hans';
    default:
      return undefined;
  }
}

/** A LINE app language (profile `language`) as a served language; Japanese when not served. */
export function toLang(tag: string | null | undefined): Lang {
  return normalizeLang(tag) ?? 'ja';
}
