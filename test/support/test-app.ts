import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, type CreateAppOptions } from '../../apps/staking-api/src/app.factory.js';
import { applyEnv, isolatedEnv } from './test-env.js';

export interface TestApp {
  app: NestFastifyApplication;
  env: Record<string, string>;
  inject: NestFastifyApplication['inject'];
  close(): Promise<void>;
}

/** Boots the real application (real MongoDB-protocol DB, real Redis) for one suite. */
export async function bootTestApp(
  suite: string,
  overrides: Record<string, string> = {},
  options: CreateAppOptions = {},
): Promise<TestApp> {
  const env = isolatedEnv(suite, overrides);
  const restore = applyEnv(env);
  try {
    const app = await createApp(options);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return {
      app,
      env,
      inject: app.inject.bind(app) as NestFastifyApplication['inject'],
      close: async () => {
        await app.close();
        restore();
      },
    };
  } catch (error) {
    restore();
    throw error;
  }
}

/**
 * Two instances of the app as two replicas: one database, one Redis prefix, one JWT secret and
 * admin, so a token from one is valid on the other and they share rate-limit counters.
 */
export async function bootReplicaPair(
  suite: string,
  overrides: Record<string, string> = {},
  options: CreateAppOptions = {},
): Promise<[TestApp, TestApp]> {
  const a = await bootTestApp(suite, overrides, options);
  try {
    const shared = ['MONGODB_URI', 'REDIS_KEY_PREFIX', 'JWT_SECRET', 'ADMIN_PASSWORD'] as const;
    const b = await bootTestApp(
      suite,
      { ...overrides, ...Object.fromEntries(shared.map((k) => [k, a.env[k]!])) },
      options,
    );
    return [a, b];
  } catch (error) {
    await a.close();
    throw error;
  }
}
