import { AppConfigService, DistributedLock, LeaderJob } from '@app/common';
import { Injectable } from '@nestjs/common';
import {
  addInto,
  counterDelta,
  dueKey,
  MANUAL_WITHDRAWAL,
  type CounterFields,
} from './record-bookkeeping.js';
import { StakingCountersRepository } from './staking-counters.repository.js';
import { StakingRecordsRepository } from './staking-records.repository.js';

export const COUNTERS_REPAIR_INTERVAL_MS = 60 * 60_000;
const FIRST_RUN_DELAY_MS = 15_000;
const READ_BATCH = 1_000;

const sameFields = (a: CounterFields, b: CounterFields) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};

/**
 * Whether a record's stored due bucket must change to its own: a later bucket of the same kind
 * is a deferred retry (DueBucketWalker) and stays; anything else that differs is fixed.
 */
function needsRefile(stored: string | undefined, own: string | undefined): boolean {
  if (stored === own) return false;
  if (!stored || !own || stored === MANUAL_WITHDRAWAL) return true;
  const [storedKind, storedBucket] = stored.split(':', 2);
  const [ownKind, ownBucket] = own.split(':', 2);
  return storedKind !== ownKind || storedBucket! < ownBucket!;
}

/**
 * Recounts the maintained staking totals from the records and files every record under its due
 * bucket: the write path keeps both with two single-document writes after each record change,
 * so a crash in between leaves a drift, and records from before the counters existed have none.
 * The one job that reads the whole collection: hourly, and shortly after start when nothing was
 * ever counted. A counters
 * document is overwritten only if no increment landed since it was read ("busy" otherwise: the
 * next run tries again). Known limit: an increment still in flight when the recount is written
 * (a record written, its counter not yet) is counted twice until the next run.
 */
@Injectable()
export class StakingCountersRepairJob extends LeaderJob {
  protected readonly name = 'staking-counters-repair';
  protected readonly intervalMs = COUNTERS_REPAIR_INTERVAL_MS;
  protected readonly lockTtlMs = 5 * 60_000;

  constructor(
    lock: DistributedLock,
    private readonly config: AppConfigService,
    private readonly records: StakingRecordsRepository,
    private readonly counters: StakingCountersRepository,
  ) {
    super(lock, config);
  }

  /** A database whose records were never counted (first start after an upgrade) is counted soon. */
  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    if (!this.config.get('JOBS_ENABLED')) return;
    setTimeout(() => {
      void this.counters
        .counted()
        .then((counted) => (counted ? undefined : this.runOnce()))
        .catch(() => undefined);
    }, FIRST_RUN_DELAY_MS).unref();
  }

  protected async work(): Promise<Record<string, unknown>> {
    const stored = await this.counters.snapshot();
    const recount = new Map<string, CounterFields>();
    const tally = (id: string, delta: CounterFields) =>
      recount.set(id, addInto(recount.get(id) ?? {}, delta));
    let records = 0;
    let refiled = 0;
    for await (const record of this.records.all(READ_BATCH)) {
      if (!this.leaseHeld) return { records, refiled, aborted: 1 };
      records++;
      const delta = counterDelta(null, record);
      tally(StakingCountersRepository.idFor(), delta);
      tally(StakingCountersRepository.idFor(record.address), delta);
      const own = dueKey(record);
      if (needsRefile(record.due, own) && (await this.records.refile(record, own))) refiled++;
    }
    let drifted = 0;
    let repaired = 0;
    let busy = 0;
    for (const id of new Set([...stored.keys(), ...recount.keys()])) {
      const want = recount.get(id) ?? {};
      const have = stored.get(id);
      if (sameFields(have?.fields ?? {}, want)) continue;
      drifted++;
      if (await this.counters.overwrite(id, have?.version ?? null, want)) repaired++;
      else busy++;
    }
    if (drifted)
      this.logger.warn({ job: this.name, drifted, repaired, busy }, 'Staking counters recounted');
    return { records, refiled, drifted, repaired, busy };
  }
}
