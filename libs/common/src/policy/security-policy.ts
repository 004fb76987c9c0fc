import { trxToSun, type Sun } from '../money/sun.js';
import type { Permission, Role, SecurityPolicyFile } from './security-policy.schema.js';

export interface RoleLimits {
  maxOperationSun: Sun | null;
  dailyLimitSun: Sun | null;
  /** The role's own per-minute rate limit; null when the policy sets none. */
  ratePerMinute: number | null;
}

/** The loaded security policy, with TRX figures converted to SUN once. */
export class SecurityPolicy {
  constructor(readonly file: SecurityPolicyFile) {}

  permissionsOf(role: Role): ReadonlySet<Permission | '*'> {
    return new Set(this.file.rbac.roles[role].permissions);
  }

  allows(role: Role, permission: Permission): boolean {
    const granted = this.permissionsOf(role);
    return granted.has('*') || granted.has(permission);
  }

  roleLimits(role: Role): RoleLimits {
    const r = this.file.rbac.roles[role];
    return {
      maxOperationSun: r.max_operation_trx === null ? null : trxToSun(r.max_operation_trx),
      dailyLimitSun: r.daily_limit_trx === null ? null : trxToSun(r.daily_limit_trx),
      ratePerMinute: r.rate_limit_per_minute ?? null,
    };
  }

  get stakingLimits(): { minSun: Sun; maxSun: Sun; minDays: number; maxDays: number } {
    const l = this.file.transaction_limits;
    return {
      minSun: trxToSun(l.staking.min_trx),
      maxSun: trxToSun(l.staking.max_trx),
      minDays: l.duration_days.min,
      maxDays: l.duration_days.max,
    };
  }

  get delegationLimits(): { minSun: Sun; maxSun: Sun } {
    const l = this.file.transaction_limits.delegation;
    return { minSun: trxToSun(l.min_trx), maxSun: trxToSun(l.max_trx) };
  }

  /** Claim-policy bounds and the length of the claim history kept per address. */
  get rewardsPolicy(): {
    minRewardSun: Sun;
    maxRewardSun: Sun;
    jobBatch: number;
    historySize: number;
  } {
    const r = this.file.rewards;
    return {
      minRewardSun: trxToSun(r.claim_policy.min_reward_trx.min),
      maxRewardSun: trxToSun(r.claim_policy.min_reward_trx.max),
      jobBatch: r.claim_policy.job_batch,
      historySize: r.history_size,
    };
  }

  get energyPolicyJob(): {
    buckets: number;
    maxPoliciesPerTick: number;
    nodeRequestsPerTick: number;
  } {
    const e = this.file.energy_policies;
    return {
      buckets: e.buckets,
      maxPoliciesPerTick: e.max_policies_per_tick,
      nodeRequestsPerTick: e.node_requests_per_tick,
    };
  }

  /** Retentions and webhook delivery settings of the operations-at-scale jobs. */
  get operationsPolicy(): SecurityPolicyFile['operations'] {
    return this.file.operations;
  }

  /** The resource refresh job, snapshots and low-resource alert floors. */
  get resourcesPolicy(): SecurityPolicyFile['resources'] {
    return this.file.resources;
  }

  get maskedFields(): readonly string[] {
    return this.file.audit.masked_fields;
  }
}
