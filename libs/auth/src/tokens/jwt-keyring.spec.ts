import { JwtKeyring } from './jwt-keyring.js';

const secret = (c: string) => c.repeat(32);

describe('JwtKeyring', () => {
  it('signs with the current key and verifies with current and previous ones by kid', () => {
    const ring = new JwtKeyring('k2', secret('b'), [
      `k1:${secret('a')}`,
      `k0:${secret('c')}:with-colon`,
    ]);
    expect(ring.current.kid).toBe('k2');
    expect(ring.kids).toEqual(['k2', 'k1', 'k0']);
    expect(new TextDecoder().decode(ring.find('k1')!.secret)).toBe(secret('a'));
    expect(new TextDecoder().decode(ring.find('k0')!.secret)).toBe(`${secret('c')}:with-colon`);
    expect(ring.find('k9')).toBeUndefined();
    expect(ring.find(undefined)).toBeUndefined();
  });

  it('refuses malformed, short or duplicate previous keys without echoing the secret', () => {
    expect(() => new JwtKeyring('k1', secret('a'), ['no-colon-here'])).toThrow(/kid:secret/);
    expect(() => new JwtKeyring('k1', secret('a'), ['k0:short-secret'])).toThrow(/k0/);
    try {
      new JwtKeyring('k1', secret('a'), ['k0:short-secret']);
    } catch (e) {
      expect((e as Error).message).not.toContain('short-secret');
    }
    expect(() => new JwtKeyring('k1', secret('a'), [`k1:${secret('b')}`])).toThrow(/twice/);
  });
});
