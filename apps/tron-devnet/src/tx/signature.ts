import { utils } from 'tronweb';

/**
 * Recovers the signer's address (hex, 41-prefixed) from a 65-byte r‖s‖v signature over the txID,
 * the way java-tron's SignUtils.signatureToAddress does (v may be 0/1 or 27/28).
 */
export function recoverSigner(txID: string, signatureHex: string): string {
  let sig = signatureHex;
  const v = parseInt(sig.slice(128, 130), 16);
  if (v === 0 || v === 1) sig = sig.slice(0, 128) + (v + 27).toString(16);
  return utils.crypto.ecRecover(txID, sig.slice(0, 130)).toLowerCase();
}

export function signHash(hashHex: string, privateKey: string): string {
  return utils.crypto
    .ECKeySign(utils.code.hexStr2byteArray(hashHex), utils.code.hexStr2byteArray(privateKey))
    .toLowerCase();
}
