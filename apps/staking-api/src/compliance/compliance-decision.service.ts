import { AuditTrail } from '@app/auth';
import { ErrorCode, StakingException, sunToTrx, trxToSun, type Sun, utcDay } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service.js';
import {
  WriteCompliance,
  type ComplianceDecision,
  type ComplianceInput,
  type ComplianceReason,
} from '../operations/write-compliance.js';
import type { WriteContext } from '../operations/write-context.js';
import { ComplianceSettings } from './compliance-settings.js';
import { IncidentsService } from './incidents/incidents.service.js';
import type { KycLevel } from './kyc/kyc-profile.schema.js';
import { KycProfilesRepository, type KycProfile } from './kyc/kyc-profiles.repository.js';
import { kycRank, requiredLevel } from './kyc/kyc-tiers.js';
import { atOrAbove, riskScore } from './monitoring/risk-score.js';
import { Blocked, type Tally } from './decision-parts.js';
import { KnownCounterpartiesRepository } from './monitoring/known-counterparties.repository.js';
import { MonitoringRules } from './monitoring/monitoring-rules.js';
import { VelocityWindows } from './monitoring/velocity-windows.js';
import { ScreeningService } from './screening/screening.service.js';

/**
 * THE compliance decision of every write (the write pipeline calls it after the area's plan, under
 * the owner lock): KYC tier, sanctions on every counterparty address, the owner profile's cached
 * name screening (sanctions, PEP), velocity windows, amount alerts and the risk score. Only
 * equality lookups: the account and profile by id, each address by its indexed value, Redis keys.
 */
@Injectable()
export class ComplianceDecisionService extends WriteCompliance {
  private readonly logger = new Logger('ComplianceDecision');

  constructor(
    private readonly settings: ComplianceSettings,
    private readonly accounts: AccountsService,
    private readonly profiles: KycProfilesRepository,
    private readonly screening: ScreeningService,
    private readonly velocity: VelocityWindows,
    private readonly known: KnownCounterpartiesRepository,
    private readonly rules: MonitoringRules,
    private readonly incidents: IncidentsService,
    private readonly audit: AuditTrail,
  ) {
    super();
  }

  async decide(input: ComplianceInput): Promise<ComplianceDecision> {
    const reasons: ComplianceReason[] = [];
    try {
      const decision = await this.evaluate(input, reasons);
      if (decision.reasons.length)
        await this.audit.record({
          action: 'compliance.decision',
          resource: input.owner,
          principal: input.ctx.principal,
          requestId: input.ctx.requestId,
          params: {
            kind: input.intent.kind,
            outcome: decision.outcome,
            reasons: decision.reasons,
            risk: decision.risk,
          },
          result: { status: 'success' },
        });
      return decision;
    } catch (error) {
      throw await this.refusal(error, input.owner, input.intent.kind, input.ctx, reasons);
    }
  }

  async release(decision: ComplianceDecision | undefined): Promise<void> {
    if (!decision?.counted) return;
    try {
      await this.velocity.release(decision.counted);
    } catch {
      // Windows expire on their own (2× their length): a count left behind ends with them.
      this.logger.warn({ owner: decision.counted.owner }, 'Velocity count not released');
    }
  }

  async screenParties(input: {
    owner: string;
    kind: string;
    addresses: string[];
    ctx: WriteContext;
  }): Promise<void> {
    if (!this.settings.sanctions) return;
    const reasons: ComplianceReason[] = [];
    try {
      await this.screenAddresses(input.owner, input.kind, input.addresses, reasons);
    } catch (error) {
      throw await this.refusal(error, input.owner, input.kind, input.ctx, reasons);
    }
  }

  /** A Blocked: incident, audit entry, then its S-code; anything else passes through. */
  private async refusal(
    error: unknown,
    owner: string,
    kind: string,
    ctx: WriteContext,
    reasons: ComplianceReason[],
  ): Promise<unknown> {
    if (!(error instanceof Blocked)) return error;
    const incident = error.incident
      ? await this.incidents.open({
          ...error.incident,
          details: { ...error.details, kind, reasons },
        })
      : null;
    await this.audit.record({
      action: 'compliance.block',
      resource: owner,
      principal: ctx.principal,
      requestId: ctx.requestId,
      params: { kind, reasons, ...(incident ? { incident_id: incident.id } : {}) },
      result: { status: 'failure', error_code: error.code },
    });
    return new StakingException(error.code, error.message, {
      ...error.details,
      ...(incident ? { incident_id: incident.id } : {}),
    });
  }

