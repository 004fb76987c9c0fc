import type { Principal } from '@app/auth';
import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from '../auth/api-keys/api-keys.repository.js';
import type { OperationActor } from '../operations/operation.types.js';
import type { ApprovalPerson } from './approval.types.js';

/** Resolves the person behind a credential: an API key counts as the user who created it. */
@Injectable()
export class ApprovalPeople {
  constructor(private readonly keys: ApiKeysRepository) {}

  async of(principal: Principal): Promise<ApprovalPerson> {
    const who = {
      kind: principal.kind,
      id: principal.id,
      role: principal.role,
      ...(principal.username ? { username: principal.username } : {}),
    };
    if (principal.kind === 'user') return { principal: who, person: `user:${principal.id}` };
    const key = await this.keys.findById(principal.id);
    return {
      principal: who,
      person: key?.created_by ? `user:${key.created_by}` : `api_key:${principal.id}`,
    };
  }

  /** A job of the service: no person can be it, so any approver is a distinct one. */
  ofJob(actor: OperationActor): ApprovalPerson {
    return {
      principal: { kind: 'system', id: actor.id, role: 'system' },
      person: `system:${actor.id}`,
    };
  }
}
