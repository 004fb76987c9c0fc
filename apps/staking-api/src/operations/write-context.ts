import type { Principal } from '@app/auth';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { OperationActor } from './operation.types.js';

/** What a write needs from its HTTP request: who, which Idempotency-Key, which body hash. */
export interface WriteContext {
  /** Absent for the service's own jobs, which no role limit applies to. */
  principal?: Principal;
  actor: OperationActor;
  idempotencyKey?: string;
  requestHash: string;
  requestId: string;
  /** The route and body of the request, kept by an approval to re-plan it after quorum. */
  replay?: { route: string; body: unknown };
  /** Set when an approved write re-plans: the approval and the operation waiting for it. */
  resume?: { approvalId: string; operationId: string };
}

export const CurrentWrite = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): WriteContext => {
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    const principal = request.principal!;
    return {
      principal,
      actor: { kind: principal.kind, id: principal.id, role: principal.role },
      idempotencyKey: request.idempotency?.key,
      requestHash: request.idempotency?.requestHash ?? String(request.id),
      requestId: String(request.id),
      replay: { route: `${request.method} ${request.routeOptions.url}`, body: request.body },
    };
  },
);

/** The context of a write a job makes for an account: no caller, a key derived from its work. */
export function systemWrite(job: string, idempotencyKey: string): WriteContext {
  return {
    actor: { kind: 'system', id: job },
    idempotencyKey,
    requestHash: idempotencyKey,
    requestId: `${job}:${idempotencyKey}`,
  };
}