  /** Every address against the sanctions lists (indexed equality); a hit blocks (policy). */
  private async screenAddresses(
    owner: string,
    kind: string,
    addresses: string[],
    reasons: ComplianceReason[],
  ): Promise<void> {
    for (const address of addresses) {
      const hits = await this.screening.screenAddress(address);
      if (!hits.length) continue;
      const role = address === owner ? 'owner' : 'counterparty';
      const hit = hits[0]!;
      reasons.push({
        check: 'sanctions_address',
        code: ErrorCode.SANCTIONS_MATCH,
        detail: `${role} ${address} is on ${hit.list} (${hit.ref}${hit.party ? `, ${hit.party}` : ''})`,
      });
      if (this.settings.policy.aml_kyc.sanctions.block_on_match)
        throw new Blocked(
          ErrorCode.SANCTIONS_MATCH,
          `The ${role} address ${address} matches the sanctions list ${hit.list} (${hit.ref}).`,
          {
            address,
            role,
            hits: hits.map((h) => ({
              list: h.list,
              ref: h.ref,
              label: h.label,
              ...(h.party ? { party: h.party } : {}),
            })),
          },
          {
            type: 'sanctions_hit',
            summary: `${kind} by ${owner} blocked: ${role} ${address} is on ${hit.list} (${hit.ref})`,
            subject: address,
            dedupeKey: `${address}:${owner}:${utcDay(new Date())}`,
          },
        );
    }
  }

  private async evaluate(
    input: ComplianceInput,
    reasons: ComplianceReason[],
  ): Promise<ComplianceDecision> {
    const { owner, amountSun, ctx } = input;
    const person = ctx.actor.kind !== 'system';
    const s = this.settings;
    const profile = s.kyc || s.aml ? await this.profileOf(owner) : null;
    const accountWindow =
      s.kyc || s.monitoring ? await this.velocity.read(`acct:${owner}`) : undefined;

    // KYC: writes people ask for (jobs only finish what a checked write started).
    if (s.kyc && person) this.checkKyc(profile, owner, amountSun, accountWindow!.daySun, reasons);

    if (s.sanctions) {
      await this.screenAddresses(owner, input.intent.kind, input.counterparties, reasons);
      const nameHits = profile?.screening?.sanctions ?? [];
      if (nameHits.length) {
        const hit = nameHits[0]!;
        reasons.push({
          check: 'sanctions_name',
          code: ErrorCode.SANCTIONS_MATCH,
          detail: `profile ${profile!.profile_id} matches ${hit.list} ${hit.ref} (${hit.matched}, ${hit.similarity})`,
        });
        if (s.policy.aml_kyc.sanctions.block_on_match)
          throw new Blocked(
            ErrorCode.SANCTIONS_MATCH,
            `The owner's KYC profile matches the sanctions list ${hit.list} (${hit.ref}).`,
            { profile_id: profile!.profile_id, hits: nameHits },
            {
              type: 'sanctions_hit',
              summary: `Write by ${owner} blocked: profile ${profile!.profile_id} matches ${hit.list} ${hit.ref}`,
              subject: profile!.profile_id,
              dedupeKey: `${profile!.profile_id}:${utcDay(new Date())}`,
            },
          );
      }
    }
    const pepMatch = s.pep && (profile?.screening?.pep.length ?? 0) > 0;
    if (pepMatch) {
      reasons.push({
        check: 'pep_match',
        code: ErrorCode.PEP_REVIEW_REQUIRED,
        detail: `profile ${profile!.profile_id} matches a PEP entry (${profile!.screening!.pep[0]!.matched})`,
      });
      if (s.policy.aml_kyc.pep.on_match === 'block')
        throw new Blocked(ErrorCode.PEP_REVIEW_REQUIRED, undefined, {
          profile_id: profile!.profile_id,
          hits: profile!.screening!.pep,
        });
    }

    const tally: Tally = { scopes: [], newCounterparties: [], newReceivers: [], incidents: [] };
    if (s.kyc || s.monitoring) tally.scopes.push(`acct:${owner}`);
    if (!s.aml) return this.outcome(reasons, undefined, input, tally);

    const monitoring = s.policy.transaction_monitoring;
    let velocityShare = 0;
    if (s.monitoring) {
      if (ctx.principal) tally.scopes.push(`user:${ctx.principal.kind}:${ctx.principal.id}`);
      for (const scope of tally.scopes) {
        const windows = scope.startsWith('acct:')
          ? accountWindow!
          : await this.velocity.read(scope);
        velocityShare = Math.max(
          velocityShare,
          this.rules.checkVelocity(scope, owner, ctx, windows, amountSun, reasons, tally),
        );
      }
    }
    const single = trxToSun(monitoring.amount.single_transaction_alert_trx);
    const daily = trxToSun(monitoring.amount.daily_total_alert_trx);
    const dayTotal = (accountWindow?.daySun ?? 0n) + amountSun;
    const largeAmount = s.monitoring && (amountSun >= single || dayTotal >= daily);
    if (largeAmount) {
      reasons.push({
        check: 'large_amount',
        detail: `${sunToTrx(amountSun)} TRX (day total ${sunToTrx(dayTotal)} TRX) reaches the alert amount`,
      });
      await this.incidents.open({
        type: 'large_transaction',
        summary: `Account ${owner}: ${sunToTrx(amountSun)} TRX (${sunToTrx(dayTotal)} TRX today) reaches the alert amount`,
        subject: owner,
        dedupeKey: `${owner}:${utcDay(new Date())}:${amountSun >= single ? `op:${amountSun}` : 'day'}`,
      });
    }
    // Novelty: one `_id` lookup per counterparty (addresses with a confirmed write are known).
    for (const address of input.counterparties)
      if (address !== owner && !(await this.known.isKnown(owner, address)))
        tally.newCounterparties.push(address);
    if (s.monitoring && person) await this.rules.checkPatterns(input, tally, reasons);
    const risk = riskScore(s.policy.aml_kyc.risk_scoring, {
      kycLevel: profile && profile.status === 'verified' ? profile.level : 'none',
      pepMatch,
      country: profile?.country,
      velocityShare,
      largeAmount,
      newCounterparties: tally.newCounterparties.length,
    });
    const scoring = s.policy.aml_kyc.risk_scoring;
    if (atOrAbove(risk.band, scoring.block_at_or_above)) {
      reasons.push({
        check: 'risk_score',
        code: ErrorCode.RISK_SCORE_TOO_HIGH,
        detail: `score ${risk.score} (${risk.band}): ${Object.keys(risk.factors).join(', ')}`,
      });
      throw new Blocked(
        ErrorCode.RISK_SCORE_TOO_HIGH,
        `The operation's risk score is ${risk.score} (${risk.band}); the policy blocks ${scoring.block_at_or_above} and above.`,
        { score: risk.score, band: risk.band, factors: risk.factors },
        {
          type: 'high_risk_score',
          summary: `Write ${input.intent.kind} by ${owner} blocked: risk score ${risk.score}`,
          subject: owner,
          dedupeKey: `${owner}:${Date.now()}`,
        },
      );
    }
    if (atOrAbove(risk.band, scoring.approval_at_or_above))
      reasons.push({
        check: 'risk_score',
        detail: `score ${risk.score} (${risk.band}) requires an approval`,
        approval: true,
      });
    return this.outcome(reasons, risk, input, tally);
  }

