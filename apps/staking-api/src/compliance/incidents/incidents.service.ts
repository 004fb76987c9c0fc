import { ErrorCode, StakingException } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { WebhookOutbox } from '../../webhooks/webhook-outbox.js';
import { AlertsRepository } from '../alerts/alerts.repository.js';
import { ComplianceSettings } from '../compliance-settings.js';
import type { IncidentStatus } from './incident.schema.js';
import { IncidentsRepository, type Incident, type IncidentFilter } from './incidents.repository.js';

export interface NewIncident {
  type: string;
  summary: string;
  subject?: string;
  details?: Record<string, unknown>;
  /** What makes two reports the same incident (e.g. an address and a day); default: unique. */
  dedupeKey?: string;
}

/**
 * Opens incidents (idempotently, by a key derived from what happened), queues their alerts at
 * each escalation level of the policy, and takes them through acknowledge → resolve.
 */
@Injectable()
export class IncidentsService {
  private readonly logger = new Logger('Incidents');

  constructor(
    private readonly repo: IncidentsRepository,
    private readonly alerts: AlertsRepository,
    private readonly settings: ComplianceSettings,
    private readonly webhooks: WebhookOutbox,
  ) {}

  /** Never throws: an incident that cannot be stored is logged, the refusal it explains stands. */
  async open(report: NewIncident, now: Date = new Date()): Promise<Incident | null> {
    const id = incidentId(report.type, report.dedupeKey ?? `${Date.now()}:${Math.random()}`);
    try {
      const { incident, created } = await this.repo.openOnce({
        id,
        type: report.type,
        severity: this.settings.severityOf(report.type),
        status: 'open',
        summary: report.summary,
        subject: report.subject,
        details: report.details,
      });
      if (created) {
        this.logger.warn(
          { incident: id, type: report.type, subject: report.subject },
          'Compliance incident opened',
        );
        await this.queueDueLevels(incident, now);
        await this.publish('incident.opened', incident);
      }
      return incident;
    } catch (error) {
      this.logger.error(
        { err: (error as Error).message, type: report.type },
        'Incident not stored',
      );
      return null;
    }
  }

  /**
   * Queues the alerts of every escalation level whose delay has passed since the incident opened
   * (level 1 at once). Acknowledged or resolved incidents escalate no further.
   */
  async queueDueLevels(incident: Incident, now: Date): Promise<number> {
    if (!this.settings.notifications || incident.status !== 'open') return 0;
    // Clamped: `now` may be read a moment before the incident was stored.
    const age = Math.max(0, now.getTime() - new Date(incident.created_at).getTime());
    const due = this.settings.policy.incident_response.escalation
      .filter((l) => l.level > incident.escalation_level && l.after_minutes * 60_000 <= age)
      .sort((a, b) => a.level - b.level);
    let queued = 0;
    let level = incident.escalation_level;
    for (const step of due) {
      // Claim the level first: two ticks never queue it twice.
      if (!(await this.repo.escalate(incident.id, level, step.level))) break;
      level = step.level;
      for (const channel of step.notify) {
        await this.alerts.enqueue({
          id: `${incident.id}:${step.level}:${channel}`,
          incident_id: incident.id,
          level: step.level,
          channel,
          subject:
            `[${incident.severity.toUpperCase()}] ${incident.type}: ${incident.summary}`.slice(
              0,
              200,
            ),
          text: alertText(incident, step.level),
          next_attempt_at: now,
        });
        queued++;
      }
    }
    return queued;
  }

  async get(id: string): Promise<Incident> {
    const found = await this.repo.find(id);
    if (!found)
      throw new StakingException(ErrorCode.INCIDENT_NOT_FOUND, undefined, { incident_id: id });
    return found;
  }

  list(filter: IncidentFilter, skip: number, limit: number) {
    return this.repo.list(filter, skip, limit);
  }

  acknowledge(id: string, by: string, assignee?: string): Promise<Incident> {
    return this.move(id, ['open'], {
      status: 'acknowledged',
      acknowledged_by: by,
      acknowledged_at: new Date(),
      assignee: assignee ?? by,
    });
  }

  resolve(id: string, by: string, resolution: string): Promise<Incident> {
    return this.move(id, ['open', 'acknowledged'], {
      status: 'resolved',
      resolved_by: by,
      resolved_at: new Date(),
      resolution,
    });
  }

  /**
   * Resolves an incident its reporter knows ended (a resource that recovered), if it is still
   * open or acknowledged. Never throws: an unknown or already resolved one is left as it is.
   */
  async resolveIfOpen(id: string, by: string, resolution: string): Promise<Incident | null> {
    try {
      return await this.resolve(id, by, resolution);
    } catch (error) {
      if (error instanceof StakingException) return null;
      this.logger.error({ err: (error as Error).message, incident: id }, 'Incident not resolved');
      return null;
    }
  }

  /**
   * One webhook event per transition, id "<type>:<incident id>" (each transition happens once:
   * the conditional move above wins once). Never throws: the incident is stored either way.
   */
  private async publish(
    type: 'incident.opened' | 'incident.acknowledged' | 'incident.resolved',
    incident: Incident,
  ): Promise<void> {
    try {
      await this.webhooks.publish({
        id: `${type}:${incident.id}`,
        type,
        created_at: new Date().toISOString(),
        data: incidentEventData(incident),
      });
    } catch (error) {
      this.logger.error(
        { err: (error as Error).message, incident: incident.id, type },
        'Incident webhook event not queued',
      );
    }
  }

  private async move(
    id: string,
    from: IncidentStatus[],
    set: Partial<Incident>,
  ): Promise<Incident> {
    const moved = await this.repo.transition(id, from, set);
    if (moved) {
      await this.publish(
        moved.status === 'resolved' ? 'incident.resolved' : 'incident.acknowledged',
        moved,
      );
      return moved;
    }
    const current = await this.get(id);
    throw new StakingException(ErrorCode.INCIDENT_STATE_CONFLICT, undefined, {
      incident_id: id,
      status: current.status,
    });
  }
}

/** An incident's id: derived from its type and what happened, so a repeat is the same one. */
export function incidentId(type: string, dedupeKey: string): string {
  return `inc_${createHash('sha256').update(`${type}:${dedupeKey}`).digest('hex').slice(0, 24)}`;
}

/** What a receiver learns of an incident: what, how bad, where it stands; never its details. */
export function incidentEventData(incident: Incident): Record<string, unknown> {
  const at = (d?: Date) => (d ? new Date(d).toISOString() : undefined);
  const data: Record<string, unknown> = {
    incident_id: incident.id,
    type: incident.type,
    severity: incident.severity,
    status: incident.status,
    summary: incident.summary,
    subject: incident.subject,
    opened_at: at(incident.created_at),
    acknowledged_by: incident.acknowledged_by,
    acknowledged_at: at(incident.acknowledged_at),
    resolved_by: incident.resolved_by,
    resolved_at: at(incident.resolved_at),
  };
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
}

function alertText(incident: Incident, level: number): string {
  return [
    `Incident ${incident.id} (${incident.type}, severity ${incident.severity}, escalation level ${level})`,
    incident.summary,
    incident.subject ? `Subject: ${incident.subject}` : '',
    `Opened: ${new Date(incident.created_at).toISOString()}`,
    'Acknowledge: POST /api/v1/compliance/incidents/' + incident.id + '/acknowledge',
  ]
    .filter(Boolean)
    .join('\n');
}
