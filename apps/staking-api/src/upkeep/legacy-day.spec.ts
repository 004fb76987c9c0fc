import { legacyDayBucket } from './legacy-day.js';

const now = new Date('2026-12-02T12:00:00Z');

describe('legacyDayBucket', () => {
  it('keeps the own day of a record not yet past the retention', () => {
    expect(legacyDayBucket(new Date('2026-11-30T23:00:00Z'), now, 90)).toBe('2026-11-30');
  });

  it('files a record past the retention under the first day the cleanup looks at', () => {
    expect(legacyDayBucket(new Date('2025-01-01T00:00:00Z'), now, 90)).toBe('2026-09-02');
    expect(legacyDayBucket(undefined, now, 90)).toBe('2026-09-02');
  });
});
