import { ErrorCode, SecurityPolicy, StakingException, sunToTrx, trxToSun } from '@app/common';
import { toBase58Address, TransactionSigner } from '@app/tron';
import { Injectable, Optional } from '@nestjs/common';
import { randomBytes, randomInt } from 'node:crypto';
import { WriteGates } from '../../operations/approval-gate.js';
import { WriteCompliance } from '../../operations/write-compliance.js';
import type { WriteContext } from '../../operations/write-context.js';
import type {
  CreateEnergyPolicyDto,
  EnergyPolicyDto,
  EnergyPolicyListDto,
  UpdateEnergyPolicyDto,
} from '../dto/energy-policy.dto.js';
import {
  EnergyPoliciesRepository,
  policyKey,
  type EnergyPolicy,
  type PolicySettings,
} from './energy-policies.repository.js';

const iso = (d?: Date) => (d ? new Date(d).toISOString() : undefined);

/** CRUD of energy top-up policies; the job (energy-policy.job.ts) applies them. */
@Injectable()
export class EnergyPoliciesService {
  constructor(
    private readonly repo: EnergyPoliciesRepository,
    private readonly signer: TransactionSigner,
    private readonly policy: SecurityPolicy,
    private readonly gates: WriteGates,
    @Optional() private readonly compliance?: WriteCompliance,
  ) {}

  async create(dto: CreateEnergyPolicyDto, ctx: WriteContext): Promise<EnergyPolicyDto> {
    const actor = ctx.actor;
    const pool = toBase58Address(dto.pool_address);
    const receiver = toBase58Address(dto.receiver_address);
    if (pool === receiver)
      throw new StakingException(
        ErrorCode.ENERGY_POLICY_INVALID,
        'The pool cannot be the receiver.',
      );
    const settings = this.settings(dto);
    // The job signs for the pool: it must be a managed account.
    if (!(await this.signer.holdsKeyFor(pool)))
      throw new StakingException(ErrorCode.ACCOUNT_NOT_MANAGED, undefined, { address: pool });
    // The receiver is a payee of every top-up to come: screened now like a delegation's (S132).
    await this.compliance?.screenParties({
      owner: pool,
      kind: 'energy_policy',
      addresses: [pool, receiver],
      ctx,
    });
    // The pool's allow-list: a policy to a receiver not (yet) allowed would only fail every
    // tick. Each top-up is checked again in the pipeline (the entry may be removed later).
    await this.gates.receivers?.assertAllowed(pool, receiver);
    const key = policyKey(pool, receiver, dto.resource);
    const id = randomBytes(16).toString('hex');
    const inserted = await this.repo.insert({
      policy_id: id,
      key,
      pool_address: pool,
      receiver_address: receiver,
      resource: dto.resource,
      ...settings,
      bucket: randomInt(this.policy.energyPolicyJob.buckets),
      state: { actions: 0 },
      created_by: { ...actor },
    });
    if (!inserted) {
      const existing = await this.repo.findByKey(key);
      throw new StakingException(ErrorCode.ENERGY_POLICY_EXISTS, undefined, {
        policy_id: existing?.policy_id,
      });
    }
    return toDto((await this.repo.findById(id))!);
  }

  async list(pool?: string): Promise<EnergyPolicyListDto> {
    const policies = (await this.repo.list(pool && toBase58Address(pool))).map(toDto);
    return { policies, count: policies.length };
  }

  async get(id: string): Promise<EnergyPolicyDto> {
    return toDto(await this.found(id));
  }

  async update(id: string, dto: UpdateEnergyPolicyDto): Promise<EnergyPolicyDto> {
    const current = await this.found(id);
    const merged = this.settings({
      min_available: dto.min_available ?? current.min_available,
      target_available: dto.target_available ?? current.target_available,
      max_delegated_trx: dto.max_delegated_trx ?? sunToTrx(BigInt(current.max_delegated_sun)),
      lock_period: dto.lock_period ?? current.lock_period,
      reclaim_idle_hours: dto.reclaim_idle_hours ?? current.reclaim_idle_hours,
      enabled: dto.enabled ?? current.enabled,
    });
    // An operator's change wakes a policy an idle reclaim put to sleep.
    const updated = await this.repo.update(id, merged, true);
    if (!updated) throw notFound(id);
    return toDto(updated);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.repo.delete(id))) throw notFound(id);
  }

  private settings(dto: {
    min_available: number;
    target_available: number;
    max_delegated_trx: number | string;
    lock_period?: number;
    reclaim_idle_hours?: number;
    enabled: boolean;
  }): PolicySettings {
    if (dto.min_available > dto.target_available)
      throw new StakingException(
        ErrorCode.ENERGY_POLICY_INVALID,
        'min_available must not exceed target_available.',
        { min_available: dto.min_available, target_available: dto.target_available },
      );
    const maxSun = trxToSun(dto.max_delegated_trx);
    const { minSun } = this.policy.delegationLimits;
    if (maxSun < minSun || maxSun > BigInt(Number.MAX_SAFE_INTEGER))
      throw new StakingException(
        ErrorCode.ENERGY_POLICY_INVALID,
        `max_delegated_trx must be at least ${sunToTrx(minSun)} TRX.`,
      );
    return {
      min_available: dto.min_available,
      target_available: dto.target_available,
      max_delegated_sun: Number(maxSun),
      lock_period: dto.lock_period ?? 0,
      ...(dto.reclaim_idle_hours === undefined
        ? {}
        : { reclaim_idle_hours: dto.reclaim_idle_hours }),
      enabled: dto.enabled,
    };
  }

  private async found(id: string): Promise<EnergyPolicy> {
    const p = await this.repo.findById(id);
    if (!p) throw notFound(id);
    return p;
  }
}

const notFound = (id: string) =>
  new StakingException(ErrorCode.ENERGY_POLICY_NOT_FOUND, undefined, { policy_id: id });

export function toDto(p: EnergyPolicy): EnergyPolicyDto {
  return {
    id: p.policy_id,
    pool_address: p.pool_address,
    receiver_address: p.receiver_address,
    resource: p.resource,
    min_available: p.min_available,
    target_available: p.target_available,
    max_delegated_trx: sunToTrx(BigInt(p.max_delegated_sun)),
    lock_period: p.lock_period,
    ...(p.reclaim_idle_hours === undefined ? {} : { reclaim_idle_hours: p.reclaim_idle_hours }),
    enabled: p.enabled,
    state: {
      ...(p.state.pending_operation_id
        ? { pending_operation_id: p.state.pending_operation_id }
        : {}),
      actions: p.state.actions,
      ...(p.state.last_activity_at ? { last_activity_at: iso(p.state.last_activity_at) } : {}),
      dormant: p.state.dormant ?? false,
      ...(p.state.pool_dry_since ? { pool_dry_since: iso(p.state.pool_dry_since) } : {}),
      ...(p.state.last_outcome ? { last_outcome: p.state.last_outcome } : {}),
      ...(p.state.last_checked_at ? { last_checked_at: iso(p.state.last_checked_at) } : {}),
    },
    created_at: new Date(p.created_at).toISOString(),
    updated_at: new Date(p.updated_at).toISOString(),
  };
}
