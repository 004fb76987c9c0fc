import { hexToBase58 } from '../tx/address.js';
import type { DecodedTx } from '../tx/codec.js';
import { recoverSigner } from '../tx/signature.js';
import { actuatorFor } from './actuators/index.js';
import { cloneAccount } from './account.js';
import type { Chain } from './chain.js';
import {
  BLOCK_PRODUCED_INTERVAL,
  MAX_RESULT_SIZE_IN_TX,
  MAXIMUM_TIME_UNTIL_EXPIRATION,
  TOTAL_SIGN_NUM,
  TRANSACTION_MAX_BYTE_SIZE,
} from './constants.js';
import { BroadcastError, ContractValidateError } from './errors.js';
import { consumeBandwidth } from './resources.js';
import type { StoredTx } from './types.js';

const CONTRACT_VALIDATE = 'Contract validate error : ';

/**
 * Wallet.broadcastTransaction + Manager.processTransaction, in java-tron's order: expiration
 * against the next slot, TaPoS, size and expiration window, duplicate, signature, bandwidth,
 * then the actuator's validate and execute. A failure leaves the state untouched.
 */
export function processTransaction(
  chain: Chain,
  tx: DecodedTx,
  visible: boolean,
  failInBlock = false,
): StoredTx {
  if (tx.contractCount === 0)
    throw new BroadcastError('CONTRACT_VALIDATE_ERROR', CONTRACT_VALIDATE + 'No contract!');
  const headTime = chain.now();
  if (tx.expiration < headTime + BLOCK_PRODUCED_INTERVAL)
    throw new BroadcastError('TRANSACTION_EXPIRATION_ERROR', 'Transaction expired');
  if (tx.contractCount !== 1)
    throw new BroadcastError(
      'OTHER_ERROR',
      `Error: tx ${tx.txID} contract size should be exactly 1, this is extend feature ,actual :${tx.contractCount}`,
    );
  if (chain.recentBlocks.get(tx.refBlockBytes) !== tx.refBlockHash)
    throw new BroadcastError('TAPOS_ERROR', 'Tapos check error.');
  const generalSize = tx.size + 2 * MAX_RESULT_SIZE_IN_TX;
  if (generalSize > TRANSACTION_MAX_BYTE_SIZE)
    throw new BroadcastError(
      'TOO_BIG_TRANSACTION_ERROR',
      `Too big transaction with result, TxId ${tx.txID}, the size is ${generalSize} bytes, maxTxSize ${TRANSACTION_MAX_BYTE_SIZE}`,
    );
  if (tx.expiration <= headTime || tx.expiration > headTime + MAXIMUM_TIME_UNTIL_EXPIRATION)
    throw new BroadcastError('TRANSACTION_EXPIRATION_ERROR', 'Transaction expired');
  if (chain.isKnownTx(tx.txID))
    throw new BroadcastError('DUP_TRANSACTION_ERROR', 'Dup transaction.');

  const contract = tx.contract;
  if (!contract)
    throw new BroadcastError(
      'OTHER_ERROR',
      `Error: contract type ${tx.contractTypeCode} is not supported by tron-devnet`,
    );
  verifySignatures(chain, tx, contract.owner);

  const owner = chain.account(contract.owner);
  if (!owner)
    throw new BroadcastError(
      'CONTRACT_VALIDATE_ERROR',
      `${CONTRACT_VALIDATE}account [${hexToBase58(contract.owner)}] does not exist`,
    );
  const createsAccount =
    contract.type === 'AccountCreateContract' ||
    (contract.type === 'TransferContract' && !chain.account(contract.to));
  const saved = cloneAccount(owner);
  const savedBurn = chain.burnedSun;
  const bill = consumeBandwidth(chain, owner, tx.size + MAX_RESULT_SIZE_IN_TX, createsAccount);
  const actuator = actuatorFor(contract);
  try {
    actuator.validate(chain, contract);
  } catch (e) {
    Object.assign(owner, saved);
    chain.burnedSun = savedBurn;
    if (e instanceof ContractValidateError)
      throw new BroadcastError('CONTRACT_VALIDATE_ERROR', CONTRACT_VALIDATE + e.message);
    throw e;
  }
  // A transaction failing at execution still pays its bandwidth; its contract changes nothing.
  const result = failInBlock ? { fee: 0, extras: {} } : actuator.execute(chain, contract);
  chain.touch(owner);
  const stored: StoredTx = {
    tx,
    visible,
    fee: bill.netFee + result.fee,
    netUsage: bill.netUsage,
    netFee: bill.netFee,
    extras: result.extras,
    blockNumber: -1,
    blockTimestamp: 0,
    ...(failInBlock ? { failure: 'tron-devnet injected execution failure' } : {}),
  };
  chain.pending.push(stored);
  chain.pendingIds.add(tx.txID);
  return stored;
}

/** TransactionCapsule.validatePubSignature/checkWeight against the default owner/active key. */
function verifySignatures(chain: Chain, tx: DecodedTx, owner: string): void {
  const sigError = (m: string): BroadcastError =>
    new BroadcastError('SIGERROR', `Validate signature error: ${m}`);
  if (tx.signatures.length === 0) throw sigError('miss sig or contract');
  if (tx.signatures.length > TOTAL_SIGN_NUM) throw sigError('too many signatures');
  // Accounts here keep java-tron's default permissions: owner (id 0) and active (id 2), both
  // holding only the owner key with weight 1 and threshold 1.
  if (tx.permissionId !== 0 && tx.permissionId !== 2) throw sigError("permission isn't exit");
  if (tx.signatures.length > 1)
    throw sigError(
      `Signature count is ${tx.signatures.length} more than key counts of permission : 1`,
    );
  for (const sig of tx.signatures) {
    if (sig.length < 130) throw sigError(`Signature size is ${sig.length / 2}`);
    let signer: string;
    try {
      signer = recoverSigner(tx.txID, sig);
    } catch (e) {
      throw sigError(e instanceof Error ? e.message : String(e));
    }
    if (signer !== owner)
      throw sigError(
        `${sig} is signed by ${hexToBase58(signer)} but it is not contained of permission.`,
      );
  }
}
