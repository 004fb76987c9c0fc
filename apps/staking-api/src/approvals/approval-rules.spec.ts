import type { SecurityPolicyFile } from '@app/common';
import type { ChainAccount, ChainResources } from '@app/tron';
import {
  materialFacts,
  simulateEffect,
  type EffectInput,
  type ReceiverScreening,
} from './approval-effect.js';
import { matchRule } from './approval-rules.js';
import { movedVotes } from '../voting/vote-rules.js';

const TRX = 1_000_000n;
const OWNER = 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy';
const SR = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';

const rules: SecurityPolicyFile['approval_workflows']['rules'] = {
  high_value_staking: {
    operations: ['stake', 'freeze', 'unstake', 'unfreeze'],
    threshold_trx: 50_000,
    required_approvals: 2,
    timeout_hours: 24,
  },
  witness_voting: {
    operations: ['vote'],
    threshold_votes: 1000,
    required_approvals: 1,
    timeout_hours: 12,
  },
  large_delegation: {
    operations: ['delegate', 'undelegate'],
    threshold_trx: 100_000,
    required_approvals: 2,
    timeout_hours: 24,
  },
  compliance_review: {
    operations: ['stake', 'freeze', 'vote', 'delegate'],
    required_approvals: 1,
    timeout_hours: 24,
  },
};

const freeze = (trx: bigint, operation = 'stake') => ({
  intent: {
    kind: 'freeze' as const,
    owner: OWNER,
    amountSun: trx * TRX,
    resource: 'ENERGY' as const,
  },
  subject: { type: 'staking', id: 'x' },
  spending: { amountSun: trx * TRX, operation },
});

describe('matchRule (policy approval_workflows)', () => {
  it('a stake at the threshold needs approval, one SUN under does not', () => {
    expect(matchRule(freeze(50_000n), rules)).toEqual({
      rule: 'high_value_staking',
      requiredApprovals: 2,
      timeoutHours: 24,
    });
    const under = freeze(50_000n);
    under.spending.amountSun -= 1n;
    expect(matchRule(under, rules)).toBeUndefined();
    expect(matchRule(freeze(60_000n, 'unfreeze'), rules)?.rule).toBe('high_value_staking');
  });

  it('a vote is matched by its votes; a delegation by its spending operation', () => {
    const vote = (votes: number) => ({
      intent: { kind: 'vote' as const, owner: OWNER, votes: [{ witness: SR, count: votes }] },
      subject: { type: 'vote', id: OWNER },
      spending: { amountSun: BigInt(votes) * TRX, operation: 'vote' },
      approval: { rule: 'witness_voting', votes },
    });
    expect(matchRule(vote(1000), rules)).toMatchObject({
      rule: 'witness_voting',
      requiredApprovals: 1,
    });
    expect(matchRule(vote(999), rules)).toBeUndefined();
    const delegate = (trx: bigint) => ({
      intent: {
        kind: 'delegate' as const,
        owner: OWNER,
        receiver: SR,
        amountSun: trx * TRX,
        resource: 'ENERGY' as const,
        lock: false,
        lockPeriodBlocks: 0,
      },
      subject: { type: 'delegation', id: 'd' },
      spending: { amountSun: trx * TRX, operation: 'delegate' },
    });
    expect(matchRule(delegate(100_000n), rules)?.rule).toBe('large_delegation');
    expect(matchRule(delegate(99_999n), rules)).toBeUndefined();
  });

  it('another step requiring approval (compliance) gates a small write; the strictest rule wins', () => {
    const small = { ...freeze(10n), approvalRequired: ['risk score 75 (high)'] };
    expect(matchRule(small, rules)).toMatchObject({
      rule: 'compliance_review',
      requiredApprovals: 1,
    });
    const big = { ...freeze(60_000n), approvalRequired: ['risk score 75 (high)'] };
    expect(matchRule(big, rules)).toMatchObject({
      rule: 'high_value_staking',
      requiredApprovals: 2,
    });
    expect(matchRule(freeze(10n), rules)).toBeUndefined();
  });

  it('a write with no spending and no named rule is never gated', () => {
    expect(
      matchRule(
        { intent: { kind: 'claim_reward', owner: OWNER }, subject: { type: 'r', id: 'r' } },
        rules,
      ),
    ).toBeUndefined();
  });
});

