import { registerDecorator, type ValidationOptions } from 'class-validator';
import { ErrorCode } from '../errors/error-code.js';
import { withCode } from '../errors/validation.js';
import { isTrxAmount, trxToSun } from '../money/sun.js';

/** A positive TRX amount (number or decimal string) with at most 6 decimals; refusals carry S102. */
export function IsTrxAmount(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isTrxAmount',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        ...withCode(
          ErrorCode.INVALID_AMOUNT,
          `${String(propertyName)} must be a positive TRX amount with at most 6 decimals`,
        ),
        ...options,
      },
      validator: {
        validate: (value: unknown) => isTrxAmount(value) && trxToSun(value as string | number) > 0n,
      },
    });
  };
}
