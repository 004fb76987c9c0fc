import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { SecurityPolicyFile } from '@app/common';
import { atOrAbove, riskScore } from './risk-score.js';

const policy = (
  parse(readFileSync('config/staking-security-policies.yaml', 'utf8')) as SecurityPolicyFile
).aml_kyc.risk_scoring;
const base = {
  kycLevel: 'advanced' as const,
  pepMatch: false,
  velocityShare: 0,
  largeAmount: false,
  newCounterparties: 0,
};

describe('risk score (policy weights and bands)', () => {
  it('a verified advanced profile with nothing unusual scores 0, low', () => {
    expect(riskScore(policy, base)).toEqual({ score: 0, band: 'low', factors: {} });
  });

  it('adds the weights of the factors present, by hand: basic 15 + new counterparty 10 = 25 (low)', () => {
    expect(riskScore(policy, { ...base, kycLevel: 'basic', newCounterparties: 2 })).toEqual({
      score: 25,
      band: 'low',
      factors: { kyc_basic: 15, new_counterparty: 10 },
    });
  });

  it('PEP 40 → medium; PEP 40 + high-risk country 30 → 70, high; capped at 100', () => {
    expect(riskScore(policy, { ...base, pepMatch: true }).band).toBe('medium');
    const high = riskScore(policy, { ...base, pepMatch: true, country: 'ir' });
    expect(high).toMatchObject({ score: 70, band: 'high' });
    expect(atOrAbove(high.band, 'high')).toBe(true);
    const all = riskScore(policy, {
      kycLevel: 'none',
      pepMatch: true,
      country: 'KP',
      velocityShare: 1,
      largeAmount: true,
      newCounterparties: 1,
    });
    expect(all.score).toBe(100);
    expect(Object.keys(all.factors)).toHaveLength(6);
  });
});
