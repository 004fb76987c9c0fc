import { Injectable } from '@nestjs/common';
import {
  HealthCheckService,
  MemoryHealthIndicator,
  MongooseHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis.health.js';
import { TronHealthIndicator } from './tron.health.js';

const PING_TIMEOUT_MS = 1500;
// A heap this large on a 512 MiB container limit means a leak, not load.
const HEAP_LIMIT_BYTES = 384 * 1024 * 1024;

export type DependencyState = 'up' | 'down' | 'degraded';

/** Runs terminus checks without throwing: callers decide the HTTP status. */
@Injectable()
export class DependencyChecks {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    private readonly tron: TronHealthIndicator,
  ) {}

  readiness(): Promise<HealthCheckResult> {
    return this.run([
      () => this.mongoose.pingCheck('mongodb').withTimeout(PING_TIMEOUT_MS),
      () => this.redis.pingCheck('redis', PING_TIMEOUT_MS),
      () => this.tron.check('tron_node'),
    ]);
  }

  full(): Promise<HealthCheckResult> {
    return this.run([
      () => this.mongoose.pingCheck('mongodb').withTimeout(PING_TIMEOUT_MS),
      () => this.redis.pingCheck('redis', PING_TIMEOUT_MS),
      () => this.memory.checkHeap('memory_heap', HEAP_LIMIT_BYTES),
      () => this.tron.check('tron_node'),
    ]);
  }

  private async run(checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      const response = (error as { getResponse?: () => unknown }).getResponse?.();
      if (response && typeof response === 'object' && 'details' in response)
        return response as HealthCheckResult;
      throw error;
    }
  }
}
