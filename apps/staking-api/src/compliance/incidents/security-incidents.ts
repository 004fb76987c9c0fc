import { AppConfigService, InjectRedis } from '@app/common';
import { NodeCallPolicy } from '@app/tron';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Redis } from 'ioredis';
import { AUTH_LOGIN_FAILED, type AuthLoginFailedEvent } from '../../auth/auth-events.js';
import { ComplianceSettings } from '../compliance-settings.js';
import { IncidentsService } from './incidents.service.js';

/**
 * Incidents of the service's own security and health (policy `incident_response.incidents`):
 * `repeated_auth_failures` — the threshold of failed sign-ins for one username or one IP within
 * a fixed window (counted in Redis, shared by replicas), one incident per window and subject;
 * `node_outage` — the node circuit opened, one incident per outage (until it closes again).
 */
@Injectable()
export class SecurityIncidents implements OnModuleInit {
  private readonly logger = new Logger('SecurityIncidents');
  private readonly prefix: string;
  /** When the current outage began on this replica (its circuit is open or half open). */
  private outageSince: Date | null = null;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    config: AppConfigService,
    private readonly settings: ComplianceSettings,
    private readonly incidents: IncidentsService,
    private readonly node: NodeCallPolicy,
  ) {
    this.prefix = `${config.get('REDIS_KEY_PREFIX')}compliance:authfail:`;
  }

  onModuleInit(): void {
    this.node.onCircuitChange((state, at) => void this.onCircuit(state, at));
  }

  @OnEvent(AUTH_LOGIN_FAILED, { async: true, promisify: true, suppressErrors: true })
  async onLoginFailed(event: AuthLoginFailedEvent): Promise<void> {
    const rule = this.settings.policy.incident_response.incidents.repeated_auth_failures;
    if (!rule?.threshold || !rule.window_minutes) return;
    const windowMs = rule.window_minutes * 60_000;
    const bucket = Math.floor(event.at.getTime() / windowMs);
    const scopes: ['username' | 'ip', string][] = [['username', event.username]];
    if (event.ip) scopes.push(['ip', event.ip]);
    for (const [kind, value] of scopes) {
      try {
        const key = `${this.prefix}${kind}:${value}:${bucket}`;
        const [[, count]] = (await this.redis
          .multi()
          .incr(key)
          .pexpire(key, windowMs * 2)
          .exec()) as [[Error | null, number]];
        if (count < rule.threshold) continue;
        // Idempotent by window: the 5th, 6th… failure of the same window opens nothing new.
        await this.incidents.open({
          type: 'repeated_auth_failures',
          summary: `${rule.threshold} or more failed sign-ins for ${kind} ${value} within ${rule.window_minutes} min`,
          subject: `${kind}:${value}`,
          details: {
            [kind]: value,
            threshold: rule.threshold,
            window_minutes: rule.window_minutes,
            window_start: new Date(bucket * windowMs).toISOString(),
          },
          dedupeKey: `${kind}:${value}:${bucket}`,
        });
      } catch (error) {
        // Counting is best effort: the refused sign-in stands whatever happens here.
        this.logger.warn({ err: (error as Error).message, kind }, 'Sign-in failure not counted');
      }
    }
  }

  private async onCircuit(state: 'open' | 'closed', at: Date): Promise<void> {
    if (state === 'closed') {
      if (this.outageSince)
        this.logger.log({ since: this.outageSince.toISOString() }, 'Node circuit closed again');
      this.outageSince = null;
      return;
    }
    // Re-opening after a failed half-open trial is the same outage.
    if (this.outageSince) return;
    this.outageSince = at;
    await this.incidents.open({
      type: 'node_outage',
      summary: `TRON node unreachable: the circuit breaker opened at ${at.toISOString()}`,
      subject: 'tron-node',
      details: { opened_at: at.toISOString(), circuit: 'open' },
      // Replicas whose circuits open in the same minute report the same outage.
      dedupeKey: String(Math.floor(at.getTime() / 60_000)),
    });
  }
}
