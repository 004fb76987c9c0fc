import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, of, switchMap, tap, type Observable } from 'rxjs';
import { IdempotencyStore } from './idempotency.store.js';
import { idempotencyRequestHash, idempotencyScope } from './request-hash.js';

const IDEMPOTENT = Symbol('idempotent');
const VALID_KEY = /^[A-Za-z0-9_:-]{8,128}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the idempotency interceptor for services that must gate on it. */
    idempotency?: { key?: string; scope: string; requestHash: string };
  }
}

/** Marks a write route as honouring the Idempotency-Key header (documented in Swagger). */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      schema: { type: 'string', pattern: VALID_KEY.source, example: 'stake-2026-12-02-0001' },
      description:
        'Repeat a request safely: the same key, path and body from the same caller return the first answer (header `idempotent-replayed: true`) and never create a second on-chain operation; the same key with another body or path is refused (422 S706). The key is remembered for the idempotency TTL of the security policy (api_security.idempotency_key_ttl_hours, 24 h): a repeat after that is a new request (a write whose operation already holds the key still answers with that operation; nothing is sent to the chain twice). 8–128 characters of letters, digits, "-", "_" or ":".',
    }),
  );

/**
 * Replays the first successful answer of a repeated Idempotency-Key. The durable guarantee
 * against a second transaction is the operation's own unique key; this layer makes repeats
 * answer exactly like the first time.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly ttlMs: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyStore,
    policy: SecurityPolicy,
  ) {
    this.ttlMs = policy.file.api_security.idempotency_key_ttl_hours * 3_600_000;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (
      !this.reflector.getAllAndOverride<boolean>(IDEMPOTENT, [
        context.getHandler(),
        context.getClass(),
      ])
    )
      return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    const principal = (request as unknown as { principal?: { kind: string; id: string } })
      .principal;
    const scope = idempotencyScope(principal);
    // The path as sent, not the route template: the same key on /operations/A and /operations/B
    // must never be taken for one request.
    const requestHash = idempotencyRequestHash({
      method: request.method,
      path: request.url,
      scope,
      body: request.body,
    });
    if (header === undefined) {
      request.idempotency = { scope, requestHash };
      return next.handle();
    }
    if (typeof header !== 'string' || !VALID_KEY.test(header))
      throw new StakingException(ErrorCode.INVALID_IDEMPOTENCY_KEY);
    request.idempotency = { key: header, scope, requestHash };
    return from(this.store.find(scope, header)).pipe(
      switchMap((stored) => {
        if (stored) {
          if (stored.request_hash !== requestHash)
            throw new StakingException(ErrorCode.IDEMPOTENCY_KEY_MISMATCH);
          void reply.status(stored.status_code).header('idempotent-replayed', 'true');
          return of(stored.body);
        }
        return next.handle().pipe(
          tap((body) => {
            void this.store
              .save(
                scope,
                header,
                { request_hash: requestHash, status_code: reply.statusCode, body },
                this.ttlMs,
              )
              .catch(() => undefined);
          }),
        );
      }),
    );
  }
}
