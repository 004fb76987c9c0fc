import { ErrorCode, MaintenanceWindows, SecurityPolicy, StakingException } from '@app/common';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * During a maintenance window every write under /api/v1 answers 503 S711 with Retry-After
 * (seconds to the window's end), except the policy's open_write_paths (sign-in, refresh,
 * logout). Reads, probes, /metrics and the docs are not under /api/v1 or are reads.
 */
@Injectable()
export class MaintenanceGuard implements CanActivate {
  private readonly open: ReadonlySet<string>;

  constructor(
    private readonly windows: MaintenanceWindows,
    policy: SecurityPolicy,
  ) {
    this.open = new Set(policy.operationsPolicy.maintenance.open_write_paths);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (READ_METHODS.has(req.method)) return true;
    const path = req.url.split('?')[0]!;
    if (!path.startsWith('/api/v1/') || this.open.has(path)) return true;
    const now = new Date();
    const window = this.windows.current(now);
    if (!window) return true;
    throw new StakingException(
      ErrorCode.MAINTENANCE_WINDOW,
      `Writes are paused for maintenance until ${window.end.toISOString()}: ${window.reason}`,
      { ends_at: window.end.toISOString(), reason: window.reason },
      { 'retry-after': String(MaintenanceWindows.retryAfterSeconds(window, now)) },
    );
  }
}
