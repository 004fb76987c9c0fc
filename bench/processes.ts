import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A child node process with its output kept (the tail only) for error messages. */
export class Child {
  private tail = '';
  private readonly proc: ChildProcess;

  constructor(
    readonly name: string,
    entry: string,
    env: Record<string, string>,
    cwd: string,
    nodeArgs: string[] = [],
  ) {
    if (!existsSync(entry)) throw new Error(`${entry} missing: build first (see bench/README.md)`);
    this.proc = spawn(process.execPath, [...nodeArgs, entry], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (c: Buffer) => {
      this.tail = (this.tail + c.toString()).slice(-8000);
    };
    this.proc.stdout!.on('data', keep);
    this.proc.stderr!.on('data', keep);
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get exited(): boolean {
    return this.proc.exitCode !== null || this.proc.signalCode !== null;
  }

  output(): string {
    return this.tail;
  }

  /** Polls `check` until it holds; fails with the process's last output. */
  async waitUntil(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) break;
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} did not become ready:\n${this.tail.slice(-3000)}`);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
      this.proc.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      this.proc.kill('SIGTERM');
    });
  }
}

export const httpOk = async (url: string): Promise<boolean> =>
  (await fetch(url).catch(() => null))?.ok === true;
