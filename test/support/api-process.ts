import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pollUntil } from './poll.js';

export const API_ENTRY = 'dist/apps/staking-api/src/main.js';
export const CLI_ENTRY = 'dist/apps/staking-api/src/cli.js';

/** The built service as a real OS process (for crash and restart tests), with its output captured. */
export class ApiProcess {
  output = '';
  private child?: ChildProcess;

  constructor(readonly env: Record<string, string>) {
    if (!existsSync(API_ENTRY))
      throw new Error(`${API_ENTRY} missing: run "npx nest build staking-api" (npm test does)`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [API_ENTRY], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    this.child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    const ready = await pollUntil(
      async () => (await fetch(`${this.url}/health/ready`).catch(() => null))?.status === 200,
      30_000,
      200,
    );
    if (!ready.ok) throw new Error(`API did not become ready:\n${this.output.slice(-2000)}`);
  }

  /** SIGKILL: no shutdown hooks, exactly like a crashed pod. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /**
   * SIGTERM, as Kubernetes sends it; resolves with how the process ended. After a clean close
   * Nest re-raises the signal, so a graceful end is `{ code: null, signal: 'SIGTERM' }`.
   */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode)
      return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null };
    return new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.kill('SIGTERM');
    });
  }
}

/** Runs the keystore CLI with `stdin`; resolves with its exit code and output. */
export function runCli(
  env: Record<string, string>,
  args: string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
