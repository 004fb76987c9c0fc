import { ErrorCatalog, ErrorCode, StakingException, type RetryPolicyName } from '@app/common';
import CircuitBreaker from 'opossum';
import pRetry, { AbortError } from 'p-retry';
import { classifyTransportError, NodeUnavailableError, toStakingException } from './node-errors.js';
import { nodeEndpointLabel, type NodeEndpoint } from './node-endpoints.js';
import { TokenBucket } from './token-bucket.js';

export interface NodeCallPolicyOptions {
  maxRequestsPerSecond: number;
  /** How long a call may wait for a rate-limit token. */
  maxQueueWaitMs: number;
  /** Failures within the rolling window before the circuit opens. */
  circuitVolumeThreshold: number;
  circuitResetMs: number;
  /** Cap on any one retry pause, so interactive calls stay bounded. */
  maxRetryDelayMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

/** How one call to the node ended, for metrics: ok, or the kind of failure the caller saw. */
export type NodeCallOutcome = 'ok' | 'error' | 'rate_limited' | 'circuit_open';
export type NodeCallObserver = (
  outcome: NodeCallOutcome,
  seconds: number,
  endpoint: NodeEndpoint,
) => void;
/** The circuit opened (calls to the node pause) or closed again (a trial call succeeded). */
export type CircuitListener = (state: 'open' | 'closed', at: Date) => void;

/**
 * Every call to the node passes here: a token bucket keeps the request rate under budget,
 * a circuit breaker stops hammering a failing node, and transport failures are retried with
 * the catalog's retry policy. Chain-rule refusals are never retried.
 */
export class NodeCallPolicy {
  private readonly bucket: TokenBucket;
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private observer: NodeCallObserver | undefined;
  private readonly circuitListeners: CircuitListener[] = [];

  constructor(
    private readonly catalog: ErrorCatalog,
    private readonly options: NodeCallPolicyOptions,
  ) {
    this.bucket = new TokenBucket(options.maxRequestsPerSecond);
    this.breaker = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
      timeout: false,
      resetTimeout: options.circuitResetMs,
      volumeThreshold: options.circuitVolumeThreshold,
      errorThresholdPercentage: 50,
      rollingCountTimeout: 30_000,
      // Only transport failures count against the node; a refused configuration is answered as
      // such every time rather than hidden behind an open circuit.
      errorFilter: (error: unknown) => !(error instanceof NodeUnavailableError) || !error.retryable,
    });
    this.breaker.on('open', () => this.notifyCircuit('open'));
    this.breaker.on('close', () => this.notifyCircuit('closed'));
  }

  /** Incidents attach here (node outage): told each time the circuit opens or closes. */
  onCircuitChange(listener: CircuitListener): void {
    this.circuitListeners.push(listener);
  }

  private notifyCircuit(state: 'open' | 'closed'): void {
    const at = new Date();
    for (const listener of this.circuitListeners) {
      try {
        listener(state, at);
      } catch {
        // A listener's failure never reaches the node call that tripped the circuit.
      }
    }
  }

  get circuitState(): CircuitState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  /** The app's metrics attach here (one observer). */
  observe(observer: NodeCallObserver): void {
    this.observer = observer;
  }

  /**
   * One logical call (its retries included), timed and counted by outcome and by the wallet API
   * path it reaches (`endpoint`, from the fixed NODE_ENDPOINTS list; unnamed calls are `other`).
   */
  async call<T>(
    fn: () => Promise<T>,
    retryPolicy: RetryPolicyName | 'none' = 'network',
    endpoint?: NodeEndpoint,
  ): Promise<T> {
    const started = performance.now();
    const label = nodeEndpointLabel(endpoint);
    try {
      const result = await this.callWithPolicy(fn, retryPolicy);
      this.observer?.('ok', (performance.now() - started) / 1000, label);
      return result;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const outcome: NodeCallOutcome =
        code === ErrorCode.TRON_RATE_LIMITED
          ? 'rate_limited'
          : code === ErrorCode.TRON_CIRCUIT_OPEN
            ? 'circuit_open'
            : 'error';
      this.observer?.(outcome, (performance.now() - started) / 1000, label);
      throw error;
    }
  }

  private async callWithPolicy<T>(
    fn: () => Promise<T>,
    retryPolicy: RetryPolicyName | 'none',
  ): Promise<T> {
    const attempt = async (): Promise<T> => {
      if (!(await this.bucket.take(this.options.maxQueueWaitMs))) {
        throw new NodeUnavailableError(
          ErrorCode.TRON_RATE_LIMITED,
          'node request budget exhausted',
        );
      }
      try {
        return (await this.breaker.fire(async () => {
          try {
            return await fn();
          } catch (error) {
            throw classifyTransportError(error) ?? error;
          }
        })) as T;
      } catch (error) {
        if (
          this.breaker.opened &&
          !(error instanceof NodeUnavailableError) &&
          (error as { code?: string }).code === 'EOPENBREAKER'
        ) {
          throw new AbortError(
            new StakingException(ErrorCode.TRON_CIRCUIT_OPEN, undefined, {
              retry_after_ms: this.options.circuitResetMs,
            }),
          );
        }
        if (error instanceof NodeUnavailableError && error.retryable) throw error;
        throw new AbortError(error as Error);
      }
    };
    if (retryPolicy === 'none') return this.unwrap(attempt);
    const policy = this.catalog.retryPolicy(retryPolicy);
    try {
      return await pRetry(attempt, {
        retries: policy.max_retries,
        factor: policy.backoff === 'exponential' ? (policy.multiplier ?? 2) : 1,
        minTimeout: policy.initial_delay_ms,
        maxTimeout: Math.min(policy.max_delay_ms, this.options.maxRetryDelayMs),
        randomize: false,
      });
    } catch (error) {
      throw this.toPublic(error);
    }
  }

  private async unwrap<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      throw this.toPublic(error);
    }
  }

  private toPublic(error: unknown): unknown {
    const inner =
      error instanceof AbortError
        ? ((error as { originalError?: unknown }).originalError ?? error)
        : error;
    return inner instanceof NodeUnavailableError ? toStakingException(inner) : inner;
  }
}
