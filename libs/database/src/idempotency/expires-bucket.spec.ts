import { endedBuckets, expiresBucketOf } from './expires-bucket.js';

describe('expiresBucketOf', () => {
  it('is the UTC hour of the expiry', () => {
    expect(expiresBucketOf(new Date('2026-12-02T05:59:59.999Z'))).toBe('2026-12-02T05');
    expect(expiresBucketOf(new Date('2026-12-02T06:00:00.000Z'))).toBe('2026-12-02T06');
    expect(expiresBucketOf(new Date('2026-12-02T07:30:00+02:00'))).toBe('2026-12-02T05');
  });
});

describe('endedBuckets', () => {
  it('lists the hours entirely in the past, newest first, never the current one', () => {
    expect(endedBuckets(new Date('2026-12-02T01:20:00Z'), 3)).toEqual([
      '2026-12-02T00',
      '2026-12-01T23',
      '2026-12-01T22',
    ]);
  });

  it('counts an hour that ends exactly now as ended', () => {
    expect(endedBuckets(new Date('2026-12-02T05:00:00.000Z'), 1)).toEqual(['2026-12-02T04']);
  });

  it('is bounded by the window', () => {
    const buckets = endedBuckets(new Date('2026-12-02T05:10:00Z'), 7 * 24);
    expect(buckets).toHaveLength(168);
    expect(new Set(buckets).size).toBe(168);
    expect(buckets.at(-1)).toBe('2026-11-25T05');
  });
});
