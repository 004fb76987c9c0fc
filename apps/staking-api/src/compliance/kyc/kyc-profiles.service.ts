import { ErrorCode, StakingException, utcDay } from '@app/common';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ComplianceSettings } from '../compliance-settings.js';
import { IncidentsService } from '../incidents/incidents.service.js';
import { ScreeningService } from '../screening/screening.service.js';
import type {
  KycProfileDto,
  KycProfileRequestDto,
  KycProfileUpdateDto,
} from '../dto/kyc-profile.dto.js';
import {
  KycProfilesRepository,
  type KycProfile,
  type KycProfileFields,
} from './kyc-profiles.repository.js';

const DAY_MS = 86_400_000;

/** KYC profiles: the owner (customer or platform) behind managed accounts, screened by name. */
@Injectable()
export class KycProfilesService {
  constructor(
    private readonly repo: KycProfilesRepository,
    private readonly screening: ScreeningService,
    private readonly incidents: IncidentsService,
    private readonly settings: ComplianceSettings,
  ) {}

  async create(dto: KycProfileRequestDto): Promise<KycProfileDto> {
    const fields = this.fieldsOf(dto);
    check(fields);
    const profile = await this.repo.insert({
      profile_id: `kyc_${randomBytes(6).toString('hex')}`,
      ...fields,
      review_due: this.nextReview(new Date()),
    } as KycProfileFields);
    return view(await this.rescreen(profile));
  }

  async update(id: string, dto: KycProfileUpdateDto): Promise<KycProfileDto> {
    const current = await this.find(id);
    const merged = { ...current, ...this.fieldsOf(dto) };
    check(merged);
    const {
      profile_id: _id,
      created_at: _c,
      updated_at: _u,
      screening: _s,
      review_due: _r,
      ...fields
    } = merged;
    const saved = (await this.repo.update(id, fields))!;
    return view(dto.name !== undefined ? await this.rescreen(saved) : saved);
  }

  async get(id: string): Promise<KycProfileDto> {
    return view(await this.find(id));
  }

  async list(skip: number, limit: number) {
    const { items, total } = await this.repo.list(skip, limit);
    return { profiles: items.map(view), total_count: total, skip, limit };
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repo.delete(id)))
      throw new StakingException(ErrorCode.KYC_PROFILE_NOT_FOUND, undefined, {
        kyc_profile_id: id,
      });
  }

  /**
   * Screens the profile's name against the sanctions and PEP lists in force, stores the result
   * (the write decision reads it instead of screening again), schedules the next periodic review,
   * and opens an incident for a new hit.
   */
  async rescreen(profile: KycProfile, now: Date = new Date()): Promise<KycProfile> {
    const hits = await this.screening.screenName(profile.name);
    const screening = { ...hits, screened_at: now };
    await this.repo.saveScreening(profile.profile_id, screening, this.nextReview(now));
    const known = new Set(
      [...(profile.screening?.sanctions ?? []), ...(profile.screening?.pep ?? [])].map(
        (h) => `${h.list}:${h.ref}`,
      ),
    );
    for (const hit of [...hits.sanctions, ...hits.pep]) {
      if (known.has(`${hit.list}:${hit.ref}`)) continue;
      const pep = hit.list === 'pep';
      await this.incidents.open({
        type: pep ? 'pep_match' : 'sanctions_hit',
        summary: `KYC profile ${profile.profile_id} (${profile.name}) matches ${hit.list} ${hit.ref} "${hit.matched}" (${hit.similarity})`,
        subject: profile.profile_id,
        details: { profile_id: profile.profile_id, hit },
        dedupeKey: `${profile.profile_id}:${hit.list}:${hit.ref}`,
      });
    }
    return { ...profile, screening, review_due: this.nextReview(now) };
  }

  private nextReview(now: Date): string {
    return utcDay(
      new Date(now.getTime() + this.settings.policy.aml_kyc.pep.review_interval_days * DAY_MS),
    );
  }

  private async find(id: string): Promise<KycProfile> {
    const found = await this.repo.find(id);
    if (!found)
      throw new StakingException(ErrorCode.KYC_PROFILE_NOT_FOUND, undefined, {
        kyc_profile_id: id,
      });
    return found;
  }

  private fieldsOf(dto: KycProfileUpdateDto): Partial<KycProfileFields> {
    return Object.fromEntries(
      Object.entries({
        name: dto.name,
        kind: dto.kind,
        level: dto.level,
        status: dto.status,
        country: dto.country?.toUpperCase(),
        verified_at: dto.verified_at ? new Date(dto.verified_at) : undefined,
        expires_at: dto.expires_at ? new Date(dto.expires_at) : undefined,
        document_refs: dto.document_refs?.map((d) => ({ type: d.type, reference: d.reference })),
      }).filter(([, v]) => v !== undefined),
    );
  }
}

/** Rules across fields the schema cannot say (422 S171). */
function check(p: Partial<KycProfileFields>): void {
  const refuse = (field: string, why: string) => {
    throw new StakingException(ErrorCode.INVALID_KYC_PROFILE, `${field}: ${why}`, { field });
  };
  if (p.status === 'verified' && (!p.level || p.level === 'none'))
    refuse('level', 'a verified profile has a level above none');
  if (p.status === 'verified' && !p.verified_at)
    refuse('verified_at', 'a verified profile names when it was verified');
  if (p.verified_at && p.expires_at && p.expires_at <= p.verified_at)
    refuse('expires_at', 'the verification cannot expire before it was made');
}

export function view(p: KycProfile): KycProfileDto {
  return {
    profile_id: p.profile_id,
    name: p.name,
    kind: p.kind,
    level: p.level,
    status: p.status,
    ...(p.country ? { country: p.country } : {}),
    ...(p.verified_at ? { verified_at: new Date(p.verified_at).toISOString() } : {}),
    ...(p.expires_at ? { expires_at: new Date(p.expires_at).toISOString() } : {}),
    document_refs: p.document_refs ?? [],
    screening: {
      sanctions_hits: p.screening?.sanctions ?? [],
      pep_hits: p.screening?.pep ?? [],
      ...(p.screening?.screened_at
        ? { screened_at: new Date(p.screening.screened_at).toISOString() }
        : {}),
    },
    review_due: p.review_due,
    created_at: new Date(p.created_at).toISOString(),
    updated_at: new Date(p.updated_at).toISOString(),
  };
}
