import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('lets a burst of `capacity` through, then paces callers to the rate', async () => {
    const bucket = new TokenBucket(20, 5);
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect(await bucket.take(0)).toBe(true);
    expect(await bucket.take(0)).toBe(false);
    expect(await bucket.take(1000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('refuses when the wait would exceed the caller’s limit', async () => {
    const bucket = new TokenBucket(1, 1);
    expect(await bucket.take(0)).toBe(true);
    expect(await bucket.take(100)).toBe(false);
  });
});
