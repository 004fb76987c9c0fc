import type { StakingErrorCode } from '@app/common';
import type { NewIncident } from './incidents/incidents.service.js';

/** What the checks found that the write's counting needs, gathered while they run. */
export interface Tally {
  /** The velocity scopes the write is counted in. */
  scopes: string[];
  newCounterparties: string[];
  /** Receivers new to this owner's hourly pattern window. */
  newReceivers: string[];
  /** Set when the amount is just under the alert amount: counted in the structuring window. */
  nearThresholdWindowMs?: number;
  /** Incidents of breaches that escalate rather than block: opened when the write goes on. */
  incidents: NewIncident[];
}

/** A refusal: its reasons go to the audit trail (and an incident) before the S-code is thrown. */
export class Blocked {
  constructor(
    readonly code: StakingErrorCode,
    readonly message: string | undefined,
    readonly details: Record<string, unknown>,
    readonly incident?: { type: string; summary: string; subject: string; dedupeKey: string },
  ) {}
}
