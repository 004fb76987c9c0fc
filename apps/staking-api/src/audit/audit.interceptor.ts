import { AuditTrail, requestMeta } from '@app/auth';
import {
  EarlyAnswer,
  ErrorCatalog,
  ErrorCode,
  StakingException,
  type StakingErrorCode,
} from '@app/common';
import {
  HttpException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every mutating request (after the guards let it in): who, what route, the masked
 * body/query/params, and how it ended. Refusals by the guards are recorded by the guards.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditTrail,
    private readonly catalog: ErrorCatalog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!MUTATING.has(request.method)) return next.handle();
    // The reply's status is set only after the handler returns; read what it will be.
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ??
      (request.method === 'POST' ? 201 : 200);
    return from(this.run(request, status, next));
  }

  private async run(request: FastifyRequest, status: number, next: CallHandler): Promise<unknown> {
    const base = {
      action: `${request.method} ${request.routeOptions?.url ?? 'unmatched'}`,
      resource: request.url.split('?')[0],
      principal: request.principal,
      ...requestMeta(request),
      params: {
        body: request.body ?? null,
        query: request.query ?? null,
        params: request.params ?? null,
      },
    };
    try {
      const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.audit.record({ ...base, result: { status: 'success', http_status: status } });
      return result;
    } catch (error) {
      // A write parked for approval answers 202 from deep in the pipeline: a success.
      if (error instanceof EarlyAnswer) {
        await this.audit.record({
          ...base,
          result: { status: 'success', http_status: error.status },
        });
        throw error;
      }
      const code = this.codeOf(error);
      await this.audit.record({
        ...base,
        result: {
          status: 'failure',
          error_code: code,
          http_status: this.catalog.get(code).http_status,
        },
      });
      throw error;
    }
  }

  private codeOf(error: unknown): StakingErrorCode {
    if (error instanceof StakingException) return error.code;
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status === 404) return ErrorCode.ROUTE_NOT_FOUND;
      if (status < 500) return ErrorCode.VALIDATION_FAILED;
    }
    return ErrorCode.INTERNAL_ERROR;
  }
}
