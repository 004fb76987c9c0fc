// Protocol constants of java-tron (common/.../Parameter.ChainConstant and actuator constants).
export const TRX_PRECISION = 1_000_000;
export const BLOCK_PRODUCED_INTERVAL = 3_000;
export const FROZEN_PERIOD = 86_400_000;
export const DELEGATE_PERIOD = 3 * 86_400_000;
export const MAX_VOTE_NUMBER = 30;
export const UNFREEZE_MAX_TIMES = 32;
/** Resource usage recovers over 24 h, counted in 3 s slots (ResourceProcessor.windowSize). */
export const WINDOW_SIZE_SLOTS = 86_400_000 / BLOCK_PRODUCED_INTERVAL;
export const WINDOW_SIZE_PRECISION = 1_000;
export const USAGE_PRECISION = 1_000_000;
export const MAXIMUM_TIME_UNTIL_EXPIRATION = 86_400_000;
/** Bandwidth charged per contract for its result (Constant.MAX_RESULT_SIZE_IN_TX). */
export const MAX_RESULT_SIZE_IN_TX = 64;
export const TRANSACTION_MAX_BYTE_SIZE = 500 * 1024;
export const BLOCK_VERSION = 32;
export const TOTAL_SIGN_NUM = 5;
/** Witnesses paid per block from the standby allowance (MaintenanceManager / MortgageService). */
export const STANDBY_WITNESS_COUNT = 127;
export const ACTIVE_WITNESS_COUNT = 27;
/**
 * A block is solidified once 70 % of the active producers built on it (SOLIDIFIED_THRESHOLD):
 * of the 27 producers' latest block numbers, sorted, the one at floor(27 × 0.3) = 8 from the
 * lowest. With producers taking turns that is head − 18.
 */
export const DEFAULT_SOLIDITY_LAG_BLOCKS = 18;
/** Upper bound of the configurable lag (snapshots of that many blocks are held in memory). */
export const MAX_SOLIDITY_LAG_BLOCKS = 10_000;

export const BANDWIDTH = 0;
export const ENERGY = 1;
export const TRON_POWER = 2;
export const RESOURCE_NAMES = ['BANDWIDTH', 'ENERGY', 'TRON_POWER'] as const;

/** Default operations bitmap of the "active" permission on mainnet (all system contracts). */
export const DEFAULT_ACTIVE_OPERATIONS =
  '7fff1fc0033efb0f000000000000000000000000000000000000000000000000';

export const ACCOUNT_EXCEPTION_STR = 'Account[';
export const WITNESS_EXCEPTION_STR = 'Witness[';
export const NOT_EXIST_STR = '] not exists';
