import { KeystoreCipher } from './keystore-cipher.js';

const params = { iterations: 1000, keyLengthBytes: 32, saltBytes: 16, ivBytes: 12 };
const KEY = 'a'.repeat(64);
const ADDRESS = 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy';

describe('KeystoreCipher', () => {
  it('round-trips a key and never stores it in clear', async () => {
    const cipher = new KeystoreCipher(['master-secret-one-xyz'], params);
    const blob = await cipher.encrypt(KEY, ADDRESS);
    expect(JSON.stringify(blob)).not.toContain(KEY);
    expect(JSON.stringify(blob)).not.toContain(Buffer.from(KEY, 'hex').toString('base64'));
    await expect(cipher.decrypt(blob, ADDRESS)).resolves.toBe(KEY);
  });

  it('uses a fresh salt and IV per record', async () => {
    const cipher = new KeystoreCipher(['master-secret-one-xyz'], params);
    const a = await cipher.encrypt(KEY, ADDRESS);
    const b = await cipher.encrypt(KEY, ADDRESS);
    expect(a.iv).not.toBe(b.iv);
    expect(a.salt).not.toBe(b.salt);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('refuses a blob moved to another address (address is authenticated data)', async () => {
    const cipher = new KeystoreCipher(['master-secret-one-xyz'], params);
    const blob = await cipher.encrypt(KEY, ADDRESS);
    await expect(cipher.decrypt(blob, 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8')).rejects.toThrow();
  });

  it('refuses a tampered ciphertext', async () => {
    const cipher = new KeystoreCipher(['master-secret-one-xyz'], params);
    const blob = await cipher.encrypt(KEY, ADDRESS);
    const bytes = Buffer.from(blob.ciphertext, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    await expect(
      cipher.decrypt({ ...blob, ciphertext: bytes.toString('base64') }, ADDRESS),
    ).rejects.toThrow();
  });

  it('decrypts with a previous master secret during rotation and flags the blob', async () => {
    const old = new KeystoreCipher(['master-secret-old-xyz'], params);
    const blob = await old.encrypt(KEY, ADDRESS);
    const rotating = new KeystoreCipher(['master-secret-new-xyz', 'master-secret-old-xyz'], params);
    expect(rotating.needsRotation(blob)).toBe(true);
    await expect(rotating.decrypt(blob, ADDRESS)).resolves.toBe(KEY);
    const fresh = await rotating.encrypt(KEY, ADDRESS);
    expect(rotating.needsRotation(fresh)).toBe(false);
    const onlyNew = new KeystoreCipher(['master-secret-new-xyz'], params);
    await expect(onlyNew.decrypt(blob, ADDRESS)).rejects.toThrow(/No master secret/);
    await expect(onlyNew.decrypt(fresh, ADDRESS)).resolves.toBe(KEY);
  });
});
