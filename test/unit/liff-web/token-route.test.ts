import { formIdFrom } from '../../../liff-web/src/route';
import { tokenSource } from '../../../liff-web/src/token';

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
