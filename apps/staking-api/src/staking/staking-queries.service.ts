import { ErrorCode, StakingException, sunToTrx } from '@app/common';
import { TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import type { AddressStakingStatusDto } from './dto/address-views.dto.js';
import type {
  StakingHistoryQueryDto,
  StakingHistoryResponseDto,
  StakingListQueryDto,
  StakingListResponseDto,
  StakingRecordDto,
  StakingStatsResponseDto,
  StakingStatus,
} from './dto/staking-read.dto.js';
import { STAKING_STATUSES } from './dto/staking-read.dto.js';
import { cacheKeys, StakingCache } from './staking-cache.js';
import { STAKED_STATUSES, StakingRecordsRepository } from './staking-records.repository.js';
import { toStakingDto } from './staking-view.js';
import { totalsFor, unitsForSun } from '../delegation/resource-math.js';
import type { ChainAccount, ChainResources } from '@app/tron';

const DEFAULT_HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;
// Chain views change every block (3 s); a short TTL keeps reads cheap without going stale.
const CHAIN_VIEW_TTL_MS = 3_000;
const trx = (sun: bigint | number) => sunToTrx(BigInt(sun));

@Injectable()
export class StakingQueriesService {
  constructor(
    private readonly records: StakingRecordsRepository,
    private readonly gateway: TronGateway,
    private readonly cache: StakingCache,
  ) {}

  async list(q: StakingListQueryDto): Promise<StakingListResponseDto> {
    const { items, total, activeCount, stakedSun } = await this.records.list(
      { address: q.address, status: q.status, resource: q.resource },
      q.skip,
      q.limit,
    );
    return {
      stakings: items.map(toStakingDto),
      total_count: total,
      active_count: activeCount,
      total_staked_trx: trx(stakedSun),
      skip: q.skip,
      limit: q.limit,
      timestamp: new Date().toISOString(),
    };
  }

  async get(stakingId: string): Promise<StakingRecordDto> {
    const record = await this.records.findById(stakingId);
    if (!record)
      throw new StakingException(ErrorCode.STAKING_NOT_FOUND, undefined, { staking_id: stakingId });
    return toStakingDto(record);
  }

  async stats(): Promise<StakingStatsResponseDto> {
    const { cached: _cached, ...stats } = await this.cache.getOrLoad(
      cacheKeys.globalStats,
      () => this.computeStats(),
      CHAIN_VIEW_TTL_MS,
    );
    return stats;
  }

  async history(q: StakingHistoryQueryDto): Promise<StakingHistoryResponseDto> {
    const end = q.end_date ? new Date(q.end_date) : new Date();
    const start = q.start_date
      ? new Date(q.start_date)
      : new Date(end.getTime() - DEFAULT_HISTORY_DAYS * DAY_MS);
    if (start > end)
      throw new StakingException(
        ErrorCode.INVALID_DATE_RANGE,
        'start_date must not be after end_date',
        { start_date: start.toISOString(), end_date: end.toISOString() },
      );
    const { items, total } = await this.records.list(
      {
        address: q.address,
        status: q.status,
        resource: q.resource,
        createdFrom: start,
        createdTo: end,
      },
      q.skip,
      q.limit,
    );
    return {
      stakings: items.map(toStakingDto),
      total_count: total,
      start_date: start.toISOString(),
      end_date: end.toISOString(),
      timestamp: new Date().toISOString(),
    };
  }

  status(address: string): Promise<AddressStakingStatusDto> {
    return this.cache.getOrLoad(
      cacheKeys.stakingStats(address),
      () => this.loadStatus(address),
      CHAIN_VIEW_TTL_MS,
    );
  }

  private async computeStats(): Promise<StakingStatsResponseDto> {
    const { byStatus: rows, stakedByResource } = await this.records.totals();
    const byStatus = Object.fromEntries(STAKING_STATUSES.map((s) => [s, 0])) as Record<
      StakingStatus,
      number
    >;
    let staked = 0n;
    let rewards = 0n;
    for (const row of rows) {
      byStatus[row.status as StakingStatus] = row.count;
      rewards += BigInt(row.rewards_sun);
      if (STAKED_STATUSES.includes(row.status as StakingStatus)) staked += BigInt(row.amount_sun);
    }
    const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
    const stakedCount = STAKED_STATUSES.reduce((a, s) => a + byStatus[s], 0);
    return {
      total_staking_records: total,
      active_staking_records: byStatus.active,
      inactive_staking_records: total - stakedCount,
      total_staked_trx: trx(staked),
      total_bandwidth_resources: trx(stakedByResource.BANDWIDTH ?? 0),
      total_energy_resources: trx(stakedByResource.ENERGY ?? 0),
      total_rewards_earned: trx(rewards),
      by_status: byStatus,
      timestamp: new Date().toISOString(),
    };
  }

  private async loadStatus(address: string): Promise<AddressStakingStatusDto> {
    const [account, resources, head, reward, totals] = await Promise.all([
      this.gateway.getAccount(address),
      this.gateway.getAccountResources(address),
      this.gateway.getLatestBlock(),
      this.gateway.getReward(address),
      this.records.totals(address),
    ]);
    const unfreezing = account.unfreezing.map((u) => ({
      resource: u.resource,
      amount: trx(u.amountSun),
      available_at: new Date(u.expireAt).toISOString(),
      withdrawable: u.expireAt <= head.timestamp,
    }));
    const withdrawable = account.unfreezing
      .filter((u) => u.expireAt <= head.timestamp)
      .reduce((a, u) => a + u.amountSun, 0n);
    const pending = account.unfreezing.filter((u) => u.expireAt > head.timestamp).length;
    const active = totals.byStatus.find((r) => r.status === 'active')?.count ?? 0;
    const stakedSun = totals.byStatus
      .filter((r) => STAKED_STATUSES.includes(r.status as StakingStatus))
      .reduce((a, r) => a + BigInt(r.amount_sun), 0n);
    return {
      address,
      activated: account.exists,
      balance: trx(account.balanceSun),
      frozen: {
        energy: trx(account.frozenSun.ENERGY),
        bandwidth: trx(account.frozenSun.BANDWIDTH),
      },
      delegated_out: {
        energy: trx(account.delegatedOutSun.ENERGY),
        bandwidth: trx(account.delegatedOutSun.BANDWIDTH),
      },
      delegated_in: {
        energy: trx(account.acquiredSun.ENERGY),
        bandwidth: trx(account.acquiredSun.BANDWIDTH),
      },
      ...delegatedUnits(account, resources),
      unfreezing,
      withdrawable_now: trx(withdrawable),
      unfreeze_slots_left: Math.max(0, 32 - pending),
      tron_power: resources.tronPowerLimit,
      tron_power_used: resources.tronPowerUsed,
      votes: account.votes.map((v) => ({ witness_address: v.witness, vote_count: v.count })),
      unclaimed_reward: trx(reward),
      records: { active, total_staked_trx: trx(stakedSun) },
      chain_time: new Date(head.timestamp).toISOString(),
      timestamp: new Date().toISOString(),
    };
  }
}

/** Energy and bandwidth the delegated stake yields at the chain's current totals. */
function delegatedUnits(a: ChainAccount, r: ChainResources) {
  const units = (sun: Record<'ENERGY' | 'BANDWIDTH', bigint>) => ({
    energy: unitsForSun(sun.ENERGY, totalsFor(r, 'ENERGY')),
    bandwidth: unitsForSun(sun.BANDWIDTH, totalsFor(r, 'BANDWIDTH')),
  });
  return {
    delegated_out_units: units(a.delegatedOutSun),
    delegated_in_units: units(a.acquiredSun),
  };
}
