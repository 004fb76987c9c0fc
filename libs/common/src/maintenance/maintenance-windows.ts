import type { SecurityPolicy } from '../policy/security-policy.js';

export interface MaintenanceWindow {
  start: Date;
  end: Date;
  reason: string;
}

/**
 * The maintenance windows of the policy file (operations.maintenance.windows). During one,
 * write endpoints answer 503 S711 with Retry-After and fund-moving jobs skip their ticks;
 * reads, probes and sign-in keep working.
 */
export class MaintenanceWindows {
  private readonly windows: MaintenanceWindow[];

  constructor(policy: SecurityPolicy) {
    this.windows = policy.operationsPolicy.maintenance.windows
      .map((w) => ({ start: new Date(w.start), end: new Date(w.end), reason: w.reason }))
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  /** The window `now` falls in (start inclusive, end exclusive), if any. */
  current(now = new Date()): MaintenanceWindow | undefined {
    const t = now.getTime();
    return this.windows.find((w) => w.start.getTime() <= t && t < w.end.getTime());
  }

  /** The next window that has not started yet. */
  next(now = new Date()): MaintenanceWindow | undefined {
    return this.windows.find((w) => w.start.getTime() > now.getTime());
  }

  /** Whole seconds until the current window ends (at least 1), for Retry-After. */
  static retryAfterSeconds(window: MaintenanceWindow, now = new Date()): number {
    return Math.max(1, Math.ceil((window.end.getTime() - now.getTime()) / 1000));
  }
}
