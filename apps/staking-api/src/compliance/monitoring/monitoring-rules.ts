import { ErrorCode, sunToTrx, trxToSun, type StakingErrorCode, type Sun } from '@app/common';
import { Injectable } from '@nestjs/common';
import type { ComplianceInput, ComplianceReason } from '../../operations/write-compliance.js';
import type { WriteContext } from '../../operations/write-context.js';
import { ComplianceSettings } from '../compliance-settings.js';
import { Blocked, type Tally } from '../decision-parts.js';
import { VelocityWindows, WINDOWS, type Window, type WindowCounts } from './velocity-windows.js';

/**
 * The transaction-monitoring rules of the compliance decision: velocity (count and TRX per
 * window) and the pattern rules. They throw `Blocked` to block; an escalating breach adds an
 * approval reason and an incident for the decision to open when the write goes on.
 */
@Injectable()
export class MonitoringRules {
  constructor(
    private readonly settings: ComplianceSettings,
    private readonly velocity: VelocityWindows,
  ) {}

  /**
   * Counts and TRX of one scope's windows with this write; over a count limit → S134, over a
   * TRX limit → S177 or an approval (policy `velocity_trx.on_breach`). Answers the highest share
   * of any limit reached (a risk factor).
   */
  checkVelocity(
    scope: string,
    owner: string,
    ctx: WriteContext,
    windows: WindowCounts,
    amountSun: Sun,
    reasons: ComplianceReason[],
    tally: Tally,
  ): number {
    const monitoring = this.settings.policy.transaction_monitoring;
    const what = scope.startsWith('acct:') ? 'account' : 'user';
    const who = what === 'account' ? owner : ctx.actor.id;
    const subject = what === 'account' ? `Account ${owner}` : `User ${ctx.actor.id}`;
    let share = 0;
    for (const w of Object.keys(WINDOWS) as Window[]) {
      const limit = monitoring.velocity[`per_${w}`];
      const next = windows.count[w] + 1;
      share = Math.max(share, next / limit);
      if (next > limit) {
        reasons.push({
          check: 'velocity',
          code: ErrorCode.VELOCITY_LIMIT_EXCEEDED,
          detail: `${what} ${who}: operation ${next} in one ${w} (limit ${limit})`,
        });
        throw new Blocked(
          ErrorCode.VELOCITY_LIMIT_EXCEEDED,
          `The ${what} has made ${windows.count[w]} operations this ${w}; the policy allows ${limit}.`,
          { scope: what, window: w, limit, count: windows.count[w] },
          {
            type: 'high_velocity',
            summary: `${subject} exceeded ${limit} operations per ${w}`,
            subject: who,
            dedupeKey: `${scope}:${w}:${Math.floor(Date.now() / WINDOWS[w])}`,
          },
        );
      }
    }
    if (amountSun === 0n) return share;
    for (const w of Object.keys(WINDOWS) as Window[]) {
      const limitSun = trxToSun(monitoring.velocity_trx[`per_${w}`]);
      const moved = windows.sun[w] + amountSun;
      if (limitSun > 0n) share = Math.max(share, Number((moved * 1000n) / limitSun) / 1000);
      if (moved <= limitSun) continue;
      const block = monitoring.velocity_trx.on_breach === 'block';
      reasons.push({
        check: 'velocity_amount',
        code: ErrorCode.VELOCITY_AMOUNT_EXCEEDED,
        detail: `${what} ${who}: ${sunToTrx(moved)} TRX in one ${w} with this write (limit ${sunToTrx(limitSun)} TRX)`,
        ...(block ? {} : { approval: true }),
      });
      const incident = {
        type: 'high_velocity',
        summary: `${subject} would move ${sunToTrx(moved)} TRX in one ${w} (limit ${sunToTrx(limitSun)} TRX)`,
        subject: who,
        dedupeKey: `${scope}:sun:${w}:${Math.floor(Date.now() / WINDOWS[w])}`,
      };
      const details = {
        scope: what,
        window: w,
        limit_trx: sunToTrx(limitSun),
        moved_trx: sunToTrx(windows.sun[w]),
        amount_trx: sunToTrx(amountSun),
      };
      if (block)
        throw new Blocked(
          ErrorCode.VELOCITY_AMOUNT_EXCEEDED,
          `The ${what} has moved ${sunToTrx(windows.sun[w])} TRX this ${w}; with ${sunToTrx(amountSun)} TRX more it would pass the policy's ${sunToTrx(limitSun)} TRX.`,
          details,
          incident,
        );
      tally.incidents.push({ ...incident, details });
      break;
    }
    return share;
  }

