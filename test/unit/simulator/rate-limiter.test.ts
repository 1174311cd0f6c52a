import { DEFAULT_RATE_LIMITS, RateLimiter, TokenBucket } from '../../../simulator/rate-limiter';

describe('token bucket rate limiter', () => {
  it('allows a burst up to the limit, then refuses until tokens refill', () => {
    let now = 0;
    const b = TokenBucket.perSecond(200, () => now);
    let ok = 0;
    for (let i = 0; i < 250; i++) if (b.tryTake()) ok++;
    expect(ok).toBe(200);
    expect(b.tryTake()).toBe(false);
    now += 5; // 5 ms at 200/s = 1 token
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
    now += 10_000;
    ok = 0;
    for (let i = 0; i < 300; i++) if (b.tryTake()) ok++;
    expect(ok).toBe(200); // capacity caps the refill
  });

  it('sustains exactly the configured rate', () => {
    let now = 0;
    const b = TokenBucket.perSecond(200, () => now);
    let ok = 0;
    for (let ms = 0; ms < 10_000; ms++) {
      now = ms;
      if (b.tryTake()) ok++;
      if (b.tryTake()) ok++; // 2000 attempts/s
    }
    expect(ok).toBeGreaterThanOrEqual(200 + 1990);
    expect(ok).toBeLessThanOrEqual(200 + 2000);
  });

  it('keeps separate buckets per group; broadcast is per hour', () => {
    let now = 0;
    const rl = new RateLimiter({ multicastPerSecond: 2, defaultPerSecond: 3, broadcastPerHour: 1, richMenuCreatePerHour: 1 }, () => now);
    expect([rl.tryTake('multicast'), rl.tryTake('multicast'), rl.tryTake('multicast')]).toEqual([true, true, false]);
    expect(rl.tryTake('default')).toBe(true);
    expect(rl.tryTake('broadcast')).toBe(true);
    expect(rl.tryTake('broadcast')).toBe(false);
    now += 60_000;
    expect(rl.tryTake('broadcast')).toBe(false);
    now += 3_540_000;
    expect(rl.tryTake('broadcast')).toBe(true);
  });

  it('allows 100 rich menu creations an hour, as LINE does', () => {
    let now = 0;
    const rl = new RateLimiter({ ...DEFAULT_RATE_LIMITS }, () => now);
    const first = Array.from({ length: 101 }, () => rl.tryTake('richMenuCreate'));
    expect(first.filter(Boolean)).toHaveLength(100);
    expect(first[100]).toBe(false);
    expect(rl.tryTake('default')).toBe(true);
    now += 36_000; // a hundredth of an hour: one more
    expect([rl.tryTake('richMenuCreate'), rl.tryTake('richMenuCreate')]).toEqual([true, false]);
  });
});
