import type { AppConfigService } from '../config/app-config.service.js';
import type { DistributedLock, LockHandle } from '../lock/distributed-lock.js';
import type { JobRunReport } from './job-run-sink.js';
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

class FailingJob extends LeaderJob {
  protected readonly name = 'failing';
  protected readonly intervalMs = 1_000;
  protected readonly lockTtlMs = 300;
  protected work(): Promise<Record<string, unknown>> {
    return Promise.reject(new Error('node down'));
  }
}

class CountingJob extends LeaderJob {
  protected readonly name = 'counting';
  protected readonly intervalMs = 1_000;
  protected readonly lockTtlMs = 300;
  protected work(): Promise<Record<string, unknown>> {
    return Promise.resolve({ sent: 3, failed: 2, note: 'x' });
  }
}

describe('LeaderJob run reports', () => {
  const sinkOf = () => {
    const runs: JobRunReport[] = [];
    return {
      runs,
      sink: { record: async (r: JobRunReport) => void runs.push(r), skipped: () => {} },
    };
  };

  it('reports a tick with its items and its failed counter as errors', async () => {
    const { runs, sink } = sinkOf();
    const job = new CountingJob(new FakeLock(() => true) as unknown as DistributedLock, config);
    job.attachRunSink(sink);
    await job.runOnce();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'counting', outcome: 'ok', items: 3, errors: 2 });
    expect(runs[0]!.ended_at.getTime()).toBeGreaterThanOrEqual(runs[0]!.started_at.getTime());
  });

  it('reports a tick that threw as failed with its message, and still throws', async () => {
    const { runs, sink } = sinkOf();
    const job = new FailingJob(new FakeLock(() => true) as unknown as DistributedLock, config);
    job.attachRunSink(sink);
    await expect(job.runOnce()).rejects.toThrow('node down');
    expect(runs[0]).toMatchObject({ outcome: 'failed', errors: 1, error_message: 'node down' });
  });

  it('a sink that fails does not fail the tick', async () => {
    const job = new CountingJob(new FakeLock(() => true) as unknown as DistributedLock, config);
    job.attachRunSink({ record: () => Promise.reject(new Error('db down')), skipped: () => {} });
    expect((await job.runOnce()).ran).toBe(true);
  });
});
