/** i18next with the bundled UI strings; values go into textContent, so no HTML escaping here. */
import i18next from 'i18next';
import { LANGS, type Lang } from '../../functions/shared/languages';
import { STRINGS, type StringKey } from './strings';
import type { PlaceStringKey } from './place-strings';

export async function initI18n(lang: Lang): Promise<void> {
  await i18next.init({
    lng: lang,
    fallbackLng: 'ja',
    supportedLngs: [...LANGS],
    load: 'currentOnly',
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    resources: Object.fromEntries(LANGS.map((l) => [l, { translation: STRINGS[l] }])),
    showSupportNotice: false,
  } as Parameters<typeof i18next.init>[0]);
}

export function setLang(lang: Lang): Promise<unknown> {
  return i18next.changeLanguage(lang);
}

/** A lazily loaded page's own strings (the place picker's), added when its chunk arrives. */
export function addStrings(strings: Record<Lang, Record<string, string>>): void {
  for (const lang of LANGS) i18next.addResourceBundle(lang, 'translation', strings[lang], true, true);
}

export function t(key: StringKey | PlaceStringKey, params?: Record<string, string | number>): string {
  return i18next.t(key, params) as string;
}
