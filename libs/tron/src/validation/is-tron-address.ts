import { ErrorCode, withCode } from '@app/common';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isTronAddress } from '../address.js';

/** A checksummed Base58 (T…) or 41-hex TRON address; refusals carry S101. */
export function IsTronAddress(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
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
