/** The bridge's settings as staff save them: valid settings pass as the rules read them; bad input is refused in Japanese. */
import { DEFAULT_PHRASES } from '../../../functions/disaster-mail/model';
import { parseSettings, senderEntry } from '../../../functions/disaster-mail/schemas';

const SEGMENT = '01JDA7ZQ3V4W5X6Y7Z8A9B0C1D';

const valid = () => ({
  acceptedSenders: ['Bousai@City.Arao.Example', 'bousai-mail.example.jp', '@suido.city.arao.example'],
  routes: [
    { id: 'emergency', name: '避難情報は全員へ', subjectKeywords: ['避難指示', '緊急安全確保'], target: { kind: 'everyone' }, mode: 'auto' },
    {
      id: 'manda',
      name: '万田の土砂災害',
      subjectKeywords: ['土砂災害'],
      bodyKeywords: ['万田'],
      target: { kind: 'segments', segmentIds: [SEGMENT] },
      mode: 'hold',
      releaseAfterMinutes: 10,
    },
  ],
  defaultRoute: { id: 'default', name: 'その他は承認待ち', target: { kind: 'everyone' }, mode: 'hold' },
  footerMarkers: ['-----', '配信停止'],
  disasterPageUrl: 'https://www.city.arao.example/bousai/',
  phrases: DEFAULT_PHRASES,
  duplicateWindowMinutes: 60,
});

const errors = (input: unknown) => {
  const r = parseSettings(input);
  return r.ok ? [] : r.error.issues.map((i) => i.message);
};

it('accepts valid settings and lower-cases the senders', () => {
  const r = parseSettings(valid());
  if (!r.ok) throw r.error;
  expect(r.settings.acceptedSenders).toEqual(['bousai@city.arao.example', 'bousai-mail.example.jp', '@suido.city.arao.example']);
  expect(r.settings.routes[1]).toMatchObject({ target: { kind: 'segments', segmentIds: [SEGMENT] }, releaseAfterMinutes: 10 });
});

it('refuses senders that are neither an address nor a domain', () => {
  for (const bad of ['bousai', 'bousai@', '@', 'a b@example.jp', 'bousai@example', 'x@-bad.example.jp', 'x'.repeat(255)]) {
    expect(senderEntry.safeParse(bad).success).toBe(false);
  }
  expect(errors({ ...valid(), acceptedSenders: ['not a sender'] })).toEqual([
    '差出人はメールアドレス（bousai@example.jp）かドメイン（example.jp）で入力してください。',
  ]);
});

it('bounds every list and text, and refuses an http page, duplicate rule IDs and a release time on a rule that does not hold', () => {
  expect(errors({ ...valid(), acceptedSenders: Array.from({ length: 51 }, (_, i) => `s${i}@example.jp`) })).toEqual(['受け付ける差出人は50件までです。']);
  expect(errors({ ...valid(), footerMarkers: ['x'.repeat(101)] })).toEqual(['区切りの文字は100文字以内にしてください。']);
  expect(errors({ ...valid(), disasterPageUrl: 'http://www.city.arao.example/' })).toEqual(['防災ページのURLは https:// で始まるアドレスにしてください。']);
  const routes = valid().routes;
  expect(errors({ ...valid(), routes: [routes[0], routes[0]] })).toEqual(['ルールのIDが重複しています。']);
  expect(errors({ ...valid(), routes: [{ ...routes[0], releaseAfterMinutes: 5 }] })).toEqual(['「時間がたったら送る」は承認を待つルールだけに設定できます。']);
  expect(errors({ ...valid(), routes: [{ ...routes[1], target: { kind: 'segments', segmentIds: [] } }] })).toEqual(['送り先のセグメントを選んでください。']);
  expect(errors({ ...valid(), routes: [{ ...routes[0], subjectKeywords: ['x'.repeat(51)] }] })).toEqual(['キーワードは50文字以内にしてください。']);
  expect(errors({ ...valid(), duplicateWindowMinutes: 0 })).toEqual(['1分以上にしてください。']);
  expect(errors({ ...valid(), phrases: { ...DEFAULT_PHRASES, lifted: { ...DEFAULT_PHRASES.lifted, en: 'x'.repeat(501) } } })).toEqual([
    '定型文は500文字以内にしてください。',
  ]);
});
