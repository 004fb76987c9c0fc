import { ErrorCode, StakingException, type Sun } from '@app/common';
import { Logger } from '@nestjs/common';
import { utils, type TronWeb } from 'tronweb';
import { toBase58Address } from '../address.js';
import type { NodeCallPolicy } from '../resilience/node-call-policy.js';
import type { NodeEndpoint } from '../resilience/node-endpoints.js';
import type { Resource, TronTransaction, TxIntent } from '../tx/tx-intent.js';
import { verifyTransaction } from '../tx/tx-verifier.js';
import {
  TronGateway,
  type BroadcastResult,
  type ChainAccount,
  type ChainBlock,
  type ChainDelegation,
  type ChainDelegationIndex,
  type ChainParameters,
  type ChainResources,
  type TxInfo,
  type WitnessInfo,
} from './tron-gateway.js';

type Json = Record<string, unknown>;
const big = (v: unknown): Sun => (v === undefined || v === null ? 0n : BigInt(String(v)));
const num = (v: unknown): number => (v === undefined || v === null ? 0 : Number(v));
const resourceOf = (v: unknown): Resource | 'TRON_POWER' =>
  v === 'ENERGY' ? 'ENERGY' : v === 'TRON_POWER' ? 'TRON_POWER' : 'BANDWIDTH';
// tronweb takes amounts as JS numbers; stay in the exactly representable range.
const toNumber = (sun: Sun): number => {
  if (sun > BigInt(Number.MAX_SAFE_INTEGER))
    throw new StakingException(ErrorCode.AMOUNT_ABOVE_MAXIMUM);
  return Number(sun);
};

/** The wallet API path that builds each kind of transaction (the node-call metrics' label). */
const BUILD_ENDPOINT: Record<TxIntent['kind'], NodeEndpoint> = {
  freeze: 'freezebalancev2',
  unfreeze: 'unfreezebalancev2',
  withdraw_expire_unfreeze: 'withdrawexpireunfreeze',
  cancel_all_unfreeze: 'cancelallunfreezev2',
  claim_reward: 'withdrawbalance',
  vote: 'votewitnessaccount',
  delegate: 'delegateresource',
  undelegate: 'undelegateresource',
  activate: 'createaccount',
};

/** TronGateway over tronweb: reads from /wallet (freshest state), builds locally, verifies before returning. */
export class TronwebGateway extends TronGateway {
  private readonly logger = new Logger('TronGateway');

  constructor(
    private readonly tronWeb: TronWeb,
    private readonly policy: NodeCallPolicy,
  ) {
    super();
  }

  get circuitState() {
    return this.policy.circuitState;
  }

  async getAccount(address: string): Promise<ChainAccount> {
    const a = (await this.policy.call(
      () => this.tronWeb.trx.getUnconfirmedAccount(address),
      'network',
      'getaccount',
    )) as unknown as Json;
    const exists = a && Object.keys(a).length > 0;
    const frozen: Record<Resource, Sun> = { ENERGY: 0n, BANDWIDTH: 0n };
    for (const f of (a.frozenV2 as Json[] | undefined) ?? []) {
      const r = resourceOf(f.type);
      if (r !== 'TRON_POWER') frozen[r] += big(f.amount);
    }
    const res = (a.account_resource as Json | undefined) ?? {};
    return {
      address: toBase58Address(address),
      exists,
      balanceSun: big(a.balance),
      frozenSun: frozen,
      delegatedOutSun: {
        ENERGY: big(res.delegated_frozenV2_balance_for_energy),
        BANDWIDTH: big(a.delegated_frozenV2_balance_for_bandwidth),
      },
      acquiredSun: {
        ENERGY: big(res.acquired_delegated_frozenV2_balance_for_energy),
        BANDWIDTH: big(a.acquired_delegated_frozenV2_balance_for_bandwidth),
      },
      unfreezing: ((a.unfrozenV2 as Json[] | undefined) ?? []).map((u) => ({
        resource: resourceOf(u.type) === 'ENERGY' ? 'ENERGY' : 'BANDWIDTH',
        amountSun: big(u.unfreeze_amount),
        expireAt: num(u.unfreeze_expire_time),
      })),
      votes: ((a.votes as Json[] | undefined) ?? []).map((v) => ({
        witness: toBase58Address(String(v.vote_address)),
        count: num(v.vote_count),
      })),
      allowanceSun: big(a.allowance),
      latestWithdrawTime: num(a.latest_withdraw_time),
    };
  }

