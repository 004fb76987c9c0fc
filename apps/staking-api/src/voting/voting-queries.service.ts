import { TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { cacheKeys, StakingCache } from '../staking/staking-cache.js';
import type {
  AddressVotesDto,
  WitnessDto,
  WitnessListDto,
  WitnessListQueryDto,
} from './dto/vote-read.dto.js';
import { viewOf } from './vote-answers.js';
import { totalVotes, tronPowerVotes } from './vote-rules.js';
import { VoteObserver } from './vote-observer.js';
import { aprParametersOf, estimateVoterApr, rankWitnesses, standbyVotesOf } from './witness-apr.js';
import { VotingRepository } from './voting.repository.js';

/** The witness list changes at maintenance (votes) and rarely otherwise (brokerage, URL). */
export const WITNESS_LIST_TTL_MS = 60_000;
const WITNESS_LIST_KEY = 'witnesses:ranked';
const HISTORY_SHOWN = 50;

/** GET /votes/{address} and GET /witnesses. */
@Injectable()
export class VotingQueriesService {
  constructor(
    private readonly gateway: TronGateway,
    private readonly repo: VotingRepository,
    private readonly observer: VoteObserver,
    private readonly cache: StakingCache,
  ) {}

  /** The chain's truth plus our history; observes (and records) changes the chain made. */
  async votes(address: string): Promise<AddressVotesDto> {
    const { cached, ...view } = await this.cache.getOrLoad(
      cacheKeys.witnessVotes(address),
      async () => {
        const [account, nextMaintenance] = await Promise.all([
          this.gateway.getAccount(address),
          this.gateway.getNextMaintenanceTime(),
        ]);
        await this.observer.observe(address, account.votes);
        const known = await this.repo.lastKnownVotes(address);
        const history = known
          ? await this.repo.recentHistory(address, known.seq, HISTORY_SHOWN)
          : [];
        const power = tronPowerVotes(account);
        const used = totalVotes(account.votes);
        return {
          address,
          tron_power: power,
          used,
          available: Math.max(0, power - used),
          votes: viewOf(account.votes),
          voting_history: history.map((h) => ({
            kind: h.kind,
            votes: viewOf(h.votes),
            previous_votes: viewOf(h.previous_votes),
            ...(h.operation_id ? { operation_id: h.operation_id } : {}),
            ...(h.txid ? { txid: h.txid } : {}),
            ...(h.block_number ? { block_number: h.block_number } : {}),
            at: new Date(h.at).toISOString(),
          })),
          next_maintenance_at: new Date(nextMaintenance).toISOString(),
        };
      },
    );
    return { ...view, cached };
  }

  async witnesses(query: WitnessListQueryDto): Promise<WitnessListDto> {
    const { cached, ...all } = await this.cache.getOrLoad(
      WITNESS_LIST_KEY,
      () => this.rankedWitnesses(),
      WITNESS_LIST_TTL_MS,
    );
    const order: Record<WitnessListQueryDto['sort'], (a: WitnessDto, b: WitnessDto) => number> = {
      votes: (a, b) => a.rank - b.rank,
      apr: (a, b) => b.estimated_voter_apr - a.estimated_voter_apr || a.rank - b.rank,
      brokerage: (a, b) => a.brokerage - b.brokerage || a.rank - b.rank,
    };
    return {
      ...all,
      witnesses: [...all.witnesses].sort(order[query.sort]).slice(0, query.limit),
      cached,
    };
  }

  /** Every witness with its rank, brokerage and estimated voter APR from the chain parameters. */
  async rankedWitnesses(): Promise<Omit<WitnessListDto, 'cached'>> {
    const [list, params] = await Promise.all([
      this.gateway.listWitnesses(),
      this.gateway.getChainParameters(),
    ]);
    const ranked = rankWitnesses(list);
    const brokerages = await Promise.all(ranked.map((w) => this.gateway.getBrokerage(w.address)));
    const p = aprParametersOf(params.raw);
    const standby = standbyVotesOf(ranked);
    return {
      witnesses: ranked.map((w, i) => ({
        rank: w.rank,
        address: w.address,
        url: w.url,
        total_votes: w.voteCount,
        brokerage: brokerages[i]!,
        produced_blocks: w.totalProduced,
        missed_blocks: w.totalMissed,
        is_active: w.isActive,
        estimated_voter_apr: round4(estimateVoterApr(w, brokerages[i]!, standby, p)),
      })),
      total_count: ranked.length,
      parameters: {
        witness_pay_per_block_sun: p.payPerBlockSun,
        witness_127_pay_per_block_sun: p.standbyPayPerBlockSun,
        block_interval_ms: p.blockIntervalMs,
        maintenance_interval_ms: p.maintenanceIntervalMs,
      },
      timestamp: new Date().toISOString(),
    };
  }
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
