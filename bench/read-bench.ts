import { closedLoop, type HttpClient, type RunResult } from './load.js';

export interface ReadResult {
  /** One request on its own before the load (for the API: with an empty cache). */
  coldMs: number | null;
  coldError?: string;
  /** The loaded run; absent when the cold request was too slow to put under load. */
  run?: RunResult;
  skipped?: string;
}

/**
 * One endpoint: a cold request, then (if that stayed under `coldLimitMs`) a closed loop at
 * `concurrency` for `requests` or `seconds`. A read that takes seconds on its own is not put
 * under load: concurrent copies of an in-memory aggregation pile up in FerretDB (DESIGN.md §4)
 * and would starve everything else on the machine.
 */
export async function readEndpoint(options: {
  client: HttpClient;
  path: string;
  headers?: Record<string, string>;
  concurrency: number;
  requests: number;
  seconds: number;
  coldLimitMs: number;
  coldTimeoutMs: number;
}): Promise<ReadResult> {
  const { client, path, headers = {} } = options;
  const started = performance.now();
  let coldMs: number;
  try {
    const res = await client.get(path, headers, options.coldTimeoutMs);
    coldMs = performance.now() - started;
    if (res.status !== 200)
      return { coldMs, coldError: `${res.status} ${res.body.slice(0, 120)}`, skipped: 'failed' };
  } catch (error) {
    return { coldMs: null, coldError: (error as Error).message, skipped: 'cold request failed' };
  }
  if (coldMs > options.coldLimitMs) {
    return {
      coldMs,
      skipped: `cold request ${Math.round(coldMs)} ms > ${options.coldLimitMs} ms: not put under load`,
    };
  }
  const run = await closedLoop({
    concurrency: options.concurrency,
    requests: options.requests,
    maxSeconds: options.seconds,
    send: async () => {
      const res = await client.get(path, headers, options.coldTimeoutMs);
      return res.status === 200 ? true : `${res.status} ${res.body.slice(0, 100)}`;
    },
  });
  return { coldMs, run };
}
