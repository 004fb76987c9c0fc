import type { Principal } from '@app/auth';
import { AppConfigService, ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { toBase58Address } from '@app/tron';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  MANAGED_ACCOUNT_CREATED,
  type ManagedAccountCreatedEvent,
} from '../accounts/accounts.service.js';
import { ManagedAccountsRepository } from '../accounts/managed-accounts.repository.js';
import type {
  WatchAddressDto,
  WatchedAddressDto,
  WatchedAddressListDto,
  WatchedAddressListQueryDto,
} from './dto/watched-address.dto.js';
import { ResourceAlertsService } from './resource-alerts.service.js';
import {
  slotOf,
  WatchedAddressesRepository,
  type WatchedAddress,
} from './watched-addresses.repository.js';

/** Watched addresses, and the managed accounts every replica keeps in the monitored set. */
@Injectable()
export class WatchedAddressesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('WatchedAddresses');

  constructor(
    private readonly entries: WatchedAddressesRepository,
    private readonly managed: ManagedAccountsRepository,
    private readonly alerts: ResourceAlertsService,
    private readonly policy: SecurityPolicy,
    private readonly config: AppConfigService,
  ) {}

  private get slots(): number {
    return this.policy.resourcesPolicy.refresh.slots;
  }

  async watch(dto: WatchAddressDto, by: Principal): Promise<WatchedAddressDto> {
    const address = toBase58Address(dto.address);
    const existing = await this.entries.find(address);
    if (existing?.watched)
      throw new StakingException(ErrorCode.WATCHED_ADDRESS_EXISTS, undefined, { address });
    const max = this.policy.resourcesPolicy.max_watched;
    if (!(await this.entries.reservePlace(max)))
      throw new StakingException(ErrorCode.WATCHED_ADDRESS_LIMIT, undefined, { max_watched: max });
    const stored = await this.entries.watch(
      {
        address,
        slot: existing?.slot ?? slotOf(address, this.slots),
        label: dto.label,
        energy_floor: dto.energy_floor,
        bandwidth_floor: dto.bandwidth_floor,
      },
      `${by.kind}:${by.id}`,
      new Date(),
    );
    if (!stored) {
      // Another request watched it in between.
      await this.entries.releasePlace();
      throw new StakingException(ErrorCode.WATCHED_ADDRESS_EXISTS, undefined, { address });
    }
    return this.toDto((await this.entries.find(address))!);
  }

  async unwatch(address: string): Promise<void> {
    const base58 = toBase58Address(address);
    if (!(await this.entries.unwatch(base58)))
      throw new StakingException(ErrorCode.WATCHED_ADDRESS_NOT_FOUND, undefined, {
        address: base58,
      });
    await this.entries.releasePlace();
  }

  async list(q: WatchedAddressListQueryDto): Promise<WatchedAddressListDto> {
    const [items, total] = await Promise.all([
      q.slot < this.slots ? this.entries.watchedInSlot(q.slot, q.skip, q.limit) : [],
      this.entries.watchedCount(),
    ]);
    return {
      items: items.map((e) => this.toDto(e)),
      slot: q.slot,
      slots: this.slots,
      total_watched: total,
      skip: q.skip,
      limit: q.limit,
    };
  }

  @OnEvent(MANAGED_ACCOUNT_CREATED, { async: true, promisify: true })
  async onManagedAccount(event: ManagedAccountCreatedEvent): Promise<void> {
    await this.entries.markManaged(
      event.address,
      event.label,
      slotOf(event.address, this.slots),
      new Date(),
    );
  }

  /**
   * Start-up, off the hot path: managed accounts from before monitoring existed join the set,
   * and entries filed under another slot count (a changed policy) are re-filed.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('JOBS_ENABLED')) return;
    try {
      let refiled = 0;
      for await (const { address, label } of this.managed.addresses())
        await this.entries.markManaged(address, label, slotOf(address, this.slots), new Date());
      for await (const { address, slot } of this.entries.slotsOfAll()) {
        const want = slotOf(address, this.slots);
        if (slot !== want) {
          await this.entries.refile(address, want);
          refiled++;
        }
      }
      if (refiled) this.logger.log({ refiled }, 'Monitored addresses re-filed to new slots');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Monitored address sync failed');
    }
  }

  private toDto(e: WatchedAddress): WatchedAddressDto {
    return {
      address: e.address,
      label: e.label,
      watched: e.watched,
      managed: e.managed,
      energy_floor: this.alerts.floorOf(e, 'energy'),
      bandwidth_floor: this.alerts.floorOf(e, 'bandwidth'),
      energy_alert: e.energy_alert,
      bandwidth_alert: e.bandwidth_alert,
      slot: e.slot,
      created_at: new Date(e.created_at).toISOString(),
    };
  }
}
