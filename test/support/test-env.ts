import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_ADMIN_USERNAME = 'admin';

/** A fresh database name and Redis prefix per suite, so suites never see each other's data. */
export function isolatedEnv(
  suite: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const id = `${suite.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const mongo = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/tron_staking');
  mongo.pathname = `/t_${id}`;
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: mongo.toString(),
    MONGODB_CONNECT_RETRIES: '2',
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: '3000',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    REDIS_KEY_PREFIX: `t:${id}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    KEYSTORE_MASTER_SECRET: randomBytes(32).toString('hex'),
    JOBS_ENABLED: 'false',
    // The first admin every suite can sign in as (test/support/auth.ts).
    ADMIN_USERNAME: TEST_ADMIN_USERNAME,
    ADMIN_PASSWORD: `admin-${randomBytes(12).toString('hex')}`,
    // Suites fire many requests a second from one IP; rate-limit suites turn this back on.
    RATE_LIMIT_ENABLED: 'false',
    // Suites run their webhook receivers on loopback over plain http.
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
    AUDIT_ARCHIVE_DIR: join(tmpdir(), 'tron-staking-tests', id, 'audit-archive'),
    ...overrides,
  };
}

/** Sets the variables, returning a function that restores the previous environment. */
export function applyEnv(vars: Record<string, string>): () => void {
  const previous = { ...process.env };
  Object.assign(process.env, vars);
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in previous)) delete process.env[key];
    Object.assign(process.env, previous);
  };
}
