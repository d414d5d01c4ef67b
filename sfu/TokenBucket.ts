// A token bucket: `burst` requests at once, then `perSecond` on average. Each
// signaling connection has one, so a site flooding the hub is refused
// (RATE_LIMITED) while a browser joining a large meeting, which sends a burst
// of consume requests, is not.
export interface TokenBucketOptions {
  burst: number;
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private refilledAt = performance.now();

  constructor(private readonly options: TokenBucketOptions) {
    this.tokens = options.burst;
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = performance.now();
    const { burst, perSecond } = this.options;
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 1000) * perSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
