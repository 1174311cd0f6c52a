import { RETRY_KEY_TTL_MS, RetryKeyStore, isUuid } from '../../../simulator/retry-keys';

const KEY = '123e4567-e89b-12d3-a456-426614174000';

describe('retry keys', () => {
  let now = 1_700_000_000_000;
  const clock = () => now;

  it('accepts UUIDs only', () => {
    expect(isUuid(KEY)).toBe(true);
    expect(isUuid('not-a-uuid')).toBe(false);
    const store = new RetryKeyStore(clock);
    expect(store.check('push', 'abc')).toEqual({ ok: false, status: 400, message: expect.any(String) });
  });

  it('is accepted only on push, multicast, narrowcast and broadcast', () => {
    const store = new RetryKeyStore(clock);
    for (const e of ['push', 'multicast', 'broadcast', 'narrowcast']) expect(store.check(e, KEY)).toEqual({ ok: true });
    for (const e of ['reply', 'profile', 'richmenu']) expect(store.check(e, KEY)).toMatchObject({ ok: false, status: 400 });
    expect(store.check('reply', undefined)).toEqual({ ok: true });
  });

  it('answers 409 with the original request id for 24 hours', () => {
    const store = new RetryKeyStore(clock);
    store.accept(KEY, { requestId: 'req-1', sentMessages: [{ id: '1', quoteToken: 'q' }] });
    expect(store.check('push', KEY)).toEqual({
      ok: false,
      status: 409,
      accepted: { requestId: 'req-1', acceptedAt: now, sentMessages: [{ id: '1', quoteToken: 'q' }] },
    });
    now += RETRY_KEY_TTL_MS - 1;
    expect(store.check('push', KEY)).toMatchObject({ status: 409 });
    now += 1;
    expect(store.check('push', KEY)).toEqual({ ok: true });
  });

  it('does not remember keys that were never accepted', () => {
    const store = new RetryKeyStore(clock);
    expect(store.check('multicast', KEY)).toEqual({ ok: true });
    expect(store.check('multicast', KEY)).toEqual({ ok: true });
    expect(store.size).toBe(0);
  });
});
