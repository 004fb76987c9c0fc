import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ErrorCode, type StakingErrorCode } from './error-code.js';
import { StakingException } from './staking.exception.js';

export interface FieldProblem {
  field: string;
  problem: string;
  error_code: StakingErrorCode;
}

/** Attach to a class-validator decorator: `@IsTronAddress(withCode(ErrorCode.INVALID_ADDRESS))`. */
export const withCode = (code: StakingErrorCode, message?: string) => ({
  context: { errorCode: code },
  ...(message ? { message } : {}),
});

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [constraint, text] of Object.entries(error.constraints ?? {})) {
      let code: StakingErrorCode =
        (error.contexts?.[constraint] as { errorCode?: StakingErrorCode } | undefined)?.errorCode ??
        ErrorCode.VALIDATION_FAILED;
      let problem = text;
      if (constraint === 'whitelistValidation') {
        code =
          error.property === 'private_key'
            ? ErrorCode.PRIVATE_KEY_NOT_ACCEPTED
            : ErrorCode.UNKNOWN_FIELD;
        problem =
          code === ErrorCode.PRIVATE_KEY_NOT_ACCEPTED
            ? 'private keys are never accepted; use a managed account or "mode":"unsigned"'
            : `unknown field ${field}`;
      }
      out.push({ field, problem, error_code: code });
    }
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

/** The code of the answer: a private key beats everything, then unknown fields, then the first field code. */
function pickCode(problems: FieldProblem[]): StakingErrorCode {
  const order: StakingErrorCode[] = [ErrorCode.PRIVATE_KEY_NOT_ACCEPTED, ErrorCode.UNKNOWN_FIELD];
  for (const code of order) if (problems.some((p) => p.error_code === code)) return code;
  return (
    problems.find((p) => p.error_code !== ErrorCode.VALIDATION_FAILED)?.error_code ??
    ErrorCode.VALIDATION_FAILED
  );
}

export function validationExceptionFactory(errors: ValidationError[]): StakingException {
  const problems = flatten(errors);
  return new StakingException(pickCode(problems), undefined, problems);
}

/** Global pipe: unknown fields refused, types transformed, every problem listed with its code. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationExceptionFactory,
  });
}
