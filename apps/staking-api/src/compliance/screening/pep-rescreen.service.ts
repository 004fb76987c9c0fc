import { Injectable } from '@nestjs/common';
import { KycProfilesRepository } from '../kyc/kyc-profiles.repository.js';
import { KycProfilesService } from '../kyc/kyc-profiles.service.js';

/** Re-screens KYC profiles: all of them after a PEP import, the due ones on their review day. */
@Injectable()
export class PepRescreenService {
  constructor(
    private readonly repo: KycProfilesRepository,
    private readonly profiles: KycProfilesService,
  ) {}

  async all(now: Date = new Date()): Promise<{ rescreened: number; pep_hits: number }> {
    let rescreened = 0;
    let pepHits = 0;
    for await (const profile of this.repo.all()) {
      const after = await this.profiles.rescreen(profile, now);
      rescreened++;
      if (after.screening?.pep.length) pepHits++;
    }
    return { rescreened, pep_hits: pepHits };
  }
}
