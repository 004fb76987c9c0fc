import {
  KnownRoutes,
  refuseNulCharacters,
  AppConfigService,
  createValidationPipe,
  readEnv,
  REQUEST_ID_HEADER,
  requestIdFor,
  type TrustProxy,
} from '@app/common';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { registerSecurityHeaders } from './auth/security-headers.js';
import { setupApiDocs } from './docs/swagger.js';
import { MetricsService } from './metrics/metrics.service.js';
import { APP_INFO, type AppInfo } from './system/app-info.js';

export interface CreateAppOptions {
  /** Extra modules mounted beside the app's own (test fixtures). */
  extraImports?: DynamicModule['imports'];
}

/**
 * Which peers' X-Forwarded-For Fastify believes (request.ip feeds rate limits and the audit).
 * Fastify 5 treats a bare number as "trust nothing", so a hop count becomes the first n hops.
 */
function fastifyTrustProxy(
  trust: TrustProxy,
): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

/**
 * Builds the configured application without listening: main.ts and the e2e suites share it,
 * so tests exercise exactly what production runs.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  // Fastify's options must exist before Nest's config module does.
  const env = readEnv();
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: fastifyTrustProxy(env.TRUST_PROXY),
    genReqId: requestIdFor,
    logger: false,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options.extraImports),
    adapter,
    {
      bufferLogs: true,
      abortOnError: false,
      // Fastify's own JSON parser only: the API speaks JSON, other media types get 415.
      bodyParser: false,
    },
  );
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfigService);
  const info = app.get<AppInfo>(APP_INFO);
  const metrics = app.get(MetricsService);

  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const origins = config.get('CORS_ORIGINS');
  app.enableCors({
    origin: origins.length ? origins : false,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'X-API-Key',
      'Idempotency-Key',
      'X-Request-Id',
    ],
  });

  await registerSecurityHeaders(app);

  const fastify = app.getHttpAdapter().getInstance();
  const knownRoutes = app.get(KnownRoutes);
  // Before any route exists (Nest adds its routes at init): every route is seen.
  fastify.addHook('onRoute', (route) => knownRoutes.add(route.method, route.url));
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  fastify.addHook('preValidation', async (request) => refuseNulCharacters(request));
  fastify.addHook('onResponse', async (request, reply) => {
    if (!config.get('METRICS_ENABLED')) return;
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  setupApiDocs(app, info.version);
  return app;
}
