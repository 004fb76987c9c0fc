import type { OperationActor } from '../operations/operation.types.js';
import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { toBase58Address, TransactionSigner, TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { StakingCache } from '../staking/staking-cache.js';
import type { VotePolicyDto, VotePolicyRequestDto } from './dto/vote-policy.dto.js';
import { VotingRepository, type VotePolicy } from './voting.repository.js';

/** PUT/GET/DELETE /accounts/{address}/vote-policy: what the vote-policy job keeps voted. */
@Injectable()
export class VotePolicyService {
  private readonly maxWitnesses: number;

  constructor(
    private readonly repo: VotingRepository,
    private readonly gateway: TronGateway,
    private readonly signer: TransactionSigner,
    private readonly cache: StakingCache,
    policy: SecurityPolicy,
  ) {
    this.maxWitnesses = policy.file.transaction_limits.voting.max_witnesses;
  }

  async put(
    address: string,
    dto: VotePolicyRequestDto,
    actor: OperationActor,
  ): Promise<VotePolicyDto> {
    // The job signs its re-votes: only an account whose key the service holds can have a policy.
    if (!(await this.signer.holdsKeyFor(address)))
      throw new StakingException(ErrorCode.ACCOUNT_NOT_MANAGED, undefined, { address });
    const witnesses = (dto.witnesses ?? []).map((a) => toBase58Address(a));
    const allowed = (dto.allowed ?? []).map((a) => toBase58Address(a));
    const named = dto.strategy === 'fixed' ? witnesses : allowed;
    const field = dto.strategy === 'fixed' ? 'witnesses' : 'allowed';
    if (named.length === 0 || named.length > this.maxWitnesses)
      throw new StakingException(
        ErrorCode.INVALID_VOTE_POLICY,
        `strategy "${dto.strategy}" needs ${field} with 1–${this.maxWitnesses} witnesses.`,
        { field, entries: named.length, max_witnesses: this.maxWitnesses },
      );
    if (new Set(named).size !== named.length)
      throw new StakingException(ErrorCode.INVALID_VOTE_POLICY, `${field} names a witness twice.`, {
        field,
      });
    const current = new Set((await this.gateway.listWitnesses()).map((w) => w.address));
    const unknown = named.find((w) => !current.has(w));
    if (unknown)
      throw new StakingException(ErrorCode.WITNESS_NOT_FOUND, undefined, {
        witness_address: unknown,
        field,
      });
    const saved = await this.repo.savePolicy({
      address,
      strategy: dto.strategy,
      witnesses: dto.strategy === 'fixed' ? witnesses : [],
      allowed: dto.strategy === 'best_apr' ? allowed : [],
      keep_fully_voted: dto.keep_fully_voted,
      enabled: dto.keep_fully_voted,
      updated_by: { ...actor },
    });
    await this.cache.invalidate(address);
    return policyView(saved);
  }

  async get(address: string): Promise<VotePolicyDto> {
    const found = await this.repo.findPolicy(address);
    if (!found) throw new StakingException(ErrorCode.VOTE_POLICY_NOT_FOUND, undefined, { address });
    return policyView(found);
  }

  async delete(address: string): Promise<void> {
    if (!(await this.repo.deletePolicy(address)))
      throw new StakingException(ErrorCode.VOTE_POLICY_NOT_FOUND, undefined, { address });
  }
}

function policyView(p: VotePolicy): VotePolicyDto {
  return {
    address: p.address,
    strategy: p.strategy,
    witnesses: p.witnesses,
    allowed: p.allowed,
    keep_fully_voted: p.keep_fully_voted,
    ...(p.last_run_at ? { last_run_at: new Date(p.last_run_at).toISOString() } : {}),
    ...(p.last_operation_id ? { last_operation_id: p.last_operation_id } : {}),
    updated_at: new Date(p.updated_at).toISOString(),
  };
}
