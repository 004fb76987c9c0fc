import { MASK, maskSensitive, SENSITIVE_FIELDS } from '@app/common';

// Secrets recognised by their shape wherever they appear, whatever the field is called.
const JWT = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const BEARER = /^bearer\s+/i;

/**
 * Masks parameters for the audit store: fields named in SENSITIVE_FIELDS or the policy's
 * audit.masked_fields (case-insensitive, any depth), plus values that look like a JWT, a bearer
 * header or one of our API keys. Fails closed: anything it cannot walk is masked whole.
 */
export function maskAuditParams(
  value: unknown,
  policyFields: readonly string[],
  apiKeyPrefix: string,
): unknown {
  const fields = [...new Set([...SENSITIVE_FIELDS, ...policyFields])];
  const byName = maskSensitive(value, fields);
  const looksSecret = (s: string) =>
    JWT.test(s) || BEARER.test(s) || (apiKeyPrefix.length > 0 && s.startsWith(apiKeyPrefix));
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 20) return MASK;
    if (typeof v === 'string') return looksSecret(v.trim()) ? MASK : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x, depth + 1)]),
      );
    return v;
  };
  return walk(byName, 0);
}
