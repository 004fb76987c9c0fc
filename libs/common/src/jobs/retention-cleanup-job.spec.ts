import type { AppConfigService } from '../config/app-config.service.js';
import type { DistributedLock, LockHandle } from '../lock/distributed-lock.js';
import { RETENTION_WINDOW_DAYS, RetentionCleanupJob } from './retention-cleanup-job.js';

const lock = {
  async runExclusive<T>(_n: string, _ttl: number, work: (lease: LockHandle) => Promise<T>) {
    const lease: LockHandle = {
      key: 'k',
      token: 't',
      release: () => Promise.resolve(true),
      extend: () => Promise.resolve(true),
    };
    return { ran: true as const, result: await work(lease) };
  },
} as unknown as DistributedLock;
const config = { get: () => false } as unknown as AppConfigService;

/** Each day holds `perDay` records; the job records the days it was asked to clean. */
class DaysJob extends RetentionCleanupJob {
  protected readonly name = 'days';
  asked: { day: string; budget: number }[] = [];
  constructor(
    private readonly keep: number,
    private readonly perDay: number,
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {
    super(lock, config);
  }
  protected retentionDays(): number {
    return this.keep;
  }
  protected override batch(): number {
    return this.limit;
  }
  protected cleanDay(day: string, budget: number): Promise<number> {
    this.asked.push({ day, budget });
    return Promise.resolve(Math.min(budget, this.perDay));
  }
}

describe('RetentionCleanupJob', () => {
  const now = new Date('2026-12-02T10:00:00Z');

  it('cleans the window of days past the retention, newest first, each day once', async () => {
    const job = new DaysJob(14, 3);
    const outcome = await job.runOnce(now);
    expect(outcome).toEqual({ ran: true, result: { deleted: 3 * RETENTION_WINDOW_DAYS } });
    // Kept: 2026-11-18 … 2026-12-02 (14 days back and today); the first one cleaned is the 17th.
    expect(job.asked[0]!.day).toBe('2026-11-17');
    expect(job.asked.at(-1)!.day).toBe('2026-10-19');
    expect(new Set(job.asked.map((a) => a.day)).size).toBe(RETENTION_WINDOW_DAYS);
  });

  it('stops at the batch, handing each day what is left of it', async () => {
    const job = new DaysJob(30, 4, 10);
    const outcome = await job.runOnce(now);
    expect(outcome).toEqual({ ran: true, result: { deleted: 10 } });
    expect(job.asked.map((a) => a.budget)).toEqual([10, 6, 2]);
  });
});
