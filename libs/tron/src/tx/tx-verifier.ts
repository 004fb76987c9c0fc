import { ErrorCode, StakingException } from '@app/common';
import { createHash } from 'node:crypto';
import { utils } from 'tronweb';
import { toHexAddress } from '../address.js';
import { decodeRawTransaction } from './raw-tx-decoder.js';
import { CONTRACT_TYPE_OF, type TronTransaction, type TxIntent } from './tx-intent.js';

export interface Mismatch {
  field: string;
  expected: string;
  actual: string;
}

const MAX_EXPIRATION_WINDOW_MS = 24 * 60 * 60 * 1000; // java-tron refuses expirations beyond head + 24 h

/**
 * Checks a transaction against the intent it is supposed to carry, on the bytes that get
 * signed: one contract of the right type, owner, amounts, resource, receiver, lock and votes;
 * txID = sha256(raw bytes); and the JSON the node will re-encode agrees with those bytes.
 * Anything else is refused before signing (S207).
 */
export function verifyTransaction(tx: TronTransaction, intent: TxIntent): void {
  const problems = findMismatches(tx, intent);
  if (problems.length) {
    throw new StakingException(
      ErrorCode.TRANSACTION_MISMATCH,
      'The transaction does not match the requested operation.',
      problems,
    );
  }
}

export function findMismatches(tx: TronTransaction, intent: TxIntent): Mismatch[] {
  const out: Mismatch[] = [];
  const expect = (field: string, expected: unknown, actual: unknown) => {
    if (String(expected) !== String(actual))
      out.push({ field, expected: String(expected), actual: String(actual) });
  };
  if (typeof tx?.raw_data_hex !== 'string' || !/^[0-9a-fA-F]+$/.test(tx.raw_data_hex)) {
    return [{ field: 'raw_data_hex', expected: 'hex bytes', actual: typeof tx?.raw_data_hex }];
  }
  const digest = createHash('sha256').update(Buffer.from(tx.raw_data_hex, 'hex')).digest('hex');
  expect('txID', digest, String(tx.txID).toLowerCase());
  const jsonMatchesBytes = jsonAgreesWithBytes(tx);
  expect(
    'raw_data',
    'matches raw_data_hex',
    jsonMatchesBytes ? 'matches raw_data_hex' : 'differs from raw_data_hex',
  );

  let decoded;
  try {
    decoded = decodeRawTransaction(tx.raw_data_hex);
  } catch (error) {
    return [
      ...out,
      { field: 'raw_data_hex', expected: 'a TRON transaction', actual: (error as Error).message },
    ];
  }
  const type = CONTRACT_TYPE_OF[intent.kind];
  expect('contract.count', 1, decoded.contractCount);
  expect('contract.type', type, decoded.contractType);
  expect('contract.type_url', `type.googleapis.com/protocol.${type}`, decoded.typeUrl);
  expect('contract.permission_id', 0, decoded.permissionId);
  // Chain time is block time, so the window is judged against the transaction's own reference
  // timestamp; the node still refuses an expiration that its head block has passed.
  const window = decoded.expiration - decoded.timestamp;
  if (window <= 0 || window > MAX_EXPIRATION_WINDOW_MS) {
    out.push({
      field: 'expiration',
      expected: 'within 24 h after timestamp',
      actual: String(decoded.expiration),
    });
  }
  if (decoded.contractType !== type) return out;

  const f = decoded.fields;
  expect('owner_address', toHexAddress(intent.owner), f.owner_address);
  switch (intent.kind) {
    case 'freeze':
      expect('frozen_balance', intent.amountSun, f.frozen_balance);
      expect('resource', intent.resource, f.resource);
      break;
    case 'unfreeze':
      expect('unfreeze_balance', intent.amountSun, f.unfreeze_balance);
      expect('resource', intent.resource, f.resource);
      break;
    case 'delegate':
      expect('balance', intent.amountSun, f.balance);
      expect('resource', intent.resource, f.resource);
      expect('receiver_address', toHexAddress(intent.receiver), f.receiver_address);
      expect('lock', intent.lock, f.lock ?? false);
      expect('lock_period', intent.lock ? intent.lockPeriodBlocks : 0, f.lock_period ?? 0n);
      break;
    case 'undelegate':
      expect('balance', intent.amountSun, f.balance);
      expect('resource', intent.resource, f.resource);
      expect('receiver_address', toHexAddress(intent.receiver), f.receiver_address);
      break;
    case 'activate':
      expect('account_address', toHexAddress(intent.account), f.account_address);
      expect('type', 0, f.type ?? 0);
      break;
    case 'vote': {
      const votes = (f.votes ?? []) as { vote_address: string; vote_count: bigint }[];
      const want = intent.votes.map((v) => `${toHexAddress(v.witness)}:${v.count}`).sort();
      const got = votes.map((v) => `${v.vote_address}:${v.vote_count}`).sort();
      expect('votes', want.join(','), got.join(','));
      break;
    }
    default:
      break;
  }
  return out;
}

/** The node re-encodes raw_data at broadcast, so the JSON must encode to the very bytes we sign. */
function jsonAgreesWithBytes(tx: TronTransaction): boolean {
  try {
    return utils.transaction.txCheck(tx as never);
  } catch {
    return false;
  }
}
