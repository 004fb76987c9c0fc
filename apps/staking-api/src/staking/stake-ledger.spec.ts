import type { ChainAccount } from '@app/tron';
import type { Operation } from '../operations/operation.types.js';
import { allocateUnfreeze, freedBy, stakePosition } from './stake-ledger.js';
import type { StakingRecord } from './staking-records.repository.js';

const TRX = 1_000_000;
const NOW = Date.parse('2026-12-01T00:00:00Z');
const DAY = 86_400_000;

const account = (frozenTrx: number): ChainAccount => ({
  address: 'TOwner',
  exists: true,
  balanceSun: 0n,
  frozenSun: { ENERGY: BigInt(frozenTrx * TRX), BANDWIDTH: 0n },
  delegatedOutSun: { ENERGY: 0n, BANDWIDTH: 0n },
  acquiredSun: { ENERGY: 0n, BANDWIDTH: 0n },
  unfreezing: [],
  votes: [],
  allowanceSun: 0n,
  latestWithdrawTime: 0,
});

let n = 0;
const rec = (
  trx: number,
  status: StakingRecord['status'],
  endsInDays?: number,
  extra: Partial<StakingRecord> = {},
): StakingRecord => ({
  staking_id: `r${++n}`,
  address: 'TOwner',
  amount_sun: trx * TRX,
  duration_days: 1,
  resource: 'ENERGY',
  status,
  operation_type: 'stake',
  operation_id: `op-r${n}`,
  rewards_earned_sun: 0,
  created_at: new Date(NOW),
  updated_at: new Date(NOW),
  ...(endsInDays === undefined ? {} : { expires_at: new Date(NOW + endsInDays * DAY) }),
  ...extra,
});

const unfreezeOp = (trx: number): Operation =>
  ({
    id: 'u1',
    kind: 'unfreeze',
    state: 'signed',
    params: { owner: 'TOwner', amount_sun: String(trx * TRX), resource: 'ENERGY' },
  }) as Operation;

describe('stake ledger', () => {
  it('free = frozen − running holds − unfreezes not on chain yet', () => {
    const held = rec(100, 'active', 10);
    const over = rec(50, 'active', -1); // period ended, job has not marked it yet
    const expired = rec(30, 'expired', -5);
    const p = stakePosition(account(300), 'ENERGY', NOW, [held, over, expired], [unfreezeOp(20)]);
    expect(p.heldSun).toBe(BigInt(100 * TRX));
    expect(p.inFlightUnfreezeSun).toBe(BigInt(20 * TRX));
    expect(p.freeSun).toBe(BigInt(180 * TRX));
    expect(p.unrecordedSun).toBe(BigInt(100 * TRX)); // 300 − 20 − (100 + 50 + 30)
    expect(p.unlockable.map((r) => r.staking_id)).toEqual([expired.staking_id, over.staking_id]);
  });

  it('a freeze the node has not accepted holds nothing; one on chain holds until its period starts and ends', () => {
    const notSent = rec(40, 'pending', undefined, { operation_id: 'open-1' });
    const sent = rec(60, 'pending');
    const p = stakePosition(
      account(60),
      'ENERGY',
      NOW,
      [notSent, sent],
      [{ id: 'open-1', kind: 'freeze', state: 'built', params: {} } as unknown as Operation],
    );
    expect(p.heldSun).toBe(BigInt(60 * TRX));
    expect(p.freeSun).toBe(0n);
  });

  it('claimed records and other resources do not count', () => {
    const claimed = rec(70, 'expired', -1, { unstake_operation_id: 'u9' });
    const bandwidth = rec(10, 'active', 5, { resource: 'BANDWIDTH' });
    const p = stakePosition(account(100), 'ENERGY', NOW, [claimed, bandwidth], []);
    expect(p.heldSun).toBe(0n);
    expect(p.unrecordedSun).toBe(BigInt(100 * TRX));
  });

  it('names when enough held stake frees up', () => {
    const soon = rec(50, 'active', 2);
    const later = rec(80, 'active', 9);
    const p = stakePosition(account(200), 'ENERGY', NOW, [later, soon], []);
    expect(p.freeSun).toBe(BigInt(70 * TRX));
    expect(freedBy(p, BigInt(100 * TRX))).toEqual(soon.expires_at);
    expect(freedBy(p, BigInt(150 * TRX))).toEqual(later.expires_at);
    expect(freedBy(p, BigInt(500 * TRX))).toBeUndefined();
  });

  it('allocates unrecorded stake first, then whole records oldest first, then a part', () => {
    const old = rec(30, 'expired', -9);
    const newer = rec(50, 'expired', -2);
    const p = stakePosition(account(100), 'ENERGY', NOW, [newer, old], []);
    expect(p.unrecordedSun).toBe(BigInt(20 * TRX));
    const a = allocateUnfreeze(p, BigInt(70 * TRX));
    expect(a.unrecordedSun).toBe(BigInt(20 * TRX));
    expect(a.records.map((r) => r.staking_id)).toEqual([old.staking_id]);
    expect(a.partial).toEqual({ record: newer, takeSun: 20 * TRX });
    const small = allocateUnfreeze(p, BigInt(5 * TRX));
    expect(small).toEqual({ unrecordedSun: BigInt(5 * TRX), records: [], partial: undefined });
  });
});
