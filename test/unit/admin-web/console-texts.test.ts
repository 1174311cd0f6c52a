/**
 * Sentences of the staff console that are easy to get wrong: the send confirmation (「に」), the
 * start of a recurring delivery, the login ID's rule (hint = API error) and what a typed ID is
 * saved as, the warning for a general account without functions, people by name.
 */
import { createStaffBody, japaneseErrors } from '../../../functions/admin/schemas';
import { LOGIN_ID_RULE } from '../../../functions/staff/staff';
import { personName } from '../../../admin-web/src/format';
import { partsText, recurringStartParts, sendConfirmParts } from '../../../admin-web/src/pages/deliveries/confirm-text';
import { LOGIN_ID_ERROR, LOGIN_ID_HINT, createdMessage, loginIdPreview, noFunctionsWarning } from '../../../admin-web/src/pages/staff-texts';

describe('send confirmation', () => {
  it('says 「に」 before 送ります for a reserved time, and 今すぐ for now', () => {
    expect(partsText(sendConfirmParts({ audienceLabel: '有明地区の65歳以上', recipients: 1234, at: '2026-12-08T00:00:00.000Z' }))).toBe(
      '配信先「有明地区の65歳以上」の 1,234人 に、2026/12/08 09:00 に送ります。',
    );
    expect(partsText(sendConfirmParts({ audienceLabel: '全員', recipients: 5, at: null }))).toBe('配信先「全員」の 5人 に、今すぐ送ります。');
  });

  it('shows the number and the time in bold', () => {
    expect(
      sendConfirmParts({ audienceLabel: '全員', recipients: 5, at: '2026-12-08T00:00:00.000Z' })
        .filter((p) => p.strong)
        .map((p) => p.text),
    ).toEqual(['5人', '2026/12/08 09:00']);
  });
});

describe('starting a recurring delivery', () => {
  it('states the audience (everyone said so), how many it is now, the first run in Japan time and the rule', () => {
    const text = partsText(
      recurringStartParts({ audienceLabel: '全員', everyone: true, recipients: 12_345, firstAt: '2026-12-06T22:00:00.000Z', rule: '毎週 月曜日 07:00' }),
    );
    expect(text).toBe('配信先「全員」（友だち全員）の いまの対象 12,345人 に、2026/12/07（月）07:00 から「毎週 月曜日 07:00」で自動で送り始めます。');
  });

  it('still reads when the count or the first date is not known', () => {
    expect(partsText(recurringStartParts({ audienceLabel: '子育て世帯', everyone: false, recipients: null, firstAt: null, rule: '毎日 07:00' }))).toBe(
      '配信先「子育て世帯」の 友だち に、次の予定日時から「毎日 07:00」で自動で送り始めます。',
    );
  });
});

describe('login IDs', () => {
  it("the hint states the same rule as the API's error", () => {
    const refused = createStaffBody.safeParse(
      { loginId: 'Tanaka 01!', displayName: '田中', role: 'general', permissions: [], initialPassword: 'x' },
      { error: japaneseErrors },
    );
    expect(refused.success).toBe(false);
    const message = refused.error!.issues.find((i) => i.path[0] === 'loginId')!.message;
    expect(message).toBe(LOGIN_ID_ERROR);
    expect(message).toContain(LOGIN_ID_RULE);
    expect(LOGIN_ID_HINT.startsWith(LOGIN_ID_RULE)).toBe(true);
    expect(LOGIN_ID_HINT).toContain('英大文字は小文字にして保存します');
  });

  it('says what a typed ID is saved as instead of changing it silently', () => {
    expect(loginIdPreview('Tanaka01')).toEqual({
      saved: 'tanaka01',
      valid: true,
      text: 'ログインIDは「tanaka01」として保存します（英大文字は小文字、前後の空白は除きます）。',
    });
    expect(loginIdPreview(' soumu.arao ')?.saved).toBe('soumu.arao');
    expect(loginIdPreview('tanaka01')).toBeNull();
    expect(loginIdPreview('')).toBeNull();
    expect(loginIdPreview('田中')).toMatchObject({ valid: false, text: LOGIN_ID_ERROR });
    expect(createdMessage('tanaka01')).toContain('ログインIDは「tanaka01」です');
  });

  it('the API saves what the preview said', () => {
    const parsed = createStaffBody.parse({ loginId: 'Tanaka01', displayName: '田中 一郎', role: 'general', permissions: ['deliveries'], initialPassword: 'x' });
    expect(parsed.loginId).toBe(loginIdPreview('Tanaka01')!.saved);
  });
});

describe('people', () => {
  it('a general account without functions is explained before it is saved', () => {
    expect(noFunctionsWarning(' 市民課 荒尾 太郎 ')).toBe(
      '「市民課 荒尾 太郎」は一般のアカウントで、使える機能が1つも選ばれていません。このままでは、サインインしてダッシュボードを見ることしかできません。',
    );
    expect(noFunctionsWarning('')).toMatch(/^このアカウントは一般のアカウントで/);
  });

  it('a person is named by display name, the login ID only when no name is known', () => {
    expect(personName('総務課 荒尾 花子', 'admin')).toBe('総務課 荒尾 花子');
    expect(personName(undefined, 'admin')).toBe('admin');
    expect(personName(undefined, undefined)).toBe('—');
  });
});
