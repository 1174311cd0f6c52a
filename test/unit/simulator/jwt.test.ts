import { decodeAndVerifyJwt, issueIdToken, randomKey, signJwt, verifyIdToken } from '../../../simulator/jwt';

describe('LIFF ID tokens', () => {
  const key = randomKey();
  const now = 1_800_000_000_000;
  const token = (over: Partial<Parameters<typeof issueIdToken>[0]> = {}) =>
    issueIdToken({ userId: 'U' + 'a'.repeat(32), name: '荒尾 花子', audience: '1234567890', nonce: 'n-1', ...over }, key, now);

  it('issues HS256 JWTs with LINE claims', () => {
    const t = token();
    const [h] = t.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodeAndVerifyJwt(t, key)).toEqual({
      iss: 'https://access.line.me',
      sub: 'U' + 'a'.repeat(32),
      aud: '1234567890',
      exp: now / 1000 + 3600,
      iat: now / 1000,
      nonce: 'n-1',
      amr: ['linesso'],
      name: '荒尾 花子',
    });
  });

  it('verifies a good token', () => {
    const r = verifyIdToken({ idToken: token(), clientId: '1234567890', nonce: 'n-1', userId: 'U' + 'a'.repeat(32) }, key, now);
    expect(r).toMatchObject({ ok: true, payload: { sub: 'U' + 'a'.repeat(32), name: '荒尾 花子' } });
  });

  it.each([
    ['a tampered token', () => ({ idToken: token().slice(0, -2) + 'xx', clientId: '1234567890' }), 'Invalid IdToken.'],
    [
      'another key',
      () => ({ idToken: issueIdToken({ userId: 'U1', name: 'x', audience: '1234567890' }, randomKey(), now), clientId: '1234567890' }),
      'Invalid IdToken.',
    ],
    ['garbage', () => ({ idToken: 'abc', clientId: '1234567890' }), 'Invalid IdToken.'],
    [
      'alg none',
      () => ({ idToken: signJwt({}, key).replace(/^[^.]+/, Buffer.from('{"alg":"none"}').toString('base64url')), clientId: '1' }),
      'Invalid IdToken.',
    ],
    ['a foreign issuer', () => ({ idToken: token({ issuer: 'https://evil.example' }), clientId: '1234567890' }), 'Invalid IdToken Issuer.'],
    ['an expired token', () => ({ idToken: token({ expiresInSec: -1 }), clientId: '1234567890' }), 'IdToken expired.'],
    ['another audience', () => ({ idToken: token(), clientId: '999' }), 'Invalid IdToken Audience.'],
    ['another nonce', () => ({ idToken: token(), clientId: '1234567890', nonce: 'other' }), 'Invalid IdToken Nonce.'],
    ['another user', () => ({ idToken: token(), clientId: '1234567890', userId: 'U' + 'b'.repeat(32) }), 'Invalid IdToken Subject Identifier.'],
  ])('refuses %s', (_name, input, description) => {
    expect(verifyIdToken(input(), key, now)).toEqual({ ok: false, error_description: description });
  });
});
