import type { SecurityPolicyFile } from '@app/common';
import type { KycLevel } from '../kyc/kyc-profile.schema.js';

export interface RiskInputs {
  kycLevel: KycLevel;
  pepMatch: boolean;
  country?: string;
  /** Highest share (0–1) of a velocity limit the write reaches. */
  velocityShare: number;
  largeAmount: boolean;
  newCounterparties: number;
}

export type RiskBand = 'low' | 'medium' | 'high';

/**
 * The risk score of one operation: the policy's weights of each factor present, capped at 100,
 * banded by its medium/high thresholds. The factors are returned with the score and stored.
 */
export function riskScore(
  policy: SecurityPolicyFile['aml_kyc']['risk_scoring'],
  inputs: RiskInputs,
): { score: number; band: RiskBand; factors: Record<string, number> } {
  const w = policy.weights;
  const factors: Record<string, number> = {};
  const add = (name: string, weight: number) => {
    if (weight > 0) factors[name] = weight;
  };
  add(`kyc_${inputs.kycLevel}`, w[`kyc_${inputs.kycLevel}`]);
  if (inputs.pepMatch) add('pep_match', w.pep_match);
  if (inputs.country && policy.high_risk_countries.includes(inputs.country.toUpperCase()))
    add('high_risk_country', w.high_risk_country);
  // Near a limit: 80 % of any window's allowance.
  if (inputs.velocityShare >= 0.8) add('velocity_near_limit', w.velocity_near_limit);
  if (inputs.largeAmount) add('large_amount', w.large_amount);
  if (inputs.newCounterparties > 0) add('new_counterparty', w.new_counterparty);
  const score = Math.min(
    100,
    Object.values(factors).reduce((a, b) => a + b, 0),
  );
  const band: RiskBand =
    score >= policy.high_threshold ? 'high' : score >= policy.medium_threshold ? 'medium' : 'low';
  return { score, band, factors };
}

const RANK: Record<RiskBand, number> = { low: 0, medium: 1, high: 2 };
export const atOrAbove = (band: RiskBand, limit: 'medium' | 'high') => RANK[band] >= RANK[limit];
