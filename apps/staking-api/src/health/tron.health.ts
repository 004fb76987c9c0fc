import { AppConfigService, ErrorCode, StakingException } from '@app/common';
import { TronGateway } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

const PROBE_TIMEOUT_MS = 2000;

/**
 * The TRON node: reachable, head block fresh, circuit closed. Never "down": without the node
 * the service still serves reads and keeps its state; writes answer S9xx. So it degrades.
 */
@Injectable()
export class TronHealthIndicator {
  constructor(
    private readonly gateway: TronGateway,
    private readonly indicator: HealthIndicatorService,
    private readonly config: AppConfigService,
  ) {}

  async check(key: string) {
    const session = this.indicator.check(key);
    const circuit = this.gateway.circuitState;
    try {
      const block = await Promise.race([
        this.gateway.probeLatestBlock(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS).unref(),
        ),
      ]);
      const ageSeconds = Math.max(0, Math.round((Date.now() - block.timestamp) / 1000));
      const data = { block_number: block.number, block_age_seconds: ageSeconds, circuit };
      if (ageSeconds > this.config.get('TRON_BLOCK_MAX_AGE_SECONDS') || circuit !== 'closed')
        return session.degraded(data);
      return session.up(data);
    } catch (error) {
      // A node that refuses our credentials or endpoint is a configuration fault to fix, not a
      // blink to wait out: say which.
      if (error instanceof StakingException && error.code === ErrorCode.TRON_CONFIG_INVALID) {
        return session.degraded({
          message: 'node refused the service configuration',
          error_code: error.code,
          reason: (error.details as { reason?: string } | undefined)?.reason,
          circuit,
        });
      }
      return session.degraded({ message: 'node unreachable', circuit });
    }
  }
}
