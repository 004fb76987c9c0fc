/**
 * Bounds a graceful shutdown. Nest's shutdown hooks close the app on SIGTERM/SIGINT (HTTP stops
 * accepting, in-flight requests and job ticks finish, connections close); a close that waits on
 * something unreachable (a hung node call, a Redis that is gone) must not keep the pod in
 * Terminating until Kubernetes kills it without a word. 0 means no deadline.
 */
export function armShutdownDeadline(timeoutMs: number, log: (line: object) => void): void {
  if (timeoutMs <= 0) return;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        log({
          level: 'error',
          msg: `shutdown did not finish within SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms); exiting`,
          signal,
        });
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
