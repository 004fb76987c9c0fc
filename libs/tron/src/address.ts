import { TronWeb } from 'tronweb';

const HEX_ADDRESS = /^41[0-9a-fA-F]{40}$/;
const BASE58_ADDRESS = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;

/** True for a checksummed Base58 (T…) or 41-prefixed hex TRON address. */
export function isTronAddress(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (!HEX_ADDRESS.test(value) && !BASE58_ADDRESS.test(value)) return false;
  return TronWeb.isAddress(value);
}

export function toHexAddress(address: string): string {
  return TronWeb.address.toHex(address).toLowerCase();
}

export function toBase58Address(address: string): string {
  return HEX_ADDRESS.test(address) ? TronWeb.address.fromHex(address) : address;
}