  async getAccountResources(address: string): Promise<ChainResources> {
    const r = (await this.policy.call(
      () => this.tronWeb.trx.getAccountResources(address),
      'network',
      'getaccountresource',
    )) as unknown as Json;
    return {
      energyLimit: num(r.EnergyLimit),
      energyUsed: num(r.EnergyUsed),
      netLimit: num(r.NetLimit),
      netUsed: num(r.NetUsed),
      freeNetLimit: num(r.freeNetLimit),
      freeNetUsed: num(r.freeNetUsed),
      tronPowerLimit: num(r.tronPowerLimit),
      tronPowerUsed: num(r.tronPowerUsed),
      totalEnergyLimit: num(r.TotalEnergyLimit),
      totalEnergyWeight: num(r.TotalEnergyWeight),
      totalNetLimit: num(r.TotalNetLimit),
      totalNetWeight: num(r.TotalNetWeight),
    };
  }

  async getChainParameters(): Promise<ChainParameters> {
    const list = (await this.policy.call(
      () => this.tronWeb.trx.getChainParameters(),
      'network',
      'getchainparameters',
    )) as unknown as { key: string; value?: number }[];
    const raw = Object.fromEntries(list.map((p) => [p.key, num(p.value)]));
    return {
      unfreezeDelayDays: raw.getUnfreezeDelayDays ?? 14,
      maxDelegateLockPeriodBlocks: raw.getMaxDelegateLockPeriod ?? 864_000,
      raw,
    };
  }

  // The full node's view (not /walletsolidity): a precheck must see the latest block's state.
  async getCanDelegatedMaxSize(owner: string, resource: Resource): Promise<Sun> {
    const r = (await this.policy.call(
      () => this.tronWeb.trx.getCanDelegatedMaxSize(owner, resource, { confirmed: false }),
      'network',
      'getcandelegatedmaxsize',
    )) as unknown as Json;
    return big(r?.max_size);
  }

  async getDelegatedResources(from: string, to: string): Promise<ChainDelegation[]> {
    const r = (await this.policy.call(
      () => this.tronWeb.trx.getDelegatedResourceV2(from, to, { confirmed: false }),
      'network',
      'getdelegatedresourcev2',
    )) as unknown as Json;
    return ((r?.delegatedResource as Json[] | undefined) ?? []).map((d) => ({
      from: toBase58Address(String(d.from)),
      to: toBase58Address(String(d.to)),
      sun: {
        ENERGY: big(d.frozen_balance_for_energy),
        BANDWIDTH: big(d.frozen_balance_for_bandwidth),
      },
      expireAt: {
        ENERGY: num(d.expire_time_for_energy),
        BANDWIDTH: num(d.expire_time_for_bandwidth),
      },
    }));
  }

  async getDelegationIndex(address: string): Promise<ChainDelegationIndex> {
    const r = (await this.policy.call(
      () => this.tronWeb.trx.getDelegatedResourceAccountIndexV2(address, { confirmed: false }),
      'network',
      'getdelegatedresourceaccountindexv2',
    )) as unknown as Json;
    const list = (v: unknown) => ((v as string[] | undefined) ?? []).map(toBase58Address);
    return { toAccounts: list(r?.toAccounts), fromAccounts: list(r?.fromAccounts) };
  }

