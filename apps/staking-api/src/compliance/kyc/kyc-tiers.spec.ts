import type { SecurityPolicyFile } from '@app/common';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { kycRank, requiredLevel } from './kyc-tiers.js';

const levels = (
  parse(readFileSync('config/staking-security-policies.yaml', 'utf8')) as SecurityPolicyFile
).aml_kyc.kyc.levels;
const trx = (n: number) => BigInt(n) * 1_000_000n;

describe('KYC tiers (policy aml_kyc.kyc.levels)', () => {
  it('the lowest level whose per-operation tier covers the amount', () => {
    expect(requiredLevel(levels, trx(10_000), trx(10_000))).toBe('basic');
    expect(requiredLevel(levels, trx(10_000) + 1n, trx(10_001))).toBe('intermediate');
    expect(requiredLevel(levels, trx(100_001), trx(100_001))).toBe('advanced');
  });

  it("the day's total with this operation counts too: 1 TRX on top of 50,000 today needs intermediate", () => {
    expect(requiredLevel(levels, trx(1), trx(50_000))).toBe('basic');
    expect(requiredLevel(levels, trx(1), trx(50_001))).toBe('intermediate');
    expect(requiredLevel(levels, trx(1), trx(500_001))).toBe('advanced');
  });

  it('ranks the levels in order', () => {
    expect(kycRank('none')).toBeLessThan(kycRank('basic'));
    expect(kycRank('intermediate')).toBeLessThan(kycRank('advanced'));
  });
});
