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

/** Where a variable is listed in `.env.example` and the README configuration table. */
export const ENV_SECTIONS = [
  'service',
  'logging',
  'policy files',
  'TRON',
  'MongoDB',
  'Redis',
  'security',
  'rate limits',
  'monitoring',
  'retention',
  'compliance',
  'notifications',
] as const;
export type EnvSection = (typeof ENV_SECTIONS)[number];

export interface EnvVariable<S extends z.ZodType = z.ZodType> {
  section: EnvSection;
  schema: S;
  /** What the variable does, one or a few sentences (rendered in the README and `.env.example`). */
  description: string;
  /** Never logged, audited or answered; kept in Kubernetes Secrets, not ConfigMaps. */
  sensitive?: true;
  /** The value `.env.example` shows when the variable has no default (a placeholder). */
  example?: string;
}

const variable = <S extends z.ZodType>(
  section: EnvSection,
  schema: S,
  description: string,
  extra: Pick<EnvVariable, 'sensitive' | 'example'> = {},
): EnvVariable<S> => ({ section, schema, description, ...extra });

/**
 * Every environment variable the service reads: its validation, section, meaning and secrecy in
 * one place. `.env.example` and the README configuration table are rendered from this
 * (`npm run docs:config`); a test fails when they drift.
 */
