/**
 * What a log line may say about an error: its type, message, code, HTTP status and the method
 * and path of the request that failed. Never the HTTP client's config, headers, request, socket
 * or body: those carry credentials (TronGrid's TRON-PRO-API-KEY travels in a header).
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!err || typeof err !== 'object') return { message: String(err) };
  const e = err as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    status?: unknown;
    stack?: unknown;
    response?: { status?: unknown };
    config?: { method?: unknown; url?: unknown; baseURL?: unknown };
    details?: unknown;
    cause?: unknown;
  };
  const out: Record<string, unknown> = {
    type: typeof e.name === 'string' ? e.name : (err as object).constructor?.name,
    message: typeof e.message === 'string' ? e.message : undefined,
  };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  const status = e.response?.status ?? e.status;
  if (typeof status === 'number') out.status = status;
  if (e.config && typeof e.config === 'object') {
    if (typeof e.config.method === 'string') out.method = e.config.method.toUpperCase();
    const path = pathOf(e.config.url, e.config.baseURL);
    if (path) out.path = path;
  }
  // Our own exceptions carry their S-code details; nothing else of an error object is copied.
  if (
    e.details &&
    typeof e.details === 'object' &&
    (err as object).constructor?.name === 'StakingException'
  )
    out.details = e.details;
  if (typeof e.stack === 'string') out.stack = e.stack;
  if (e.cause && depth < 3) out.cause = serializeError(e.cause, depth + 1);
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/** The path of a request URL, without host, query or fragment (a query may hold a key). */
function pathOf(url: unknown, base: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url, typeof base === 'string' ? base : 'http://node.invalid').pathname;
  } catch {
    return undefined;
  }
}

/** Every Error anywhere in a log object becomes its serialized form (before masking). */
export function serializeErrorsDeep(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return serializeError(value);
  if (depth > 8 || !value || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => serializeErrorsDeep(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      serializeErrorsDeep(v, depth + 1),
    ]),
  );
}
