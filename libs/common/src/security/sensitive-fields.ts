/**
 * Field names that hold secrets. One list drives log redaction and (with the policy's
 * audit.masked_fields) audit masking, so a new secret field is hidden everywhere at once.
 */
export const SENSITIVE_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'new_password',
  'private_key',
  'privateKey',
  'secret',
  'token',
  'access_token',
  'refresh_token',
  'api_key',
  'apiKey',
  'x-api-key',
  'mnemonic',
  'seed',
  'signature',
  // TronGrid's API key header, as the HTTP client holds it.
  'TRON-PRO-API-KEY',
] as const;

export const MASK = '[REDACTED]';

/** pino redact paths for the fields above, at the depths our log objects use. */
export function logRedactPaths(fields: readonly string[] = SENSITIVE_FIELDS): string[] {
  const key = (f: string) => (/^[A-Za-z_$][\w$]*$/.test(f) ? `.${f}` : `["${f}"]`);
  const paths = new Set<string>();
  for (const f of fields) {
    paths.add(key(f).replace(/^\./, ''));
    paths.add(`*${key(f)}`);
    paths.add(`*.*${key(f)}`);
    paths.add(`req.headers${key(f)}`);
    paths.add(`res.headers${key(f)}`);
  }
  return [...paths];
}

/** Deep copy with every sensitive field (case-insensitive) replaced by a mask. */
export function maskSensitive(
  value: unknown,
  fields: readonly string[] = SENSITIVE_FIELDS,
): unknown {
  const lower = new Set(fields.map((f) => f.toLowerCase()));
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 20) return MASK;
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, item]) => [
          k,
          lower.has(k.toLowerCase()) ? MASK : walk(item, depth + 1),
        ]),
      );
    }
    return typeof v === 'bigint' ? v.toString() : v;
  };
  return walk(value, 0);
}
