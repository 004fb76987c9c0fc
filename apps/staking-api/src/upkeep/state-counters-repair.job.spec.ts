import type { AppConfigService, DistributedLock, LockHandle, SecurityPolicy } from '@app/common';
import type { ApprovalsRepository, ApprovalState } from '../approvals/approvals.repository.js';
import type { IncidentsRepository } from '../compliance/incidents/incidents.repository.js';
import type {
  CounterScope,
  StateCountersRepository,
  StateCountsSnapshot,
} from '../state-counters/state-counters.repository.js';
import { StateCountersRepairJob } from './state-counters-repair.job.js';

const lock = {
  runExclusive: async <T>(_n: string, _t: number, work: (l: LockHandle) => Promise<T>) => ({
    ran: true,
    result: await work({
      key: 'k',
      token: 't',
      release: () => Promise.resolve(true),
      extend: () => Promise.resolve(true),
    }),
  }),
} as unknown as DistributedLock;
const config = { get: () => false } as unknown as AppConfigService;
const policy = {
  operationsPolicy: { retention: { ended_approvals_days: 180 } },
} as unknown as SecurityPolicy;

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** The stored counts, and whether an overwrite finds them unchanged (false: an increment landed). */
class FakeCounters {
  written: { scope: CounterScope; version: number | null; counts: Record<string, number> }[] = [];
  constructor(
    private readonly stored: Record<CounterScope, StateCountsSnapshot>,
    private readonly unchanged = true,
  ) {}
  snapshot(scope: CounterScope) {
    return Promise.resolve(this.stored[scope]);
  }
  overwrite(scope: CounterScope, version: number | null, counts: Record<string, number>) {
    if (this.unchanged) this.written.push({ scope, version, counts });
    return Promise.resolve(this.unchanged);
  }
}

function job(
  approvals: ApprovalState[],
  counters: FakeCounters,
  filed: string[] = [],
): StateCountersRepairJob {
  const approvalsRepo = {
    allStates: () => from(approvals),
    fileEnded: (id: string, _s: string, day: string) => {
      filed.push(`${id}@${day}`);
      return Promise.resolve(true);
    },
  } as unknown as ApprovalsRepository;
  const incidents = {
    allStates: () => from([{ status: 'open', severity: 'high' }]),
  } as unknown as IncidentsRepository;
  return new StateCountersRepairJob(
    lock,
    config,
    policy,
    approvalsRepo,
    incidents,
    counters as unknown as StateCountersRepository,
  );
}

const exact: Record<CounterScope, StateCountsSnapshot> = {
  approvals: { version: 3, counts: { pending: 1 } },
  incidents: { version: 7, counts: { open_high: 1 } },
};

describe('StateCountersRepairJob', () => {
  it('writes nothing when the stored counts equal the recount', async () => {
    const counters = new FakeCounters(exact);
    const run = await job([{ id: 'a', status: 'pending' }], counters).runOnce();
    expect(run.result).toMatchObject({ drifted: 0, repaired: 0, busy: 0 });
    expect(counters.written).toEqual([]);
  });

  it('overwrites a drifted scope at the version it read, zeroing states no record is in', async () => {
    const counters = new FakeCounters({
      ...exact,
      approvals: { version: 3, counts: { pending: 5, rejected: 2 } },
    });
    const run = await job([{ id: 'a', status: 'pending' }], counters).runOnce();
    expect(run.result).toMatchObject({ drifted: 1, repaired: 1, busy: 0 });
    expect(counters.written).toEqual([
      { scope: 'approvals', version: 3, counts: { pending: 1, rejected: 0 } },
    ]);
  });

  it('answers busy, writing nothing, when an increment landed after the read', async () => {
    const counters = new FakeCounters(
      { ...exact, incidents: { version: 7, counts: { open_high: 4 } } },
      false,
    );
    const run = await job([{ id: 'a', status: 'pending' }], counters).runOnce();
    expect(run.result).toMatchObject({ drifted: 1, repaired: 0, busy: 1 });
  });

  it('counts a scope never stored (no document) as drift, and files ended approvals without a day', async () => {
    const counters = new FakeCounters({ ...exact, approvals: { version: null, counts: {} } });
    const filed: string[] = [];
    const now = new Date('2026-12-02T12:00:00Z');
    const approvals: ApprovalState[] = [
      { id: 'old', status: 'expired', updated_at: new Date('2025-01-01T00:00:00Z') },
      { id: 'new', status: 'executed', updated_at: new Date('2026-12-01T08:00:00Z') },
      { id: 'filed', status: 'rejected', ended_day: '2026-11-01' },
      { id: 'open', status: 'pending' },
    ];
    const run = await job(approvals, counters, filed).runOnce(now);
    expect(run.result).toMatchObject({ filed: 2, drifted: 1, repaired: 1 });
    expect(filed).toEqual(['old@2026-06-04', 'new@2026-12-01']);
    expect(counters.written[0]).toEqual({
      scope: 'approvals',
      version: null,
      counts: { expired: 1, executed: 1, rejected: 1, pending: 1 },
    });
  });
});
