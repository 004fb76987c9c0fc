import { ErrorCode, withCode } from '@app/common';
import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isTronAddress, toBase58Address } from '../address.js';

/** The shape of an address (Base58 or 41-hex), for the OpenAPI document; the checksum is checked by IsTronAddress. */
export const TRON_ADDRESS_PATTERN = '^(T[1-9A-HJ-NP-Za-km-z]{33}|41[0-9a-fA-F]{40})$';

/**
 * A checksummed Base58 (T…) or 41-hex TRON address; refusals carry S101. A valid hex address
 * is normalised to Base58 here, at the edge, so that storage, comparisons, locks and cache keys
 * only ever see one spelling of an address.
 */
export function IsTronAddress(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    Transform(({ value }: { value: unknown }) =>
      isTronAddress(value) ? toBase58Address(value) : value,
    )(target, propertyName);
    registerDecorator({
      name: 'isTronAddress',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        ...withCode(
          ErrorCode.INVALID_ADDRESS,
          `${String(propertyName)} must be a valid TRON address`,
        ),
        ...options,
      },
      validator: { validate: (value: unknown) => isTronAddress(value) },
    });
  };
}
