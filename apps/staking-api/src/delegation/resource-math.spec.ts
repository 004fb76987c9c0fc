import {
  DEFAULT_LOCK_BLOCKS,
  effectiveLockBlocks,
  pairPosition,
  sunForUnits,
  unitsForSun,
} from './resource-math.js';

// Mainnet-like totals: 180 bn energy a day over 19 bn TRX staked (~9.47 energy per TRX).
const MAINNET = { limit: 180_000_000_000, weight: 19_000_000_000 };

describe('energy per TRX from the chain totals', () => {
  it('yields java-tron’s floor(frozen × limit / (1e6 × weight))', () => {
    expect(unitsForSun(1_000_000n, MAINNET)).toBe(9);
    expect(unitsForSun(10_000_000_000n, MAINNET)).toBe(94_736);
    expect(unitsForSun(5n, { limit: 0, weight: 0 })).toBe(0);
  });

  it('the inverse is rounded up, so the stake always covers the energy asked', () => {
    for (const units of [1, 65_000, 130_000, 1_234_567]) {
      const sun = sunForUnits(units, MAINNET);
      expect(unitsForSun(sun, MAINNET)).toBeGreaterThanOrEqual(units);
      expect(unitsForSun(sun - 1n, MAINNET)).toBeLessThan(units);
    }
  });
});

describe('locks', () => {
  it('a lock without a period is 3 days; a period is honoured once the chain allows more', () => {
    expect(effectiveLockBlocks(false, 500, 864_000)).toBe(0);
    expect(effectiveLockBlocks(true, 0, 864_000)).toBe(DEFAULT_LOCK_BLOCKS);
    expect(effectiveLockBlocks(true, 1_200, 864_000)).toBe(1_200);
    expect(effectiveLockBlocks(true, 1_200, 0)).toBe(DEFAULT_LOCK_BLOCKS);
  });

  it('splits a pair into what can be undelegated now and what a running lock holds', () => {
    const now = 1_000_000;
    const entry = (energy: bigint, expire: number) => ({
      from: 'A',
      to: 'B',
      sun: { ENERGY: energy, BANDWIDTH: 0n },
      expireAt: { ENERGY: expire, BANDWIDTH: 0 },
    });
    expect(pairPosition([entry(5n, 0), entry(7n, now + 10)], 'ENERGY', now)).toEqual({
      totalSun: 12n,
      unlockedSun: 5n,
      lockedSun: 7n,
      lockEndsAt: now + 10,
    });
    expect(pairPosition([entry(7n, now - 1)], 'ENERGY', now).unlockedSun).toBe(7n);
    expect(pairPosition([entry(7n, now)], 'ENERGY', now).lockedSun).toBe(7n);
  });
});
