import type { StakingErrorCode } from './error-code.js';

/**
 * The one domain exception: carries an S-code; the global filter turns it into the error answer
 * with the HTTP status from the catalog. `details` must never hold secrets.
 */
export class StakingException extends Error {
  constructor(
    readonly code: StakingErrorCode,
    message?: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? code);
    this.name = 'StakingException';
  }
}
