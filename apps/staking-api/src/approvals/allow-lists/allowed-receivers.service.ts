import { AuditTrail, type Principal } from '@app/auth';
import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { toBase58Address } from '@app/tron';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccountsService } from '../../accounts/accounts.service.js';
import { WriteGates, type ReceiverGuard } from '../../operations/approval-gate.js';
import { ApprovalClock } from '../approval-clock.js';
import {
  AllowedReceiversRepository,
  type AllowedReceiver,
} from './allowed-receivers.repository.js';

const HOUR_MS = 3_600_000;

export type ReceiverCheck =
  | { allowed: true; active_from: Date }
  | { allowed: false; reason: 'not_listed' }
  | { allowed: false; reason: 'cooling_off'; active_from: Date };

/**
 * Destination allow-lists per managed account: an addition takes effect only after the
 * policy's cooling-off period (allow_lists.cooling_off_hours), so a stolen credential cannot
 * add a receiver and use it at once. As the pipeline's ReceiverGuard (`assertAllowed`) it is
 * what delegations, energy-policy creation and the energy-policy job's top-ups call before
 * sending resources to a receiver; an owner without any entry stays unrestricted.
 */
@Injectable()
export class AllowedReceiversService implements ReceiverGuard, OnModuleInit {
  private readonly coolingOffMs: number;
  private readonly max: number;

  constructor(
    private readonly repo: AllowedReceiversRepository,
    private readonly accounts: AccountsService,
    private readonly audit: AuditTrail,
    private readonly clock: ApprovalClock,
    private readonly gates: WriteGates,
    policy: SecurityPolicy,
  ) {
    this.coolingOffMs = policy.file.allow_lists.cooling_off_hours * HOUR_MS;
    this.max = policy.file.allow_lists.max_receivers_per_account;
  }

  onModuleInit(): void {
    this.gates.receivers = this;
  }

  /** ReceiverGuard: restricted only once the owner has a list (one equality lookup). */
  async assertAllowed(owner: string, receiver: string): Promise<void> {
    const address = toBase58Address(owner);
    if (!(await this.repo.hasList(address))) return;
    await this.assertAllowedReceiver(address, toBase58Address(receiver));
  }

  async list(owner: string) {
    const address = await this.managed(owner);
    const now = this.clock.now();
    const entries = await this.repo.listFor(address, this.max);
    return {
      address,
      cooling_off_hours: this.coolingOffMs / HOUR_MS,
      receivers: entries.map((e) => view(e, now)),
    };
  }

  async add(owner: string, receiver: string, label: string | undefined, principal: Principal) {
    const address = await this.managed(owner);
    const to = toBase58Address(receiver);
    if (to === address)
      throw new StakingException(ErrorCode.RECEIVER_IS_OWNER, undefined, { address });
    const existing = await this.repo.listFor(address, this.max);
    if (existing.length >= this.max && !existing.some((e) => e.receiver_address === to))
      throw new StakingException(ErrorCode.ALLOW_LIST_FULL, undefined, {
        address,
        max_receivers: this.max,
      });
    const now = this.clock.now();
    const { entry, created } = await this.repo.add({
      owner_address: address,
      receiver_address: to,
      ...(label ? { label } : {}),
      active_from: new Date(now.getTime() + this.coolingOffMs),
      added_by: { kind: principal.kind, id: principal.id, role: principal.role },
    });
    if (created)
      await this.audit.record({
        action: 'allow_list.add',
        resource: address,
        principal,
        params: { receiver_address: to, active_from: entry.active_from },
        result: { status: 'success' },
      });
    return { entry: view(entry, now), created };
  }

  async remove(owner: string, receiver: string, principal: Principal): Promise<void> {
    const address = await this.managed(owner);
    const to = toBase58Address(receiver);
    if (!(await this.repo.remove(address, to)))
      throw new StakingException(ErrorCode.ALLOWED_RECEIVER_NOT_FOUND, undefined, {
        address,
        receiver_address: to,
      });
    await this.audit.record({
      action: 'allow_list.remove',
      resource: address,
      principal,
      params: { receiver_address: to },
      result: { status: 'success' },
    });
  }

  /** Whether `owner` may send resources to `receiver` at `at` (wall time). */
  async isAllowedReceiver(
    owner: string,
    receiver: string,
    at: Date = this.clock.now(),
  ): Promise<ReceiverCheck> {
    const entry = await this.repo.find(toBase58Address(owner), toBase58Address(receiver));
    if (!entry) return { allowed: false, reason: 'not_listed' };
    const from = new Date(entry.active_from);
    return from <= at
      ? { allowed: true, active_from: from }
      : { allowed: false, reason: 'cooling_off', active_from: from };
  }

  /** Refuses with S550 (not listed) or S551 (cooling off, naming when it becomes allowed). */
  async assertAllowedReceiver(owner: string, receiver: string, at?: Date): Promise<void> {
    const check = await this.isAllowedReceiver(owner, receiver, at);
    if (check.allowed) return;
    const details = { address: owner, receiver_address: receiver };
    if (check.reason === 'not_listed')
      throw new StakingException(ErrorCode.RECEIVER_NOT_ALLOWED, undefined, details);
    throw new StakingException(
      ErrorCode.RECEIVER_COOLING_OFF,
      `The receiver becomes allowed at ${check.active_from.toISOString()}.`,
      { ...details, active_from: check.active_from.toISOString() },
    );
  }

  private async managed(owner: string): Promise<string> {
    return (await this.accounts.get(toBase58Address(owner))).address;
  }
}

function view(e: AllowedReceiver, now: Date) {
  const from = new Date(e.active_from);
  return {
    receiver_address: e.receiver_address,
    ...(e.label ? { label: e.label } : {}),
    active_from: from.toISOString(),
    active: from <= now,
    created_at: new Date(e.created_at).toISOString(),
  };
}
