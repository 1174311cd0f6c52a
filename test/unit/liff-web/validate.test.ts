import { prefill, text, visibleItems, type Item, type ReceivedForm } from '../../../liff-web/src/model';
import { answersToSend, charCount, checkFile, checkForm, checkItem, isValidDate, textInputHints, toHalfWidth } from '../../../liff-web/src/validate';

const choices = [
  { choiceId: 'a', label: 'A' },
  { choiceId: 'b', label: 'B' },
];
const single: Item = { itemId: 's', type: 'single', label: '地区', required: true, choices };
const multiple: Item = { itemId: 'm', type: 'multiple', label: 'カテゴリ', required: false, choices };
const textItem = (rules: Item['text'], required = false): Item => ({ itemId: 't', type: 'text', label: 'テキスト', required, text: rules });
const image: Item = { itemId: 'i', type: 'image', label: '写真', required: true, media: { maxBytes: 10 * 1024 * 1024, types: ['image/jpeg', 'image/png'] } };

describe('checkItem: required and choices', () => {
  it('asks for required answers, lets optional ones be empty', () => {
    expect(checkItem(single, undefined)).toEqual({ key: 'required' });
    expect(checkItem(single, '')).toEqual({ key: 'required' });
    expect(checkItem(multiple, [])).toBeUndefined();
    expect(checkItem(textItem({}, true), '   ')).toEqual({ key: 'required' });
    expect(checkItem(image, undefined)).toEqual({ key: 'required' });
  });

  it('accepts only offered choices', () => {
    expect(checkItem(single, 'a')).toBeUndefined();
    expect(checkItem(single, 'z')).toEqual({ key: 'choice' });
    expect(checkItem(multiple, ['a', 'b'])).toBeUndefined();
    expect(checkItem(multiple, ['a', 'z'])).toEqual({ key: 'choice' });
    expect(checkItem(multiple, 'a')).toEqual({ key: 'choice' });
  });
});

describe('checkItem: text rules', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(charCount('荒尾👍')).toBe(3);
    expect('荒尾👍'.length).toBe(4);
    expect(checkItem(textItem({ maxLength: 3 }), '荒尾👍')).toBeUndefined();
    expect(checkItem(textItem({ maxLength: 2 }), '荒尾市')).toEqual({ key: 'tooLong', params: { max: 2 } });
    expect(checkItem(textItem({ minLength: 3 }), 'ab')).toEqual({ key: 'tooShort', params: { min: 3 } });
  });

  it('checks charsets and whole-value patterns', () => {
    expect(checkItem(textItem({ charset: 'numeric' }), '0968')).toBeUndefined();
    expect(checkItem(textItem({ charset: 'numeric' }), '09-68')).toEqual({ key: 'numeric' });
    expect(checkItem(textItem({ charset: 'alphanumeric' }), 'Arao2026')).toBeUndefined();
    expect(checkItem(textItem({ charset: 'alphanumeric' }), 'あらお')).toEqual({ key: 'alphanumeric' });
    expect(checkItem(textItem({ pattern: '\\d{3}-\\d{4}' }), '864-8686')).toBeUndefined();
    expect(checkItem(textItem({ pattern: '\\d{3}-\\d{4}' }), 'x864-8686')).toEqual({ key: 'pattern' });
    // a pattern the browser cannot compile is left to the server
    expect(checkItem(textItem({ pattern: '(' }), 'anything')).toBeUndefined();
  });

  it("applies the server's default limits when staff set none", () => {
    expect(checkItem(textItem({}), 'x'.repeat(200))).toBeUndefined();
    expect(checkItem(textItem({}), 'x'.repeat(201))).toEqual({ key: 'tooLong', params: { max: 200 } });
    expect(checkItem(textItem({ multiline: true }), 'x'.repeat(2000))).toBeUndefined();
  });

  it('checks the trimmed value', () => {
    expect(checkItem(textItem({ charset: 'numeric', maxLength: 4 }), ' 0968 ')).toBeUndefined();
  });
});

