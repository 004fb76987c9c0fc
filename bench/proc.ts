import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Readings from /proc (Linux): resident memory and CPU time of the processes under test. */

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** VmRSS and VmHWM (peak) in MB, or null when the process is gone. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks. */
  own: number;
  /** cutime + cstime: reaped children's time. */
  children: number;
}

function statOf(pid: number): ProcStat | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(f[1]),
      own: Number(f[11]) + Number(f[12]),
      children: Number(f[13]) + Number(f[14]),
    };
  } catch {
    return null;
  }
}

/** CPU seconds a process (and, with `withChildren`, every child it has or had) used so far. */
export function cpuSecondsOf(pid: number, withChildren = false): number | null {
  const root = statOf(pid);
  if (!root) return null;
  if (!withChildren) return root.own / CLK_TCK;
  let ticks = root.own + root.children;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = statOf(Number(entry));
    if (s && s.ppid === pid) ticks += s.own;
  }
  return ticks / CLK_TCK;
}

export function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]!.trim());
    return Number.isInteger(pid) && pid > 0 && statOf(pid) ? pid : null;
  } catch {
    return null;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Samples CPU use of named processes over a window: percent of one core. */
export async function sampleCpu(
  targets: { name: string; pid: number; withChildren?: boolean }[],
  seconds: number,
): Promise<{ name: string; percent: number | null }[]> {
  const read = () => targets.map((t) => cpuSecondsOf(t.pid, t.withChildren));
  const before = read();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = read();
  const wall = (performance.now() - started) / 1000;
  return targets.map((t, i) => ({
    name: t.name,
    percent:
      before[i] === null || after[i] === null ? null : ((after[i]! - before[i]!) / wall) * 100,
  }));
}

/** CPU seconds so far of each target; absent processes read as null. */
export function cpuSnapshot(
  targets: { name: string; pid: number; withChildren?: boolean }[],
): Record<string, number | null> {
  return Object.fromEntries(targets.map((t) => [t.name, cpuSecondsOf(t.pid, t.withChildren)]));
}
