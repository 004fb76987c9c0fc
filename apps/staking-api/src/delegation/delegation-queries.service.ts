import { sunToTrx } from '@app/common';
import { TronGateway, type ChainDelegation, type Resource } from '@app/tron';
import { Injectable } from '@nestjs/common';
import type {
  ChainDelegationDto,
  DelegationRecordDto,
  DelegationsViewDto,
} from './dto/delegation-read.dto.js';
import { pairPosition, totalsFor, unitsForSun, type NetworkTotals } from './resource-math.js';
import {
  pairKey,
  ResourceDelegationsRepository,
  type ResourceDelegation,
} from './resource-delegations.repository.js';

// One getdelegatedresourcev2 per counterpart: this many per direction keeps one view well
// inside the node request budget (TRON_MAX_REQUESTS_PER_SECOND).
export const MAX_COUNTERPARTS = 25;
const RESOURCES: Resource[] = ['ENERGY', 'BANDWIDTH'];
const trx = (sun: bigint | number) => sunToTrx(BigInt(sun));
const iso = (d?: Date | number | null) => (d ? new Date(d).toISOString() : null);

/**
 * GET /delegations/{address}: the chain's delegations both ways (account index, then
 * getdelegatedresourcev2 per counterpart) joined with our records. The chain is the truth:
 * where our records account for another amount, the entry and the records say so.
 */
@Injectable()
export class DelegationQueriesService {
  constructor(
    private readonly gateway: TronGateway,
    private readonly records: ResourceDelegationsRepository,
  ) {}

  async view(address: string): Promise<DelegationsViewDto> {
    const [index, head, resources, outRecords, inRecords] = await Promise.all([
      this.gateway.getDelegationIndex(address),
      this.gateway.getLatestBlock(),
      this.gateway.getAccountResources(address),
      this.records.fromAddress(address),
      this.records.toAddress(address),
    ]);
    const to = index.toAccounts.slice(0, MAX_COUNTERPARTS);
    const from = index.fromAccounts.slice(0, MAX_COUNTERPARTS);
    const [outgoing, incoming] = await Promise.all([
      Promise.all(to.map((r) => this.gateway.getDelegatedResources(address, r))),
      Promise.all(from.map((o) => this.gateway.getDelegatedResources(o, address))),
    ]);
    const records = [...outRecords, ...inRecords.filter((r) => r.from_address !== address)];
    const recorded = recordedByPair(records);
    const chainByPair = new Map<string, bigint>();
    const lockByPair = new Map<string, number>();
    const entries = (pairs: [string, string, ChainDelegation[]][]): ChainDelegationDto[] =>
      pairs.flatMap(([f, t, list]) =>
        RESOURCES.flatMap((resource) => {
          const p = pairPosition(list, resource, head.timestamp);
          if (p.totalSun === 0n) return [];
          const key = pairKey(f, t, resource);
          chainByPair.set(key, p.totalSun);
          if (p.lockedSun > 0n) lockByPair.set(key, p.lockEndsAt);
          const ours = recorded.get(key) ?? 0n;
          const totals: NetworkTotals = totalsFor(resources, resource);
          return [
            {
              from_address: f,
              to_address: t,
              resource,
              amount: trx(p.totalSun),
              unlocked_amount: trx(p.unlockedSun),
              locked_amount: trx(p.lockedSun),
              lock_expires_at: p.lockedSun > 0n ? iso(p.lockEndsAt) : null,
              resource_units: unitsForSun(p.totalSun, totals),
              recorded_amount: trx(ours),
              matches_records: ours === p.totalSun,
            },
          ];
        }),
      );
    const out = entries(to.map((r, i) => [address, r, outgoing[i]!]));
    const inc = entries(from.map((o, i) => [o, address, incoming[i]!]));
    return {
      address,
      outgoing: out,
      incoming: inc,
      records: records.map((r) => recordDto(r, chainByPair, recorded, lockByPair)),
      truncated:
        index.toAccounts.length > MAX_COUNTERPARTS || index.fromAccounts.length > MAX_COUNTERPARTS,
      chain_time: new Date(head.timestamp).toISOString(),
      timestamp: new Date().toISOString(),
    };
  }
}

/** SUN our settled records say is delegated, per pair. */
function recordedByPair(records: ResourceDelegation[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const r of records)
    if (r.status === 'active') out.set(r.pair, (out.get(r.pair) ?? 0n) + BigInt(r.remaining_sun));
  return out;
}

function recordDto(
  r: ResourceDelegation,
  chain: Map<string, bigint>,
  recorded: Map<string, bigint>,
  locks: Map<string, number>,
): DelegationRecordDto {
  // A later lock to the same receiver moves the whole locked part's end: the chain's end wins.
  const lockEnd = r.locked && r.status === 'active' ? locks.get(r.pair) : undefined;
  const onChain = chain.get(r.pair) ?? 0n;
  const status =
    r.status === 'pending'
      ? 'not_final'
      : r.status !== 'active'
        ? 'matches_chain'
        : onChain === 0n
          ? 'not_on_chain'
          : onChain === recorded.get(r.pair)
            ? 'matches_chain'
            : 'chain_differs';
  return {
    id: r.delegation_id,
    from_address: r.from_address,
    to_address: r.to_address,
    resource_type: r.resource,
    amount: trx(r.amount_sun),
    remaining_amount: trx(r.remaining_sun),
    locked: r.locked,
    status: r.status,
    created_at: new Date(r.created_at).toISOString(),
    expires_at: iso(lockEnd ?? r.expires_at),
    operation_id: r.operation_id,
    ...(r.transaction_hash ? { transaction_hash: r.transaction_hash } : {}),
    ...(r.policy_id ? { policy_id: r.policy_id } : {}),
    chain_status: status,
    chain_amount: trx(onChain),
  };
}
