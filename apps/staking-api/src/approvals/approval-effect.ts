import { sunToTrx, type Sun } from '@app/common';
import type { ChainAccount, ChainResources, Resource, TxIntent } from '@app/tron';
import { createHash } from 'node:crypto';
import { movedVotes, SUN_PER_VOTE, totalVotes, tronPowerVotes } from '../voting/vote-rules.js';

interface BeforeAfter {
  before: number;
  after: number;
}

/** What an approver sees: the write's effect, simulated from fresh chain state. */
export interface ApprovalEffect {
  operation: string;
  amount_trx?: number;
  resource?: Resource;
  receiver_address?: string;
  votes_total?: number;
  /** Votes the new set moves (what witness_voting's threshold counts): Σ max(0, new − current). */
  votes_moved?: number;
  balance_trx: BeforeAfter;
  tron_power: BeforeAfter;
  energy_limit: BeforeAfter;
  bandwidth_limit: BeforeAfter;
  /** Delegations: the receiver's screening and the owner's can-delegate maximum, both bound. */
  receiver_screening?: ReceiverScreening;
  can_delegate_max_trx?: number;
  /** Votes the chain scales down when an unfreeze leaves less TRON power than is voted. */
  votes_scaled_down: { witness_address: string; before: number; after: number }[];
  spending: {
    operation: string;
    amount_trx: number;
    role: string;
    max_operation_trx: number | null;
    daily_limit_trx: number | null;
    used_today_trx: number;
  };
  computed_at: string;
}

/** The compliance screening of a delegation's receiver, as the approver sees it. */
export interface ReceiverScreening {
  address: string;
  hit: boolean;
  hits: { list: string; ref: string; label: string }[];
}

/** What an approver of an allow-list change sees (no chain write: the list entry only). */
export interface AllowListChangeEffect {
  operation: 'allow_list_add' | 'allow_list_remove';
  receiver_address: string;
  label?: string;
  /** An addition is accepted for delegations this long after it is applied (approved). */
  cooling_off_hours: number;
  /** Additions: the receiver's compliance screening (sanctions lists by address). */
  receiver_screening?: ReceiverScreening;
  computed_at: string;
}

export interface EffectInput {
  intent: TxIntent;
  account: ChainAccount;
  resources: ChainResources;
  spending: { amountSun: Sun; operation: string };
  /** The requester's role; `system` for a job's write. */
  principal: { role: string };
  limits: { maxOperationSun: Sun | null; dailyLimitSun: Sun | null };
  usedTodaySun: Sun;
  /** In-flight stake changes the node does not show yet (pending freezes count as spent). */
  committedSun: Sun;
  /** Delegations: what the receiver's screening found and what the node lets the owner delegate. */
  delegation?: { screening: ReceiverScreening; canDelegateMaxSun: Sun };
  now: Date;
}

const trx = (sun: Sun) => sunToTrx(sun);
const amountOf = (i: TxIntent): Sun =>
  'amountSun' in i
    ? i.amountSun
    : i.kind === 'vote'
      ? BigInt(totalVotes(i.votes)) * SUN_PER_VOTE
      : 0n;

/** A holder's resource limit: its stake's share of the network's total (java-tron's formula). */
function limitFor(ownSun: Sun, totalWeightTrx: number, totalLimit: number): number {
  if (totalWeightTrx <= 0 || ownSun <= 0n) return 0;
  // In bigint: a large holder's stake × the network limit passes 2^53.
  return Number(((ownSun / 1_000_000n) * BigInt(totalLimit)) / BigInt(totalWeightTrx));
}