  async listWitnesses(): Promise<WitnessInfo[]> {
    const list = (await this.policy.call(
      () => this.tronWeb.trx.listSuperRepresentatives(),
      'network',
      'listwitnesses',
    )) as unknown as Json[];
    return list.map((w) => ({
      address: toBase58Address(String(w.address)),
      url: String(w.url ?? ''),
      voteCount: num(w.voteCount),
      totalProduced: num(w.totalProduced),
      totalMissed: num(w.totalMissed),
      isJobs: Boolean(w.isJobs),
    }));
  }

  async getBrokerage(witness: string): Promise<number> {
    return num(
      await this.policy.call(
        () => this.tronWeb.trx.getUnconfirmedBrokerage(witness),
        'network',
        'getbrokerage',
      ),
    );
  }

  async getReward(address: string): Promise<Sun> {
    return big(
      await this.policy.call(
        () => this.tronWeb.trx.getUnconfirmedReward(address),
        'network',
        'getreward',
      ),
    );
  }

  async getNextMaintenanceTime(): Promise<number> {
    // tronweb's timeUntilNextVoteCycle divides this absolute time by 1000; ask the node directly.
    const reply = (await this.policy.call(
      () => this.tronWeb.fullNode.request('wallet/getnextmaintenancetime', {}, 'post'),
      'network',
      'getnextmaintenancetime',
    )) as unknown as Json;
    return num(reply.num);
  }

  getLatestBlock(): Promise<ChainBlock> {
    return this.latestBlock('network');
  }

  probeLatestBlock(): Promise<ChainBlock> {
    return this.latestBlock('none');
  }

  async getSolidBlock(): Promise<ChainBlock> {
    return blockOf(
      (await this.policy.call(
        () => this.tronWeb.trx.getConfirmedCurrentBlock(),
        'network',
        'solidity_getnowblock',
      )) as unknown as Json,
    );
  }

  private async latestBlock(retry: 'network' | 'none'): Promise<ChainBlock> {
    return blockOf(
      (await this.policy.call(
        () => this.tronWeb.trx.getCurrentBlock(),
        retry,
        'getnowblock',
      )) as unknown as Json,
    );
  }

  async build(
    intent: TxIntent,
    options: { extendExpirationSeconds?: number; timestampOffsetMs?: number } = {},
  ): Promise<TronTransaction> {
    const tb = this.tronWeb.transactionBuilder;
    const owner = toBase58Address(intent.owner);
    const tx = (await this.policy.call(
      async () => {
        switch (intent.kind) {
          case 'freeze':
            return tb.freezeBalanceV2(toNumber(intent.amountSun), intent.resource, owner);
          case 'unfreeze':
            return tb.unfreezeBalanceV2(toNumber(intent.amountSun), intent.resource, owner);
          case 'withdraw_expire_unfreeze':
            return tb.withdrawExpireUnfreeze(owner);
          case 'cancel_all_unfreeze':
            return tb.cancelUnfreezeBalanceV2(owner);
          case 'claim_reward':
            return tb.withdrawBlockRewards(owner);
          case 'vote':
            return tb.vote(
              Object.fromEntries(intent.votes.map((v) => [toBase58Address(v.witness), v.count])),
              owner,
            );
          case 'delegate':
            return tb.delegateResource(
              toNumber(intent.amountSun),
              toBase58Address(intent.receiver),
              intent.resource,
              owner,
              intent.lock,
              intent.lock ? intent.lockPeriodBlocks : undefined,
            );
          case 'activate':
            return tb.createAccount(toBase58Address(intent.account), owner);
          case 'undelegate':
            return tb.undelegateResource(
              toNumber(intent.amountSun),
              toBase58Address(intent.receiver),
              intent.resource,
              owner,
            );
        }
      },
      'transaction',
      BUILD_ENDPOINT[intent.kind],
    )) as unknown as TronTransaction;
    const final =
      options.extendExpirationSeconds || options.timestampOffsetMs
        ? withRawData(tx, {
            expiration: tx.raw_data.expiration + (options.extendExpirationSeconds ?? 0) * 1000,
            timestamp: (tx.raw_data.timestamp ?? 0) + (options.timestampOffsetMs ?? 0),
          })
        : tx;
    // Defence in depth: tronweb built it, we still check the signed bytes say what we asked.
    verifyTransaction(final, intent);
    return final;
  }

