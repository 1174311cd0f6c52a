import { formIdFrom, pageFrom } from '../../../liff-web/src/route';
import { clickRefOf, tokenSource, tokenSubject } from '../../../liff-web/src/token';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJVMSJ9.c2ln_-';

describe('tokenSource', () => {
  it('uses the simulator token from the fragment (no LIFF SDK)', () => {
    expect(tokenSource(`#sim_id_token=${JWT}&sim_liff_id=2000000000-civic`)).toEqual({ kind: 'simulator', idToken: JWT, liffId: '2000000000-civic' });
    expect(tokenSource(`sim_id_token=${encodeURIComponent(JWT)}`)).toEqual({ kind: 'simulator', idToken: JWT, liffId: undefined });
  });

  it('goes to the LIFF SDK without a fragment token', () => {
    expect(tokenSource('')).toEqual({ kind: 'liff', liffId: undefined });
    expect(tokenSource('#access_token=abc&context_token=x')).toEqual({ kind: 'liff', liffId: undefined });
  });

  it('ignores a fragment value that is not shaped like a JWT', () => {
    expect(tokenSource('#sim_id_token=')).toEqual({ kind: 'liff', liffId: undefined });
    expect(tokenSource('#sim_id_token=not-a-token')).toEqual({ kind: 'liff', liffId: undefined });
    expect(tokenSource('#sim_id_token=a.b.c<script>')).toEqual({ kind: 'liff', liffId: undefined });
  });
});

describe('formIdFrom', () => {
  const ID = '01JD3ABCDEFGHJKMNPQRSTVWXY';

  it('reads /liff/forms/<id>', () => {
    expect(formIdFrom(`/liff/forms/${ID}`, '')).toBe(ID);
    expect(formIdFrom(`/liff/forms/${ID}/`, '?lang=en')).toBe(ID);
  });

  it('reads ?formId=', () => {
    expect(formIdFrom('/liff/', `?formId=${ID}`)).toBe(ID);
    expect(formIdFrom('/liff', `?lang=ko&formId=${ID}`)).toBe(ID);
  });

  it("reads LINE's liff.state before liff.init() redirects", () => {
    expect(formIdFrom('/liff/', `?liff.state=${encodeURIComponent(`/forms/${ID}`)}`)).toBe(ID);
    expect(formIdFrom('/liff/', `?liff.state=${encodeURIComponent(`?formId=${ID}`)}`)).toBe(ID);
  });

  it('refuses missing or odd ids', () => {
    expect(formIdFrom('/liff/', '')).toBeUndefined();
    expect(formIdFrom('/liff/forms/', '')).toBeUndefined();
    expect(formIdFrom('/liff/', '?formId=../admin')).toBeUndefined();
    expect(formIdFrom('/liff/forms/%E0%A4%A', '')).toBeUndefined();
  });
});

describe('pageFrom', () => {
  it('opens the place picker at /liff/reports/place', () => {
    expect(pageFrom('/liff/reports/place', '')).toBe('place');
    expect(pageFrom('/liff/reports/place/', '?lang=en')).toBe('place');
  });

  it("opens it on LINE's first hop too (liff.state before liff.init() redirects)", () => {
    expect(pageFrom('/liff/', `?liff.state=${encodeURIComponent('/reports/place')}`)).toBe('place');
    expect(pageFrom('/liff', `?liff.state=${encodeURIComponent('/reports/place?lang=ko')}`)).toBe('place');
    expect(pageFrom('/liff/', '?liff.state=reports%2Fplace')).toBe('place');
  });

  it('is the form page otherwise, and the form route is unchanged', () => {
    expect(pageFrom('/liff/forms/profile', '')).toBe('form');
    expect(pageFrom('/liff/', '?formId=profile')).toBe('form');
    expect(pageFrom('/liff/', `?liff.state=${encodeURIComponent('/forms/profile')}`)).toBe('form');
    expect(pageFrom('/liff/', '')).toBe('form');
    // Only the exact path: nothing that merely contains it.
    expect(pageFrom('/liff/reports/place/extra', '')).toBe('form');
    expect(pageFrom('/liff/reports/placement', '')).toBe('form');
    expect(pageFrom('/liff/', `?liff.state=${encodeURIComponent('/forms/reports/place2')}`)).toBe('form');
    expect(pageFrom('/liff/', `?next=${encodeURIComponent('/reports/place')}`)).toBe('form');
    expect(formIdFrom('/liff/reports/place', '')).toBeUndefined();
  });
});

describe('what the simulator and LINE tell the page', () => {
  const jwt = (payload: object) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

  it('the LINE app language comes with the simulator token, as liff.getLanguage() gives it in LINE', () => {
    expect(tokenSource(`#sim_id_token=${JWT}&sim_liff_id=2000000000-LocalSim&sim_lang=en`)).toEqual({
      kind: 'simulator',
      idToken: JWT,
      liffId: '2000000000-LocalSim',
      language: 'en',
    });
  });

  it('the citizen a token names keys their own language pick (never trusted by the server)', () => {
    const sub = `U${'ab'.repeat(16)}`;
    expect(tokenSubject(jwt({ sub, name: '荒尾' }))).toBe(sub);
    expect(tokenSubject(jwt({ sub: 'not-a-line-id' }))).toBeUndefined();
    expect(tokenSubject('garbage')).toBeUndefined();
  });

  it('a counted link reference is taken only in its exact shape', () => {
    expect(clickRefOf('?clk=01JDE7Q5H8K3M2N4P6R9T0V1WX.3&x=1')).toBe('01JDE7Q5H8K3M2N4P6R9T0V1WX.3');
    expect(clickRefOf('?clk=01JDE7Q5H8K3M2N4P6R9T0V1WX.3"><script>')).toBeUndefined();
    expect(clickRefOf('?x=1')).toBeUndefined();
  });
});