  private checkKyc(
    profile: KycProfile | null,
    owner: string,
    amountSun: Sun,
    daySun: Sun,
    reasons: ComplianceReason[],
  ): void {
    const now = Date.now();
    if (
      !profile ||
      profile.status !== 'verified' ||
      (profile.expires_at && new Date(profile.expires_at).getTime() <= now)
    ) {
      const why = !profile
        ? 'the account links no KYC profile'
        : profile.status !== 'verified'
          ? `profile ${profile.profile_id} is ${profile.status}`
          : `profile ${profile.profile_id} expired`;
      reasons.push({ check: 'kyc', code: ErrorCode.KYC_REQUIRED, detail: why });
      throw new Blocked(ErrorCode.KYC_REQUIRED, `No verified KYC profile for ${owner}: ${why}.`, {
        address: owner,
        ...(profile ? { kyc_profile_id: profile.profile_id, status: profile.status } : {}),
      });
    }
    const need: KycLevel | null = requiredLevel(
      this.settings.policy.aml_kyc.kyc.levels,
      amountSun,
      daySun + amountSun,
    );
    if (need === null || kycRank(profile.level) < kycRank(need)) {
      const required = need ?? 'advanced';
      reasons.push({
        check: 'kyc_level',
        code: ErrorCode.KYC_LEVEL_INSUFFICIENT,
        detail: `${sunToTrx(amountSun)} TRX needs ${required}, profile is ${profile.level}`,
      });
      throw new Blocked(
        ErrorCode.KYC_LEVEL_INSUFFICIENT,
        `This amount needs KYC level ${required}; profile ${profile.profile_id} is ${profile.level}.`,
        {
          address: owner,
          kyc_profile_id: profile.profile_id,
          level: profile.level,
          required_level: required,
          amount: sunToTrx(amountSun),
          day_total: sunToTrx(daySun + amountSun),
        },
      );
    }
  }

  private async profileOf(owner: string): Promise<KycProfile | null> {
    const account = await this.accounts.find(owner);
    return account?.kyc_profile_id ? this.profiles.find(account.kyc_profile_id) : null;
  }

  /** Allowed: counts the write in the velocity windows and answers allow or approval. */
  private async outcome(
    reasons: ComplianceReason[],
    risk: ComplianceDecision['risk'],
    input: ComplianceInput,
    tally: Tally,
  ): Promise<ComplianceDecision> {
    // Breaches that escalate instead of blocking open their incidents once the write goes on.
    for (const incident of tally.incidents) await this.incidents.open(incident);
    const counted = tally.scopes.length
      ? {
          ...(await this.velocity.record(
            tally.scopes,
            input.amountSun,
            input.owner,
            tally.newReceivers,
            tally.nearThresholdWindowMs,
          )),
          new_counterparties: tally.newCounterparties,
        }
      : undefined;
    const approval = reasons.some((r) => r.check === 'pep_match' || r.approval);
    return {
      outcome: approval ? 'approval_required' : 'allow',
      reasons,
      ...(risk ? { risk } : {}),
      decided_at: new Date().toISOString(),
      ...(counted ? { counted } : {}),
    };
  }
}