export const ENV_VARIABLES = {
  SERVICE_NAME: variable(
    'service',
    z.string().min(1).default('tron-staking'),
    'Name in logs, health and metrics.',
  ),
  NODE_ENV: variable(
    'service',
    z.enum(['development', 'test', 'production']).default('development'),
    '`development` | `test` | `production` (production requires a keystore master secret).',
  ),
  HOST: variable('service', z.string().min(1).default('0.0.0.0'), 'Listen address.'),
  PORT: variable('service', int(8095, 1, 65535), 'Listen port.'),
  TRUST_PROXY: variable(
    'service',
    z
      .string()
      .default('false')
      .transform((raw, ctx): TrustProxy => {
        const parsed = parseTrustProxy(raw);
        if (parsed.ok) return parsed.value;
        ctx.addIssue({ code: 'custom', message: parsed.problem });
        return z.NEVER;
      }),
    "Whose X-Forwarded-For gives the client address (rate limits, audit): `false` or `0` = off (the peer's address); a hop count (e.g. `1`; only when nothing but those proxies can reach the service); or comma-separated IP addresses/CIDRs of the trusted proxies (e.g. `10.0.0.0/8,192.168.1.10`, the safer choice). `true` is refused at start: any client could spoof its address.",
  ),
  CORS_ORIGINS: variable(
    'service',
    list,
    'Comma-separated browser origins allowed by CORS; empty = no cross-origin access.',
  ),
  BODY_LIMIT_BYTES: variable(
    'service',
    int(1_048_576, 1024, 104_857_600),
    'Largest accepted request body in bytes (larger → 413 S112).',
  ),
  SHUTDOWN_TIMEOUT_MS: variable(
    'service',
    int(10_000, 0, 120_000),
    "On SIGTERM the service stops accepting requests, lets in-flight requests and job ticks finish and closes its connections; if that takes longer than this, it logs so and exits with code 1 (0 = no deadline). Keep it below the pod's termination grace period minus the preStop pause.",
  ),
  LOG_LEVEL: variable(
    'logging',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    '`fatal` | `error` | `warn` | `info` | `debug` | `trace` | `silent` (JSON lines on stdout).',
  ),
  ERROR_CODES_FILE: variable(
    'policy files',
    z.string().min(1).default('config/staking-error-codes.yaml'),
    'Error catalog (S-codes, HTTP status, retry policies).',
  ),
  SECURITY_POLICIES_FILE: variable(
    'policy files',
    z.string().min(1).default('config/staking-security-policies.yaml'),
    'Roles, permissions, limits, approvals thresholds, rate limits, audit retention.',
  ),
  TRON_NETWORK: variable(
    'TRON',
    z.enum(['mainnet', 'nile', 'shasta', 'devnet']).default('devnet'),
    '`mainnet` | `nile` | `shasta` | `devnet`.',
  ),
  TRON_FULL_HOST: variable(
    'TRON',
    url(['http:', 'https:']).default('http://127.0.0.1:8090'),
    'Full node HTTP API: TronGrid (https://api.trongrid.io), your own java-tron, or the devnet.',
  ),
  TRON_API_KEY: variable('TRON', optionalString, 'TronGrid API key, sent as TRON-PRO-API-KEY.', {
    sensitive: true,
  }),
  TRON_REQUEST_TIMEOUT_MS: variable(
    'TRON',
    int(10_000, 100, 120_000),
    'Timeout of one node request.',
  ),
  TRON_MAX_REQUESTS_PER_SECOND: variable(
    'TRON',
    int(15, 1, 10_000),
    'Request budget towards the node (token bucket); TronGrid keys have per-second limits.',
  ),
  TRON_BLOCK_MAX_AGE_SECONDS: variable(
    'TRON',
    int(60, 3, 86_400),
    '/health reports the node degraded when its latest block is older than this.',
  ),
  TRON_CIRCUIT_VOLUME_THRESHOLD: variable(
    'TRON',
    int(10, 1, 10_000),
    'Circuit breaker: after this many failed calls in 30 s (half of them failing) calls to the node pause for TRON_CIRCUIT_RESET_MS; readiness reports the open circuit.',
  ),
  TRON_CIRCUIT_RESET_MS: variable(
    'TRON',
    int(15_000, 100, 600_000),
    'Pause of calls to the node once the circuit opens.',
  ),
  TRON_RETRY_MAX_DELAY_MS: variable(
    'TRON',
    int(8000, 10, 600_000),
    "Longest single pause between retries of a node call (the policy's caps apply below this).",
  ),
  MONGODB_URI: variable(
    'MongoDB',
    url(['mongodb:', 'mongodb+srv:']).default('mongodb://127.0.0.1:27017/tron_staking'),
    'MongoDB connection string (may carry credentials); a MongoDB 7 replica set in production.',
    { sensitive: true },
  ),
  MONGODB_POOL_SIZE: variable('MongoDB', int(20, 1, 500), 'Connection pool size.'),
  MONGODB_CONNECT_RETRIES: variable(
    'MongoDB',
    int(10, 0, 1000),
    'Connection attempts at start-up.',
  ),
  MONGODB_RETRY_DELAY_MS: variable(
    'MongoDB',
    int(1000, 10, 60_000),
    'Pause between connection attempts at start-up.',
  ),
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: variable(
    'MongoDB',
    int(5000, 100, 120_000),
    'How long a query waits for a usable server before it fails (then 503 S801).',
  ),
  REDIS_URL: variable(
    'Redis',
    url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379/0'),
    'Redis connection string (may carry a password): cache, rate limits, idempotency keys, locks.',
    { sensitive: true },
  ),
  REDIS_KEY_PREFIX: variable(
    'Redis',
    z.string().default('tron-staking:'),
    'Prefix of every key this service writes (several services can share one Redis).',
  ),
  REDIS_CACHE_TTL_SECONDS: variable('Redis', int(30, 1, 86_400), 'Default TTL of cached reads.'),
  REDIS_COMMAND_TIMEOUT_MS: variable(
    'Redis',
    int(500, 50, 10_000),
    'Longest wait for one Redis command or cache call; past it a cached read goes to the source and a write that needs Redis answers 503 S806.',
  ),
  JWT_SECRET: variable(
    'security',
    z.string().min(32, 'must be at least 32 characters'),
    'HS256 signing key for access tokens, at least 32 characters.',
    { sensitive: true, example: 'change-me-to-a-long-random-string-of-32-chars-or-more' },
  ),
  JWT_KEY_ID: variable(
    'security',
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, - or _')
      .default('k1'),
    'Key id (kid) of the current signing key. To rotate: move the old `kid:key` pair into JWT_PREVIOUS_KEYS, then set a new key and id.',
  ),
  JWT_PREVIOUS_KEYS: variable(
    'security',
    list,
    'Comma-separated `kid:key` pairs still accepted for verification during a rotation.',
    { sensitive: true },
  ),
  KEYSTORE_MASTER_SECRET: variable(
    'security',
    optionalString,
    "Master secret of the keystore (managed accounts' keys are encrypted under it). Give either the value or KEYSTORE_MASTER_SECRET_FILE. Required in production.",
    { sensitive: true },
  ),
  KEYSTORE_MASTER_SECRET_FILE: variable(
    'security',
    optionalString,
    'File holding the keystore master secret (e.g. a mounted Kubernetes secret).',
  ),
  KEYSTORE_PREVIOUS_MASTER_SECRETS: variable(
    'security',
    list,
    'During a rotation: comma-separated old master secrets, still accepted for decryption until `npm run cli -- keystore:rotate` has re-encrypted every key under the new one.',
    { sensitive: true },
  ),
  ADMIN_USERNAME: variable(
    'security',
    optionalString,
    'First admin, created on first start when no admin exists (with ADMIN_PASSWORD).',
  ),
  ADMIN_PASSWORD: variable('security', optionalString, 'Password of the first admin.', {
    sensitive: true,
  }),
  RATE_LIMIT_ENABLED: variable(
    'rate limits',
    bool(true),
    'Rate limits of the security policy file, which holds their numbers (off only in tests).',
  ),
  APPROVALS_ENABLED: variable(
    'security',
    bool(true),
    "Maker-checker approvals: a write over a threshold of the policy's approval_workflows waits for approvers (needs approval_workflows.enabled too). False executes such writes at once.",
  ),
  METRICS_ENABLED: variable('monitoring', bool(true), 'Record HTTP metrics for /metrics.'),
  JOBS_ENABLED: variable(
    'monitoring',
    bool(true),
    'Scheduled jobs (confirmation tracking, withdrawals, expiry, retention). Each tick runs on one replica (Redis lock); set false to keep a replica out of the rotation.',
  ),
  AUDIT_ARCHIVE_DIR: variable(
    'retention',
    z.string().min(1).default('.local/audit-archive'),
    "Where audit entries older than the policy's retention are archived (compressed JSONL).",
  ),
  KYC_ENABLED: variable(
    'compliance',
    bool(false),
    "KYC checks before every write a person asks for: the owner account must link a KYC profile (POST/PATCH /api/v1/accounts) whose level covers the amount (policy aml_kyc.kyc.levels). Off by default so a fresh install can be tried before profiles exist; turn it on in production (the policy's aml_kyc.kyc.enabled must be true as well).",
  ),
  AML_ENABLED: variable(
    'compliance',
    bool(false),
    "AML checks before every write: sanctions screening of every counterparty address, the owner profile's cached name screening (sanctions, PEP), velocity windows, amount alerts and the risk score (policy aml_kyc and transaction_monitoring). Off by default; turn it on in production.",
  ),
  SANCTIONS_SOURCES: variable(
    'compliance',
    list.refine(
      (sources) =>
        sources.every((s) =>
          /^(ofac-sdn-csv|ofac-advanced-xml|un-xml|csv):[^|]+(\|[^|]+)?$/.test(s),
        ),
      'each source must be kind:location with kind ofac-sdn-csv, ofac-advanced-xml, un-xml or csv (ofac-sdn-csv may add |ALT.CSV location)',
    ),
    'Comma-separated `kind:location` sanctions lists, location a file path or an https URL. Kinds: `ofac-sdn-csv` (SDN.CSV, optionally `|` and its ALT.CSV for aliases), `ofac-advanced-xml` (SDN_ADVANCED.XML), `un-xml` (UN Security Council consolidated list), `csv` (`address,label` lines). Loaded by the sanctions-refresh job (hourly tick: a list with no version in force at once, then every `aml_kyc.sanctions.refresh_interval_hours`) and by POST /api/v1/compliance/sanctions/refresh.',
    {
      example:
        'ofac-sdn-csv:https://www.treasury.gov/ofac/downloads/sdn.csv|https://www.treasury.gov/ofac/downloads/alt.csv,un-xml:https://scsanctions.un.org/resources/xml/en/consolidated.xml',
    },
  ),
  NOTIFICATIONS_ENABLED: variable(
    'notifications',
    bool(false),
    "Alerts of compliance incidents by e-mail (SMTP_URL) and a Slack-compatible webhook (SLACK_WEBHOOK_URL), sent from a persisted outbox with retries and the policy's escalation levels. Off: incidents are still opened, nothing is queued or sent.",
  ),
  SMTP_URL: variable(
    'notifications',
    optionalString,
    'SMTP server for alert e-mails, e.g. `smtps://user:password@smtp.example.com:465` (may carry credentials).',
    { sensitive: true },
  ),
  ALERT_EMAIL_FROM: variable(
    'notifications',
    z.string().min(3).default('tron-staking@localhost'),
    'Sender address of alert e-mails.',
  ),
  ALERT_EMAIL_TO: variable(
    'notifications',
    list,
    'Comma-separated recipients of alert e-mails (the compliance team).',
  ),
  SLACK_WEBHOOK_URL: variable(
    'notifications',
    optionalString,
    'Slack-compatible incoming webhook for alerts (a POST of `{"text": …}`); the URL is a secret.',
    { sensitive: true },
  ),
  WEBHOOK_ALLOW_PRIVATE_URLS: variable(
    'notifications',
    bool(false),
    'Allow webhook subscription URLs whose host resolves to a loopback, private (RFC 1918, unique-local), link-local, cloud-metadata or other internal address. Off in production (a subscription must not turn the service into a proxy into its own network: S712); on for a local receiver in development and tests. Checked when a subscription is created and again before every delivery.',
  ),
  WEBHOOK_ALLOW_HTTP: variable(
    'notifications',
    bool(false),
    'Allow plain http:// webhook URLs. Off: only https:// receivers are accepted (S713). On for a local receiver in development and tests.',
  ),
  BACKUP_DIR: variable(
    'retention',
    z.string().min(1).default('.local/backups'),
    'Where the scheduled logical backups are written (gzip JSONL of every collection; schedule and how many are kept: operations.backup in the policy file). Restore: npm run cli -- backup:restore <file>.',
  ),
} satisfies Record<string, EnvVariable>;

type EnvShape = { [K in keyof typeof ENV_VARIABLES]: (typeof ENV_VARIABLES)[K]['schema'] };

export const envSchema = z.object(
  Object.fromEntries(
    Object.entries(ENV_VARIABLES).map(([name, v]) => [name, v.schema]),
  ) as EnvShape,
);

export type Env = z.infer<typeof envSchema>;
export type EnvName = keyof Env;

/** The variables that never reach logs, audit entries, errors, answers or ConfigMaps. */
export const SENSITIVE_ENV_KEYS: readonly EnvName[] = (
  Object.entries(ENV_VARIABLES) as [EnvName, EnvVariable][]
)
  .filter(([, v]) => v.sensitive)
  .map(([name]) => name);

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
