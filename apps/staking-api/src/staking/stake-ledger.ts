import type { Sun } from '@app/common';
import type { ChainAccount, Resource } from '@app/tron';
import type { Operation } from '../operations/operation.types.js';
import type { StakingRecord } from './staking-records.repository.js';

/** A record whose holding period still runs: its TRX may not be unfrozen by anything. */
export interface Hold {
  staking_id: string;
  amount_sun: number;
  /** Undefined while the freeze is in flight (its period starts at the confirming block). */
  ends_at?: Date;
}

/** One owner's stake of one resource, as the chain shows it and as our records divide it. */
export interface StakePosition {
  resource: Resource;
  /** Own, undelegated Stake 2.0 stake on chain (the full node's view, with pending effects). */
  frozenSun: Sun;
  /** Held by running holding periods (pending freezes on chain, active records not ended). */
  heldSun: Sun;
  holds: Hold[];
  /** Unfreezes accepted by us but not yet by the node: still frozen on chain, already spent. */
  inFlightUnfreezeSun: Sun;
  /** Records whose holding period is over and that no unfreeze has claimed; oldest end first. */
  unlockable: StakingRecord[];
  /** Stake on chain that no record accounts for (frozen outside the service, or before it). */
  unrecordedSun: Sun;
  /** What may be unfrozen now without touching a running hold. */
  freeSun: Sun;
}

const sunOf = (n: number | string | bigint) => BigInt(n);
const max0 = (v: bigint) => (v > 0n ? v : 0n);

/**
 * The one accounting of held and free stake per owner and resource, used by /stake, /unstake,
 * /unfreeze, /cancel-unfreeze and the jobs. Pure: the caller reads the chain account, the
 * owner's live records and open operations under the owner lock, so the numbers cannot move
 * between the check and the operation it allows.
 */
export function stakePosition(
  account: ChainAccount,
  resource: Resource,
  chainNow: number,
  liveRecords: StakingRecord[],
  inFlight: Operation[],
): StakePosition {
  const notOnChain = new Set(inFlight.map((op) => op.id));
  const frozenSun = account.frozenSun[resource];
  const holds: Hold[] = [];
  const unlockable: StakingRecord[] = [];
  let recordedSun = 0n;
  for (const r of liveRecords) {
    if (r.resource !== resource || r.unstake_operation_id) continue;
    // A freeze the node has not accepted yet froze nothing: it neither holds nor counts.
    if (r.status === 'pending' && notOnChain.has(r.operation_id)) continue;
    recordedSun += sunOf(r.amount_sun);
    const ends = r.expires_at ? new Date(r.expires_at) : undefined;
    if (r.status === 'pending' || (r.status === 'active' && ends && ends.getTime() > chainNow)) {
      holds.push({ staking_id: r.staking_id, amount_sun: r.amount_sun, ends_at: ends });
    } else {
      unlockable.push(r);
    }
  }
  unlockable.sort(
    (a, b) =>
      new Date(a.expires_at ?? 0).getTime() - new Date(b.expires_at ?? 0).getTime() ||
      (a.staking_id < b.staking_id ? -1 : 1),
  );
  const inFlightUnfreezeSun = inFlight
    .filter((op) => op.kind === 'unfreeze' && op.params.resource === resource)
    .reduce((sum, op) => sum + sunOf(op.params.amount_sun ?? '0'), 0n);
  const heldSun = holds.reduce((sum, h) => sum + sunOf(h.amount_sun), 0n);
  return {
    resource,
    frozenSun,
    heldSun,
    holds,
    inFlightUnfreezeSun,
    unlockable,
    unrecordedSun: max0(frozenSun - inFlightUnfreezeSun - recordedSun),
    freeSun: max0(frozenSun - inFlightUnfreezeSun - heldSun),
  };
}

/** When enough held stake frees up to cover `neededSun` (the end of the hold that gets there). */
export function freedBy(position: StakePosition, neededSun: Sun): Date | undefined {
  let free = position.freeSun;
  const ending = position.holds
    .filter((h) => h.ends_at)
    .sort((a, b) => a.ends_at!.getTime() - b.ends_at!.getTime());
  for (const h of ending) {
    free += sunOf(h.amount_sun);
    if (free >= neededSun) return h.ends_at;
  }
  return undefined;
}

export interface UnfreezeAllocation {
  /** Taken from stake no record accounts for. */
  unrecordedSun: Sun;
  /** Whole records released. */
  records: StakingRecord[];
  /** A record of which only part is released: split it first. */
  partial?: { record: StakingRecord; takeSun: number };
}

/** Which stake an unfreeze of `amountSun` (≤ free) releases: unrecorded first, then oldest. */
export function allocateUnfreeze(position: StakePosition, amountSun: Sun): UnfreezeAllocation {
  let rest = amountSun;
  const unrecordedSun = rest < position.unrecordedSun ? rest : position.unrecordedSun;
  rest -= unrecordedSun;
  const records: StakingRecord[] = [];
  let partial: UnfreezeAllocation['partial'];
  for (const r of position.unlockable) {
    if (rest === 0n) break;
    const amount = sunOf(r.amount_sun);
    if (amount <= rest) {
      records.push(r);
      rest -= amount;
    } else {
      partial = { record: r, takeSun: Number(rest) };
      rest = 0n;
    }
  }
  // Anything left is stake the chain shows but records do not divide exactly: unrecorded too.
  return { unrecordedSun: unrecordedSun + rest, records, partial };
}
