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

/**
 * Replay routes of job writes that have no API twin of the same shape (the approvals module
 * registers them): the job's own write is re-planned after quorum, its record kept as the job
 * makes it (a vote-policy re-vote, a top-up linked to its policy).
 */
export const JOB_REPLAY = {
  votePolicy: 'JOB vote-policy revote',
  topUp: 'JOB energy-policies top_up',
  reclaim: 'JOB energy-policies reclaim',
} as const;

/** The route of an API write a job makes as it is (a compounding freeze). */
export const FREEZE_ROUTE = 'POST /api/v1/tron/staking/freeze';

/**
 * The context of a write a job makes for an account: no caller, a key derived from its work.
 * `replay` names the API route and body the same write has as a request: a job write over an
 * approval threshold waits for approvers like a request (the key, stable while it waits, makes
 * the next tick find it instead of asking again) and is re-planned through that route after
 * quorum. Without one, a job write the gate would stop is refused (S722), never let through.
 */
export function systemWrite(
  job: string,
  idempotencyKey: string,
  replay?: { route: string; body: Record<string, unknown> },
): WriteContext {
  return {
    actor: { kind: 'system', id: job },
    idempotencyKey,
    requestHash: idempotencyKey,
    requestId: `${job}:${idempotencyKey}`,
    ...(replay ? { replay } : {}),
  };
}
