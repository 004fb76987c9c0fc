import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse, stringify } from 'yaml';
import type { SecurityPolicyFile } from '@app/common';

/** A copy of the real security policy with some numbers changed, for suites that need small limits. */
export function writeTestPolicy(change: (policy: SecurityPolicyFile) => void): string {
  const policy = parse(
    readFileSync('config/staking-security-policies.yaml', 'utf8'),
  ) as SecurityPolicyFile;
  change(policy);
  const dir = join(tmpdir(), 'tron-staking-tests', 'policies');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `policy-${randomBytes(4).toString('hex')}.yaml`);
  writeFileSync(file, stringify(policy));
  return file;
}
