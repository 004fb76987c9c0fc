import { Injectable } from '@nestjs/common';

/** Wall time for approvals and allow-lists (expiry, cooling-off); tests replace `now`. */
@Injectable()
export class ApprovalClock {
  now(): Date {
    return new Date();
  }
}
