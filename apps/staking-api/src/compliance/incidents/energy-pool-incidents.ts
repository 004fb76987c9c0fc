import { sunToTrxString } from '@app/common';
import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  ENERGY_POOL_DRY,
  type EnergyPoolDryEvent,
} from '../../delegation/energy-policies/energy-policy-events.js';
import { IncidentsService } from './incidents.service.js';

/**
 * `energy_pool_dry`: an energy policy's pool could not cover a top-up, so its receiver may
 * start burning TRX. One incident per policy and dry spell (the job reports a spell once).
 */
@Injectable()
export class EnergyPoolIncidents {
  constructor(private readonly incidents: IncidentsService) {}

  @OnEvent(ENERGY_POOL_DRY, { async: true, promisify: true, suppressErrors: true })
  async onPoolDry(event: EnergyPoolDryEvent): Promise<void> {
    await this.incidents.open(
      {
        type: 'energy_pool_dry',
        summary: `Pool ${event.pool} can delegate ${sunToTrxString(BigInt(event.delegatableSun))} TRX of the ${sunToTrxString(BigInt(event.wantedSun))} TRX a top-up of ${event.receiver} needs (${event.resource})`,
        subject: event.pool,
        details: {
          policy_id: event.policyId,
          receiver_address: event.receiver,
          resource: event.resource,
          wanted_sun: event.wantedSun,
          delegatable_sun: event.delegatableSun,
          dry_since: event.since.toISOString(),
        },
        dedupeKey: `${event.policyId}:${event.since.toISOString()}`,
      },
      event.since,
    );
  }
}
