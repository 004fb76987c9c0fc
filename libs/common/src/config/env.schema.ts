import { isIP } from 'node:net';
import { z } from 'zod';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL with protocol ${protocols.join(' or ')}`,
  );

/** Off, a number of proxy hops in front of the service, or the proxies' addresses/CIDRs. */
export type TrustProxy = false | number | string[];

const MAX_PROXY_HOPS = 32;

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `false`/`0`/empty (off), a hop count, or comma-separated trusted proxy addresses/CIDRs. `true`
 * is refused: it would take X-Forwarded-For from any peer, so every client could pick the address
 * that rate limits and the audit trail see. Problems never repeat the value.
 */
export function parseTrustProxy(
  raw: string,
): { ok: true; value: TrustProxy } | { ok: false; problem: string } {
  const value = raw.trim();
  if (value === '' || value.toLowerCase() === 'false') return { ok: true, value: false };
  if (value.toLowerCase() === 'true')
    return {
      ok: false,
      problem:
        "true is not accepted: it would trust X-Forwarded-For from any client, which could then choose the address rate limits and the audit see. Set the number of proxy hops in front of the service (e.g. 1), or the proxies' addresses/CIDRs (e.g. 10.0.0.0/8,192.168.1.10); false or 0 turns it off",
    };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_PROXY_HOPS)
      return { ok: false, problem: `a hop count must be between 0 and ${MAX_PROXY_HOPS}` };
    return { ok: true, value: hops === 0 ? false : hops };
  }
  const entries = value.split(',').map((s) => s.trim());
  const bad = entries.flatMap((entry, i) => (isAddressOrCidr(entry) ? [] : [i + 1]));
  if (bad.length)
    return {
      ok: false,
      problem: `must be false, a hop count (0 = off) or comma-separated IP addresses/CIDRs of the trusted proxies; entr${bad.length === 1 ? 'y' : 'ies'} ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not an IP address or CIDR`,
    };
  return { ok: true, value: entries };
}

/**
 * Every environment variable the service reads. `.env.example` documents each one; the e2e
 * suite checks that the two stay in step. Variables listed in SENSITIVE_ENV_KEYS never reach logs.
 */
export const envSchema = z.object({
  // service
  SERVICE_NAME: z.string().min(1).default('tron-staking'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(8095, 1, 65535),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((raw, ctx): TrustProxy => {
      const parsed = parseTrustProxy(raw);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }),
  CORS_ORIGINS: list,
  BODY_LIMIT_BYTES: int(1_048_576, 1024, 104_857_600),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 120_000),
  // logging
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // policy files
  ERROR_CODES_FILE: z.string().min(1).default('config/staking-error-codes.yaml'),
  SECURITY_POLICIES_FILE: z.string().min(1).default('config/staking-security-policies.yaml'),
  // TRON
  TRON_NETWORK: z.enum(['mainnet', 'nile', 'shasta', 'devnet']).default('devnet'),
  TRON_FULL_HOST: url(['http:', 'https:']).default('http://127.0.0.1:8090'),
  TRON_API_KEY: optionalString,
  TRON_REQUEST_TIMEOUT_MS: int(10_000, 100, 120_000),
  TRON_MAX_REQUESTS_PER_SECOND: int(15, 1, 10_000),
  TRON_BLOCK_MAX_AGE_SECONDS: int(60, 3, 86_400),
  TRON_CIRCUIT_VOLUME_THRESHOLD: int(10, 1, 10_000),
  TRON_CIRCUIT_RESET_MS: int(15_000, 100, 600_000),
  TRON_RETRY_MAX_DELAY_MS: int(8000, 10, 600_000),
  // MongoDB
  MONGODB_URI: url(['mongodb:', 'mongodb+srv:']).default('mongodb://127.0.0.1:27017/tron_staking'),
  MONGODB_POOL_SIZE: int(20, 1, 500),
  MONGODB_CONNECT_RETRIES: int(10, 0, 1000),
  MONGODB_RETRY_DELAY_MS: int(1000, 10, 60_000),
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: int(5000, 100, 120_000),
  // Redis
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379/0'),
  REDIS_KEY_PREFIX: z.string().default('tron-staking:'),
  REDIS_CACHE_TTL_SECONDS: int(30, 1, 86_400),
  REDIS_COMMAND_TIMEOUT_MS: int(500, 50, 10_000),
  // security
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, - or _')
    .default('k1'),
  JWT_PREVIOUS_KEYS: list,
  KEYSTORE_MASTER_SECRET: optionalString,
  KEYSTORE_MASTER_SECRET_FILE: optionalString,
  KEYSTORE_PREVIOUS_MASTER_SECRETS: list,
  ADMIN_USERNAME: optionalString,
  ADMIN_PASSWORD: optionalString,
  // rate limits (numbers live in the security policy file)
  RATE_LIMIT_ENABLED: bool(true),
  // AML / KYC
  KYC_ENABLED: bool(true),
  AML_ENABLED: bool(true),
  SANCTIONS_LIST_FILE: optionalString,
  // monitoring
  METRICS_ENABLED: bool(true),
  JOBS_ENABLED: bool(true),
  // approvals
  APPROVALS_ENABLED: bool(true),
  // notifications
  NOTIFICATIONS_ENABLED: bool(false),
  SMTP_URL: optionalString,
  ALERT_EMAIL_FROM: optionalString,
  ALERT_EMAIL_TO: list,
  SLACK_WEBHOOK_URL: optionalString,
  WEBHOOK_URL: optionalString,
  WEBHOOK_SECRET: optionalString,
  // retention
  AUDIT_ARCHIVE_DIR: z.string().min(1).default('.local/audit-archive'),
});

export type Env = z.infer<typeof envSchema>;

export const SENSITIVE_ENV_KEYS = [
  'TRON_API_KEY',
  'MONGODB_URI',
  'REDIS_URL',
  'JWT_SECRET',
  'JWT_PREVIOUS_KEYS',
  'KEYSTORE_MASTER_SECRET',
  'KEYSTORE_PREVIOUS_MASTER_SECRETS',
  'ADMIN_PASSWORD',
  'SMTP_URL',
  'SLACK_WEBHOOK_URL',
  'WEBHOOK_SECRET',
] as const satisfies readonly (keyof Env)[];

export class ConfigValidationError extends Error {
  constructor(readonly problems: { variable: string; problem: string }[]) {
    super(
      `Invalid configuration: ${problems.map((p) => `${p.variable}: ${p.problem}`).join('; ')}`,
    );
    this.name = 'ConfigValidationError';
  }
}

/** Validates the raw environment; throws one error naming every bad variable. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const result = envSchema.safeParse(raw);
  if (result.success) {
    const env = result.data;
    if (
      env.NODE_ENV === 'production' &&
      !env.KEYSTORE_MASTER_SECRET &&
      !env.KEYSTORE_MASTER_SECRET_FILE
    ) {
      throw new ConfigValidationError([
        {
          variable: 'KEYSTORE_MASTER_SECRET',
          problem: 'required in production (or KEYSTORE_MASTER_SECRET_FILE)',
        },
      ]);
    }
    return env;
  }
  throw new ConfigValidationError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(root)'),
      // Never echo the received value: it may be a secret.
      problem:
        issue.code === 'invalid_type' && raw[String(issue.path[0])] === undefined
          ? 'is required'
          : issue.message,
    })),
  );
}

/** The validated process environment, for the few settings needed before Nest's config module exists. */
export function readEnv(): Env {
  return validateEnv(process.env);
}
