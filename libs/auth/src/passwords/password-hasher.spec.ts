import { loadPolicyFile, SecurityPolicy, securityPolicySchema } from '@app/common';
import { PasswordHasher } from './password-hasher.js';

const policy = new SecurityPolicy(
  loadPolicyFile('config/staking-security-policies.yaml', securityPolicySchema),
);

describe('PasswordHasher (scrypt, policy parameters)', () => {
  const hasher = new PasswordHasher(policy);

  it('hashes with the policy cost and a random salt, and verifies', async () => {
    const one = await hasher.hash('correct horse battery');
    const two = await hasher.hash('correct horse battery');
    expect(one).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]{88}$/);
    expect(one).not.toBe(two);
    expect(one).not.toContain('correct horse');
    expect(await hasher.verify('correct horse battery', one)).toBe(true);
    expect(await hasher.verify('correct horse batterY', one)).toBe(false);
  });

  it('verifies hashes made with other parameters (cost can rise later) and rejects junk', async () => {
    const cheaper = new PasswordHasher(
      new SecurityPolicy({
        ...policy.file,
        authentication: {
          ...policy.file.authentication,
          password: {
            ...policy.file.authentication.password,
            scrypt: { cost: 1024, block_size: 8, parallelization: 1, key_length: 32 },
          },
        },
      }),
    );
    const old = await cheaper.hash('legacy-password');
    expect(old.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await hasher.verify('legacy-password', old)).toBe(true);
    expect(await hasher.verify('x', 'bcrypt$whatever')).toBe(false);
    expect(await hasher.verifyDummy('anything')).toBe(false);
  });
});
