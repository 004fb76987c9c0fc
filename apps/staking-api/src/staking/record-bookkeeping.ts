import type { StakingStatus } from './dto/staking-read.dto.js';

/**
 * What a staking record's state implies beyond itself: the job that must look at it next (its
 * due bucket) and what it adds to the maintained totals. Pure, so the write path, the jobs and
 * the repair job derive both the same way (DESIGN.md §4: jobs find work by equality on `due`,
 * `/stats` and `/health` read counters, never an aggregation).
 */

/** Statuses whose TRX is still frozen on chain for the record. */
export const STAKED_STATUSES: StakingStatus[] = ['pending', 'active', 'expired'];

/** An unfrozen record no job can withdraw (no key here): its owner withdraws, settlement records it. */
export const MANUAL_WITHDRAWAL = 'withdraw:manual';

export type DueKind = 'holding' | 'withdraw';

const HOUR_MS = 3_600_000;

/** The UTC hour of a time as `YYYY-MM-DDTHH`: ordered as strings, one equality key per hour. */
export const hourBucket = (at: Date): string => at.toISOString().slice(0, 13);

export const nextHourBucket = (bucket: string): string =>
  hourBucket(new Date(Date.parse(`${bucket}:00:00.000Z`) + HOUR_MS));

/** The first instant after the bucket's hour. */
export const bucketEnd = (bucket: string): Date =>
  new Date(Date.parse(`${bucket}:00:00.000Z`) + HOUR_MS);

export const dueKeyOf = (kind: DueKind, bucket: string) => `${kind}:${bucket}`;

/** The fields of a record its bookkeeping depends on. */
export interface RecordFacts {
  address: string;
  status: StakingStatus;
  amount_sun: number;
  rewards_earned_sun?: number;
  resource: 'ENERGY' | 'BANDWIDTH';
  expires_at?: Date;
  unfreeze_available_at?: Date;
  due?: string;
}

/**
 * The due bucket a record belongs in: an active one in the hour its holding period ends (then
 * it becomes unstakable), an unfrozen one in the hour its TRX can be withdrawn. A record parked
 * for a manual withdrawal stays parked while it is unfrozen.
 */
export function dueKey(r: RecordFacts): string | undefined {
  if (r.status === 'active' && r.expires_at)
    return dueKeyOf('holding', hourBucket(new Date(r.expires_at)));
  if (r.status === 'inactive' && r.unfreeze_available_at)
    return r.due === MANUAL_WITHDRAWAL
      ? MANUAL_WITHDRAWAL
      : dueKeyOf('withdraw', hourBucket(new Date(r.unfreeze_available_at)));
  return undefined;
}

/** Counter fields: `count_<status>`, `sun_<status>`, `rewards_<status>`, `staked_<resource>`. */
export type CounterFields = Record<string, number>;

function contribution(r: RecordFacts | null, sign: 1 | -1): CounterFields {
  if (!r) return {};
  const fields: CounterFields = {
    [`count_${r.status}`]: sign,
    [`sun_${r.status}`]: sign * r.amount_sun,
    [`rewards_${r.status}`]: sign * (r.rewards_earned_sun ?? 0),
  };
  if (STAKED_STATUSES.includes(r.status)) fields[`staked_${r.resource}`] = sign * r.amount_sun;
  return fields;
}

/** What a change from `before` to `after` (null: absent) adds to the counters; zeros dropped. */
export function counterDelta(before: RecordFacts | null, after: RecordFacts | null): CounterFields {
  const delta: CounterFields = { ...contribution(after, 1) };
  for (const [key, value] of Object.entries(contribution(before, -1)))
    delta[key] = (delta[key] ?? 0) + value;
  return Object.fromEntries(Object.entries(delta).filter(([, v]) => v !== 0));
}

/** Sums a list of deltas (the repair job's recount). */
export function addInto(total: CounterFields, delta: CounterFields): CounterFields {
  for (const [key, value] of Object.entries(delta)) total[key] = (total[key] ?? 0) + value;
  return total;
}

export interface StakingTotals {
  byStatus: { status: StakingStatus; count: number; amount_sun: number; rewards_sun: number }[];
  stakedByResource: Record<string, number>;
}

/** Reads the totals out of a counters document (absent: nothing counted yet). */
export function totalsOf(
  fields: CounterFields | null | undefined,
  statuses: readonly StakingStatus[],
): StakingTotals {
  const f = fields ?? {};
  return {
    byStatus: statuses
      .map((status) => ({
        status,
        count: f[`count_${status}`] ?? 0,
        amount_sun: f[`sun_${status}`] ?? 0,
        rewards_sun: f[`rewards_${status}`] ?? 0,
      }))
      .filter((row) => row.count !== 0),
    stakedByResource: {
      ENERGY: f.staked_ENERGY ?? 0,
      BANDWIDTH: f.staked_BANDWIDTH ?? 0,
    },
  };
}

/** The counter fields alone (drops `_id`, `version` and timestamps). */
export function counterFieldsOf(doc: Record<string, unknown> | null | undefined): CounterFields {
  if (!doc) return {};
  return Object.fromEntries(
    Object.entries(doc).filter(
      ([k, v]) => /^(count|sun|rewards|staked)_/.test(k) && typeof v === 'number' && v !== 0,
    ),
  ) as CounterFields;
}
