import { z } from 'zod';

const trx = z.number().min(0);
const nullableTrx = trx.nullable();
const positiveInt = z.number().int().positive();

export const PERMISSIONS = [
  'staking:read',
  'staking:write',
  'voting:write',
  'delegation:write',
  'energy_policies:manage',
  'rewards:claim',
  'accounts:read',
  'accounts:write',
  'operations:read',
  'operations:sign',
  'approvals:read',
  'approvals:decide',
  'compliance:read',
  'compliance:write',
  'audit:read',
  'audit:export',
  'users:manage',
  'api-keys:manage',
  'system:read',
  'webhooks:manage',
  'resources:watch',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
export const ROLES = ['admin', 'manager', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const role = z.object({
  description: z.string(),
  permissions: z.array(z.union([z.literal('*'), z.enum(PERMISSIONS)])).min(1),
  max_operation_trx: nullableTrx,
  daily_limit_trx: nullableTrx,
  // Optional: a role without one gets rate_limiting.per_user.
  rate_limit_per_minute: positiveInt.optional(),
});

const approvalRule = z.object({
  operations: z
    .array(
      z.enum([
        'stake',
        'freeze',
        'unstake',
        'unfreeze',
        'vote',
        'delegate',
        'undelegate',
        'claim_reward',
      ]),
    )
    .min(1),
  threshold_trx: trx.optional(),
  threshold_votes: positiveInt.optional(),
  required_approvals: positiveInt,
  timeout_hours: positiveInt,
});

const kycLevel = z.object({ max_operation_trx: nullableTrx, daily_limit_trx: nullableTrx });

export const securityPolicySchema = z.object({
  version: z.literal(1),
  rbac: z.object({ roles: z.object({ admin: role, manager: role, operator: role, viewer: role }) }),
  authentication: z.object({
    jwt: z.object({
      algorithm: z.literal('HS256'),
      access_token_ttl_seconds: positiveInt,
      refresh_token_ttl_seconds: positiveInt,
      secret_rotation_days: positiveInt,
      issuer: z.string().min(1),
      audience: z.string().min(1),
    }),
    password: z.object({
      min_length: z.number().int().min(8),
      hash: z.literal('scrypt'),
      scrypt: z.object({
        cost: positiveInt,
        block_size: positiveInt,
        parallelization: positiveInt,
        key_length: positiveInt,
      }),
    }),
    lockout: z.object({
      max_failed_attempts: positiveInt,
      window_minutes: positiveInt,
      lockout_minutes: positiveInt,
    }),
    api_keys: z.object({
      header: z.string().min(1),
      prefix: z.string().min(1),
      max_lifetime_days: positiveInt,
    }),
  }),
  encryption: z.object({
    algorithm: z.literal('AES-256-GCM'),
    key_derivation: z.object({
      function: z.literal('PBKDF2'),
      hash: z.literal('SHA-256'),
      iterations: z.number().int().min(100_000),
      key_length_bytes: z.literal(32),
      salt_bytes: z.number().int().min(16),
    }),
    iv_bytes: z.literal(12),
    hash_algorithm: z.literal('SHA-256'),
  }),
  api_security: z.object({
    headers: z.array(z.string()),
    max_body_bytes: positiveInt,
    idempotency_key_ttl_hours: positiveInt,
  }),
  approval_workflows: z.object({
    enabled: z.boolean(),
    rules: z.record(z.string(), approvalRule),
    expiry_batch: positiveInt.default(500),
  }),
  allow_lists: z
    .object({
      cooling_off_hours: z.number().min(0),
      max_receivers_per_account: positiveInt,
      // Additions and removals by a role not listed in exempt_roles wait for approvers (the
      // approval machinery of writes: 202 pending_approval, approve applies the change).
      change_approval: z
        .object({
          exempt_roles: z.array(z.string()),
          required_approvals: positiveInt,
          timeout_hours: positiveInt,
        })
        .default({ exempt_roles: ['admin'], required_approvals: 1, timeout_hours: 24 }),
    })
    .default({
      cooling_off_hours: 48,
      max_receivers_per_account: 200,
      change_approval: { exempt_roles: ['admin'], required_approvals: 1, timeout_hours: 24 },
    }),
  aml_kyc: z.object({
    kyc: z.object({
      enabled: z.boolean(),
      required_for_writes: z.boolean(),
      levels: z.object({ basic: kycLevel, intermediate: kycLevel, advanced: kycLevel }),
    }),
    sanctions: z.object({
      enabled: z.boolean(),
      sources: z.array(z.string()).min(1),
      refresh_interval_hours: positiveInt,
      block_on_match: z.boolean(),
      name_match_threshold: z.number().gt(0).max(1),
      min_refresh_ratio: z.number().min(0).max(1),
    }),
    pep: z.object({
      enabled: z.boolean(),
      review_interval_days: positiveInt,
      on_match: z.enum(['approval', 'block']),
    }),
    risk_scoring: z
      .object({
        high_threshold: z.number().min(0).max(100),
        medium_threshold: z.number().min(0).max(100),
        block_at_or_above: z.enum(['high', 'medium']),
        approval_at_or_above: z.enum(['high', 'medium']),
        high_risk_countries: z.array(z.string().regex(/^[A-Z]{2}$/)),
        weights: z.object({
          kyc_none: z.number().min(0),
          kyc_basic: z.number().min(0),
          kyc_intermediate: z.number().min(0),
          kyc_advanced: z.number().min(0),
          pep_match: z.number().min(0),
          high_risk_country: z.number().min(0),
          velocity_near_limit: z.number().min(0),
          large_amount: z.number().min(0),
          new_counterparty: z.number().min(0),
        }),
      })
      .refine(
        (r) => r.medium_threshold < r.high_threshold,
        'medium_threshold must be below high_threshold',
      ),
  }),
  transaction_monitoring: z.object({
    enabled: z.boolean(),
    velocity: z.object({ per_minute: positiveInt, per_hour: positiveInt, per_day: positiveInt }),
    velocity_trx: z.object({
      per_minute: trx,
      per_hour: trx,
      per_day: trx,
      on_breach: z.enum(['block', 'approval']),
    }),
    amount: z.object({ single_transaction_alert_trx: trx, daily_total_alert_trx: trx }),
    patterns: z.object({
      new_receivers: z.object({
        max_per_hour: positiveInt,
        on_breach: z.enum(['block', 'approval']),
      }),
      rapid_stake_unstake: z.object({
        within_minutes: positiveInt,
        on_breach: z.enum(['block', 'approval']),
      }),
      structuring: z.object({
        window_minutes: positiveInt,
        count: positiveInt,
        near_threshold_ratio: z.number().gt(0).lt(1),
        on_breach: z.enum(['block', 'approval']),
      }),
    }),
  }),
  transaction_limits: z.object({
    staking: z
      .object({ min_trx: trx, max_trx: trx })
      .refine((l) => l.min_trx <= l.max_trx, 'min_trx must not exceed max_trx'),
    duration_days: z
      .object({ min: positiveInt, max: positiveInt })
      .refine((l) => l.min <= l.max, 'min must not exceed max'),
    delegation: z
      .object({ min_trx: trx, max_trx: trx })
      .refine((l) => l.min_trx <= l.max_trx, 'min_trx must not exceed max_trx'),
    voting: z.object({ min_votes: positiveInt, max_witnesses: positiveInt }),
  }),
  rate_limiting: z.object({
    enabled: z.boolean(),
    global: z.object({ per_second: positiveInt, per_minute: positiveInt }),
    per_ip: z.object({ per_second: positiveInt, per_minute: positiveInt }),
    per_user: z.object({ per_second: positiveInt, per_minute: positiveInt }),
    per_endpoint: z.array(
      z.object({ path: z.string().startsWith('/'), method: z.string(), per_minute: positiveInt }),
    ),
    exempt_paths: z.array(z.string().startsWith('/')),
    when_redis_unavailable: z.enum(['allow', 'refuse']),
  }),
  audit: z.object({
    enabled: z.boolean(),
    level: z.string(),
    mask_sensitive_fields: z.boolean(),
    masked_fields: z.array(z.string().min(1)).min(1),
    retention_days: positiveInt,
    archive_before_delete: z.boolean(),
    events: z.array(z.string()),
  }),
  incident_response: z.object({
    alert_channels: z.array(z.enum(['email', 'slack', 'webhook'])),
    incidents: z.record(
      z.string(),
      z.object({
        threshold: positiveInt.optional(),
        window_minutes: positiveInt.optional(),
        severity: z.enum(['low', 'medium', 'high', 'critical']),
      }),
    ),
    escalation: z.array(
      z.object({
        level: positiveInt,
        after_minutes: z.number().int().min(0),
        notify: z.array(z.enum(['email', 'slack', 'webhook'])),
      }),
    ),
    alert_retry_delays_seconds: z.array(z.number().int().min(1)).min(1),
  }),
  compliance: z.object({ standards: z.array(z.string()) }),
  rewards: z.object({
    claim_policy: z
      .object({
        min_reward_trx: z.object({ min: trx, max: trx }),
        job_batch: positiveInt,
      })
      .refine((p) => p.min_reward_trx.min <= p.min_reward_trx.max, 'min must not exceed max'),
    history_size: positiveInt,
  }),
  // The energy top-up job's budget per tick (see energy-policy.job.ts).
  energy_policies: z
    .object({
      buckets: positiveInt.max(1000),
      max_policies_per_tick: positiveInt,
      node_requests_per_tick: positiveInt,
    })
    .default({ buckets: 8, max_policies_per_tick: 100, node_requests_per_tick: 240 }),
  // Resource monitoring (apps/staking-api/src/resources): the refresh job and low-resource alerts.
  resources: z.object({
    refresh: z.object({
      interval_seconds: positiveInt,
      slots: positiveInt.max(10_000),
      batch: positiveInt.max(5_000),
      concurrency: positiveInt.max(64),
      budget_share: z.number().gt(0).max(1),
      cache_ttl_seconds: positiveInt,
    }),
    max_watched: positiveInt,
    snapshots: z.object({
      retention_days: positiveInt.max(366),
      max_samples_per_day: positiveInt.max(10_000),
      history_points: z.object({ '24h': positiveInt.max(1_000), '7d': positiveInt.max(1_000) }),
    }),
    low_resource: z.object({
      energy_floor: z.number().int().min(0),
      bandwidth_floor: z.number().int().min(0),
      recovery_margin_percent: z.number().min(0).max(1_000),
      resolve_on_recovery: z.boolean().default(true),
    }),
  }),
  operations: z.object({
    maintenance: z.object({
      windows: z.array(
        z
          .object({
            start: z.string().datetime({ offset: true }),
            end: z.string().datetime({ offset: true }),
            reason: z.string().min(1).max(200),
          })
          .refine((w) => Date.parse(w.start) < Date.parse(w.end), 'start must be before end'),
      ),
      // Write paths that stay open during a window (sign-in must work for reads to work).
      open_write_paths: z.array(z.string().startsWith('/')),
    }),
    backup: z.object({ interval_hours: positiveInt, keep: positiveInt }),
    stuck_operations: z.object({ after_minutes: positiveInt, job_batch: positiveInt }),
    retention: z.object({
      job_runs_days: positiveInt,
      webhook_deliveries_days: positiveInt,
      operation_details_days: positiveInt,
      ended_approvals_days: positiveInt,
      // Records the operations-cleanup job changes or deletes per tick (each by its _id).
      cleanup_batch: positiveInt.max(10_000),
    }),
    webhooks: z
      .object({
        max_subscriptions: positiveInt,
        max_attempts: positiveInt,
        backoff_base_seconds: positiveInt,
        backoff_max_seconds: positiveInt,
        timeout_ms: positiveInt,
        replay_window_seconds: positiveInt,
        batch: positiveInt,
        concurrency: positiveInt,
        due_buckets_per_tick: positiveInt.max(10_000),
      })
      .refine(
        (w) => w.backoff_base_seconds <= w.backoff_max_seconds,
        'backoff_base_seconds must not exceed backoff_max_seconds',
      ),
  }),
});

export type SecurityPolicyFile = z.infer<typeof securityPolicySchema>;
