import { TRON_ADDRESS_PATTERN } from '@app/tron';
import { getMetadataStorage } from 'class-validator';

// @nestjs/swagger keeps each property's schema under this reflect-metadata key.
const SWAGGER_PROPERTY = 'swagger/apiModelProperties';

type PropertySchema = Record<string, unknown>;

/**
 * OpenAPI format of a TRON address: the pattern gives its shape, the Base58Check checksum
 * cannot be a pattern. Tools may know it (test/contract/hooks.py teaches schemathesis).
 */
export const TRON_ADDRESS_FORMAT = 'tron-address';

// IsTrxAmount: more than 0 with at most 6 decimals, as a JSON number or a decimal string.
const FRACTION_ABOVE_ZERO = Array.from(
  { length: 6 },
  (_, zeros) => `${'0'.repeat(zeros)}[1-9][0-9]{0,${5 - zeros}}`,
).join('|');
export const TRX_AMOUNT_SCHEMA = {
  oneOf: [
    { type: 'number', minimum: 0.000001, maximum: 1e15, multipleOf: 0.000001 },
    {
      type: 'string',
      pattern: `^([1-9][0-9]{0,15}(\\.[0-9]{1,6})?|0\\.(${FRACTION_ABOVE_ZERO}))$`,
    },
  ],
};

interface Constraint {
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

/** What each class-validator rule means as JSON Schema (keys already set by hand win). */
function schemaOf(rule: Constraint): PropertySchema | undefined {
  const [first, second] = rule.constraints ?? [];
  switch (rule.name) {
    case 'isInt':
      return { type: 'integer' };
    case 'min':
      return { minimum: first };
    case 'max':
      return { maximum: first };
    case 'matches':
      return first instanceof RegExp ? { pattern: first.source } : undefined;
    case 'isTrxAmount':
      return TRX_AMOUNT_SCHEMA;
    case 'isTronAddress':
      return { pattern: TRON_ADDRESS_PATTERN, format: TRON_ADDRESS_FORMAT };
    case 'isIso8601':
    case 'isDateString':
      return { type: 'string', format: 'date-time' };
    case 'isEnum':
      return Array.isArray(second) ? { enum: second } : undefined;
    case 'isIn':
      return Array.isArray(first) ? { enum: first } : undefined;
    case 'isLength':
      return { minLength: first, ...(second === undefined ? {} : { maxLength: second }) };
    case 'minLength':
      return { minLength: first };
    case 'maxLength':
      return { maxLength: first };
    case 'arrayMinSize':
      return { minItems: first };
    case 'arrayMaxSize':
      return { maxItems: first };
    case 'isString':
      // refuseNulCharacters turns U+0000 away everywhere (the stores cannot hold it).
      return { pattern: '^[^\\u0000]*$' };
    case 'isNotEmpty':
      return { minLength: 1 };
    default:
      return undefined;
  }
}

/**
 * Writes every DTO's validation rules into its OpenAPI schema before the document is built:
 * whole numbers become `integer`, bounds, patterns (TRON addresses included), lengths, enums
 * and `date-time` formats come from the same decorators the ValidationPipe runs, so the
 * document cannot promise what the pipe refuses. A key set by hand in @ApiProperty stays.
 */
export function alignSchemasWithValidation(): number {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<abstract new (...args: never[]) => unknown, Constraint[]>;
  };
  let aligned = 0;
  for (const [target, rules] of storage.validationMetadatas) {
    const prototype = (target as { prototype?: object }).prototype;
    if (!prototype) continue;
    // The general NUL rule of isString yields to a field's own pattern.
    const ordered = [...rules].sort(
      (a, b) => Number(a.name === 'isString') - Number(b.name === 'isString'),
    );
    for (const rule of ordered) {
      const derived = schemaOf(rule);
      if (!derived) continue;
      const current = Reflect.getMetadata(SWAGGER_PROPERTY, prototype, rule.propertyName) as
        PropertySchema | undefined;
      if (!current) continue; // not in the document
      const next = rule.each ? alignItems(current, derived) : alignValue(current, derived);
      Reflect.defineMetadata(SWAGGER_PROPERTY, next, prototype, rule.propertyName);
      aligned++;
    }
  }
  return aligned;
}

function alignValue(current: PropertySchema, derived: PropertySchema): PropertySchema {
  const next = { ...current };
  for (const [key, value] of Object.entries(derived)) {
    // `type: Number` from TypeScript's reflection is a guess; the validator's `integer` is the rule.
    if (
      key === 'type' &&
      (next.type === undefined || next.type === Number || next.type === 'number')
    )
      next.type = value;
    // The amount's two spellings are the validator's; a hand-written oneOf only guessed them.
    else if (key === 'oneOf') next.oneOf = value;
    else if (next[key] === undefined) next[key] = value;
  }
  return next;
}

function alignItems(current: PropertySchema, derived: PropertySchema): PropertySchema {
  const items = (current.items as PropertySchema | undefined) ?? {};
  return { ...current, items: alignValue({ type: 'string', ...items }, derived) };
}
