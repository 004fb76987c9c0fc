import type { Contract } from '../../tx/contracts.js';
import { isValidAddressHex } from '../../tx/address.js';
import { type Account, checkedAdd, tronPower } from '../account.js';
import {
  ACCOUNT_EXCEPTION_STR,
  FROZEN_PERIOD,
  MAX_VOTE_NUMBER,
  NOT_EXIST_STR,
  TRX_PRECISION,
  WITNESS_EXCEPTION_STR,
} from '../constants.js';
import { queryReward, withdrawReward } from '../rewards.js';
import { type Actuator, fail, ok, requireAccount, requireAddress } from './actuator.js';

type Of<T extends Contract['type']> = Extract<Contract, { type: T }>;

/** WitnessAllowanceFrozenTime: rewards can be claimed once a day. */
const WITHDRAW_INTERVAL_DAYS = 1;

export const voteWitness: Actuator<Of<'VoteWitnessContract'>> = {
  validate(chain, c) {
    requireAddress(c.owner);
    if (c.votes.length === 0) fail('VoteNumber must more than 0');
    if (c.votes.length > MAX_VOTE_NUMBER)
      fail(`VoteNumber more than maxVoteNumber ${MAX_VOTE_NUMBER}`);
    let sum = 0;
    for (const v of c.votes) {
      if (!isValidAddressHex(v.address)) fail('Invalid vote address!');
      if (v.count <= 0) fail('vote count must be greater than 0');
      if (!chain.account(v.address)) fail(ACCOUNT_EXCEPTION_STR + v.address + NOT_EXIST_STR);
      if (!chain.witnesses.has(v.address)) fail(WITNESS_EXCEPTION_STR + v.address + NOT_EXIST_STR);
      try {
        sum = checkedAdd(sum, v.count);
      } catch (e) {
        fail((e as Error).message);
      }
    }
    const acc = requireAccount(chain, c.owner);
    const tp = tronPower(acc);
    const sunVotes = BigInt(sum) * BigInt(TRX_PRECISION);
    if (sunVotes > BigInt(tp))
      fail(`The total number of votes[${sunVotes}] is greater than the tronPower[${tp}]`);
  },
  execute(chain, c) {
    const acc = chain.account(c.owner) as Account;
    // Pending rewards are claimed into allowance before the votes change.
    withdrawReward(chain, acc);
    // A new vote replaces all previous ones; witnesses tally it at the next maintenance.
    acc.votes = c.votes.map((v) => ({ address: v.address, count: v.count }));
    chain.dirtyVoters.add(acc.address);
    return ok();
  },
};

export const withdrawBalance: Actuator<Of<'WithdrawBalanceContract'>> = {
  validate(chain, c) {
    requireAddress(c.owner);
    const acc = requireAccount(chain, c.owner);
    if (chain.guards.has(c.owner))
      fail(
        `${ACCOUNT_EXCEPTION_STR}${c.owner}] is a guard representative and is not allowed to withdraw Balance`,
      );
    const now = chain.now();
    if (now - acc.latestWithdrawTime < WITHDRAW_INTERVAL_DAYS * FROZEN_PERIOD)
      fail(`The last withdraw time is ${acc.latestWithdrawTime}, less than 24 hours`);
    if (acc.allowance <= 0 && queryReward(chain, acc) <= 0)
      fail('witnessAccount does not have any reward');
  },
  execute(chain, c) {
    const acc = chain.account(c.owner) as Account;
    withdrawReward(chain, acc);
    const amount = acc.allowance;
    acc.balance += amount;
    acc.allowance = 0;
    acc.latestWithdrawTime = chain.now();
    return ok({ withdrawAmount: amount });
  },
};