export function simulateEffect(input: EffectInput): ApprovalEffect {
  const { intent, account, resources } = input;
  const amount = amountOf(intent);
  const sign = intent.kind === 'freeze' ? 1n : intent.kind === 'unfreeze' ? -1n : 0n;
  const change = sign * amount;
  const resource = 'resource' in intent ? intent.resource : undefined;
  const powerBefore = tronPowerVotes(account);
  const powerAfter = Math.max(0, powerBefore + Number(change / SUN_PER_VOTE));
  const own = (r: Resource) => account.frozenSun[r] + account.acquiredSun[r];
  const energyOwn = own('ENERGY') + (resource === 'ENERGY' ? change : 0n);
  const netOwn = own('BANDWIDTH') + (resource === 'BANDWIDTH' ? change : 0n);
  const deltaTrx = Number(change / 1_000_000n);
  const energyWeight = resources.totalEnergyWeight + (resource === 'ENERGY' ? deltaTrx : 0);
  const netWeight = resources.totalNetWeight + (resource === 'BANDWIDTH' ? deltaTrx : 0);

  // java-tron (UnfreezeBalanceV2Actuator.updateVote): votes above the remaining TRON power are
  // scaled down proportionally, each rounded down.
  const voted = totalVotes(account.votes);
  const scaled =
    intent.kind === 'unfreeze' && voted > powerAfter
      ? account.votes.map((v) => ({
          witness_address: v.witness,
          before: v.count,
          after: Math.floor((v.count * powerAfter) / voted),
        }))
      : [];
  const balanceBefore = account.balanceSun - input.committedSun;
  const balanceAfter = intent.kind === 'freeze' ? balanceBefore - amount : balanceBefore;
  return {
    operation: intent.kind,
    ...('amountSun' in intent ? { amount_trx: trx(intent.amountSun) } : {}),
    ...(resource ? { resource } : {}),
    ...('receiver' in intent ? { receiver_address: intent.receiver } : {}),
    ...(intent.kind === 'vote'
      ? {
          votes_total: totalVotes(intent.votes),
          votes_moved: movedVotes(account.votes, intent.votes),
        }
      : {}),
    balance_trx: { before: trx(balanceBefore), after: trx(balanceAfter) },
    tron_power: {
      before: powerBefore,
      after: intent.kind === 'freeze' || intent.kind === 'unfreeze' ? powerAfter : powerBefore,
    },
    energy_limit: {
      before: resources.energyLimit,
      after:
        resource === 'ENERGY'
          ? limitFor(energyOwn, energyWeight, resources.totalEnergyLimit)
          : resources.energyLimit,
    },
    bandwidth_limit: {
      before: resources.netLimit,
      after:
        resource === 'BANDWIDTH'
          ? limitFor(netOwn, netWeight, resources.totalNetLimit)
          : resources.netLimit,
    },
    ...(input.delegation
      ? {
          receiver_screening: input.delegation.screening,
          can_delegate_max_trx: trx(input.delegation.canDelegateMaxSun),
        }
      : {}),
    votes_scaled_down: scaled,
    spending: {
      operation: input.spending.operation,
      amount_trx: trx(input.spending.amountSun),
      role: input.principal.role,
      max_operation_trx:
        input.limits.maxOperationSun === null ? null : trx(input.limits.maxOperationSun),
      daily_limit_trx: input.limits.dailyLimitSun === null ? null : trx(input.limits.dailyLimitSun),
      used_today_trx: trx(input.usedTodaySun),
    },
    computed_at: input.now.toISOString(),
  };
}

/**
 * The facts an approval rests on. Network-wide numbers (total energy weight) move with every
 * stake anyone makes and are shown, not bound; what the owner and the requester's limits hold is
 * bound: a change there sends the approval back.
 */
export function materialFacts(input: EffectInput, requestHash: string): string {
  const a = input.account;
  const fitsDaily =
    input.limits.dailyLimitSun === null ||
    input.usedTodaySun + input.spending.amountSun <= input.limits.dailyLimitSun;
  const facts = {
    request: requestHash,
    intent: JSON.stringify(input.intent, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    ),
    balance_sun: (a.balanceSun - input.committedSun).toString(),
    frozen_sun: [a.frozenSun.ENERGY, a.frozenSun.BANDWIDTH].map(String),
    delegated_out_sun: [a.delegatedOutSun.ENERGY, a.delegatedOutSun.BANDWIDTH].map(String),
    votes: a.votes.map((v) => `${v.witness}:${v.count}`).sort(),
    fits_daily_limit: fitsDaily,
    // A receiver newly listed (or delisted), or a stake change moving what can be delegated.
    ...(input.delegation
      ? {
          receiver_hits: input.delegation.screening.hits.map((h) => `${h.list}:${h.ref}`).sort(),
          can_delegate_max_sun: input.delegation.canDelegateMaxSun.toString(),
        }
      : {}),
  };
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex');
}
