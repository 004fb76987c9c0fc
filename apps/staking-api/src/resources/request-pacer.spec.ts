import { RequestPacer } from './request-pacer.js';

describe('RequestPacer', () => {
  it('never starts more than perSecond calls in any one-second window, in order, also for concurrent callers', async () => {
    const pacer = new RequestPacer(5);
    const started: { i: number; at: number }[] = [];
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        pacer.run(async () => {
          started.push({ i, at: performance.now() });
          return i * 10;
        }),
      ),
    );
    expect(answers).toEqual([...Array(12).keys()].map((i) => i * 10));
    expect(started.map((g) => g.i)).toEqual([...Array(12).keys()]);
    const times = started.map((g) => g.at);
    for (const t of times)
      expect(times.filter((u) => u >= t && u < t + 1_000).length).toBeLessThanOrEqual(5);
    // The first five at once, the rest a second after the start they replace.
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(999);
    expect(times[10]! - times[5]!).toBeGreaterThanOrEqual(999);
  });

  it('passes a failing call on and keeps serving the next ones', async () => {
    const pacer = new RequestPacer(10);
    await expect(pacer.run(() => Promise.reject(new Error('node down')))).rejects.toThrow(
      'node down',
    );
    await expect(pacer.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('refuses a rate that is not a whole number of at least 1', () => {
    expect(() => new RequestPacer(0)).toThrow();
    expect(() => new RequestPacer(2.5)).toThrow();
  });
});
