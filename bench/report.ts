import type { BenchOptions } from './bench-options.js';
import type { ReadResult } from './read-bench.js';
import type { WriteRun } from './write-bench.js';

export interface SizeResult {
  size: number;
  seedSeconds?: number;
  /** GET /api/v1/audit/verify after the run (small sizes only). */
  auditValid?: boolean;
  writes: Record<number, { api: WriteRun; bare: WriteRun }>;
  reads: Record<string, { api: ReadResult; bare: ReadResult }>;
  rss: { afterWrites?: number; afterReads?: number; afterIdle?: number; peak?: number };
  idle: { name: string; percent: number | null }[];
  background: { name: string; percent: number | null }[];
}

export const say = (line: string): void => void process.stdout.write(`${line}\n`);

const n = (v: number) => v.toLocaleString('en-US');
const f1 = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(1);
const pad = (s: string, w: number) => s.padStart(w);
const verdict = (ok: boolean) => (ok ? 'pass' : 'MISS');

function table(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  say('  ' + head.map((h, i) => pad(h, widths[i]!)).join('  '));
  for (const r of rows) say('  ' + r.map((c, i) => pad(c, widths[i]!)).join('  '));
}

/** The loaded p50 when both runs have one, else the cold single-request figures. */
function readFigure(
  small: ReadResult,
  large: ReadResult,
): { a: number; b: number; basis: string } | null {
  if (small.run && large.run)
    return { a: small.run.latency.p50, b: large.run.latency.p50, basis: 'p50 under load' };
  if (small.coldMs !== null && large.coldMs !== null)
    return { a: small.coldMs, b: large.coldMs, basis: 'cold single request' };
  return null;
}

