/**
 * Which language the page speaks. Pure: no DOM, no LIFF (unit-tested).
 * Order: an explicit `?lang=` → the citizen's own pick on the switcher (remembered) →
 * the LINE app's language (liff.getLanguage()) → the browser's languages → Japanese.
 */
export const LANGS = ['ja', 'en', 'ko', 'zh-Hans', 'zh-Hant'] as const;
export type Lang = (typeof LANGS)[number];

/** Names shown on the switcher, each in its own language. */
export const LANG_NAMES: Record<Lang, string> = {
  ja: '日本語',
  en: 'English',
  ko: '한국어',
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
};

const TRADITIONAL_REGIONS = new Set(['tw', 'hk', 'mo']);

/** Maps a BCP 47 tag as LINE or browsers give it ("ja-JP", "zh-TW", "zh-Hant-HK", "en_US") to a page language. */
export function normalizeLang(tag: string | null | undefined): Lang | undefined {
  if (!tag) return undefined;
  const parts = tag.trim().replace(/_/g, '-').toLowerCase().split('-').filter(Boolean);
  const [primary, ...rest] = parts;
  switch (primary) {
    case 'ja':
      return 'ja';
    case 'en':
      return 'en';
    case 'ko':
      return 'ko';
    case 'zh':
    case 'cmn':
    case 'yue': {
      if (rest.includes('hant')) return 'zh-Hant';
      if (rest.includes('hans')) return 'zh-Hans';
      if (primary === 'yue' || rest.some((r) => TRADITIONAL_REGIONS.has(r))) return 'zh-Hant';
      return 'zh-Hans';
    }
    default:
      return undefined;
  }
}

export interface LangSources {
  /** `?lang=` in the page URL (a link from a message in a given language). */
  query?: string | null;
  /** What the citizen picked on the switcher earlier (localStorage). */
  stored?: string | null;
  /** liff.getLanguage() inside LINE; absent in the simulator. */
  line?: string | null;
  /** navigator.languages (or [navigator.language]). */
  browser?: readonly string[];
}

export function chooseLang(src: LangSources): Lang {
  for (const candidate of [src.query, src.stored, src.line, ...(src.browser ?? [])]) {
    const lang = normalizeLang(candidate);
    if (lang) return lang;
  }
  return 'ja';
}

/** `lang` attribute for <html> (the CJK fonts differ by it). */
export function htmlLang(lang: Lang): string {
  return lang === 'zh-Hans' ? 'zh-CN' : lang === 'zh-Hant' ? 'zh-TW' : lang;
}
