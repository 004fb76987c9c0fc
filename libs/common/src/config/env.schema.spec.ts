import { randomBytes } from 'node:crypto';
import { ConfigValidationError, validateEnv } from './env.schema.js';

const JWT_SECRET = randomBytes(32).toString('hex');
const trustProxy = (value: string) => validateEnv({ JWT_SECRET, TRUST_PROXY: value }).TRUST_PROXY;
const problemOf = (env: Record<string, string>) => {
  try {
    validateEnv({ JWT_SECRET, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as Error).message;
  }
  throw new Error('the environment was accepted');
};

describe('TRUST_PROXY', () => {
  it('accepts off (false, 0, empty), a hop count, and IP addresses/CIDRs (v4 and v6)', () => {
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('0')).toBe(false);
    expect(trustProxy('')).toBe(false);
    expect(validateEnv({ JWT_SECRET }).TRUST_PROXY).toBe(false);
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy(' 10.0.0.0/8 , 192.168.1.10,::1, fd00::/8 ')).toEqual([
      '10.0.0.0/8',
      '192.168.1.10',
      '::1',
      'fd00::/8',
    ]);
  });

  it('refuses true, naming the variable and what to set instead', () => {
    for (const value of ['true', 'TRUE', ' true ']) {
      const message = problemOf({ TRUST_PROXY: value });
      expect(message).toMatch(/TRUST_PROXY: true is not accepted/);
      expect(message).toMatch(/number of proxy hops/);
      expect(message).toMatch(/CIDRs/);
    }
  });

  it('refuses a list with bad entries by position, never echoing the value', () => {
    const message = problemOf({ TRUST_PROXY: '10.0.0.0/8,proxy.internal,10.0.0.0/33,1.2.3.4/8/1' });
    expect(message).toMatch(/TRUST_PROXY: must be false, a hop count/);
    expect(message).toMatch(/entries 2, 3, 4 are not an IP address or CIDR/);
    expect(message).not.toContain('proxy.internal');
    expect(problemOf({ TRUST_PROXY: '99' })).toMatch(/TRUST_PROXY: a hop count must be between/);
  });

  it('is reported in the one message that names every bad variable', () => {
    const message = problemOf({ TRUST_PROXY: 'true', PORT: '70000' });
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/TRUST_PROXY:/);
  });
});
