import type { ErrorCatalog } from '@app/common';
import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = {
  parameters?: { in: string }[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, Response>;
};
type Response = { description: string; content?: unknown; headers?: Record<string, unknown> };

const ERROR_SCHEMA = { $ref: '#/components/schemas/ErrorResponseDto' };
const RETRY_AFTER = {
  description: 'Seconds to wait before sending the request again.',
  schema: { type: 'integer', minimum: 1, example: 1 },
};
// Answers that are about waiting carry Retry-After (AllExceptionsFilter, rate limits, lock-out).
const WAIT_STATUSES = new Set([423, 429, 502, 503, 504]);

/** Which error statuses an operation can answer, from what it is. */
function statusesOf(path: string, method: string, op: Operation, exempt: boolean): number[] {
  const statuses = new Set<number>();
  const params = op.parameters ?? [];
  const hasBody = op.requestBody !== undefined;
  const secured = (op.security?.length ?? 0) > 0;
  // Rate limits apply to every route outside the policy's exempt paths; with Redis away and
  // `when_redis_unavailable: refuse` they answer 503 S806.
  if (!exempt) statuses.add(429).add(503);
  if (params.length || hasBody) statuses.add(400);
  if (hasBody) statuses.add(413).add(415);
  if (params.some((p) => p.in === 'path')) statuses.add(404);
  // Sessions and keys are read from the database on every authenticated request.
  if (secured) statuses.add(401).add(403).add(503);
  // The staking area and signature submission talk to the TRON node.
  const callsNode =
    path.startsWith('/api/v1/tron/') || /^\/api\/v1\/operations\/\{id\}\/signature$/.test(path);
  if (callsNode) statuses.add(502).add(503).add(504);
  // Writes take the owner lock, reserve limits, may name a record or operation that does not
  // exist, and may meet a chain refusal.
  if (callsNode && method !== 'get') statuses.add(404).add(409).add(422);
  return [...statuses].sort();
}

/**
 * Declares on every operation each error status it can answer, with the error schema, the
 * S-codes of that status (from the catalog) and Retry-After where it is sent. Statuses a route
 * declares itself keep their own description.
 */
export function declareErrorResponses(
  document: OpenAPIObject,
  catalog: ErrorCatalog,
  exemptPaths: readonly string[],
): void {
  const codesByStatus = new Map<number, string[]>();
  for (const [code, def] of Object.entries(catalog.codes))
    codesByStatus.set(def.http_status, [...(codesByStatus.get(def.http_status) ?? []), code]);

  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (!op?.responses) continue;
      for (const status of statusesOf(path, method, op, exemptPaths.includes(path))) {
        const key = String(status);
        op.responses[key] ??= {
          description: `error_code is one of ${(codesByStatus.get(status) ?? []).join(', ')} (config/staking-error-codes.yaml).`,
          content: { 'application/json': { schema: ERROR_SCHEMA } },
        };
      }
      for (const [key, response] of Object.entries(op.responses))
        if (WAIT_STATUSES.has(Number(key)))
          response.headers = { 'Retry-After': RETRY_AFTER, ...response.headers };
    }
  }
}
