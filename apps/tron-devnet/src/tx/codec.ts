import { utils } from 'tronweb';
import { sha256 } from './address.js';
import {
  CONTRACT_TYPE_BY_CODE,
  type Contract,
  type ContractTypeName,
  contractValueJson,
  decodeContract,
} from './contracts.js';
import { bytesHex, int64, readFields, repeated, varintSize } from './protobuf.js';

export class TxFormatError extends Error {}

export interface RefBlock {
  number: number;
  blockID: string;
  timestamp: number;
}

export interface DecodedTx {
  txID: string;
  rawDataHex: string;
  contractCount: number;
  /** Name from the raw contract type, or `undefined` if the devnet does not execute it. */
  contractType?: ContractTypeName;
  contractTypeCode: number;
  contract?: Contract;
  permissionId: number;
  refBlockBytes: string;
  refBlockHash: string;
  expiration: number;
  timestamp: number;
  data: string;
  feeLimit: number;
  signatures: string[];
  /** Serialized Transaction size without `ret` (what BandwidthProcessor charges). */
  size: number;
}

const HEX = /^(0x)?[0-9a-fA-F]*$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Re-encodes a signed transaction from its `raw_data` JSON, the way java-tron's
 * Util.packTransaction does: `txID` and `raw_data_hex` sent by the client are ignored.
 * tronweb's own encoder is used so the bytes match what tronweb signed.
 */
export function decodeSignedTransaction(json: unknown): DecodedTx {
  if (!isObject(json) || !isObject(json.raw_data)) throw new TxFormatError('raw_data is required');
  const raw = json.raw_data;
  if (!Array.isArray(raw.contract)) throw new TxFormatError('raw_data.contract is required');
  const contracts = raw.contract as unknown[];
  const signatures: string[] = [];
  if (json.signature !== undefined) {
    if (!Array.isArray(json.signature)) throw new TxFormatError('signature must be an array');
    for (const s of json.signature) {
      if (typeof s !== 'string' || !HEX.test(s) || s.replace(/^0x/, '').length % 2)
        throw new TxFormatError('INVALID hex String');
      signatures.push(s.replace(/^0x/, '').toLowerCase());
    }
  }
  if (contracts.length === 0) {
    return emptyContractTx(signatures);
  }
  const first = contracts[0];
  if (!isObject(first) || !isObject(first.parameter) || !isObject(first.parameter.value))
    throw new TxFormatError('raw_data.contract[0].parameter.value is required');
  for (const k of ['ref_block_bytes', 'ref_block_hash'] as const)
    if (typeof raw[k] !== 'string' || !HEX.test(raw[k] as string))
      throw new TxFormatError('INVALID hex String');
  let rawBytes: Uint8Array;
  try {
    const pb = utils.transaction.txJsonToPb({ ...json, visible: json.visible === true });
    rawBytes = pb.getRawData().serializeBinary() as Uint8Array;
  } catch (e) {
    throw new TxFormatError(e instanceof Error ? e.message : String(e));
  }
  return decodeRawBytes(rawBytes, signatures, contracts.length);
}

/** Decodes `raw_data` protobuf bytes (broadcasthex, or after re-encoding the JSON). */
export function decodeRawBytes(
  rawBytes: Uint8Array,
  signatures: string[],
  contractCountHint?: number,
): DecodedTx {
  const f = readFields(rawBytes);
  const contractMsgs = repeated(f, 11);
  const base: DecodedTx = {
    txID: sha256(rawBytes).toString('hex'),
    rawDataHex: Buffer.from(rawBytes).toString('hex'),
    contractCount: contractCountHint ?? contractMsgs.length,
    contractTypeCode: -1,
    permissionId: 0,
    refBlockBytes: bytesHex(f, 1),
    refBlockHash: bytesHex(f, 4),
    expiration: int64(f, 8),
    timestamp: int64(f, 14),
    data: bytesHex(f, 10),
    feeLimit: int64(f, 18),
    signatures,
    size: transactionSize(rawBytes.length, signatures),
  };
  if (contractMsgs.length === 0) return base;
  const cf = readFields(contractMsgs[0]);
  base.contractTypeCode = int64(cf, 1);
  base.permissionId = int64(cf, 5);
  base.contractType = CONTRACT_TYPE_BY_CODE.get(base.contractTypeCode);
  const any = repeated(cf, 2)[0];
  if (base.contractType && any) {
    const value = repeated(readFields(any), 2)[0] ?? new Uint8Array();
    try {
      base.contract = decodeContract(base.contractType, value);
    } catch (e) {
      throw new TxFormatError(e instanceof Error ? e.message : String(e));
    }
  }
  return base;
}

function emptyContractTx(signatures: string[]): DecodedTx {
  return decodeRawBytes(new Uint8Array(), signatures, 0);
}

/** Protobuf size of Transaction{raw_data, signature[]}. */
function transactionSize(rawLen: number, signatures: string[]): number {
  let size = 1 + varintSize(rawLen) + rawLen;
  for (const s of signatures) {
    const len = s.length / 2;
    size += 1 + varintSize(len) + len;
  }
  return size;
}

export interface TxJsonParts {
  contract: Contract;
  permissionId: number;
  refBlockBytes: string;
  refBlockHash: string;
  expiration: number;
  timestamp: number;
  data?: string;
  feeLimit?: number;
}

/** `raw_data` JSON as java-tron prints it. */
export function rawDataJson(p: TxJsonParts, visible: boolean): Record<string, unknown> {
  const contract: Record<string, unknown> = {
    parameter: {
      value: contractValueJson(p.contract, visible),
      type_url: `type.googleapis.com/protocol.${p.contract.type}`,
    },
    type: p.contract.type,
  };
  if (p.permissionId > 0) contract.Permission_id = p.permissionId;
  const raw: Record<string, unknown> = { contract: [contract] };
  if (p.refBlockBytes) raw.ref_block_bytes = p.refBlockBytes;
  if (p.refBlockHash) raw.ref_block_hash = p.refBlockHash;
  if (p.expiration) raw.expiration = p.expiration;
  if (p.data) raw.data = p.data;
  if (p.feeLimit) raw.fee_limit = p.feeLimit;
  if (p.timestamp) raw.timestamp = p.timestamp;
  return raw;
}

export interface BuiltTransaction {
  visible: boolean;
  txID: string;
  raw_data: Record<string, unknown>;
  raw_data_hex: string;
}

/**
 * An unsigned transaction as a builder endpoint returns it. The node references the head block
 * and expires the transaction 60 s after it (TransactionUtil / Wallet.createTransactionCapsule).
 */
export function buildTransaction(
  contract: Contract,
  ref: RefBlock,
  timestamp: number,
  visible: boolean,
  permissionId = 0,
): BuiltTransaction {
  const parts: TxJsonParts = {
    contract,
    permissionId,
    refBlockBytes: ref.number.toString(16).slice(-4).padStart(4, '0'),
    refBlockHash: ref.blockID.slice(16, 32),
    expiration: ref.timestamp + 60_000,
    timestamp,
  };
  const pb = utils.transaction.txJsonToPb({ visible: false, raw_data: rawDataJson(parts, false) });
  const rawBytes = pb.getRawData().serializeBinary() as Uint8Array;
  return {
    visible,
    txID: sha256(rawBytes).toString('hex'),
    raw_data: rawDataJson(parts, visible),
    raw_data_hex: Buffer.from(rawBytes).toString('hex'),
  };
}