  /**
   * Pattern rules of a person's write: many delegations to new receivers in an hour, an unstake
   * soon after the account's last confirmed stake, and structuring (many amounts just under the
   * alert amount). A breach blocks (S178, S179, S180) or asks for an approval (policy
   * `on_breach`); either way an incident `suspicious_pattern` opens.
   */
  async checkPatterns(
    input: ComplianceInput,
    tally: Tally,
    reasons: ComplianceReason[],
  ): Promise<void> {
    const { intent, owner } = input;
    const patterns = this.settings.policy.transaction_monitoring.patterns;
    if (intent.kind === 'delegate' && tally.newCounterparties.includes(intent.receiver)) {
      const seen = await this.velocity.newReceiversThisHour(owner);
      if (!seen.includes(intent.receiver)) {
        tally.newReceivers.push(intent.receiver);
        const count = seen.length + 1;
        const rule = patterns.new_receivers;
        if (count > rule.max_per_hour)
          this.breach(
            rule.on_breach,
            ErrorCode.NEW_RECEIVERS_PATTERN,
            'new_receivers',
            `delegation to new receiver ${intent.receiver}: ${count} new receivers this hour (limit ${rule.max_per_hour})`,
            { receiver: intent.receiver, new_receivers_this_hour: count, limit: rule.max_per_hour },
            {
              type: 'suspicious_pattern',
              summary: `Account ${owner}: ${count} delegations to new receivers within an hour (limit ${rule.max_per_hour})`,
              subject: owner,
              dedupeKey: `new_receivers:${owner}:${Math.floor(Date.now() / WINDOWS.hour)}`,
            },
            reasons,
            tally,
          );
      }
    }
    await this.checkStructuring(input, tally, reasons);
    if (intent.kind === 'unfreeze') {
      const rule = patterns.rapid_stake_unstake;
      const stakedAt = await this.velocity.lastStakeAt(owner);
      const minutes = stakedAt === null ? null : Math.floor((Date.now() - stakedAt) / 60_000);
      if (minutes !== null && minutes < rule.within_minutes)
        this.breach(
          rule.on_breach,
          ErrorCode.RAPID_STAKE_UNSTAKE,
          'rapid_stake_unstake',
          `unstake ${minutes} min after the last confirmed stake (window ${rule.within_minutes} min)`,
          {
            staked_at: new Date(stakedAt!).toISOString(),
            minutes_since_stake: minutes,
            window_minutes: rule.within_minutes,
          },
          {
            type: 'suspicious_pattern',
            summary: `Account ${owner}: unstake ${minutes} min after a stake (rapid stake/unstake, window ${rule.within_minutes} min)`,
            subject: owner,
            dedupeKey: `rapid_stake_unstake:${owner}:${stakedAt}`,
          },
          reasons,
          tally,
        );
    }
  }

  /**
   * Structuring: the `count`-th write of the owner within the window whose amount lies in
   * [ratio × single-transaction alert amount, alert amount). The write is counted in the window
   * when it goes on (and taken back out like the velocity counts when it does not).
   */
  private async checkStructuring(
    input: ComplianceInput,
    tally: Tally,
    reasons: ComplianceReason[],
  ): Promise<void> {
    const { owner, amountSun } = input;
    const monitoring = this.settings.policy.transaction_monitoring;
    const rule = monitoring.patterns.structuring;
    const alertSun = trxToSun(monitoring.amount.single_transaction_alert_trx);
    const nearSun = (alertSun * BigInt(Math.round(rule.near_threshold_ratio * 10_000))) / 10_000n;
    if (amountSun < nearSun || amountSun >= alertSun) return;
    const windowMs = rule.window_minutes * 60_000;
    tally.nearThresholdWindowMs = windowMs;
    const count = (await this.velocity.nearThresholdCount(owner, windowMs)) + 1;
    if (count < rule.count) return;
    this.breach(
      rule.on_breach,
      ErrorCode.STRUCTURING_PATTERN,
      'structuring',
      `${sunToTrx(amountSun)} TRX: write ${count} within ${rule.window_minutes} min between ${sunToTrx(nearSun)} TRX and the ${sunToTrx(alertSun)} TRX alert amount (limit ${rule.count - 1})`,
      {
        amount_trx: sunToTrx(amountSun),
        alert_amount_trx: sunToTrx(alertSun),
        near_threshold_trx: sunToTrx(nearSun),
        writes_in_window: count,
        window_minutes: rule.window_minutes,
      },
      {
        type: 'suspicious_pattern',
        summary: `Account ${owner}: ${count} amounts just under the ${sunToTrx(alertSun)} TRX alert amount within ${rule.window_minutes} min (structuring)`,
        subject: owner,
        dedupeKey: `structuring:${owner}:${Math.floor(Date.now() / windowMs)}`,
      },
      reasons,
      tally,
    );
  }

  private breach(
    onBreach: 'block' | 'approval',
    code: StakingErrorCode,
    check: string,
    detail: string,
    details: Record<string, unknown>,
    incident: { type: string; summary: string; subject: string; dedupeKey: string },
    reasons: ComplianceReason[],
    tally: Tally,
  ): void {
    const block = onBreach === 'block';
    reasons.push({ check, code, detail, ...(block ? {} : { approval: true }) });
    if (block) throw new Blocked(code, undefined, details, incident);
    tally.incidents.push({ ...incident, details });
  }
}
