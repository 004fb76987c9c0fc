import { Injectable } from '@nestjs/common';
import {
  bucketEnd,
  dueKey,
  dueKeyOf,
  hourBucket,
  nextHourBucket,
  type DueKind,
} from './record-bookkeeping.js';
import { StakingCountersRepository } from './staking-counters.repository.js';
import { StakingRecordsRepository, type StakingRecord } from './staking-records.repository.js';

export interface DueWork {
  kind: DueKind;
  /** When the record becomes due (chain time). */
  dueAt(record: StakingRecord): Date | undefined;
  /** Acts on due records; a record still filed in the bucket afterwards is retried later. */
  handle(records: StakingRecord[]): Promise<void>;
}

export interface WalkLimits {
  /** Records read per lookup. */
  batch: number;
  /** Hour buckets looked at per run (a cursor far behind catches up over several runs). */
  buckets: number;
  /** Records acted on or refiled per run. */
  records: number;
}

export interface WalkOutcome {
  buckets: number;
  handled: number;
  deferred: number;
}

/**
 * Finds a job's due records by equality on their hour bucket (`due`), from the kind's cursor up
 * to the hour of `now`, and moves the cursor past every ended bucket it drained. A record the
 * job could not act on is re-filed under the next hour (retried then); one filed under the wrong
 * bucket goes back to its own. Never a range or a sort over the collection (DESIGN.md §4).
 */
@Injectable()
export class DueBucketWalker {
  constructor(
    private readonly records: StakingRecordsRepository,
    private readonly counters: StakingCountersRepository,
  ) {}

  async walk(work: DueWork, now: Date, limits: WalkLimits): Promise<WalkOutcome> {
    const outcome: WalkOutcome = { buckets: 0, handled: 0, deferred: 0 };
    const current = hourBucket(now);
    let bucket = await this.counters.cursor(work.kind);
    while (bucket && bucket <= current && outcome.buckets < limits.buckets) {
      outcome.buckets++;
      const empty = await this.drain(work, dueKeyOf(work.kind, bucket), now, limits, outcome);
      if (!empty || bucketEnd(bucket) > now) break; // the current hour: more may fall due in it
      const next = nextHourBucket(bucket);
      // A write may have filed a record under an earlier bucket meanwhile: resume from there.
      if (!(await this.counters.advanceCursor(work.kind, bucket, next))) break;
      bucket = next;
    }
    return outcome;
  }

  /** Acts on a bucket's due records; true when it is left empty. */
  private async drain(
    work: DueWork,
    key: string,
    now: Date,
    { batch, records: cap }: WalkLimits,
    outcome: WalkOutcome,
  ): Promise<boolean> {
    const seen = new Set<string>();
    const retryKey = dueKeyOf(work.kind, nextHourBucket(hourBucket(now)));
    const isDue = (r: StakingRecord) => (work.dueAt(r)?.getTime() ?? Infinity) <= now.getTime();
    for (;;) {
      if (outcome.handled + outcome.deferred >= cap) return false; // the rest next run
      const fresh = await this.records.findDue(key, batch, [...seen]);
      if (!fresh.length) break;
      const due: StakingRecord[] = [];
      for (const record of fresh) {
        seen.add(record.staking_id);
        const own = dueKey(record);
        if (own && isDue(record)) due.push(record);
        // Filed under a bucket that is not its own (or no longer due at all): refile it.
        else if (own !== key && (await this.records.refile(record, own))) outcome.deferred++;
      }
      if (due.length) {
        await work.handle(due);
        outcome.handled += due.length;
      }
    }
    if (!seen.size) return true; // nothing was filed here
    // Due, handled, and still here: the job could not act on them now. Whatever stays is not
    // due yet, so the bucket is empty only if nothing stays.
    let staying = 0;
    for (const record of await this.records.findDue(key, batch))
      if (isDue(record) && (await this.records.refile(record, retryKey))) outcome.deferred++;
      else staying++;
    return staying === 0;
  }
}
