import { sunToTrx } from '@app/common';
import type { ChainAccount, ChainResources } from '@app/tron';
import { totalsFor, unitsForSun } from '../delegation/resource-math.js';
import type { AddressResourcesDto } from '../staking/dto/address-views.dto.js';
import type { ResourceSample } from './resource-snapshot.schema.js';
import type { AlertArm } from './watched-address.schema.js';

const trx = (sun: bigint) => sunToTrx(sun);

/** The resources view of an address from its account and resources at the node. */
export function resourceView(
  address: string,
  account: ChainAccount,
  r: ChainResources,
  at: Date,
): Omit<AddressResourcesDto, 'cached'> {
  const units = (sun: Record<'ENERGY' | 'BANDWIDTH', bigint>) => ({
    energy: unitsForSun(sun.ENERGY, totalsFor(r, 'ENERGY')),
    bandwidth: unitsForSun(sun.BANDWIDTH, totalsFor(r, 'BANDWIDTH')),
  });
  const amounts = (sun: Record<'ENERGY' | 'BANDWIDTH', bigint>) => ({
    energy: trx(sun.ENERGY),
    bandwidth: trx(sun.BANDWIDTH),
  });
  return {
    address,
    energy: {
      limit: r.energyLimit,
      used: r.energyUsed,
      available: Math.max(0, r.energyLimit - r.energyUsed),
    },
    bandwidth: {
      limit: r.netLimit,
      used: r.netUsed,
      available: Math.max(0, r.netLimit - r.netUsed) + Math.max(0, r.freeNetLimit - r.freeNetUsed),
      free_limit: r.freeNetLimit,
      free_used: r.freeNetUsed,
    },
    tron_power: { limit: r.tronPowerLimit, used: r.tronPowerUsed },
    frozen: amounts(account.frozenSun),
    delegated_out: amounts(account.delegatedOutSun),
    delegated_in: amounts(account.acquiredSun),
    delegated_out_units: units(account.delegatedOutSun),
    delegated_in_units: units(account.acquiredSun),
    network: {
      total_energy_limit: r.totalEnergyLimit,
      total_energy_weight: r.totalEnergyWeight,
      total_net_limit: r.totalNetLimit,
      total_net_weight: r.totalNetWeight,
    },
    timestamp: at.toISOString(),
  };
}

/** What a snapshot keeps of a view. */
export function sampleOf(view: Omit<AddressResourcesDto, 'cached'>, at: Date): ResourceSample {
  return {
    t: at.getTime(),
    energy_limit: view.energy.limit,
    energy_available: view.energy.available,
    bandwidth_limit: view.bandwidth.limit + view.bandwidth.free_limit,
    bandwidth_available: view.bandwidth.available,
    tron_power: view.tron_power.limit,
  };
}

export interface HistoryPoint {
  at: string;
  samples: number;
  energy_limit: number;
  energy_available_min: number;
  energy_available_avg: number;
  bandwidth_limit: number;
  bandwidth_available_min: number;
  bandwidth_available_avg: number;
  tron_power: number;
}

/**
 * At most `points` points over [fromMs, toMs): equal time buckets, each empty one left out;
 * a point holds its bucket's lowest and mean availability and the last limits seen.
 */
export function downsample(
  samples: ResourceSample[],
  fromMs: number,
  toMs: number,
  points: number,
): HistoryPoint[] {
  const width = Math.max(1, Math.ceil((toMs - fromMs) / points));
  const buckets = new Map<number, ResourceSample[]>();
  for (const s of samples) {
    if (s.t < fromMs || s.t >= toMs) continue;
    const i = Math.floor((s.t - fromMs) / width);
    const list = buckets.get(i) ?? [];
    list.push(s);
    buckets.set(i, list);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([i, list]) => {
      list.sort((a, b) => a.t - b.t);
      const last = list[list.length - 1]!;
      const avg = (f: (s: ResourceSample) => number) =>
        Math.round(list.reduce((a, s) => a + f(s), 0) / list.length);
      const min = (f: (s: ResourceSample) => number) => Math.min(...list.map(f));
      return {
        at: new Date(fromMs + i * width).toISOString(),
        samples: list.length,
        energy_limit: last.energy_limit,
        energy_available_min: min((s) => s.energy_available),
        energy_available_avg: avg((s) => s.energy_available),
        bandwidth_limit: last.bandwidth_limit,
        bandwidth_available_min: min((s) => s.bandwidth_available),
        bandwidth_available_avg: avg((s) => s.bandwidth_available),
        tron_power: last.tron_power,
      };
    });
}

/**
 * The hysteresis of a low-resource alert: an armed alert fires under the floor; a fired one
 * re-arms only above floor × (1 + margin). A floor of 0, or a resource the address has no
 * limit of at all, is not watched.
 */
export function alertStep(
  state: AlertArm,
  available: number,
  limit: number,
  floor: number,
  marginPercent: number,
): 'fire' | 'recover' | null {
  if (floor <= 0) return null;
  if (state === 'armed') return limit > 0 && available < floor ? 'fire' : null;
  return available >= floor * (1 + marginPercent / 100) ? 'recover' : null;
}