export function printSummary(results: SizeResult[], opts: BenchOptions): void {
  const first = results[0]!;
  const last = results.at(-1)!;
  say(`\n== Summary`);
  say(`Seeding (insertMany, batches of ${n(opts.seedBatch)}, three collections in parallel):`);
  for (const r of results) say(`  ${n(r.size)} × 3 documents: ${f1(r.seedSeconds)} s`);

  say(
    `\nWrites: POST /api/v1/tron/staking/freeze (API + devnet processes) vs bare tronweb build → sign → broadcast`,
  );
  const writeRows: string[][] = [];
  for (const r of results)
    for (const [c, w] of Object.entries(r.writes))
      writeRows.push([
        n(r.size),
        c,
        f1(w.api.perSecond),
        f1(w.bare.perSecond),
        `${(w.api.perSecond / w.bare.perSecond).toFixed(2)}×`,
        f1(w.api.latency.p50),
        f1(w.api.latency.p99),
        f1(w.bare.latency.p50),
        f1(w.bare.latency.p99),
        String(w.api.failed + w.bare.failed),
      ]);
  table(
    [
      'records',
      'c',
      'API ops/s',
      'bare ops/s',
      'ratio',
      'API p50',
      'API p99',
      'bare p50',
      'bare p99',
      'failed',
    ],
    writeRows,
  );
  say(`\n  Where an API write's time goes (median ms per stage, from the operations' history):`);
  const stageNames = Object.keys(Object.values(first.writes)[0]?.api.stages ?? {});
  const stageRows: string[][] = [];
  for (const r of results)
    for (const [c, w] of Object.entries(r.writes))
      stageRows.push([
        n(r.size),
        c,
        ...stageNames.map((s) => f1(w.api.stages[s])),
        f1(w.api.latency.p50),
      ]);
  table(['records', 'c', ...stageNames, 'total p50'], stageRows);
  const bareStages = Object.keys(Object.values(first.writes)[0]?.bare.stages ?? {});
  const bareRows: string[][] = [];
  for (const r of results)
    for (const [c, w] of Object.entries(r.writes))
      bareRows.push([n(r.size), c, ...bareStages.map((s) => f1(w.bare.stages[s]))]);
  say(`  Bare loop stages (median ms):`);
  table(['records', 'c', ...bareStages], bareRows);

  const procs = Object.keys(Object.values(first.writes)[0]?.api.cpuMsPerOp ?? {});
  if (procs.length) {
    say(
      `\n  CPU ms per write, by process, over each run (jobs, other users of the shared services included):`,
    );
    const cpuRows: string[][] = [];
    for (const r of results)
      for (const [c, w] of Object.entries(r.writes))
        for (const [side, run] of [
          ['API', w.api],
          ['bare', w.bare],
        ] as const)
          cpuRows.push([
            n(r.size),
            c,
            side,
            ...procs.map((p) => f1(run.cpuMsPerOp?.[p])),
            f1(run.dbCommandsPerOp?.total),
            Object.entries(run.dbCommandsPerOp ?? {})
              .filter(([k]) => k !== 'total')
              .slice(0, 4)
              .map(([k, v]) => `${k} ${v.toFixed(1)}`)
              .join(', '),
          ]);
    table(['records', 'c', 'run', ...procs, 'DB cmds/write', 'top commands'], cpuRows);
  }

  say(
    `\nReads at concurrency ${opts.readConcurrency} (API: auth + validation + Redis cache of 3 s on stats/status; bare Fastify: the same queries, no cache)`,
  );
  const readRows: string[][] = [];
  for (const name of Object.keys(first.reads))
    for (const r of results) {
      const { api, bare } = r.reads[name]!;
      const cells = (x: ReadResult) =>
        x.run
          ? [
              x.run.perSecond.toFixed(0),
              f1(x.run.latency.p50),
              f1(x.run.latency.p99),
              f1(x.run.latency.max),
            ]
          : ['—', '—', '—', '—'];
      readRows.push([
        name,
        n(r.size),
        f1(api.coldMs),
        ...cells(api),
        f1(bare.coldMs),
        ...cells(bare),
      ]);
    }
  table(
    [
      'endpoint',
      'records',
      'API cold',
      'req/s',
      'p50',
      'p99',
      'max',
      'bare cold',
      'req/s',
      'p50',
      'p99',
      'max',
    ],
    readRows,
  );
  const skipped = results.flatMap((r) =>
    Object.entries(r.reads).flatMap(([name, { api, bare }]) =>
      [
        ['API', api],
        ['bare', bare],
      ]
        .filter(([, x]) => (x as ReadResult).skipped)
        .map(([who, x]) => `  ${name} ${who} at ${n(r.size)}: ${(x as ReadResult).skipped}`),
    ),
  );
  if (skipped.length) {
    say('  Not put under load:');
    skipped.forEach((s) => say(s));
  }

  say(`\nAPI process RSS (VmRSS, MB)`);
  table(
    ['records', 'after writes', 'after reads', 'after idle', 'peak (VmHWM)'],
    results.map((r) => [
      n(r.size),
      f1(r.rss.afterWrites),
      f1(r.rss.afterReads),
      f1(r.rss.afterIdle),
      f1(r.rss.peak),
    ]),
  );

  const names = [...new Set(results.flatMap((r) => r.idle.map((x) => x.name)))];
  if (names.length) {
    say(
      `\nIdle CPU with jobs on, % of one core over ${opts.idleSeconds} s (before-API window in brackets: other users of the shared services)`,
    );
    table(
      ['records', ...names],
      results.map((r) => [
        n(r.size),
        ...names.map((name) => {
          const idle = r.idle.find((x) => x.name === name)?.percent;
          const bg = r.background.find((x) => x.name === name)?.percent;
          return `${f1(idle)}${bg === undefined ? '' : ` [${f1(bg)}]`}`;
        }),
      ]),
    );
  }

  say(`\nTargets (informational)`);
  const concurrencyTop = Math.max(...opts.writeConcurrency);
  for (const r of results) {
    const w = r.writes[concurrencyTop];
    if (!w) continue;
    const x = w.api.perSecond / w.bare.perSecond;
    say(
      `  writes ≥ 0.5× the bare loop at c=${concurrencyTop}, ${n(r.size)} records: ${x.toFixed(2)}× ${verdict(x >= 0.5)}`,
    );
  }
  if (results.length > 1) {
    for (const c of opts.writeConcurrency) {
      const a = first.writes[c]?.api.latency.p50;
      const b = last.writes[c]?.api.latency.p50;
      if (a === undefined || b === undefined) continue;
      say(
        `  write p50 at ${n(last.size)} ≤ 1.5× at ${n(first.size)} (c=${c}): ${f1(b)} vs ${f1(a)} ms = ${(b / a).toFixed(2)}× ${verdict(b <= 1.5 * a)}`,
      );
    }
    for (const name of Object.keys(first.reads)) {
      const fig = readFigure(first.reads[name]!.api, last.reads[name]!.api);
      if (!fig) {
        say(`  ${name} at ${n(last.size)} ≤ 1.5× at ${n(first.size)}: no figure`);
        continue;
      }
      const x = fig.b / fig.a;
      let line = `  ${name} at ${n(last.size)} ≤ 1.5× at ${n(first.size)} (${fig.basis}): ${f1(fig.b)} vs ${f1(fig.a)} ms = ${x.toFixed(2)}× ${verdict(x <= 1.5)}`;
      const a99 = first.reads[name]!.api.run?.latency.p99;
      const b99 = last.reads[name]!.api.run?.latency.p99;
      if (a99 !== undefined && b99 !== undefined)
        line += `; p99 ${f1(b99)} vs ${f1(a99)} ms = ${(b99 / a99).toFixed(2)}× ${verdict(b99 <= 1.5 * a99)}`;
      say(line);
    }
  }
  for (const r of results) {
    const ferret = r.idle.find((x) => x.name === 'ferretdb')?.percent;
    const pg = r.idle.find((x) => x.name === 'postgres')?.percent;
    if (ferret === undefined || ferret === null) continue;
    const total = ferret + (pg ?? 0);
    say(
      `  FerretDB idle CPU ≤ 5 % (ferretdb${pg === undefined ? '' : ' + postgres'}), ${n(r.size)} records: ${f1(total)} % ${verdict(total <= 5)}`,
    );
  }
  const rssMax = Math.max(
    ...results.flatMap((r) =>
      [r.rss.afterWrites, r.rss.afterReads, r.rss.afterIdle].filter(
        (v): v is number => v !== undefined,
      ),
    ),
  );
  const peak = Math.max(...results.map((r) => r.rss.peak ?? 0));
  say(
    `  API RSS ≤ 300 MB: max sampled ${f1(rssMax)} MB ${verdict(rssMax <= 300)} (peak VmHWM ${f1(peak)} MB ${verdict(peak <= 300)})`,
  );
}
