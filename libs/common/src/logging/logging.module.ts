import { Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfigService } from '../config/app-config.service.js';
import { logRedactPaths, maskSensitive } from '../security/sensitive-fields.js';
import { serializeErrorsDeep } from './error-serializer.js';

/** Structured JSON logs; the request id is on every request-scoped line; secrets are redacted once, here. */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        // nestjs-pino's default route ('{/*splat}') matches only "/" under Nest 12 + Fastify.
        forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.get('LOG_LEVEL'),
          base: { service: config.get('SERVICE_NAME') },
          messageKey: 'msg',
          redact: { paths: logRedactPaths(), censor: '[REDACTED]' },
          // Any depth, any case: errors are reduced to what may be logged, then every sensitive
          // field is masked (the fixed redact paths above stay as a second line).
          // `req`/`res` are left to their serializers below: walking a raw ServerResponse (its
          // socket, parser and buffers) cost ~200 ms per request-completed line.
          formatters: {
            log: ({ req, res, ...rest }: Record<string, unknown>) => ({
              ...(maskSensitive(serializeErrorsDeep(rest)) as Record<string, unknown>),
              ...(req === undefined ? {} : { req }),
              ...(res === undefined ? {} : { res }),
            }),
          },
          genReqId: (req: IncomingMessage) =>
            (req as IncomingMessage & { id?: string }).id ?? 'unknown',
          customAttributeKeys: { reqId: 'request_id' },
          // Request-scoped lines carry `request_id` (the full request only on "request completed").
          quietReqLogger: true,
          // Probes and scrapes are not worth a line each. Read the original URL: the middleware
          // adapter under Fastify hands pino-http a request whose `url` is relative to its mount.
          autoLogging: {
            ignore: (req: IncomingMessage & { originalUrl?: string }) => {
              const path = (req.originalUrl ?? req.url ?? '').split('?')[0]!;
              return path === '/metrics' || path === '/health' || path.startsWith('/health/');
            },
          },
          serializers: {
            req: (req: {
              method: string;
              url: string;
              headers: Record<string, unknown>;
              remoteAddress?: string;
            }) => ({
              method: req.method,
              url: req.url,
              remote_address: req.remoteAddress,
              user_agent: req.headers['user-agent'],
            }),
            res: (res: { statusCode: number }) => ({ status_code: res.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
