import { SecurityPolicy } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { IncidentsService, incidentId } from '../compliance/incidents/incidents.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { AddressResourcesDto } from '../staking/dto/address-views.dto.js';
import { WebhookOutbox } from '../webhooks/webhook-outbox.js';
import { alertStep } from './resource-view.js';
import {
  WatchedAddressesRepository,
  type MonitoredResource,
  type WatchedAddress,
} from './watched-addresses.repository.js';

const INCIDENT_TYPE: Record<MonitoredResource, string> = {
  energy: 'low_energy',
  bandwidth: 'low_bandwidth',
};

export interface AlertOutcome {
  fired: number;
  recovered: number;
}

/**
 * Low-resource alerts with hysteresis. The arm/fired state lives on the address's entry and
 * moves by a conditional update, so of two replicas (or two overlapping ticks) one fires: one
 * incident (with its alerts at the policy's escalation levels) and one resource.low event per
 * drop; resource.recovered once it is back above the floor plus the margin.
 */
@Injectable()
export class ResourceAlertsService {
  private readonly logger = new Logger('ResourceAlerts');

  constructor(
    private readonly entries: WatchedAddressesRepository,
    private readonly incidents: IncidentsService,
    private readonly outbox: WebhookOutbox,
    private readonly metrics: MetricsService,
    private readonly policy: SecurityPolicy,
  ) {}

  floorOf(entry: WatchedAddress, resource: MonitoredResource): number {
    const defaults = this.policy.resourcesPolicy.low_resource;
    return resource === 'energy'
      ? (entry.energy_floor ?? defaults.energy_floor)
      : (entry.bandwidth_floor ?? defaults.bandwidth_floor);
  }

  async check(
    entry: WatchedAddress,
    view: Omit<AddressResourcesDto, 'cached'>,
    now: Date,
  ): Promise<AlertOutcome> {
    const outcome: AlertOutcome = { fired: 0, recovered: 0 };
    const margin = this.policy.resourcesPolicy.low_resource.recovery_margin_percent;
    const levels: Record<MonitoredResource, { available: number; limit: number }> = {
      energy: { available: view.energy.available, limit: view.energy.limit },
      bandwidth: {
        available: view.bandwidth.available,
        limit: view.bandwidth.limit + view.bandwidth.free_limit,
      },
    };
    for (const resource of ['energy', 'bandwidth'] as const) {
      const { available, limit } = levels[resource];
      const floor = this.floorOf(entry, resource);
      const step = alertStep(entry[`${resource}_alert`], available, limit, floor, margin);
      if (step === 'fire') {
        const seq = await this.entries.flipAlert(entry.address, resource, 'armed', 'fired');
        if (seq === null) continue;
        outcome.fired++;
        await this.fire(entry, resource, seq, { available, limit, floor }, now);
      } else if (step === 'recover') {
        if ((await this.entries.flipAlert(entry.address, resource, 'fired', 'armed')) === null)
          continue;
        outcome.recovered++;
        await this.recover(entry, resource, { available, limit, floor }, now);
      }
    }
    return outcome;
  }

  private async fire(
    entry: WatchedAddress,
    resource: MonitoredResource,
    seq: number,
    level: { available: number; limit: number; floor: number },
    now: Date,
  ): Promise<void> {
    this.metrics.observeResourceAlert(resource, 'low');
    this.logger.warn(
      { address: entry.address, resource, ...level, seq },
      'Available resource under its floor',
    );
    const incident = await this.incidents.open(
      {
        type: INCIDENT_TYPE[resource],
        summary: `${resource} available ${level.available} under the floor ${level.floor}`,
        subject: entry.address,
        details: { resource, ...level, label: entry.label, drop: seq },
        dedupeKey: dropKey(entry.address, resource, seq),
      },
      now,
    );
    await this.outbox.publish(
      {
        id: `resource.low:${entry.address}:${resource}:${seq}`,
        type: 'resource.low',
        created_at: now.toISOString(),
        data: {
          address: entry.address,
          label: entry.label ?? null,
          managed: entry.managed,
          resource,
          ...level,
          incident_id: incident?.id ?? null,
        },
      },
      now,
    );
  }

  private async recover(
    entry: WatchedAddress,
    resource: MonitoredResource,
    level: { available: number; limit: number; floor: number },
    now: Date,
  ): Promise<void> {
    this.metrics.observeResourceAlert(resource, 'recovered');
    const seq = entry[`${resource}_alert_seq`];
    const resolved = this.policy.resourcesPolicy.low_resource.resolve_on_recovery
      ? await this.incidents.resolveIfOpen(
          incidentId(INCIDENT_TYPE[resource], dropKey(entry.address, resource, seq)),
          'system:resource-refresh',
          `recovered: ${level.available} available, above the floor ${level.floor} plus the margin`,
        )
      : null;
    await this.outbox.publish(
      {
        id: `resource.recovered:${entry.address}:${resource}:${entry[`${resource}_alert_seq`]}`,
        type: 'resource.recovered',
        created_at: now.toISOString(),
        data: {
          address: entry.address,
          label: entry.label ?? null,
          managed: entry.managed,
          resource,
          ...level,
          resolved_incident_id: resolved?.id ?? null,
        },
      },
      now,
    );
  }
}

/** What makes one drop's incident: the address, the resource and the drop's sequence number. */
function dropKey(address: string, resource: MonitoredResource, seq: number | undefined): string {
  return `${address}:${resource}:${seq}`;
}