describe('dates', () => {
  it('accepts real calendar days only', () => {
    expect(isValidDate('2026-02-28')).toBe(true);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2026-2-1')).toBe(false);
    expect(checkItem({ itemId: 'd', type: 'date', label: '日付', required: false }, '2026-13-01')).toEqual({ key: 'date' });
  });
});

describe('checkForm and answersToSend', () => {
  it('collects every problem by itemId', () => {
    expect(checkForm([single, multiple, textItem({ maxLength: 1 })], { m: ['z'], t: 'abc' })).toEqual({
      s: { key: 'required' },
      m: { key: 'choice' },
      t: { key: 'tooLong', params: { max: 1 } },
    });
    expect(checkForm([single], { s: 'a' })).toEqual({});
  });

  it('sends only answered items, text trimmed', () => {
    expect(answersToSend([single, multiple, textItem({})], { s: 'a', m: [], t: '  荒尾  ', gone: 'x' })).toEqual({ s: 'a', t: '荒尾' });
  });
});

describe('files', () => {
  it("checks the item's types and size before uploading", () => {
    expect(checkFile(image, { type: 'image/png', size: 1000 })).toBeUndefined();
    expect(checkFile(image, { type: 'image/heic', size: 1000 })).toEqual({ key: 'fileType' });
    expect(checkFile(image, { type: 'image/jpeg', size: 11 * 1024 * 1024 })).toEqual({ key: 'fileSize', params: { max: '10 MB' } });
  });
});

describe('input helpers', () => {
  it('turns full-width ASCII into half-width', () => {
    expect(toHalfWidth('０９６８ＡＢｃ－１')).toBe('0968ABc-1');
    expect(toHalfWidth('荒尾　市')).toBe('荒尾 市');
  });

  it('gives keyboard hints by charset', () => {
    expect(textInputHints(textItem({ charset: 'numeric' }))).toEqual({ inputMode: 'numeric', pattern: '[0-9]*' });
    expect(textInputHints(textItem({ charset: 'alphanumeric' }))).toMatchObject({ inputMode: 'latin', autocapitalize: 'off' });
    expect(textInputHints(textItem({ pattern: '\\d+' }))).toEqual({ pattern: '\\d+' });
    expect(textInputHints(textItem({}))).toEqual({});
  });
});

describe('model helpers', () => {
  it('resolves texts with a Japanese fallback', () => {
    expect(text('荒尾', 'en')).toBe('荒尾');
    expect(text({ ja: '荒尾', en: 'Arao' }, 'en')).toBe('Arao');
    expect(text({ ja: '荒尾', en: '' }, 'en')).toBe('荒尾');
    expect(text({ ja: '荒尾' }, 'ko')).toBe('荒尾');
    expect(text(undefined, 'ja')).toBe('');
  });

  it('hides retired items and choices, and drops saved answers that no longer fit', () => {
    const form: ReceivedForm = {
      formId: 'f',
      kind: 'survey',
      version: 1,
      title: 't',
      items: [
        { ...single, choices: [...choices, { choiceId: 'old', label: 'Old', retired: true }] },
        { ...multiple },
        { itemId: 'r', type: 'text', label: 'retired', required: false, retired: true },
        textItem({}),
      ],
    };
    const items = visibleItems(form);
    expect(items.map((i) => i.itemId)).toEqual(['s', 'm', 't']);
    expect(items[0].choices?.map((c) => c.choiceId)).toEqual(['a', 'b']);
    expect(prefill(items, { s: 'old', m: ['a', 'old'], t: 'hello', r: 'x' })).toEqual({ m: ['a'], t: 'hello' });
    expect(prefill(items, { s: 'b', m: 'a' as unknown as string[] })).toEqual({ s: 'b' });
    expect(prefill(items, undefined)).toEqual({});
  });
});
