/** The bridge's decisions (accepted sender, first matching route, alert kind, duplicate keys) and the message it composes. */
import { LIMITS } from '../../../functions/deliveries/compose';
import { alertContent, japaneseAlert, trimAtSentence, withoutFooter } from '../../../functions/disaster-mail/compose-alert';
import { DEFAULT_PHRASES, type BridgeSettings, type Route } from '../../../functions/disaster-mail/model';
import { alertKind, chooseRoute, duplicateKeys, senderAccepted } from '../../../functions/disaster-mail/rules';

const route = (id: string, over: Partial<Route> = {}): Route => ({ id, name: id, target: { kind: 'everyone' }, mode: 'auto', ...over });

const settings: BridgeSettings = {
  acceptedSenders: ['bousai@city.arao.example', 'bousai-mail.example.jp'],
  routes: [
    route('emergency', { subjectKeywords: ['緊急安全確保', '避難指示'] }),
    route('landslide-manda', {
      subjectKeywords: ['土砂災害'],
      bodyKeywords: ['万田', '荒尾'],
      target: { kind: 'segments', segmentIds: ['manda', 'arao'] },
      mode: 'hold',
      releaseAfterMinutes: 10,
    }),
    route('water-dept', { senders: ['@suido.city.arao.example'] }),
  ],
  defaultRoute: route('default', { mode: 'hold' }),
  footerMarkers: ['-----', '配信停止'],
  disasterPageUrl: 'https://www.city.arao.example/bousai/',
  phrases: DEFAULT_PHRASES,
  duplicateWindowMinutes: 60,
};

const mail = (subject: string, text = '', from = 'bousai@city.arao.example') => ({ from, subject, text, sentAt: '2026-12-06T18:15:00.000Z' });

describe('accepted senders', () => {
  it('accepts an exact address or a whole domain, case-insensitively, and nothing else', () => {
    expect(senderAccepted('Bousai@City.Arao.Example', settings.acceptedSenders)).toBe('bousai@city.arao.example');
    expect(senderAccepted('alert@bousai-mail.example.jp', settings.acceptedSenders)).toBe('bousai-mail.example.jp');
    expect(senderAccepted('other@city.arao.example', settings.acceptedSenders)).toBeUndefined();
    expect(senderAccepted('alert@evil.bousai-mail.example.jp', settings.acceptedSenders)).toBeUndefined();
    expect(senderAccepted('bousai@city.arao.example.evil.jp', settings.acceptedSenders)).toBeUndefined();
    expect(senderAccepted('x@suido.city.arao.example', ['@suido.city.arao.example'])).toBe('@suido.city.arao.example');
  });
});

describe('routing', () => {
  it('takes the first route that matches, in order, else the default', () => {
    expect(chooseRoute(settings, mail('【荒尾市】避難指示（警戒レベル４）'))?.id).toBe('emergency');
    // Both the first and the second would match: the first wins.
    expect(chooseRoute(settings, mail('【荒尾市】避難指示　土砂災害', '万田地区'))?.id).toBe('emergency');
    expect(chooseRoute(settings, mail('【荒尾市】土砂災害警戒情報', '万田地区の皆さん'))?.id).toBe('landslide-manda');
    expect(chooseRoute(settings, mail('【荒尾市】給水のお知らせ', '', 'kyusui@suido.city.arao.example'))?.id).toBe('water-dept');
    expect(chooseRoute(settings, mail('【荒尾市】イベント中止'))?.id).toBe('default');
    expect(chooseRoute({ routes: [], defaultRoute: null }, mail('x'))).toBeNull();
  });

  it('needs every matcher a route has, and compares keywords after NFKC (half-width kana, full-width letters)', () => {
    // Subject matches but the body names neither district.
    expect(chooseRoute(settings, mail('【荒尾市】土砂災害警戒情報', '南関町の皆さん'))?.id).toBe('default');
    expect(chooseRoute({ routes: [route('kana', { subjectKeywords: ['ﾃｽﾄ'] })], defaultRoute: null }, mail('テスト配信'))?.id).toBe('kana');
    expect(chooseRoute({ routes: [route('level', { bodyKeywords: ['レベル4'] })], defaultRoute: null }, mail('x', '警戒レベル４'))?.id).toBe('level');
  });
});

