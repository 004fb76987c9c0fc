import type { Contract } from '../../tx/contracts.js';
import { isValidAddressHex } from '../../tx/address.js';
import { type Account, checkedAdd } from '../account.js';
import { ACCOUNT_EXCEPTION_STR, NOT_EXIST_STR } from '../constants.js';
import { type Actuator, fail, ok } from './actuator.js';

type Of<T extends Contract['type']> = Extract<Contract, { type: T }>;

export const transfer: Actuator<Of<'TransferContract'>> = {
  validate(chain, c) {
    if (!isValidAddressHex(c.owner)) fail('Invalid ownerAddress!');
    if (!isValidAddressHex(c.to)) fail('Invalid toAddress!');
    if (c.to === c.owner) fail('Cannot transfer TRX to yourself.');
    const owner = chain.account(c.owner);
    if (!owner) fail('Validate TransferContract error, no OwnerAccount.');
    if (c.amount <= 0) fail('Amount must be greater than 0.');
    const to = chain.account(c.to);
    // Sending to a new address creates it and costs the system-contract account fee.
    const fee = to ? 0 : chain.p('getCreateNewAccountFeeInSystemContract');
    if (to?.type === 2) fail('Cannot transfer TRX to a smartContract.');
    try {
      if (owner.balance < checkedAdd(c.amount, fee))
        fail('Validate TransferContract error, balance is not sufficient.');
      if (to) checkedAdd(to.balance, c.amount);
    } catch (e) {
      if (e instanceof RangeError) fail(e.message);
      throw e;
    }
  },
  execute(chain, c) {
    const owner = chain.account(c.owner) as Account;
    let to = chain.account(c.to);
    let fee = 0;
    if (!to) {
      fee = chain.p('getCreateNewAccountFeeInSystemContract');
      to = chain.createAccount(c.to);
    }
    owner.balance -= c.amount + fee;
    to.balance += c.amount;
    chain.burnedSun += fee;
    chain.touch(to);
    return ok({}, fee);
  },
};

export const createAccount: Actuator<Of<'AccountCreateContract'>> = {
  validate(chain, c) {
    if (!isValidAddressHex(c.owner)) fail('Invalid ownerAddress');
    const owner = chain.account(c.owner);
    if (!owner) fail(ACCOUNT_EXCEPTION_STR + c.owner + NOT_EXIST_STR);
    if (owner.balance < chain.p('getCreateNewAccountFeeInSystemContract'))
      fail('Validate CreateAccountActuator error, insufficient fee.');
    if (!isValidAddressHex(c.account)) fail('Invalid account address');
    if (chain.account(c.account)) fail('Account has existed');
  },
  execute(chain, c) {
    const owner = chain.account(c.owner) as Account;
    const fee = chain.p('getCreateNewAccountFeeInSystemContract');
    owner.balance -= fee;
    chain.burnedSun += fee;
    chain.createAccount(c.account, c.accountType === 2 ? 0 : c.accountType);
    return ok({}, fee);
  },
};
