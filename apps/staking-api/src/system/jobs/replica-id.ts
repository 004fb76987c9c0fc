import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This app instance's name in job runs: the host (the pod name on Kubernetes) plus a random
 * suffix, since tests run two instances in one process.
 */
export const REPLICA_ID = Symbol('REPLICA_ID');

export function makeReplicaId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
