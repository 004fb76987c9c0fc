import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  OPERATION_SETTLED,
  type OperationSettledEvent,
} from '../../operations/operation-events.js';
import { ComplianceSettings } from '../compliance-settings.js';
import { KnownCounterpartiesRepository } from './known-counterparties.repository.js';
import { VelocityWindows } from './velocity-windows.js';

/**
 * How monitoring follows the operations it counted. Confirmed: its new counterparties become
 * known (novelty), a stake starts the rapid stake/unstake window. Ended off chain (failed,
 * expired, cancelled): its count and TRX leave the velocity windows, once (a settlement may
 * run again).
 */
@Injectable()
export class MonitoringSettlementListener {
  private readonly logger = new Logger('MonitoringSettlement');

  constructor(
    private readonly velocity: VelocityWindows,
    private readonly known: KnownCounterpartiesRepository,
    private readonly settings: ComplianceSettings,
  ) {}

  @OnEvent(OPERATION_SETTLED, { async: true, promisify: true, suppressErrors: true })
  async onSettled({ operation: op }: OperationSettledEvent): Promise<void> {
    const counted = op.compliance?.counted;
    try {
      if (op.state === 'confirmed') {
        for (const counterparty of counted?.new_counterparties ?? [])
          await this.known.remember(op.owner_address, counterparty, op.id, op.kind);
        if (op.kind === 'freeze' && this.settings.monitoring) {
          const rule = this.settings.policy.transaction_monitoring.patterns.rapid_stake_unstake;
          const at = new Date(op.included_at ?? Date.now()).getTime();
          await this.velocity.rememberStake(op.owner_address, at, rule.within_minutes * 60_000);
        }
      } else if (counted && (await this.velocity.claimRelease(op.id))) {
        await this.velocity.release(counted);
      }
    } catch (error) {
      this.logger.warn(
        { err: (error as Error).message, operation_id: op.id },
        'Monitoring did not follow a settled operation',
      );
    }
  }
}
