/** Token bucket: `capacity` tokens, refilled continuously at `ratePerMs`. O(1) per request. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly capacity: number,
    private readonly ratePerMs: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  static perSecond(limit: number, now: () => number): TokenBucket {
    return new TokenBucket(limit, limit / 1000, now);
  }

  static perHour(limit: number, now: () => number): TokenBucket {
    return new TokenBucket(limit, limit / 3_600_000, now);
  }

  /** Takes one token; false when the bucket is empty (the request must be refused with 429). */
  tryTake(): boolean {
    const t = this.now();
    if (t > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.ratePerMs);
      this.last = t;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

export interface RateLimitConfig {
  multicastPerSecond: number;
  defaultPerSecond: number;
  broadcastPerHour: number;
  /** Create rich menu (POST /v2/bot/richmenu): LINE allows 100 an hour. */
  richMenuCreatePerHour: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  multicastPerSecond: 200,
  defaultPerSecond: 2000,
  broadcastPerHour: 60,
  richMenuCreatePerHour: 100,
};

export type RateGroup = 'multicast' | 'broadcast' | 'richMenuCreate' | 'default';

/** One bucket per endpoint group, as LINE limits per channel and per endpoint. */
export class RateLimiter {
  private buckets: Record<RateGroup, TokenBucket>;
  constructor(
    public readonly config: RateLimitConfig,
    now: () => number,
  ) {
    this.buckets = {
      multicast: TokenBucket.perSecond(config.multicastPerSecond, now),
      broadcast: TokenBucket.perHour(config.broadcastPerHour, now),
      richMenuCreate: TokenBucket.perHour(config.richMenuCreatePerHour, now),
      default: TokenBucket.perSecond(config.defaultPerSecond, now),
    };
  }

  tryTake(group: RateGroup): boolean {
    return this.buckets[group].tryTake();
  }
}
