import { attributeClaim, claimAllowed, nextClaimAt, CLAIM_INTERVAL_MS } from './claim-rules.js';

const rec = (staking_id: string, amount_sun: number, resource: 'ENERGY' | 'BANDWIDTH') => ({
  staking_id,
  amount_sun,
  resource,
});

describe('claim rules', () => {
  it('allows a claim exactly 24 h after the last one, as the actuator compares', () => {
    const last = 1_700_000_000_000;
    expect(claimAllowed(last, last + CLAIM_INTERVAL_MS - 1)).toBe(false);
    expect(claimAllowed(last, last + CLAIM_INTERVAL_MS)).toBe(true);
    expect(nextClaimAt(last)).toBe(last + 86_400_000);
    // Never claimed: latest_withdraw_time is 0, and any real chain time is a day past it.
    expect(claimAllowed(0, last)).toBe(true);
  });

  it('splits a claim pro rata by amount, the remainder to the largest record', () => {
    const a = attributeClaim(
      1_000_001n,
      [rec('b', 300, 'ENERGY'), rec('a', 600, 'BANDWIDTH'), rec('c', 100, 'ENERGY')],
      { ENERGY: 0n, BANDWIDTH: 0n },
    );
    // 1,000,001 × 300/1000 = 300,000.3 → 300,000; ×600/1000 → 600,000 (+1 remainder); ×100/1000 → 100,000.
    expect(a.shares).toEqual([
      { staking_id: 'b', resource: 'ENERGY', sun: 300_000n },
      { staking_id: 'a', resource: 'BANDWIDTH', sun: 600_001n },
      { staking_id: 'c', resource: 'ENERGY', sun: 100_000n },
    ]);
    expect(a.energySun + a.bandwidthSun).toBe(1_000_001n);
    expect(a.bandwidthSun).toBe(600_001n);
    expect(a.unattributedSun).toBe(0n);
  });

  it('breaks a tie for the remainder by the lowest staking_id', () => {
    const a = attributeClaim(5n, [rec('y', 1, 'ENERGY'), rec('x', 1, 'ENERGY')], {
      ENERGY: 0n,
      BANDWIDTH: 0n,
    });
    expect(a.shares).toEqual([
      { staking_id: 'y', resource: 'ENERGY', sun: 2n },
      { staking_id: 'x', resource: 'ENERGY', sun: 3n },
    ]);
  });

  it('without records attributes nothing and splits by the chain stake', () => {
    const a = attributeClaim(1_000n, [], { ENERGY: 3n, BANDWIDTH: 1n });
    expect(a).toEqual({ shares: [], energySun: 750n, bandwidthSun: 250n, unattributedSun: 1_000n });
    expect(attributeClaim(7n, [], { ENERGY: 0n, BANDWIDTH: 0n }).energySun).toBe(7n);
  });
});
