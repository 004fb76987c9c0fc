import type { FastifyInstance } from 'fastify';
import { actuatorFor } from '../chain/actuators/index.js';
import { ContractValidateError } from '../chain/errors.js';
import type { DevnetRuntime } from '../runtime.js';
import { buildTransaction } from '../tx/codec.js';
import type { Contract, VoteEntry } from '../tx/contracts.js';
import {
  addressParam,
  boolParam,
  HttpError,
  intParam,
  type Params,
  resourceParam,
} from './request.js';
import { full, route } from './route.js';

const VALIDATE_EXCEPTION = 'class org.tron.core.exception.ContractValidateException';

type Parser = (p: Params) => Contract;

function votesParam(p: Params): VoteEntry[] {
  const raw = p.values.votes;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new HttpError('class com.alibaba.fastjson.JSONException : votes');
  return raw.map((v: unknown) => {
    const entry = new Map(Object.entries((v ?? {}) as Record<string, unknown>));
    const sub: Params = { values: Object.fromEntries(entry), visible: p.visible };
    return { address: addressParam(sub, 'vote_address'), count: intParam(sub, 'vote_count') };
  });
}

/** Request fields of each builder servlet, mapped to the contract it builds. */
const BUILDERS: Record<string, Parser> = {
  freezebalancev2: (p) => ({
    type: 'FreezeBalanceV2Contract',
    owner: addressParam(p, 'owner_address'),
    frozenBalance: intParam(p, 'frozen_balance'),
    resource: resourceParam(p),
  }),
  unfreezebalancev2: (p) => ({
    type: 'UnfreezeBalanceV2Contract',
    owner: addressParam(p, 'owner_address'),
    unfreezeBalance: intParam(p, 'unfreeze_balance'),
    resource: resourceParam(p),
  }),
  cancelallunfreezev2: (p) => ({
    type: 'CancelAllUnfreezeV2Contract',
    owner: addressParam(p, 'owner_address'),
  }),
  withdrawexpireunfreeze: (p) => ({
    type: 'WithdrawExpireUnfreezeContract',
    owner: addressParam(p, 'owner_address'),
  }),
  delegateresource: (p) => ({
    type: 'DelegateResourceContract',
    owner: addressParam(p, 'owner_address'),
    receiver: addressParam(p, 'receiver_address'),
    balance: intParam(p, 'balance'),
    resource: resourceParam(p),
    lock: boolParam(p, 'lock'),
    lockPeriod: intParam(p, 'lock_period'),
  }),
  undelegateresource: (p) => ({
    type: 'UnDelegateResourceContract',
    owner: addressParam(p, 'owner_address'),
    receiver: addressParam(p, 'receiver_address'),
    balance: intParam(p, 'balance'),
    resource: resourceParam(p),
  }),
  votewitnessaccount: (p) => ({
    type: 'VoteWitnessContract',
    owner: addressParam(p, 'owner_address'),
    votes: votesParam(p),
  }),
  withdrawbalance: (p) => ({
    type: 'WithdrawBalanceContract',
    owner: addressParam(p, 'owner_address'),
  }),
  createtransaction: (p) => ({
    type: 'TransferContract',
    owner: addressParam(p, 'owner_address'),
    to: addressParam(p, 'to_address'),
    amount: intParam(p, 'amount'),
  }),
  createaccount: (p) => ({
    type: 'AccountCreateContract',
    owner: addressParam(p, 'owner_address'),
    account: addressParam(p, 'account_address'),
    accountType: intParam(p, 'type'),
  }),
};

/**
 * Builder servlets: the node runs the actuator's validate() against its current state and returns
 * the unsigned transaction, or `{"Error": "...ContractValidateException : <message>"}`.
 */
export function registerBuilderRoutes(app: FastifyInstance, rt: DevnetRuntime): void {
  for (const [name, parse] of Object.entries(BUILDERS)) {
    route(app, full(name), ['POST'], (p) => {
      const contract = parse(p);
      try {
        actuatorFor(contract).validate(rt.chain, contract);
      } catch (e) {
        if (e instanceof ContractValidateError)
          throw new HttpError(`${VALIDATE_EXCEPTION} : ${e.message}`);
        throw e;
      }
      const permissionId = intParam(p, 'Permission_id');
      return buildTransaction(contract, rt.chain.head, rt.nodeTime(), p.visible, permissionId);
    });
  }
}
