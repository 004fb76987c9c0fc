import { AuditTrail } from '@app/auth';
import {
  ErrorCode,
  StakingException,
  sunToTrx,
  trxToSun,
  type StakingErrorCode,
  type Sun,
} from '@app/common';
import { Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service.js';
import {
  WriteCompliance,
  type ComplianceDecision,
  type ComplianceInput,
  type ComplianceReason,
} from '../operations/write-compliance.js';
import { ComplianceSettings } from './compliance-settings.js';
import { IncidentsService } from './incidents/incidents.service.js';
import type { KycLevel } from './kyc/kyc-profile.schema.js';
import { KycProfilesRepository, type KycProfile } from './kyc/kyc-profiles.repository.js';
import { kycRank, requiredLevel } from './kyc/kyc-tiers.js';
import { atOrAbove, riskScore } from './monitoring/risk-score.js';
import { VelocityWindows, WINDOWS, type Window } from './monitoring/velocity-windows.js';
import { ScreeningService } from './screening/screening.service.js';

/** A refusal: its reasons go to the audit trail (and an incident) before the S-code is thrown. */
class Blocked {
  constructor(
    readonly code: StakingErrorCode,
    readonly message: string | undefined,
    readonly details: Record<string, unknown>,
    readonly incident?: { type: string; summary: string; subject: string; dedupeKey: string },
  ) {}
}

/**
 * THE compliance decision of every write (the write pipeline calls it after the area's plan, under
 * the owner lock): KYC tier, sanctions on every counterparty address, the owner profile's cached
 * name screening (sanctions, PEP), velocity windows, amount alerts and the risk score. Only
 * equality lookups: the account and profile by id, each address by its indexed value, Redis keys.
 */
@Injectable()
export class ComplianceDecisionService extends WriteCompliance {
  constructor(
    private readonly settings: ComplianceSettings,
    private readonly accounts: AccountsService,
    private readonly profiles: KycProfilesRepository,
    private readonly screening: ScreeningService,
    private readonly velocity: VelocityWindows,
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
      if (!(error instanceof Blocked)) throw error;
      const incident = error.incident
        ? await this.incidents.open({
            ...error.incident,
            details: { ...error.details, kind: input.intent.kind, reasons },
          })
        : null;
      await this.audit.record({
        action: 'compliance.block',
        resource: input.owner,
        principal: input.ctx.principal,
        requestId: input.ctx.requestId,
        params: {
          kind: input.intent.kind,
          reasons,
          ...(incident ? { incident_id: incident.id } : {}),
        },
        result: { status: 'failure', error_code: error.code },
      });
      throw new StakingException(error.code, error.message, {
        ...error.details,
        ...(incident ? { incident_id: incident.id } : {}),
      });
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
      for (const address of input.counterparties) {
        const hits = await this.screening.screenAddress(address);
        if (!hits.length) continue;
        const role = address === owner ? 'owner' : 'counterparty';
        const hit = hits[0]!;
        reasons.push({
          check: 'sanctions_address',
          code: ErrorCode.SANCTIONS_MATCH,
          detail: `${role} ${address} is on ${hit.list} (${hit.ref}${hit.party ? `, ${hit.party}` : ''})`,
        });
        if (s.policy.aml_kyc.sanctions.block_on_match)
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
              summary: `Write ${input.intent.kind} by ${owner} blocked: ${role} ${address} is on ${hit.list} (${hit.ref})`,
              subject: address,
              dedupeKey: `${address}:${owner}:${new Date().toISOString().slice(0, 10)}`,
            },
          );
      }
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
              dedupeKey: `${profile!.profile_id}:${new Date().toISOString().slice(0, 10)}`,
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

    if (!s.aml) return this.outcome(reasons, undefined, input, accountWindow);

    const monitoring = s.policy.transaction_monitoring;
    let velocityShare = 0;
    if (s.monitoring) {
      const scopes: [string, string][] = [[`acct:${owner}`, 'account']];
      if (ctx.principal) scopes.push([`user:${ctx.principal.kind}:${ctx.principal.id}`, 'user']);
      for (const [scope, what] of scopes) {
        const counts = scope.startsWith('acct:') ? accountWindow! : await this.velocity.read(scope);
        for (const w of Object.keys(WINDOWS) as Window[]) {
          const limit = monitoring.velocity[`per_${w}`];
          const next = counts.count[w] + 1;
          velocityShare = Math.max(velocityShare, next / limit);
          if (next > limit) {
            reasons.push({
              check: 'velocity',
              code: ErrorCode.VELOCITY_LIMIT_EXCEEDED,
              detail: `${what} ${what === 'account' ? owner : ctx.actor.id}: operation ${next} in one ${w} (limit ${limit})`,
            });
            throw new Blocked(
              ErrorCode.VELOCITY_LIMIT_EXCEEDED,
              `The ${what} has made ${counts.count[w]} operations this ${w}; the policy allows ${limit}.`,
              { scope: what, window: w, limit, count: counts.count[w] },
              {
                type: 'high_velocity',
                summary: `${what === 'account' ? `Account ${owner}` : `User ${ctx.actor.id}`} exceeded ${limit} operations per ${w}`,
                subject: what === 'account' ? owner : ctx.actor.id,
                dedupeKey: `${scope}:${w}:${Math.floor(Date.now() / WINDOWS[w])}`,
              },
            );
          }
        }
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
        dedupeKey: `${owner}:${new Date().toISOString().slice(0, 10)}:${amountSun >= single ? `op:${amountSun}` : 'day'}`,
      });
    }
    let newCounterparties = 0;
    for (const address of input.counterparties)
      if (address !== owner && (await this.velocity.isNewCounterparty(owner, address)))
        newCounterparties++;
    const risk = riskScore(s.policy.aml_kyc.risk_scoring, {
      kycLevel: profile && profile.status === 'verified' ? profile.level : 'none',
      pepMatch,
      country: profile?.country,
      velocityShare,
      largeAmount,
      newCounterparties,
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
      });
    return this.outcome(reasons, risk, input, accountWindow);
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
    accountWindow: unknown,
  ): Promise<ComplianceDecision> {
    if (accountWindow !== undefined) {
      await this.velocity.record(`acct:${input.owner}`, input.amountSun);
      if (this.settings.monitoring && input.ctx.principal)
        await this.velocity.record(
          `user:${input.ctx.principal.kind}:${input.ctx.principal.id}`,
          input.amountSun,
        );
    }
    const approval =
      reasons.some((r) => r.check === 'pep_match') || reasons.some((r) => r.check === 'risk_score');
    return {
      outcome: approval ? 'approval_required' : 'allow',
      reasons,
      ...(risk ? { risk } : {}),
      decided_at: new Date().toISOString(),
    };
  }
}
