import { createHash } from 'node:crypto';

/** Canonical JSON: key order does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two requests "the same" for an Idempotency-Key. */
export interface IdempotentRequest {
  method: string;
  /** The path as sent, query included (Fastify's `request.url`), not the route template. */
  path: string;
  /** The caller, `principal.kind:principal.id` (see `idempotencyScope`). */
  scope: string;
  body: unknown;
}

/** `principal.kind:principal.id`, or `anonymous` on public routes. */
export function idempotencyScope(principal?: { kind: string; id: string }): string {
  return principal ? `${principal.kind}:${principal.id}` : 'anonymous';
}

/**
 * SHA-256 (hex) over method, real path, caller scope and canonical body. The parts go in as one
 * JSON array, so no choice of path or body can shift a boundary and collide with another request.
 */
export function idempotencyRequestHash(request: IdempotentRequest): string {
  const parts = [request.method.toUpperCase(), request.path, request.scope, request.body ?? null];
  return createHash('sha256').update(canonicalJson(parts), 'utf8').digest('hex');
}
