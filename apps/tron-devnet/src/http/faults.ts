export type FaultMode = 'error' | 'delay' | 'drop';

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

  /** Consumes one use of the first fault matching `path` ("*" and "prefix*" match too). */
  take(path: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        f.path === path ||
        f.path === '*' ||
        (f.path.endsWith('*') && path.startsWith(f.path.slice(0, -1))),
    );
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.remaining--;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return f;
  }
}
