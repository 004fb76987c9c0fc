import { AuditTrail, type Principal } from '@app/auth';
import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import { toBase58Address } from '@app/tron';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { AccountsService } from '../../accounts/accounts.service.js';
import { WriteGates, type ReceiverGuard } from '../../operations/approval-gate.js';
import { ApprovalClock } from '../approval-clock.js';
import type { AllowListChangeEffect } from '../approval-effect.js';
import { ApprovalEvents } from '../approval-events.js';
import { ApprovalPeople } from '../approval-people.js';
import { pendingAnswer } from '../approval-view.js';
import { ALLOW_LIST_RULE } from '../approval.types.js';
import { ApprovalsRepository } from '../approvals.repository.js';
import { ScreeningService } from '../../compliance/screening/screening.service.js';
import {
  AllowedReceiversRepository,
  type AllowedReceiver,
} from './allowed-receivers.repository.js';

const HOUR_MS = 3_600_000;

/** The routes of allow-list changes, as approvals store them to apply the change after quorum. */
export const ALLOW_LIST_ROUTES = {
  add: 'POST /api/v1/accounts/:address/allowed-receivers',
  remove: 'DELETE /api/v1/accounts/:address/allowed-receivers/:receiver',
} as const;

/** A change applied, or (by a role the policy does not exempt) parked for approvers. */
export type AllowListChange<T> = { applied: T } | { pending: Record<string, unknown> };

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
  private readonly changeApproval: SecurityPolicy['file']['allow_lists']['change_approval'];

  constructor(
    private readonly repo: AllowedReceiversRepository,
    private readonly accounts: AccountsService,
    private readonly audit: AuditTrail,
    private readonly clock: ApprovalClock,
    private readonly gates: WriteGates,
    private readonly approvals: ApprovalsRepository,
    private readonly people: ApprovalPeople,
    private readonly events: ApprovalEvents,
    private readonly screening: ScreeningService,
    policy: SecurityPolicy,
  ) {
    this.coolingOffMs = policy.file.allow_lists.cooling_off_hours * HOUR_MS;
    this.max = policy.file.allow_lists.max_receivers_per_account;
    this.changeApproval = policy.file.allow_lists.change_approval;
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

  /**
   * Adds a receiver. By a role the policy does not exempt (allow_lists.change_approval), the
   * addition is checked now and parked for approvers; `approvalId` (the approved change being
   * applied) skips that step. The cooling-off starts when the entry is written.
   */
  async add(
    owner: string,
    receiver: string,
    label: string | undefined,
    principal: Principal,
    requestId: string,
    approvalId?: string,
  ): Promise<AllowListChange<{ entry: ReturnType<typeof view>; created: boolean }>> {
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
    const listed = existing.find((e) => e.receiver_address === to);
    if (listed) return { applied: { entry: view(listed, this.clock.now()), created: false } };
    if (!approvalId && this.needsApproval(principal))
      return this.park('allow_list_add', address, to, label, principal, requestId);
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
        params: {
          receiver_address: to,
          active_from: entry.active_from,
          ...(approvalId ? { approval_id: approvalId } : {}),
        },
        result: { status: 'success' },
      });
    return { applied: { entry: view(entry, now), created } };
  }

  /** Removes a receiver (at once), or parks the removal for approvers like an addition. */
  async remove(
    owner: string,
    receiver: string,
    principal: Principal,
    requestId: string,
    approvalId?: string,
  ): Promise<AllowListChange<true>> {
    const address = await this.managed(owner);
    const to = toBase58Address(receiver);
    if (!approvalId && this.needsApproval(principal)) {
      if (!(await this.repo.find(address, to)))
        throw new StakingException(ErrorCode.ALLOWED_RECEIVER_NOT_FOUND, undefined, {
          address,
          receiver_address: to,
        });
      return this.park('allow_list_remove', address, to, undefined, principal, requestId);
    }
    if (!(await this.repo.remove(address, to)))
      throw new StakingException(ErrorCode.ALLOWED_RECEIVER_NOT_FOUND, undefined, {
        address,
        receiver_address: to,
      });
    await this.audit.record({
      action: 'allow_list.remove',
      resource: address,
      principal,
      params: { receiver_address: to, ...(approvalId ? { approval_id: approvalId } : {}) },
      result: { status: 'success' },
    });
    return { applied: true };
  }

  private needsApproval(principal: Principal): boolean {
    return !this.changeApproval.exempt_roles.includes(principal.role);
  }

  /** The change as an approval (rule allow_list_change, no operation behind it): the 202 body. */
  private async park(
    kind: AllowListChangeEffect['operation'],
    address: string,
    to: string,
    label: string | undefined,
    principal: Principal,
    requestId: string,
  ): Promise<{ pending: Record<string, unknown> }> {
    const requester = await this.people.of(principal);
    const now = this.clock.now();
    const id = randomUUID();
    const body = { address, receiver_address: to, ...(label ? { label } : {}) };
    const route = kind === 'allow_list_add' ? ALLOW_LIST_ROUTES.add : ALLOW_LIST_ROUTES.remove;
    const hash = createHash('sha256')
      .update(JSON.stringify([route, body, requester.principal.id]))
      .digest('hex');
    const hits = kind === 'allow_list_add' ? await this.screening.screenAddress(to) : [];
    const effect: AllowListChangeEffect = {
      operation: kind,
      receiver_address: to,
      ...(label ? { label } : {}),
      cooling_off_hours: this.coolingOffMs / HOUR_MS,
      ...(kind === 'allow_list_add'
        ? {
            receiver_screening: {
              address: to,
              hit: hits.length > 0,
              hits: hits.map((h) => ({ list: h.list, ref: h.ref, label: h.label })),
            },
          }
        : {}),
      computed_at: now.toISOString(),
    };
    const approval = await this.approvals.insert({
      id,
      status: 'pending',
      version: 0,
      rule: ALLOW_LIST_RULE,
      required_approvals: this.changeApproval.required_approvals,
      timeout_hours: this.changeApproval.timeout_hours,
      // No operation: the change's own id, so the approvals' unique operation index holds.
      operation_id: `allow-list:${id}`,
      operation_kind: kind,
      owner_address: address,
      requester,
      request: {
        route,
        body,
        mode: 'custodial',
        actor: { kind: principal.kind, id: principal.id, role: principal.role },
        principal: requester.principal,
        request_hash: hash,
        request_id: requestId,
      },
      request_hash: hash,
      facts_hash: hash,
      effect,
      decisions: [],
      history: [{ event: 'requested', at: now, facts_hash: hash }],
      expires_at: new Date(now.getTime() + this.changeApproval.timeout_hours * HOUR_MS),
    });
    await this.audit.record({
      action: 'approval.requested',
      resource: approval.id,
      principal,
      requestId,
      params: { rule: ALLOW_LIST_RULE, change: kind, owner: address, receiver_address: to },
      result: { status: 'success', http_status: 202 },
    });
    await this.events.publish('approval.requested', approval);
    return { pending: pendingAnswer(approval) };
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
