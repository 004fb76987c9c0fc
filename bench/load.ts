import http from 'node:http';
import { summarize, type LatencySummary } from './stats.js';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** A keep-alive HTTP client: node:http keeps the load generator's own cost low. */
export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly baseUrl: string,
    maxSockets = 64,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string> = {},
    body?: unknown,
    timeoutMs?: number,
  ): Promise<HttpAnswer> {
    const url = new URL(path, this.baseUrl);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          agent: this.agent,
          headers: {
            ...headers,
            ...(payload === undefined
              ? {}
              : {
                  'content-type': 'application/json',
                  'content-length': String(Buffer.byteLength(payload)),
                }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (timeoutMs)
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout ${timeoutMs} ms`)));
      req.end(payload);
    });
  }

  get(path: string, headers?: Record<string, string>, timeoutMs?: number): Promise<HttpAnswer> {
    return this.request('GET', path, headers, undefined, timeoutMs);
  }

  post(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpAnswer> {
    return this.request('POST', path, headers, body);
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface RunResult {
  ok: number;
  failed: number;
  elapsedS: number;
  /** Successful requests per second of wall time. */
  perSecond: number;
  latency: LatencySummary;
  /** Failure reasons, counted (the first words of each). */
  failures: Record<string, number>;
}

/**
 * Closed loop: `concurrency` workers each send their next request as soon as the previous one
 * answers, until `requests` were sent or `maxSeconds` passed. `send(i, worker)` returns true for
 * success or a short failure reason.
 */
export async function closedLoop(options: {
  concurrency: number;
  requests: number;
  maxSeconds?: number;
  send: (index: number, worker: number) => Promise<true | string>;
}): Promise<RunResult> {
  const { concurrency, requests } = options;
  const deadline = Date.now() + (options.maxSeconds ?? Infinity) * 1000;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  let failed = 0;
  const worker = async (w: number) => {
    while (next < requests && Date.now() < deadline) {
      const index = next++;
      const start = performance.now();
      let outcome: true | string;
      try {
        outcome = await options.send(index, w);
      } catch (error) {
        outcome = (error as Error).message;
      }
      const took = performance.now() - start;
      if (outcome === true) latencies.push(took);
      else {
        failed++;
        const reason = outcome.slice(0, 120);
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsedS = (performance.now() - started) / 1000;
  return {
    ok: latencies.length,
    failed,
    elapsedS,
    perSecond: latencies.length / elapsedS,
    latency: summarize(latencies),
    failures,
  };
}
