import { chooseLang, htmlLang } from '../../../liff-web/src/lang';

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
