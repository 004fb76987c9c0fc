import protobuf from 'protobufjs';

/**
 * Decodes the bytes that are actually signed (Transaction.raw) with our own protobuf schema,
 * independent of the client that built them — field numbers from java-tron's Tron.proto and
 * balance_contract.proto / witness_contract.proto.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    protocol: {
      nested: {
        Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
        Contract: {
          fields: {
            type: { type: 'int32', id: 1 },
            parameter: { type: 'Any', id: 2 },
            provider: { type: 'bytes', id: 3 },
            ContractName: { type: 'bytes', id: 4 },
            Permission_id: { type: 'int32', id: 5 },
          },
        },
        TransactionRaw: {
          fields: {
            ref_block_bytes: { type: 'bytes', id: 1 },
            ref_block_num: { type: 'int64', id: 3 },
            ref_block_hash: { type: 'bytes', id: 4 },
            expiration: { type: 'int64', id: 8 },
            data: { type: 'bytes', id: 10 },
            contract: { rule: 'repeated', type: 'Contract', id: 11 },
            scripts: { type: 'bytes', id: 12 },
            timestamp: { type: 'int64', id: 14 },
            fee_limit: { type: 'int64', id: 18 },
          },
        },
        FreezeBalanceV2Contract: {
          fields: {
            owner_address: { type: 'bytes', id: 1 },
            frozen_balance: { type: 'int64', id: 2 },
            resource: { type: 'int32', id: 3 },
          },
        },
        UnfreezeBalanceV2Contract: {
          fields: {
            owner_address: { type: 'bytes', id: 1 },
            unfreeze_balance: { type: 'int64', id: 2 },
            resource: { type: 'int32', id: 3 },
          },
        },
        WithdrawExpireUnfreezeContract: { fields: { owner_address: { type: 'bytes', id: 1 } } },
        CancelAllUnfreezeV2Contract: { fields: { owner_address: { type: 'bytes', id: 1 } } },
        WithdrawBalanceContract: { fields: { owner_address: { type: 'bytes', id: 1 } } },
        DelegateResourceContract: {
          fields: {
            owner_address: { type: 'bytes', id: 1 },
            resource: { type: 'int32', id: 2 },
            balance: { type: 'int64', id: 3 },
            receiver_address: { type: 'bytes', id: 4 },
            lock: { type: 'bool', id: 5 },
            lock_period: { type: 'int64', id: 6 },
          },
        },
        UnDelegateResourceContract: {
          fields: {
            owner_address: { type: 'bytes', id: 1 },
            resource: { type: 'int32', id: 2 },
            balance: { type: 'int64', id: 3 },
            receiver_address: { type: 'bytes', id: 4 },
          },
        },
        AccountCreateContract: {
          fields: {
            owner_address: { type: 'bytes', id: 1 },
            account_address: { type: 'bytes', id: 2 },
            type: { type: 'int32', id: 3 },
          },
        },
        Vote: {
          fields: { vote_address: { type: 'bytes', id: 1 }, vote_count: { type: 'int64', id: 2 } },
        },
        VoteWitnessContract: {
          fields: {
            owner_address: { type: 'bytes', id: 1 },
            votes: { rule: 'repeated', type: 'Vote', id: 2 },
            support: { type: 'bool', id: 3 },
          },
        },
      },
    },
  },
});

// ContractType enum values (Tron.proto).
export const CONTRACT_TYPE_NUMBERS: Record<string, number> = {
  AccountCreateContract: 0,
  VoteWitnessContract: 4,
  WithdrawBalanceContract: 13,
  FreezeBalanceV2Contract: 54,
  UnfreezeBalanceV2Contract: 55,
  WithdrawExpireUnfreezeContract: 56,
  DelegateResourceContract: 57,
  UnDelegateResourceContract: 58,
  CancelAllUnfreezeV2Contract: 59,
};
const NAME_OF_NUMBER = Object.fromEntries(
  Object.entries(CONTRACT_TYPE_NUMBERS).map(([k, v]) => [v, k]),
);
const RESOURCE_NAMES = ['BANDWIDTH', 'ENERGY', 'TRON_POWER'];

export interface DecodedTx {
  contractCount: number;
  contractType: string;
  typeUrl: string;
  permissionId: number;
  expiration: number;
  timestamp: number;
  refBlockBytes: string;
  refBlockHash: string;
  /** Contract fields with addresses as 41-hex, amounts as bigint, resource by name. */
  fields: Record<string, unknown>;
}

const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');
const toBig = (v: unknown): bigint => (v === undefined || v === null ? 0n : BigInt(String(v)));

export function decodeRawTransaction(rawDataHex: string): DecodedTx {
  const raw = root
    .lookupType('protocol.TransactionRaw')
    .decode(Buffer.from(rawDataHex, 'hex')) as unknown as {
    ref_block_bytes?: Uint8Array;
    ref_block_hash?: Uint8Array;
    expiration?: unknown;
    timestamp?: unknown;
    contract?: {
      type?: number;
      parameter?: { type_url?: string; value?: Uint8Array };
      Permission_id?: number;
    }[];
  };
  const contracts = raw.contract ?? [];
  const first = contracts[0];
  const contractType = NAME_OF_NUMBER[first?.type ?? -1] ?? `Unknown(${first?.type})`;
  let fields: Record<string, unknown> = {};
  if (first && NAME_OF_NUMBER[first.type ?? -1]) {
    const message = root
      .lookupType(`protocol.${contractType}`)
      .decode(first.parameter?.value ?? new Uint8Array());
    const obj = message.toJSON() as Record<string, unknown>;
    const plain = message as unknown as Record<string, unknown>;
    fields = {};
    for (const [key, value] of Object.entries(plain)) {
      if (key.endsWith('_address')) fields[key] = hex(value as Uint8Array);
      else if (key === 'resource')
        fields[key] = RESOURCE_NAMES[Number(value)] ?? `Unknown(${value})`;
      else if (['frozen_balance', 'unfreeze_balance', 'balance', 'lock_period'].includes(key))
        fields[key] = toBig(value);
      else if (key === 'votes') {
        fields.votes = (value as { vote_address: Uint8Array; vote_count: unknown }[]).map((v) => ({
          vote_address: hex(v.vote_address),
          vote_count: toBig(v.vote_count),
        }));
      } else fields[key] = obj[key] ?? value;
    }
    // proto3 omits defaults: make them explicit so comparisons see them.
    if ('resource' in (message.$type.fields as object) && !('resource' in fields))
      fields.resource = 'BANDWIDTH';
  }
  return {
    contractCount: contracts.length,
    contractType,
    typeUrl: first?.parameter?.type_url ?? '',
    permissionId: first?.Permission_id ?? 0,
    expiration: Number(toBig(raw.expiration)),
    timestamp: Number(toBig(raw.timestamp)),
    refBlockBytes: hex(raw.ref_block_bytes),
    refBlockHash: hex(raw.ref_block_hash),
    fields,
  };
}
