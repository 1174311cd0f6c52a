/**
 * A staff-written pattern can no longer freeze the server (ReDoS): `(a+)+` published, and a
 * 30-character answer then took 3.7 s (2.5× per extra character) while every other request of the
 * process waited. Catastrophic patterns are refused when the form is saved, and a citizen's answer
 * never meets a pattern that was not shown safe (one saved before the check is not applied).
 */
import { newForm } from '../../../functions/forms/form';
import { checkAnswers } from '../../../functions/forms/validate';
import { openForm } from '../../../functions/forms/citizen-forms';
import { checkPatterns, patternVerdict } from '../../../functions/shared/pattern-safety';
import { adminHarness } from '../../support/admin-fakes';
import { FakeClock } from '../../support/fakes';
import { MemoryBlobs, MemoryForms, MemoryUploads } from '../../support/form-fakes';

const withPattern = (pattern: string, text: Record<string, unknown> = {}) => ({
  kind: 'survey' as const,
  title: { ja: '確認' },
  items: [{ itemId: 'code', type: 'text', label: { ja: 'コード' }, required: true, text: { pattern, ...text } }],
});

describe('staff patterns are checked for catastrophic backtracking when saved', () => {
  async function save(pattern: string, text: Record<string, unknown> = {}) {
    const h = adminHarness();
    await h.seed('clerk', { permissions: ['surveys'] });
    const { token, csrf } = await h.signIn('clerk');
    return h.call({ path: '/forms', body: withPattern(pattern, text), token, csrf });
  }

  it.each(['(a+)+', '(a|a)*b', '^(\\w+\\s?)*$', '(x+x+)+y'])('refuses %s with a reason in Japanese, saving nothing', async (pattern) => {
    const res = await save(pattern);
    expect(res.statusCode).toBe(400);
    expect(res.json.error.details).toEqual([{ path: 'items.0.text.pattern', message: expect.stringMatching(/処理が止まる|遅く/) }]);
  });

  it.each(['\\d{3}-\\d{4}', '[0-9]{3}-?[0-9]{4}', '[ァ-ヶー　]+', 'https?://.+'])('accepts the usual ones and stores them as checked: %s', async (pattern) => {
    const res = await save(pattern);
    expect(res.statusCode).toBe(201);
    expect(res.json.checkedPatterns).toEqual([pattern]);
  });

  it('accepts a quadratic pattern on short answers, refuses it on long ones', async () => {
    const email = '[^@\\s]+@[^@\\s]+\\.[^@\\s]+';
    expect(await patternVerdict(email, 200)).toEqual({ safe: true });
    expect((await save(email, { maxLength: 5000, multiline: true })).statusCode).toBe(400);
  });

  it('checks all the patterns of one save within one time budget: what it does not reach is refused', async () => {
    const slow = Array.from({ length: 3 }, (_, i) => ({ pattern: `(x${i}+x${i}+)+y`, maxLength: 200 }));
    const verdicts = await checkPatterns(slow, 0);
    expect(verdicts.every((v) => !v.safe)).toBe(true);
  });
});

describe('a pattern saved before the check', () => {
  // Stored as it was by the first release (no schema in the way).
  const legacy = newForm({
    kind: 'survey',
    status: 'published',
    title: { ja: '旧フォーム' },
    items: [{ itemId: 'code', type: 'text', label: { ja: 'コード' }, required: true, text: { pattern: '(a+)+' } }],
    by: 'tester',
    now: new Date('2026-11-01T00:00:00Z'),
  });
  const hostile = `${'a'.repeat(24)}!`;

  it('is never run on a citizen’s answer (the length cap still applies)', async () => {
    const test = jest.spyOn(RegExp.prototype, 'test');
    try {
      const result = await checkAnswers(legacy, { consent: true, answers: { code: hostile } }, { userId: 'U1', lang: 'ja', upload: async () => null });
      expect(result.fields).toEqual({});
      expect(test.mock.contexts.some((re) => (re as RegExp).source.includes('(a+)+'))).toBe(false);
      const tooLong = await checkAnswers(legacy, { consent: true, answers: { code: 'a'.repeat(201) } }, { userId: 'U1', lang: 'ja', upload: async () => null });
      expect(tooLong.fields.code).toContain('200');
    } finally {
      test.mockRestore();
    }
  });

  it('is not sent to the citizen’s page either', async () => {
    const forms = new MemoryForms();
    await forms.create(legacy);
    const deps = { forms, responses: forms, uploads: new MemoryUploads(), blobs: new MemoryBlobs(), clock: new FakeClock(new Date('2026-12-07T00:00:00Z')) };
    const opened = await openForm(deps, { userId: 'U1', name: 'x', exp: 0 }, legacy.formId, 'ja');
    expect(opened.form.items[0].text?.pattern).toBeUndefined();
  });
});
