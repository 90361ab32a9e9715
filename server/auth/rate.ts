// Token-bucket rate limits: per token on HTTP calls and ingested records,
// per connection on socket messages. A flood is refused, never queued.

/** A rate and the burst allowed above it. */
export interface RateSpec {
  /** Sustained rate, units per second. */
  perSecond: number;
  /** Bucket size: how many units may be spent at once. */
  burst: number;
}

/** One bucket, refilled continuously. */
export class TokenBucket {
  private level: number;
  private last: number;

  constructor(private readonly spec: RateSpec, now: number) {
    this.level = spec.burst;
    this.last = now;
  }

  /** Spends `cost` units when available; false (spending nothing) when not. */
  take(now: number, cost = 1): boolean {
    this.refill(now);
    if (this.level < cost) return false;
    this.level -= cost;
    return true;
  }

  /** Milliseconds until `cost` units are available. */
  waitMs(now: number, cost = 1): number {
    this.refill(now);
    return this.level >= cost ? 0 : Math.ceil(((cost - this.level) / this.spec.perSecond) * 1000);
  }

  /** Whether the bucket is full (idle long enough to forget). */
  isFull(now: number): boolean {
    this.refill(now);
    return this.level >= this.spec.burst;
  }

  private refill(now: number): void {
    const dt = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.level = Math.min(this.spec.burst, this.level + dt * this.spec.perSecond);
  }
}

/** Buckets by key (a token hash, an address); idle full buckets are forgotten. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(readonly spec: RateSpec, private readonly clock: () => number = Date.now) {}

  /** Spends `cost` units of `key`'s bucket; false when the key is over its rate. */
  take(key: string, cost = 1): boolean {
    const now = this.clock();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= 10_000) this.prune(now);
      b = new TokenBucket(this.spec, now);
      this.buckets.set(key, b);
    }
    return b.take(now, cost);
  }

  /** Seconds a refused caller should wait (for `Retry-After`). */
  retryAfterS(key: string, cost = 1): number {
    const b = this.buckets.get(key);
    return b ? Math.max(1, Math.ceil(b.waitMs(this.clock(), Math.min(cost, this.spec.burst)) / 1000)) : 1;
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) if (b.isFull(now)) this.buckets.delete(k);
  }
}
