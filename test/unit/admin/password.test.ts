import { generatePassword, passwordPolicyProblems, PRODUCTION_SCRYPT, ScryptPasswordHasher, assertPasswordPolicy } from '../../../functions/staff/password';
import { testHasher } from '../../support/admin-fakes';

describe('password hashing (scrypt)', () => {
  it('stores parameters and salt with the hash and verifies only the right password', async () => {
    const stored = await testHasher.hash('Kumamoto-Arao-2026');
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('Kumamoto');
    await expect(testHasher.verify('Kumamoto-Arao-2026', stored)).resolves.toBe(true);
    await expect(testHasher.verify('Kumamoto-Arao-2027', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([testHasher.hash('same-Password-1'), testHasher.hash('same-Password-1')]);
    expect(a).not.toBe(b);
  });

  it('never matches a malformed or tampered stored value', async () => {
    const stored = await testHasher.hash('Kumamoto-Arao-2026');
    const parts = stored.split('$');
    await expect(testHasher.verify('Kumamoto-Arao-2026', 'plain-text')).resolves.toBe(false);
    await expect(testHasher.verify('Kumamoto-Arao-2026', [...parts.slice(0, 5), 'AAAA'].join('$'))).resolves.toBe(false);
    await expect(testHasher.verify('Kumamoto-Arao-2026', ['scrypt', 40, 8, 1, parts[4], parts[5]].join('$'))).resolves.toBe(false);
  });

  it('verifies hashes made with other costs and says when to rehash', async () => {
    const production = new ScryptPasswordHasher();
    const cheap = await testHasher.hash('Kumamoto-Arao-2026');
    await expect(production.verify('Kumamoto-Arao-2026', cheap)).resolves.toBe(true);
    expect(production.needsRehash(cheap)).toBe(true);
    expect(testHasher.needsRehash(cheap)).toBe(false);
    expect(PRODUCTION_SCRYPT).toEqual({ logN: 15, r: 8, p: 1 });
  });
});

describe('password policy', () => {
  it.each([
    ['short1', '12文字以上'],
    ['onlyletterslong', '数字'],
    ['123456789012345', '英字'],
    ['tanaka-2026-arao', 'ログインID'],
    ['TANAKA-2026-arao', 'ログインID'],
  ])('refuses %s (%s)', (password, problem) => {
    expect(passwordPolicyProblems(password, 'tanaka').join()).toContain(problem);
    expect(() => assertPasswordPolicy(password, 'tanaka')).toThrow(expect.objectContaining({ code: 'password_policy', status: 400 }));
  });

  // The first release accepted these: a common password with digits, a repeat, and 8 characters
  // that counted as 14 UTF-16 units.
  it.each([
    ['Password1234', 'よく使われるパスワードに似ています'],
    ['aaaaaaaaaaa1', '同じ文字のくり返し'],
    ['abcdefgh1234', '連続した並び'],
    ['qwerty123456', 'よく使われる'],
    ['😀😀😀😀😀😀a1', '12文字以上にしてください（いまは8文字）'],
  ])('refuses %s and says why in Japanese (%s)', (password, why) => {
    expect(passwordPolicyProblems(password, 'tanaka').join()).toContain(why);
    expect(() => assertPasswordPolicy(password, 'tanaka')).toThrow(expect.objectContaining({ code: 'password_policy' }));
  });

  it('caps an over-long password by its raw length before counting', () => {
    expect(passwordPolicyProblems('a1'.repeat(50_000), 'tanaka')).toEqual(['128文字以下にしてください。']);
  });

  it('accepts 12+ characters with letters and digits', () => {
    expect(passwordPolicyProblems('arao2026city', 'tanaka')).toEqual([]);
  });

  it('generates passwords that meet the policy', () => {
    for (let i = 0; i < 50; i++) expect(passwordPolicyProblems(generatePassword(), 'admin')).toEqual([]);
  });
});
