import type { WitnessInfo } from '@app/tron';
import { estimateVoterApr, rankWitnesses, standbyVotesOf } from './witness-apr.js';

const witness = (address: string, voteCount: number): WitnessInfo => ({
  address,
  url: '',
  voteCount,
  totalProduced: 0,
  totalMissed: 0,
  isJobs: true,
});

const MAINNET = {
  payPerBlockSun: 16_000_000,
  standbyPayPerBlockSun: 160_000_000,
  maintenanceIntervalMs: 21_600_000,
  blockIntervalMs: 3_000,
};

describe('estimated voter APR', () => {
  it('ranks by votes, the top 27 active', () => {
    const list = Array.from({ length: 30 }, (_, i) => witness(`W${i}`, 1_000 + i));
    const ranked = rankWitnesses(list);
    expect(ranked[0]).toMatchObject({ address: 'W29', rank: 1, isActive: true });
    expect(ranked[26]!.isActive).toBe(true);
    expect(ranked[27]!.isActive).toBe(false);
  });

  it('matches a hand calculation: one active SR with 100 M votes of 3 B, brokerage 20 %', () => {
    const ranked = rankWitnesses([witness('A', 100_000_000), witness('B', 2_900_000_000)]);
    const a = ranked.find((w) => w.address === 'A')!;
    // Per year: 10,512,000 blocks (1,460 cycles × 7,200).
    // Producer pay: 10,512,000 / 27 × 16 TRX = 6,229,333.33 TRX.
    // Standby pay: 10,512,000 × 160 TRX × 100 M / 3 B = 56,064,000 TRX.
    // To voters: (6,229,333.33 + 56,064,000) × 0.8 = 49,834,666.67 TRX over 100 M votes.
    expect(estimateVoterApr(a, 20, standbyVotesOf(ranked), MAINNET)).toBeCloseTo(49.8346667, 5);
  });

  it('an SR outside the top 27 earns only the standby pay; none with no votes', () => {
    const list = Array.from({ length: 28 }, (_, i) => witness(`W${i}`, 1_000_000 * (i + 1)));
    const ranked = rankWitnesses(list);
    const last = ranked[27]!;
    expect(last.isActive).toBe(false);
    const standby = standbyVotesOf(ranked);
    const expected = (((10_512_000 * 160_000_000) / standby) * 1 * 100) / 1_000_000;
    expect(estimateVoterApr(last, 0, standby, MAINNET)).toBeCloseTo(expected, 6);
    expect(estimateVoterApr({ ...last, voteCount: 0 }, 0, standby, MAINNET)).toBe(0);
  });
});
