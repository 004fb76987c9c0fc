/** Polls until `check` returns true or the time is up; returns whether it succeeded and how long it took. */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<{ ok: boolean; ms: number }> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return { ok: true, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return { ok: false, ms: Date.now() - started };
}
