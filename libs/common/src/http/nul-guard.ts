import { ErrorCode } from '../errors/error-code.js';
import { StakingException } from '../errors/staking.exception.js';

const NUL = '\u0000';
const MAX_DEPTH = 32;

/** The path of the first string (value or key) holding U+0000, if any. */
export function findNul(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path || '(value)' : undefined;
  if (!value || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes(NUL)) return at;
    const found = findNul(inner, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses U+0000 anywhere in the query or the JSON body (400 S100). No field means anything
 * with it, and PostgreSQL-backed stores (FerretDB) cannot hold it: it would fail in the
 * database as a 500 instead of as a refusal here.
 */
export function refuseNulCharacters(request: { query?: unknown; body?: unknown }): void {
  const field = findNul(request.query) ?? findNul(request.body);
  if (field === undefined) return;
  throw new StakingException(ErrorCode.VALIDATION_FAILED, 'Text must not contain NUL characters.', [
    {
      field,
      problem: `${field} contains a NUL character`,
      error_code: ErrorCode.VALIDATION_FAILED,
    },
  ]);
}
