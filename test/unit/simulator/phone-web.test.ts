/** The phone page's pure modules (simulator/phone-web/src): the LIFF contract and the labels. */
import { citizenFromHash, dayLabel, initial, isExternalUrl, languageName, percent, safeUrl, webhookText } from '../../../simulator/phone-web/src/format';
import { liffIdOf, parseLiffUrl, placePickerLiffUrl } from '../../../functions/shared/liff-url';
import { liffFrameUrl, resolveLiff } from '../../../simulator/phone-web/src/liff-url';

const APPS = { '2000000000-civic': 'http://127.0.0.1:3000/liff' };

describe('phone page: LIFF contract', () => {
  it('resolves liff.line.me and line://app URIs of known apps to their endpoint, path and query', () => {
    expect(resolveLiff('https://liff.line.me/2000000000-civic/forms/profile?x=1', APPS)).toEqual({
      liffId: '2000000000-civic',
      url: 'http://127.0.0.1:3000/liff/forms/profile?x=1',
    });
    expect(resolveLiff('line://app/2000000000-civic?liff.state=%2Fforms%2Fa', APPS)).toEqual({
      liffId: '2000000000-civic',
      url: 'http://127.0.0.1:3000/liff?liff.state=%2Fforms%2Fa',
    });
    expect(resolveLiff('https://liff.line.me/2000000000-civic', { '2000000000-civic': 'http://127.0.0.1:3000/liff/' })).toEqual({
      liffId: '2000000000-civic',
      url: 'http://127.0.0.1:3000/liff',
    });
    expect(resolveLiff('http://127.0.0.1:3000/liff/forms/a#old', APPS)).toEqual({ liffId: '2000000000-civic', url: 'http://127.0.0.1:3000/liff/forms/a' });
    expect(resolveLiff('https://liff.line.me/9999999999-other/forms/a', APPS)).toBeUndefined();
    expect(resolveLiff('https://www.city.arao.lg.jp/', APPS)).toBeUndefined();
  });

  it("opens the platform's local LIFF app (<loginChannelId>-LocalSim), the address parsed as the platform parses it", () => {
    const local = { '2000000000-LocalSim': 'http://127.0.0.1:3000/liff/' };
    expect(resolveLiff('https://liff.line.me/2000000000-LocalSim/forms/profile?clk=x.0', local)).toEqual({
      liffId: '2000000000-LocalSim',
      url: 'http://127.0.0.1:3000/liff/forms/profile?clk=x.0',
    });
    expect(liffIdOf('https://liff.line.me/2000000000-LocalSim/forms/profile')).toBe('2000000000-LocalSim');
    expect(parseLiffUrl('line://app/2000000000-LocalSim?liff.state=%2Fforms%2Fa#x')).toEqual({
      liffId: '2000000000-LocalSim',
      rest: '?liff.state=%2Fforms%2Fa#x',
    });
    expect(parseLiffUrl('https://liff.line.me.evil.example/2000000000-LocalSim')).toBeUndefined();
    expect(resolveLiff('https://liff.line.me.evil.example/2000000000-LocalSim', local)).toBeUndefined();
  });

  it("the place picker's LIFF address opens /liff/reports/place in the overlay", () => {
    expect(placePickerLiffUrl('2000000000-LocalSim')).toBe('https://liff.line.me/2000000000-LocalSim/reports/place');
    expect(placePickerLiffUrl('1234567890-AbcdEfgh')).toBe('https://liff.line.me/1234567890-AbcdEfgh/reports/place');
    expect(liffIdOf(placePickerLiffUrl('1234567890-AbcdEfgh'))).toBe('1234567890-AbcdEfgh');
    expect(resolveLiff(placePickerLiffUrl('2000000000-LocalSim'), { '2000000000-LocalSim': 'http://127.0.0.1:3000/liff/' })).toEqual({
      liffId: '2000000000-LocalSim',
      url: 'http://127.0.0.1:3000/liff/reports/place',
    });
  });

  it('puts the ID token, the LIFF ID and the citizen LINE language in the fragment', () => {
    const target = { liffId: '2000000000-civic', url: 'http://127.0.0.1:3000/liff/forms/profile?x=1' };
    expect(liffFrameUrl(target, 'a.b.c', 'en')).toBe(
      'http://127.0.0.1:3000/liff/forms/profile?x=1#sim_id_token=a.b.c&sim_liff_id=2000000000-civic&sim_lang=en',
    );
    expect(liffFrameUrl(target, 'a.b.c', 'zh-Hant')).toContain('&sim_lang=zh-Hant');
    expect(liffFrameUrl(target, 'a.b.c', undefined)).toBe('http://127.0.0.1:3000/liff/forms/profile?x=1#sim_id_token=a.b.c&sim_liff_id=2000000000-civic');
    expect(liffFrameUrl({ ...target, url: `${target.url}#x` }, 'a&b', 'ja')).toBe(
      'http://127.0.0.1:3000/liff/forms/profile?x=1#sim_id_token=a%26b&sim_liff_id=2000000000-civic&sim_lang=ja',
    );
  });
});

describe('phone page: labels and checks', () => {
  it('describes the webhook answer in the status line', () => {
    expect(webhookText({ status: 200, ok: true, durationMs: 12 })).toBe('Webhook 応答: 200 (OK) 12ms');
    expect(webhookText({ status: 500, ok: false, durationMs: 3 })).toBe('Webhook 応答: 500 (エラー) 3ms');
    expect(webhookText({ status: null, ok: false, error: 'request_timeout', durationMs: 2000 })).toBe('Webhook: 未送信/失敗 (request_timeout)');
    expect(webhookText(undefined)).toBe('');
  });

  it('lets only http(s) and same-origin paths into src, and only http(s)/mailto open in a tab', () => {
    expect(safeUrl('https://example.com/a.png')).toBe('https://example.com/a.png');
    expect(safeUrl('/sim/content/1')).toBe('/sim/content/1');
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '//evil.example/a.png', ' https://x', 42, undefined]) expect(safeUrl(bad)).toBe('');
    expect(isExternalUrl('mailto:a@example.com')).toBe(true);
    expect(isExternalUrl('javascript:alert(1)')).toBe(false);
  });

  it('reads the #citizen deep link, names languages, days and avatar initials', () => {
    const id = `U${'a'.repeat(32)}`;
    expect(citizenFromHash(`#citizen=${id}`)).toBe(id);
    expect(citizenFromHash(`#x=1&citizen=${id}`)).toBe(id);
    expect(citizenFromHash('#citizen=nope')).toBeUndefined();
    expect(languageName('en')).toBe('English');
    expect(languageName('xx')).toBe('xx');
    const now = new Date(2026, 4, 1, 12).getTime();
    expect(dayLabel(now - 3_600_000, now)).toBe('今日');
    expect(dayLabel(now - 86_400_000, now)).toBe('昨日');
    expect(dayLabel(new Date(2026, 3, 10, 9).getTime(), now)).toBe('2026/04/10(金)');
    expect(initial(' 荒尾 花子')).toBe('荒');
    expect(initial('😀 smile')).toBe('😀');
    expect(initial('')).toBe('?');
    expect(percent(1250, 2500)).toBe('50%');
    expect(percent(undefined, 2500)).toBe('0%');
  });
});
