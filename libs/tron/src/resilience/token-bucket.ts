/**
 * Keeps calls to the node under a per-second budget (TronGrid keys are rate limited).
 * Callers wait for a token up to `maxWaitMs`; beyond that they are told to back off.
 */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity = ratePerSecond,
  ) {
    this.tokens = capacity;
  }

  /** Resolves true once a token is taken, false if none would be free within maxWaitMs. */
  async take(maxWaitMs: number): Promise<boolean> {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    const waitMs = Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
    if (waitMs > maxWaitMs) return false;
    // Reserve the token now so concurrent callers queue behind each other fairly.
    this.tokens -= 1;
    await new Promise((r) => setTimeout(r, waitMs));
    return true;
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((now - this.last) / 1000) * this.ratePerSecond,
    );
    this.last = now;
  }
}