  async broadcast(tx: TronTransaction): Promise<BroadcastResult> {
    const reply = (await this.policy.call(
      () => this.tronWeb.trx.sendRawTransaction(tx as never),
      'transaction',
      'broadcasttransaction',
    )) as unknown as Json;
    if (reply.result === true) return { accepted: true, duplicate: false };
    const code = String(reply.code ?? 'OTHER_ERROR');
    const message = decodeNodeMessage(reply.message);
    if (code === 'DUP_TRANSACTION_ERROR') return { accepted: true, duplicate: true, code, message };
    this.logger.warn({ code, message, txid: tx.txID }, 'Node refused transaction');
    return { accepted: false, duplicate: false, code, message };
  }

  async getTransactionInfo(txid: string): Promise<TxInfo | null> {
    return txInfoOf(
      txid,
      (await this.policy.call(
        () => this.tronWeb.trx.getUnconfirmedTransactionInfo(txid),
        'network',
        'gettransactioninfobyid',
      )) as unknown as Json,
    );
  }

  async getSolidTransactionInfo(txid: string): Promise<TxInfo | null> {
    return txInfoOf(
      txid,
      (await this.policy.call(
        () => this.tronWeb.trx.getTransactionInfo(txid),
        'network',
        'solidity_gettransactioninfobyid',
      )) as unknown as Json,
    );
  }
}

function blockOf(b: Json): ChainBlock {
  const raw = ((b.block_header as Json)?.raw_data as Json) ?? {};
  return { number: num(raw.number), id: String(b.blockID), timestamp: num(raw.timestamp) };
}

function txInfoOf(txid: string, info: Json): TxInfo | null {
  if (!info || Object.keys(info).length === 0) return null;
  const receipt = (info.receipt as Json | undefined) ?? {};
  const failed =
    info.result === 'FAILED' || (receipt.result !== undefined && receipt.result !== 'SUCCESS');
  return {
    txid,
    blockNumber: num(info.blockNumber),
    blockTimestamp: num(info.blockTimeStamp),
    success: !failed,
    feeSun: big(info.fee),
    netUsage: num(receipt.net_usage),
    netFeeSun: big(receipt.net_fee),
    withdrawAmountSun: big(info.withdraw_amount),
    withdrawExpireAmountSun: big(info.withdraw_expire_amount),
    cancelledUnfreezeSun: cancelledOf(info.cancel_unfreezeV2_amount),
    failureReason: failed
      ? decodeNodeMessage(info.resMessage) || String(receipt.result ?? 'FAILED')
      : undefined,
  };
}

function cancelledOf(entries: unknown): Record<Resource, Sun> {
  const out: Record<Resource, Sun> = { ENERGY: 0n, BANDWIDTH: 0n };
  for (const e of (entries as { key?: string; value?: number }[] | undefined) ?? []) {
    const r = resourceOf(e.key);
    if (r !== 'TRON_POWER') out[r] += big(e.value);
  }
  return out;
}

/** java-tron sends messages as hex-encoded UTF-8. */
export function decodeNodeMessage(message: unknown): string {
  if (typeof message !== 'string' || !message) return '';
  return /^[0-9a-fA-F]+$/.test(message) && message.length % 2 === 0
    ? Buffer.from(message, 'hex').toString('utf8')
    : message;
}

/** Re-encodes a transaction with another expiration/timestamp: new raw bytes, new txID. */
function withRawData(
  tx: TronTransaction,
  fields: { expiration: number; timestamp: number },
): TronTransaction {
  const next = structuredClone(tx);
  next.raw_data.expiration = fields.expiration;
  next.raw_data.timestamp = fields.timestamp;
  const pb = utils.transaction.txJsonToPb(next as never);
  next.raw_data_hex = utils.transaction.txPbToRawDataHex(pb).toLowerCase();
  next.txID = utils.transaction.txPbToTxID(pb).replace(/^0x/, '');
  return next;
}
