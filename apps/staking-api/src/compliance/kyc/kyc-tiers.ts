import { trxToSun, type SecurityPolicyFile, type Sun } from '@app/common';
import type { KycLevel } from './kyc-profile.schema.js';

const RANKED: KycLevel[] = ['none', 'basic', 'intermediate', 'advanced'];

export const kycRank = (level: KycLevel): number => RANKED.indexOf(level);

/**
 * The lowest level whose per-operation and daily tiers (policy aml_kyc.kyc.levels) cover the
 * amount and the day's total with it; `none` never moves funds.
 */
export function requiredLevel(
  levels: SecurityPolicyFile['aml_kyc']['kyc']['levels'],
  amountSun: Sun,
  dayTotalSun: Sun,
): KycLevel | null {
  for (const level of ['basic', 'intermediate', 'advanced'] as const) {
    const tier = levels[level];
    const perOp = tier.max_operation_trx === null || amountSun <= trxToSun(tier.max_operation_trx);
    const daily = tier.daily_limit_trx === null || dayTotalSun <= trxToSun(tier.daily_limit_trx);
    if (perOp && daily) return level;
  }
  return null;
}
