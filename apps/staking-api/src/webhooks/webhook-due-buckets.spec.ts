import { dueKey, logPageOf, minuteOf, minutesBefore, nextMinute } from './webhook-due-buckets.js';

describe('webhook due buckets', () => {
  it('files a time under its UTC minute and lane', () => {
    expect(minuteOf(new Date('2026-12-02T17:05:59.999Z'))).toBe('2026-12-02T17:05');
    expect(dueKey('retry', new Date('2026-12-02T19:05:00+02:00'))).toBe('retry:2026-12-02T17:05');
  });
  it('steps minutes across hours and days', () => {
    expect(nextMinute('2026-12-31T23:59')).toBe('2027-01-01T00:00');
    expect(minutesBefore(new Date('2026-12-02T00:01:30Z'), 2)).toBe('2026-12-01T23:59');
  });
  it('numbers log pages from the sequence, 50 rows each', () => {
    expect([1, 50, 51, 100, 101].map(logPageOf)).toEqual([0, 0, 1, 1, 2]);
  });
});
