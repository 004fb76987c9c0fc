/** App event: an energy policy's pool could not cover a top-up (once per dry spell). */
export const ENERGY_POOL_DRY = 'energy_policy.pool_dry';

export interface EnergyPoolDryEvent {
  policyId: string;
  pool: string;
  receiver: string;
  resource: string;
  /** SUN as decimal strings: what the top-up wanted and what the pool could delegate. */
  wantedSun: string;
  delegatableSun: string;
  /** When the dry spell began: with the policy id, what makes the incident one per spell. */
  since: Date;
}
