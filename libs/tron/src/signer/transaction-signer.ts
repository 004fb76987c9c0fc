import type { TronTransaction } from '../tx/tx-intent.js';

/**
 * Signs transactions for addresses whose keys the service holds. The local encrypted keystore
 * is the first implementation; a KMS/HSM signer implements the same two methods.
 */
export abstract class TransactionSigner {
  abstract holdsKeyFor(address: string): Promise<boolean>;
  /** The transaction must already be verified against its intent. */
  abstract sign(tx: TronTransaction, owner: string): Promise<TronTransaction>;
}
