import { chooseLang, htmlLang, normalizeLang } from '../../../liff-web/src/lang';

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

describe('chooseLang', () => {
  it('prefers ?lang=, then the switcher, then LINE, then the browser', () => {
    expect(chooseLang({ query: 'ko', stored: 'en', line: 'zh-TW', browser: ['ja'] })).toBe('ko');
    expect(chooseLang({ query: null, stored: 'en', line: 'zh-TW', browser: ['ja'] })).toBe('en');
    expect(chooseLang({ line: 'zh-TW', browser: ['en-US'] })).toBe('zh-Hant');
    expect(chooseLang({ browser: ['fr-FR', 'ko-KR', 'en'] })).toBe('ko');
  });

  it('skips values it does not know and falls back to Japanese', () => {
    expect(chooseLang({ query: 'xx', stored: 'garbage', line: 'th', browser: ['fr'] })).toBe('ja');
    expect(chooseLang({})).toBe('ja');
  });
});

describe('htmlLang', () => {
  it('gives region tags for Chinese so the right CJK font is used', () => {
    expect(htmlLang('zh-Hans')).toBe('zh-CN');
    expect(htmlLang('zh-Hant')).toBe('zh-TW');
    expect(htmlLang('ja')).toBe('ja');
  });
});
