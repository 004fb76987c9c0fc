import type { Operation } from './operation.types.js';

/** Emitted once per operation when it reaches confirmed, failed, expired or cancelled. */
export const OPERATION_SETTLED = 'operation.settled';

export interface OperationSettledEvent {
  operation: Operation;
}
