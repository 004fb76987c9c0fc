/**
 * Chain parameters as /wallet/getchainparameters lists them (names and order of java-tron's
 * Wallet.getChainParameters). Values are mainnet's unless the devnet needs otherwise.
 */
export const DEFAULT_CHAIN_PARAMETERS: ReadonlyArray<readonly [string, number]> = [
  ['getMaintenanceTimeInterval', 21_600_000],
  ['getAccountUpgradeCost', 9_999_000_000],
  ['getCreateAccountFee', 100_000],
  ['getTransactionFee', 1_000],
  ['getAssetIssueFee', 1_024_000_000],
  ['getWitnessPayPerBlock', 16_000_000],
  ['getWitnessStandbyAllowance', 115_200_000_000],
  ['getCreateNewAccountFeeInSystemContract', 1_000_000],
  ['getCreateNewAccountBandwidthRate', 1],
  ['getAllowCreationOfContracts', 1],
  ['getRemoveThePowerOfTheGr', -1],
  ['getEnergyFee', 100],
  ['getExchangeCreateFee', 1_024_000_000],
  ['getMaxCpuTimeOfOneTx', 80],
  ['getAllowUpdateAccountName', 0],
  ['getAllowSameTokenName', 1],
  ['getAllowDelegateResource', 1],
  ['getTotalEnergyLimit', 90_000_000_000],
  ['getAllowTvmTransferTrc10', 1],
  ['getTotalEnergyCurrentLimit', 90_000_000_000],
  ['getAllowMultiSign', 1],
  ['getAllowAdaptiveEnergy', 0],
  ['getTotalEnergyTargetLimit', 6_250_000],
  ['getTotalEnergyAverageUsage', 0],
  ['getUpdateAccountPermissionFee', 100_000_000],
  ['getMultiSignFee', 1_000_000],
  ['getAllowAccountStateRoot', 0],
  ['getAllowProtoFilterNum', 0],
  ['getAllowTvmConstantinople', 1],
  ['getAllowTvmSolidity059', 1],
  ['getAllowTvmIstanbul', 1],
  ['getAllowShieldedTRC20Transaction', 1],
  ['getForbidTransferToContract', 0],
  ['getAdaptiveResourceLimitTargetRatio', 10],
  ['getAdaptiveResourceLimitMultiplier', 1_000],
  ['getChangeDelegation', 1],
  ['getWitness127PayPerBlock', 160_000_000],
  ['getAllowMarketTransaction', 0],
  ['getMarketSellFee', 0],
  ['getMarketCancelFee', 0],
  ['getAllowPBFT', 0],
  ['getAllowTransactionFeePool', 0],
  ['getMaxFeeLimit', 15_000_000_000],
  ['getAllowOptimizeBlackHole', 1],
  ['getAllowNewResourceModel', 0],
  ['getAllowTvmFreeze', 0],
  ['getAllowTvmVote', 1],
  ['getAllowTvmLondon', 1],
  ['getAllowTvmCompatibleEvm', 0],
  ['getAllowAccountAssetOptimization', 0],
  ['getFreeNetLimit', 600],
  ['getTotalNetLimit', 43_200_000_000],
  ['getAllowHigherLimitForMaxCpuTimeOfOneTx', 1],
  ['getAllowAssetOptimization', 1],
  ['getAllowNewReward', 1],
  ['getMemoFee', 1_000_000],
  ['getAllowDelegateOptimization', 1],
  ['getUnfreezeDelayDays', 14],
  ['getAllowOptimizedReturnValueOfChainId', 1],
  ['getAllowDynamicEnergy', 1],
  ['getDynamicEnergyThreshold', 5_000_000_000],
  ['getDynamicEnergyIncreaseFactor', 2_000],
  ['getDynamicEnergyMaxFactor', 34_000],
  ['getAllowTvmShangHai', 1],
  ['getAllowCancelAllUnfreezeV2', 1],
  ['getMaxDelegateLockPeriod', 864_000],
  ['getAllowOldRewardOpt', 1],
  ['getAllowEnergyAdjustment', 1],
  ['getMaxCreateAccountTxSize', 1_000],
  ['getAllowStrictMath', 1],
  ['getConsensusLogicOptimization', 1],
];

export type ChainParameters = Map<string, number>;

export function buildChainParameters(overrides: Record<string, number> = {}): ChainParameters {
  const params: ChainParameters = new Map(DEFAULT_CHAIN_PARAMETERS);
  for (const [key, value] of Object.entries(overrides)) {
    if (!Number.isSafeInteger(value)) throw new Error(`chain parameter ${key} must be an integer`);
    params.set(key, value);
  }
  return params;
}

export function param(params: ChainParameters, key: string): number {
  return params.get(key) ?? 0;
}
