import type { AppConfigService } from '../config/app-config.service.js';
import type { DistributedLock, LockHandle } from '../lock/distributed-lock.js';
import { LeaderJob } from './leader-job.js';

/** A lock that grants every lease and records renewals; `renewals` decides their answers. */
class FakeLock {
  extended = 0;
  constructor(private readonly renewals: () => boolean) {}
  async runExclusive<T>(
    _name: string,
    _ttlMs: number,
    work: (lease: LockHandle) => Promise<T>,
  ): Promise<{ ran: true; result: T }> {
    const lease: LockHandle = {
      key: 'k',
      token: 't',
      release: () => Promise.resolve(true),
      extend: () => {
        this.extended++;
        return Promise.resolve(this.renewals());
      },
    };
    return { ran: true, result: await work(lease) };
  }
}

class SlowJob extends LeaderJob {
  protected readonly name = 'slow';
  protected readonly intervalMs = 1_000;
  protected readonly lockTtlMs = 300;
  heldSeen: boolean[] = [];

  protected async work(): Promise<Record<string, unknown>> {
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 100));
      this.heldSeen.push(this.leaseHeld);
    }
    return { steps: this.heldSeen.length };
  }
}

const config = { get: () => false } as unknown as AppConfigService;

describe('LeaderJob lease', () => {
  it('renews the lease while a long tick works', async () => {
    const lock = new FakeLock(() => true);
    const job = new SlowJob(lock as unknown as DistributedLock, config);
    const outcome = await job.runOnce();
    expect(outcome).toEqual({ ran: true, result: { steps: 8 } });
    // 800 ms of work, renewed every 100 ms (a third of the 300 ms lease).
    expect(lock.extended).toBeGreaterThanOrEqual(5);
    expect(job.heldSeen.every(Boolean)).toBe(true);
  });

  it('tells the tick once a renewal fails, so it can stop', async () => {
    let calls = 0;
    const lock = new FakeLock(() => ++calls < 2);
    const job = new SlowJob(lock as unknown as DistributedLock, config);
    await job.runOnce();
    expect(job.heldSeen[0]).toBe(true);
    expect(job.heldSeen.at(-1)).toBe(false);
  });
});
