import { TronWeb, utils } from 'tronweb';
import type { TronTransaction } from './tx-intent.js';

export interface KeyPair {
  privateKey: string;
  address: string;
}

/** A new secp256k1 key pair and its Base58 address. */
export function generateKeyPair(): KeyPair {
  const account = utils.accounts.generateAccount();
  return { privateKey: account.privateKey.replace(/^0x/, ''), address: account.address.base58 };
}

export function addressOfPrivateKey(privateKey: string): string {
  return TronWeb.address.fromPrivateKey(privateKey.replace(/^0x/, '')) as string;
}

/** Signs txID (secp256k1, r‖s‖v); the transaction must already be verified against its intent. */
export function signWithKey(tx: TronTransaction, privateKey: string): TronTransaction {
  const signed = utils.crypto.signTransaction(
    privateKey.replace(/^0x/, ''),
    structuredClone(tx),
  ) as unknown as TronTransaction;
  return signed;
}

/** The Base58 address whose key made `signature` over `txID`, or null for a malformed signature. */
export function recoverSigner(txID: string, signature: string): string | null {
  try {
    const hex = utils.crypto.ecRecover(txID, signature);
    return TronWeb.address.fromHex(hex.replace(/^0x/, '41'));
  } catch {
    return null;
  }
}
