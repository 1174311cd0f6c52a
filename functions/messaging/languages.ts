/** The five languages the city serves; everything else falls back to Japanese. */
export const SUPPORTED_LANGUAGES = ['ja', 'en', 'ko', 'zh-Hans', 'zh-Hant'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/** Maps a LINE app language (ja, en, ko, zh-Hans, zh-Hant, zh-TW, th …) to a supported one. */
export function toLanguage(lineLanguage: string | undefined | null): Language {
  if (!lineLanguage) return 'ja';
  const lower = lineLanguage.toLowerCase();
  if (lower.startsWith('zh')) {
    return lower.includes('hant') || lower.endsWith('-tw') || lower.endsWith('-hk') ? 'zh-Hant' : 'zh-Hans';
  }
  const base = lower.split('-')[0];
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'ja';
}