describe('alert kinds', () => {
  it('recognises the kind from the subject, a lifting before the order it lifts, the higher level first', () => {
    expect(alertKind(mail('【荒尾市】避難指示の解除について'))).toBe('lifted');
    expect(alertKind(mail('【荒尾市】緊急安全確保（避難指示区域）'))).toBe('emergency_safety');
    expect(alertKind(mail('【荒尾市】避難指示（警戒レベル４）'))).toBe('evacuation_order');
    expect(alertKind(mail('【荒尾市】①高齢者等避難'))).toBe('elderly_evacuation');
    expect(alertKind(mail('土砂災害警戒情報の発表'))).toBe('landslide_alert');
    expect(alertKind(mail('大雨警報（土砂災害）発表'))).toBe('heavy_rain_warning');
  });

  it('reads the first lines when the subject says nothing, and recognises nothing else', () => {
    expect(alertKind(mail('荒尾市からのお知らせ', '【警戒レベル４】避難指示を発令しました。'))).toBe('evacuation_order');
    expect(alertKind(mail('荒尾市からのお知らせ', 'ごみ収集日の変更'))).toBeNull();
  });
});

describe('duplicates', () => {
  it('keys a mail by its Message-ID and by its content, whoever sent it and however it is spaced or widened', () => {
    const a = duplicateKeys({ messageId: '<ABC@x>', ...mail('【荒尾市】避難指示', '対象：万田地区\n避難してください。') });
    const b = duplicateKeys({ ...mail('【荒尾市】避難指示 ', '対象：万田地区\r\n 避難してください。', 'alert@bousai-mail.example.jp') });
    expect(a.content).toBe(b.content);
    expect(a.messageId).toBe('<abc@x>');
    expect(b.messageId).toBeUndefined();
    expect(duplicateKeys(mail('【荒尾市】避難指示の解除', '対象：万田地区')).content).not.toBe(a.content);
  });
});

describe('the message', () => {
  const body = ['荒尾市災害対策本部からのお知らせです。', '避難してください。', '', '-----', '荒尾市防災メール', '配信停止はこちら'].join('\n');

  it('cuts the footer from the first marker line', () => {
    expect(withoutFooter(body, settings.footerMarkers)).toBe('荒尾市災害対策本部からのお知らせです。\n避難してください。');
    expect(withoutFooter('本文\n\n配信停止はこちら', ['配信停止'])).toBe('本文');
    expect(withoutFooter('本文', [])).toBe('本文');
  });

  it('is the title, the body without its footer, the disaster page and the sent time in Japan time', () => {
    expect(japaneseAlert(mail('【荒尾市】避難指示', body), settings)).toBe(
      [
        '【荒尾市】避難指示',
        '荒尾市災害対策本部からのお知らせです。\n避難してください。',
        '詳しくは：https://www.city.arao.example/bousai/\n（2026/12/07 03:15 発信）',
      ].join('\n\n'),
    );
  });

  it('stays within LINE’s 5,000 characters, cut after a sentence, whatever the mail’s length', () => {
    const long = '土砂災害に厳重に警戒してください。'.repeat(400);
    const text = japaneseAlert(mail('【荒尾市】土砂災害警戒情報', long), settings);
    expect(text.length).toBeLessThanOrEqual(LIMITS.textChars);
    expect(text).toMatch(/警戒してください。\n…（以下省略）\n\n詳しくは：/);
    // No sentence end: cut at the limit, never inside a surrogate pair.
    const emoji = trimAtSentence('🌧'.repeat(3000), 5000);
    expect(emoji.length).toBeLessThanOrEqual(5000);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(emoji)).toBe(false);
  });

  it('gives friends of the four other languages the standard sentence first when the kind is known, Japanese only when it is not', () => {
    const known = alertContent(mail('【荒尾市】避難指示（警戒レベル４）', body), 'evacuation_order', settings);
    expect(known.category).toBe('防災');
    expect(known.variants.map((v) => v.lang)).toEqual(['ja', 'en', 'ko', 'zh-Hans', 'zh-Hant']);
    const en = known.variants.find((v) => v.lang === 'en')!.bubbles[0] as { type: 'text'; text: string };
    expect(en.text.startsWith(`${DEFAULT_PHRASES.evacuation_order.en}\n\n【荒尾市】避難指示（警戒レベル４）`)).toBe(true);
    const unknown = alertContent(mail('【荒尾市】イベント中止のお知らせ', body), null, settings);
    expect(unknown.variants.map((v) => v.lang)).toEqual(['ja']);
    // Long mail: every language's text is within the limit, the sentence included.
    const long = alertContent(mail('【荒尾市】避難指示', '避難してください。'.repeat(700)), 'evacuation_order', settings);
    for (const v of long.variants) expect((v.bubbles[0] as { text: string }).text.length).toBeLessThanOrEqual(LIMITS.textChars);
  });
});
