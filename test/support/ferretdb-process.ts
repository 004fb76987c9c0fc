import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from './poll.js';
import { freePort } from './redis-process.js';
import { connect } from 'node:net';

const FERRETDB = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  // The build of scripts/lib.sh (FERRETDB_BIN), with its atomic-writes patch.
  'tron-staking/bin/ferretdb-v1.24.2-atomic-writes',
);

/** A private FerretDB (SQLite) on its own port, for suites that stop and restart the database. */
export class FerretDbProcess {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ferretdb-test-'));

  private constructor(readonly port: number) {
    if (!existsSync(FERRETDB))
      throw new Error(`${FERRETDB} missing: run scripts/services-up.sh once (npm test does)`);
  }

  static async start(): Promise<FerretDbProcess> {
    const db = new FerretDbProcess(await freePort());
    await db.start();
    return db;
  }

  uri(database: string): string {
    return `mongodb://127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      FERRETDB,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.dir}/`,
        `--listen-addr=127.0.0.1:${this.port}`,
        `--state-dir=${this.dir}`,
        '--telemetry=disable',
        '--debug-addr=-',
        '--log-level=error',
      ],
      { stdio: 'ignore' },
    );
    const up = await pollUntil(() => portOpen(this.port), 10_000, 50);
    if (!up.ok) throw new Error('FerretDB did not start');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