describe('simulateEffect and materialFacts', () => {
  const account = (
    balanceTrx: bigint,
    frozenTrx: bigint,
    votes: { witness: string; count: number }[] = [],
  ) =>
    ({
      address: OWNER,
      exists: true,
      balanceSun: balanceTrx * TRX,
      frozenSun: { ENERGY: frozenTrx * TRX, BANDWIDTH: 0n },
      delegatedOutSun: { ENERGY: 0n, BANDWIDTH: 0n },
      acquiredSun: { ENERGY: 0n, BANDWIDTH: 0n },
      unfreezing: [],
      votes,
      allowanceSun: 0n,
      latestWithdrawTime: 0,
    }) satisfies ChainAccount;
  const resources: ChainResources = {
    energyLimit: 1000,
    energyUsed: 0,
    netLimit: 0,
    netUsed: 0,
    freeNetLimit: 600,
    freeNetUsed: 0,
    tronPowerLimit: 0,
    tronPowerUsed: 0,
    totalEnergyLimit: 90_000_000_000,
    totalEnergyWeight: 9_000_000,
    totalNetLimit: 43_200_000_000,
    totalNetWeight: 8_000_000,
  };
  const input = (over: Partial<EffectInput>): EffectInput => ({
    intent: freeze(60_000n).intent,
    account: account(100_000n, 1000n),
    resources,
    spending: { amountSun: 60_000n * TRX, operation: 'stake' },
    principal: { role: 'manager' },
    limits: { maxOperationSun: 100_000n * TRX, dailyLimitSun: 500_000n * TRX },
    usedTodaySun: 0n,
    committedSun: 0n,
    now: new Date('2026-12-02T12:00:00Z'),
    ...over,
  });

  it('a freeze: balance down, TRON power up, energy by its share of the network (hand calculation)', () => {
    const e = simulateEffect(input({}));
    expect(e.balance_trx).toEqual({ before: 100_000, after: 40_000 });
    expect(e.tron_power).toEqual({ before: 1000, after: 61_000 });
    // 61,000 TRX of 9,060,000 TRX weight × 90,000,000,000 energy.
    expect(e.energy_limit.after).toBe(Math.floor((61_000 * 90_000_000_000) / 9_060_000));
    expect(e.spending).toMatchObject({
      amount_trx: 60_000,
      max_operation_trx: 100_000,
      used_today_trx: 0,
    });
  });

  it('an unfreeze below the voted power shows the votes the chain scales down', () => {
    const e = simulateEffect(
      input({
        intent: { kind: 'unfreeze', owner: OWNER, amountSun: 600n * TRX, resource: 'ENERGY' },
        account: account(0n, 1000n, [
          { witness: SR, count: 600 },
          { witness: OWNER, count: 400 },
        ]),
        spending: { amountSun: 600n * TRX, operation: 'unfreeze' },
      }),
    );
    expect(e.tron_power).toEqual({ before: 1000, after: 400 });
    expect(e.votes_scaled_down).toEqual([
      { witness_address: SR, before: 600, after: 240 },
      { witness_address: OWNER, before: 400, after: 160 },
    ]);
  });

  it('the facts hash moves with the balance, the votes and the limits, not with the network weight', () => {
    const base = materialFacts(input({}), 'h');
    expect(materialFacts(input({ resources: { ...resources, totalEnergyWeight: 1 } }), 'h')).toBe(
      base,
    );
    expect(materialFacts(input({ account: account(99_999n, 1000n) }), 'h')).not.toBe(base);
    expect(
      materialFacts(input({ account: account(100_000n, 1000n, [{ witness: SR, count: 1 }]) }), 'h'),
    ).not.toBe(base);
    expect(materialFacts(input({ usedTodaySun: 450_000n * TRX }), 'h')).not.toBe(base);
    expect(materialFacts(input({}), 'other request')).not.toBe(base);
  });

  it("a delegation's receiver screening and can-delegate maximum are bound, and shown", () => {
    const clean: ReceiverScreening = { address: SR, hit: false, hits: [] };
    const delegation = (canDelegateMaxSun: bigint, screening = clean) =>
      input({ delegation: { screening, canDelegateMaxSun } });
    const base = materialFacts(delegation(2_000n * TRX), 'h');
    expect(materialFacts(delegation(2_000n * TRX), 'h')).toBe(base);
    expect(materialFacts(delegation(2_001n * TRX), 'h')).not.toBe(base);
    const listed = {
      address: SR,
      hit: true,
      hits: [{ list: 'ofac_sdn', ref: '1', label: 'LISTED' }],
    };
    expect(materialFacts(delegation(2_000n * TRX, listed), 'h')).not.toBe(base);
    const effect = simulateEffect(delegation(2_000n * TRX, listed));
    expect(effect).toMatchObject({ receiver_screening: listed, can_delegate_max_trx: 2000 });
    expect(simulateEffect(input({})).receiver_screening).toBeUndefined();
  });
});

describe('movedVotes (what witness_voting counts)', () => {
  const A = OWNER;
  const B = SR;
  it('counts Σ max(0, new − current): a first vote, an addition, a move, a removal', () => {
    expect(movedVotes([], [{ witness: A, count: 1000 }])).toBe(1000);
    expect(movedVotes([{ witness: A, count: 1000 }], [{ witness: A, count: 1100 }])).toBe(100);
    expect(
      movedVotes(
        [{ witness: A, count: 1100 }],
        [
          { witness: A, count: 100 },
          { witness: B, count: 1000 },
        ],
      ),
    ).toBe(1000);
    expect(movedVotes([{ witness: A, count: 1100 }], [{ witness: A, count: 10 }])).toBe(0);
  });
});
