import { AppConfigService, DistributedLock, LeaderJob } from '@app/common';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ComplianceSettings } from '../compliance-settings.js';
import { IncidentsRepository } from '../incidents/incidents.repository.js';
import { IncidentsService } from '../incidents/incidents.service.js';
import { AlertSenders } from './alert-senders.js';
import { AlertsRepository } from './alerts.repository.js';

/** Short against the policy's escalation delays (minutes) and the first retry delay. */
export const COMPLIANCE_ALERTS_INTERVAL_MS = 30_000;
const BATCH = 200;

/**
 * Escalates open incidents whose next level is due and sends the outbox's pending alerts,
 * retrying a failed delivery after the policy's delays, then marking it failed.
 */
@Injectable()
export class ComplianceAlertsJob extends LeaderJob implements OnApplicationShutdown {
  protected readonly name = 'compliance-alerts';
  protected readonly intervalMs = COMPLIANCE_ALERTS_INTERVAL_MS;
  protected readonly lockTtlMs = 60_000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly incidents: IncidentsRepository,
    private readonly service: IncidentsService,
    private readonly alerts: AlertsRepository,
    private readonly senders: AlertSenders,
    private readonly settings: ComplianceSettings,
  ) {
    super(lock, config);
  }

  override onApplicationShutdown(): void {
    super.onApplicationShutdown();
    this.senders.close();
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const outcome = { escalated: 0, sent: 0, retried: 0, failed: 0 };
    if (!this.settings.notifications) return outcome;
    for (const incident of await this.incidents.open(BATCH))
      if ((await this.service.queueDueLevels(incident, now)) > 0) outcome.escalated++;
    const delays = this.settings.policy.incident_response.alert_retry_delays_seconds;
    for (const alert of await this.alerts.pending(BATCH)) {
      if (!this.leaseHeld) break;
      if (new Date(alert.next_attempt_at) > now) continue;
      try {
        await this.senders.send(alert.channel, alert);
        await this.alerts.markSent(alert.id, now);
        outcome.sent++;
      } catch (error) {
        const delay = delays[alert.attempts];
        await this.alerts.markFailedAttempt(
          alert.id,
          (error as Error).message,
          delay === undefined ? null : new Date(now.getTime() + delay * 1000),
        );
        if (delay === undefined) outcome.failed++;
        else outcome.retried++;
        this.logger.warn(
          {
            alert: alert.id,
            channel: alert.channel,
            attempt: alert.attempts + 1,
            err: (error as Error).message,
          },
          'Alert not delivered',
        );
      }
    }
    return outcome;
  }
}
