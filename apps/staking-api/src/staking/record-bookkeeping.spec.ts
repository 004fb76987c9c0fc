import {
  bucketEnd,
  counterDelta,
  dueKey,
  hourBucket,
  MANUAL_WITHDRAWAL,
  nextHourBucket,
  totalsOf,
  type RecordFacts,
} from './record-bookkeeping.js';
import { STAKING_STATUSES } from './dto/staking-read.dto.js';

const record = (over: Partial<RecordFacts> = {}): RecordFacts => ({
  address: 'TA',
  status: 'active',
  amount_sun: 5_000_000,
  resource: 'ENERGY',
  ...over,
});

describe('record bookkeeping', () => {
  it('hour buckets are UTC hours, ordered as strings, across a day boundary', () => {
    expect(hourBucket(new Date('2026-12-02T23:59:59.999Z'))).toBe('2026-12-02T23');
    expect(nextHourBucket('2026-12-02T23')).toBe('2026-12-03T00');
    expect(bucketEnd('2026-12-02T23').toISOString()).toBe('2026-12-03T00:00:00.000Z');
    expect('2026-12-02T23' < '2026-12-03T00').toBe(true);
  });

  it('files active records by holding end and unfrozen ones by maturity; others nowhere', () => {
    const at = new Date('2026-12-05T10:30:00Z');
    expect(dueKey(record({ expires_at: at }))).toBe('holding:2026-12-05T10');
    expect(dueKey(record({ status: 'inactive', unfreeze_available_at: at }))).toBe(
      'withdraw:2026-12-05T10',
    );
    expect(
      dueKey(record({ status: 'inactive', unfreeze_available_at: at, due: MANUAL_WITHDRAWAL })),
    ).toBe(MANUAL_WITHDRAWAL);
    for (const status of ['pending', 'expired', 'completed', 'failed'] as const)
      expect(dueKey(record({ status, expires_at: at, unfreeze_available_at: at }))).toBeUndefined();
  });

  it('a status change moves count and SUN between statuses; staked SUN only leaves when unfrozen', () => {
    const active = record();
    expect(counterDelta(null, active)).toEqual({
      count_active: 1,
      sun_active: 5_000_000,
      staked_ENERGY: 5_000_000,
    });
    expect(counterDelta(active, { ...active, status: 'expired' })).toEqual({
      count_active: -1,
      sun_active: -5_000_000,
      count_expired: 1,
      sun_expired: 5_000_000,
    });
    expect(counterDelta(record({ status: 'expired' }), record({ status: 'inactive' }))).toEqual({
      count_expired: -1,
      sun_expired: -5_000_000,
      count_inactive: 1,
      sun_inactive: 5_000_000,
      staked_ENERGY: -5_000_000,
    });
    expect(counterDelta(active, { ...active })).toEqual({});
    expect(counterDelta(active, { ...active, amount_sun: 2_000_000 })).toEqual({
      sun_active: -3_000_000,
      staked_ENERGY: -3_000_000,
    });
  });

  it('totals read back what the deltas added, zero statuses left out', () => {
    const totals = totalsOf(
      { count_active: 2, sun_active: 7, staked_ENERGY: 7, count_failed: 0 },
      STAKING_STATUSES,
    );
    expect(totals.byStatus).toEqual([
      { status: 'active', count: 2, amount_sun: 7, rewards_sun: 0 },
    ]);
    expect(totals.stakedByResource).toEqual({ ENERGY: 7, BANDWIDTH: 0 });
  });
});
