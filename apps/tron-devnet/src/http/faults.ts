/**
 * error/delay/drop act on the HTTP call. fail_in_block acts on the chain: the next accepted
 * broadcast is taken into a block with result FAILED and none of its contract effects (as a
 * transaction that fails at execution time does), so clients can see a late failure.
 */
export type FaultMode = 'error' | 'delay' | 'drop' | 'fail_in_block';

export interface Fault {
  path: string;
  mode: FaultMode;
  remaining: number;
  delayMs: number;
  status: number;
}

/** Injected node failures: the next N calls to a path answer 5xx, hang, or lose the socket. */
export class FaultRegistry {
  private faults: Fault[] = [];

  add(f: Fault): void {
    this.faults.push(f);
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  get size(): number {
    return this.faults.length;
  }

  /** Consumes one use of the first HTTP fault matching `path` ("*" and "prefix*" match too). */
  take(path: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        f.mode !== 'fail_in_block' &&
        (f.path === path ||
          f.path === '*' ||
          (f.path.endsWith('*') && path.startsWith(f.path.slice(0, -1)))),
    );
    return i < 0 ? undefined : this.consume(i);
  }

  /** True while a fail_in_block fault is waiting for an accepted broadcast. */
  get failsNextInBlock(): boolean {
    return this.faults.some((f) => f.mode === 'fail_in_block');
  }

  /** Consumes one use of the pending fail_in_block fault (after a broadcast was accepted). */
  takeFailInBlock(): void {
    const i = this.faults.findIndex((f) => f.mode === 'fail_in_block');
    if (i >= 0) this.consume(i);
  }

  private consume(i: number): Fault {
    const f = this.faults[i];
    f.remaining--;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return f;
  }
}
