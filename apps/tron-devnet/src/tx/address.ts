import { createHash } from 'node:crypto';
import { TronWeb, utils } from 'tronweb';

const HEX_ADDRESS = /^41[0-9a-f]{40}$/;
const b58Cache = new Map<string, string>();

/** java-tron's DecodeUtil.addressValid: 21 bytes starting with the 0x41 prefix. */
export function isValidAddressHex(hex: string): boolean {
  return HEX_ADDRESS.test(hex);
}

export function hexToBase58(hex: string): string {
  let b58 = b58Cache.get(hex);
  if (b58 === undefined) {
    b58 = TronWeb.address.fromHex(hex);
    if (b58Cache.size > 100_000) b58Cache.clear();
    b58Cache.set(hex, b58);
  }
  return b58;
}

/** Base58Check → hex; throws on a bad checksum or alphabet like java-tron's Commons.decode58Check. */
export function base58ToHex(b58: string): string {
  const bytes = utils.crypto.decodeBase58Address(b58);
  if (!bytes) throw new Error('Invalid address provided');
  return Buffer.from(bytes as number[]).toString('hex');
}

export function addressOut(hex: string, visible: boolean): string {
  return visible && isValidAddressHex(hex) ? hexToBase58(hex) : hex;
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function addressFromPrivateKey(privateKey: string): string {
  const b58 = TronWeb.address.fromPrivateKey(privateKey);
  if (!b58) throw new Error('invalid private key');
  return TronWeb.address.toHex(b58).toLowerCase();
}
