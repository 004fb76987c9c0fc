import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ThrottlerException } from '@nestjs/throttler';
import { KnownRoutes } from '../http/known-routes.js';
import type { ErrorDefinition } from './error-catalog.schema.js';
import { ErrorCatalog } from './error-catalog.js';
import { ErrorCode, type StakingErrorCode } from './error-code.js';
import type { ErrorResponseDto } from './error-response.js';
import { EarlyAnswer } from './early-answer.js';
import { StakingException } from './staking.exception.js';

const STATUS_TO_CODE: Record<number, StakingErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.AUTHENTICATION_REQUIRED,
  403: ErrorCode.PERMISSION_DENIED,
  404: ErrorCode.ROUTE_NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMIT_EXCEEDED,
};

// Fastify's body parser errors arrive before any route code runs.
const FASTIFY_CODES: Record<string, StakingErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_EMPTY_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

interface Resolved {
  code: StakingErrorCode;
  message?: string;
  details?: unknown;
  headers?: Record<string, string>;
  unexpected?: boolean;
}

/** Turns every error into the one error shape, with the catalog's status for its S-code. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(
    private readonly catalog: ErrorCatalog,
    private readonly routes: KnownRoutes,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (exception instanceof EarlyAnswer) {
      if (!reply.sent) void reply.status(exception.status).send(exception.body);
      return;
    }
    const resolved = this.wrongMethod(exception, request) ?? this.resolve(exception);
    const def = this.catalog.get(resolved.code);
    const requestId = String(request?.id ?? '');

    if (resolved.unexpected) {
      this.logger.error({ err: exception, request_id: requestId }, 'Unhandled error');
    } else if (def.http_status >= 500) {
      this.logger.warn(
        { error_code: resolved.code, request_id: requestId, msg: resolved.message },
        'Request failed',
      );
    }

    const body: ErrorResponseDto = {
      error: resolved.message ?? def.message,
      status_code: def.http_status,
      error_code: resolved.code,
      ...(resolved.details === undefined ? {} : { details: resolved.details }),
      timestamp: new Date().toISOString(),
      request_id: requestId,
      recovery_action: def.recovery_action,
      retryable: def.retryable,
    };
    if (reply.sent) return;
    for (const [name, value] of Object.entries(resolved.headers ?? {})) reply.header(name, value);
    const retryAfter = this.retryAfterSeconds(def);
    if (retryAfter !== undefined && !reply.hasHeader('retry-after'))
      reply.header('retry-after', String(retryAfter));
    void reply.status(def.http_status).type('application/json; charset=utf-8').send(body);
  }

  /**
   * A retryable "try again later" answer (429, 502–504) tells the client when: the first delay
   * of the code's retry policy, at least a second.
   */
  private retryAfterSeconds(def: ErrorDefinition): number | undefined {
    if (!def.retryable || ![429, 502, 503, 504].includes(def.http_status)) return undefined;
    const delayMs = def.retry_policy
      ? this.catalog.retryPolicy(def.retry_policy).initial_delay_ms
      : 1000;
    return Math.max(1, Math.ceil(delayMs / 1000));
  }

  /**
   * No route for this method, but one for another on the same path: 405 S138 with Allow,
   * whatever went wrong first (a body-carrying method such as QUERY fails its parsing before
   * the not-found handler runs).
   */
  private wrongMethod(exception: unknown, request?: FastifyRequest): Resolved | undefined {
    if (!request || request.routeOptions?.url) return undefined;
    const allowed = this.routes.allowedMethods(request.url);
    if (!allowed.length || allowed.includes(request.method)) return undefined;
    return {
      code: ErrorCode.METHOD_NOT_ALLOWED,
      message: `${request.method} is not allowed here; allowed: ${allowed.join(', ')}.`,
      headers: { Allow: allowed.join(', ') },
    };
  }

  private resolve(exception: unknown): Resolved {
    if (exception instanceof StakingException) {
      return {
        code: exception.code,
        message: exception.message === exception.code ? undefined : exception.message,
        details: exception.details,
        headers: exception.headers,
      };
    }
    if (exception instanceof ThrottlerException) {
      return { code: ErrorCode.RATE_LIMIT_EXCEEDED };
    }
    if (exception instanceof HttpException) {
      // Nest wraps Fastify's 4xx errors (body parser, media type) and keeps the original as cause.
      const fromFastify = this.fromFastify(exception.cause);
      if (fromFastify) return fromFastify;
      const status = exception.getStatus();
      const code = STATUS_TO_CODE[status];
      if (code) return { code, message: status === 404 ? undefined : exception.message };
      if (status >= 400 && status < 500)
        return { code: ErrorCode.VALIDATION_FAILED, message: exception.message };
      return { code: ErrorCode.INTERNAL_ERROR, unexpected: true };
    }
    if (isDatabaseUnavailable(exception)) return { code: ErrorCode.DB_UNAVAILABLE };
    return this.fromFastify(exception) ?? { code: ErrorCode.INTERNAL_ERROR, unexpected: true };
  }

  private fromFastify(error: unknown): Resolved | undefined {
    if (!error || typeof error !== 'object') return undefined;
    const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
    const mapped = typeof code === 'string' ? FASTIFY_CODES[code] : undefined;
    if (mapped) return { code: mapped };
    if (error instanceof SyntaxError && statusCode === 400)
      return { code: ErrorCode.MALFORMED_JSON };
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return { code: STATUS_TO_CODE[statusCode] ?? ErrorCode.VALIDATION_FAILED };
    }
    return undefined;
  }
}

// The MongoDB driver's and mongoose's ways of saying the database cannot be reached now.
const DB_UNAVAILABLE_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** The database is away (not a query bug): 503 S804 with a retry hint, never a 500. */
function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (DB_UNAVAILABLE_ERRORS.has(error.name)) return true;
  return error.name === 'MongooseError' && /buffering timed out/i.test(error.message);
}
