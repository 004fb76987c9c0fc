import type { ChainAccount } from '@app/tron';
import {
  checkRequestShape,
  checkVoteSet,
  mergeVotes,
  sameVotes,
  splitEvenly,
  tronPowerVotes,
} from './vote-rules.js';

const codeOf = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

const account = (frozen: bigint, delegatedOut: bigint): ChainAccount => ({
  address: 'T',
  exists: true,
  balanceSun: 0n,
  frozenSun: { ENERGY: frozen, BANDWIDTH: 0n },
  delegatedOutSun: { ENERGY: 0n, BANDWIDTH: delegatedOut },
  acquiredSun: { ENERGY: 5_000_000n, BANDWIDTH: 0n },
  unfreezing: [],
  votes: [],
  allowanceSun: 0n,
  latestWithdrawTime: 0,
});

describe('vote rules', () => {
  it('merges the requested counts into the current votes unless replace', () => {
    const current = [
      { witness: 'A', count: 10 },
      { witness: 'B', count: 20 },
    ];
    expect(mergeVotes(current, [{ witness: 'B', count: 5 }], false)).toEqual([
      { witness: 'A', count: 10 },
      { witness: 'B', count: 5 },
    ]);
    expect(mergeVotes(current, [{ witness: 'C', count: 1 }], false)).toHaveLength(3);
    expect(mergeVotes(current, [{ witness: 'C', count: 1 }], true)).toEqual([
      { witness: 'C', count: 1 },
    ]);
  });

  it('TRON power counts own and delegated-out stake in whole TRX, not received stake', () => {
    expect(tronPowerVotes(account(1_500_000n, 2_000_000n))).toBe(3);
    expect(tronPowerVotes(account(1_500_000n, 2_000_000n), 1_000_000n)).toBe(2);
    expect(tronPowerVotes(account(0n, 0n), 1n)).toBe(0);
  });

  it('refuses an empty request, more than the maximum and duplicates', () => {
    expect(codeOf(() => checkRequestShape([], 30))).toBe('S401');
    const many = Array.from({ length: 31 }, (_, i) => ({ witness: `W${i}`, count: 1 }));
    expect(codeOf(() => checkRequestShape(many, 30))).toBe('S404');
    expect(codeOf(() => checkRequestShape(many.slice(0, 30), 30))).toBeUndefined();
    expect(
      codeOf(() =>
        checkRequestShape(
          [
            { witness: 'A', count: 1 },
            { witness: 'A', count: 2 },
          ],
          30,
        ),
      ),
    ).toBe('S401');
  });

  it('checks the resulting set: witnesses, TRON power, size', () => {
    const limits = { maxWitnesses: 2, minVotes: 1 };
    const witnesses = new Set(['A', 'B', 'C']);
    expect(codeOf(() => checkVoteSet([{ witness: 'A', count: 10 }], limits, witnesses, 10))).toBe(
      undefined,
    );
    expect(codeOf(() => checkVoteSet([{ witness: 'A', count: 11 }], limits, witnesses, 10))).toBe(
      'S402',
    );
    expect(codeOf(() => checkVoteSet([{ witness: 'X', count: 1 }], limits, witnesses, 10))).toBe(
      'S403',
    );
    const three = ['A', 'B', 'C'].map((witness) => ({ witness, count: 1 }));
    expect(codeOf(() => checkVoteSet(three, limits, witnesses, 10))).toBe('S404');
  });

  it('splits power evenly, the remainder to the first witnesses, none with zero', () => {
    expect(splitEvenly(599, ['A', 'B'])).toEqual([
      { witness: 'A', count: 300 },
      { witness: 'B', count: 299 },
    ]);
    expect(splitEvenly(1, ['A', 'B'])).toEqual([{ witness: 'A', count: 1 }]);
    expect(splitEvenly(0, ['A'])).toEqual([]);
  });

  it('compares vote sets regardless of order', () => {
    const a = [
      { witness: 'A', count: 1 },
      { witness: 'B', count: 2 },
    ];
    expect(sameVotes(a, [...a].reverse())).toBe(true);
    expect(sameVotes(a, [{ witness: 'A', count: 1 }])).toBe(false);
    expect(sameVotes(a, [a[0]!, { witness: 'B', count: 3 }])).toBe(false);
  });
});
