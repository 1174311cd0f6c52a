/**
 * Which language the page speaks. Pure: no DOM, no LIFF (unit-tested).
 * Order: an explicit `?lang=` → the citizen's own pick on the switcher (remembered) →
 * the LINE app's language (liff.getLanguage()) → the browser's languages → Japanese.
 */
import { normalizeLang, type Lang } from '../../functions/shared/languages';

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
