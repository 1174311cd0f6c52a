import { LANGS, LANGUAGE_LABELS, LANGUAGE_OWN_NAMES, isLang, normalizeLang, toLang } from '../../../functions/shared/languages';

describe('normalizeLang', () => {
  it.each([
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['en_US', 'en'],
    ['EN-gb', 'en'],
    ['ko-KR', 'ko'],
    ['zh', 'zh-Hans'],
    ['zh-CN', 'zh-Hans'],
    ['zh-SG', 'zh-Hans'],
    ['zh-Hans', 'zh-Hans'],
    ['zh-TW', 'zh-Hant'],
    ['zh-HK', 'zh-Hant'],
    ['zh-Hant-HK', 'zh-Hant'],
    ['zh-Hans-HK', 'zh-Hans'],
    ['yue', 'zh-Hant'],
  ])('%s → %s', (tag, lang) => {
    expect(normalizeLang(tag)).toBe(lang);
  });

  it.each([undefined, null, '', 'fr-FR', 'vi', 'th'])('%p is not a page language', (tag) => {
    expect(normalizeLang(tag)).toBeUndefined();
  });
});

describe('toLang', () => {
  it('maps a LINE app language to a served one and falls back to Japanese', () => {
    expect(toLang('zh-TW')).toBe('zh-Hant');
    expect(toLang('en')).toBe('en');
    expect(toLang('th')).toBe('ja');
    expect(toLang(undefined)).toBe('ja');
  });
});

describe('language tables', () => {
  it('name every served language for staff (Japanese) and for citizens (their own words)', () => {
    expect(Object.keys(LANGUAGE_LABELS)).toEqual([...LANGS]);
    expect(Object.keys(LANGUAGE_OWN_NAMES)).toEqual([...LANGS]);
    expect(LANGUAGE_LABELS.en).toBe('英語');
    expect(LANGUAGE_OWN_NAMES.en).toBe('English');
  });

  it('tell a served language from anything else', () => {
    expect(LANGS.every(isLang)).toBe(true);
    expect(isLang('zh-TW')).toBe(false);
    expect(isLang(1)).toBe(false);
  });
});
