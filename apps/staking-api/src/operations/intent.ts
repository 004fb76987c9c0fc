import type { TxIntent } from '@app/tron';
import type { OperationParams } from './operation.types.js';

/** Stored params ↔ the gateway's intent (amounts as decimal SUN strings in the DB). */
export function paramsOf(intent: TxIntent): OperationParams {
  switch (intent.kind) {
    case 'freeze':
    case 'unfreeze':
      return {
        owner: intent.owner,
        amount_sun: intent.amountSun.toString(),
        resource: intent.resource,
      };
    case 'delegate':
      return {
        owner: intent.owner,
        receiver: intent.receiver,
        amount_sun: intent.amountSun.toString(),
        resource: intent.resource,
        lock: intent.lock,
        lock_period_blocks: intent.lockPeriodBlocks,
      };
    case 'undelegate':
      return {
        owner: intent.owner,
        receiver: intent.receiver,
        amount_sun: intent.amountSun.toString(),
        resource: intent.resource,
      };
    case 'vote':
      return { owner: intent.owner, votes: intent.votes };
    case 'activate':
      return { owner: intent.owner, receiver: intent.account };
    default:
      return { owner: intent.owner };
  }
}

export function intentOf(kind: TxIntent['kind'], p: OperationParams): TxIntent {
  const amountSun = BigInt(p.amount_sun ?? '0');
  switch (kind) {
    case 'freeze':
    case 'unfreeze':
      return { kind, owner: p.owner, amountSun, resource: p.resource ?? 'BANDWIDTH' };
    case 'delegate':
      return {
        kind,
        owner: p.owner,
        receiver: p.receiver!,
        amountSun,
        resource: p.resource ?? 'BANDWIDTH',
        lock: p.lock ?? false,
        lockPeriodBlocks: p.lock_period_blocks ?? 0,
      };
    case 'undelegate':
      return {
        kind,
        owner: p.owner,
        receiver: p.receiver!,
        amountSun,
        resource: p.resource ?? 'BANDWIDTH',
      };
    case 'vote':
      return { kind, owner: p.owner, votes: p.votes ?? [] };
    case 'activate':
      return { kind, owner: p.owner, account: p.receiver! };
    default:
      return { kind, owner: p.owner };
  }
}
