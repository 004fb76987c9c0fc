import fs from 'node:fs';

/**
 * Captures what pino writes to stdout. pino writes through sonic-boom, which calls fs.write /
 * fs.writeSync on fd 1 directly (not process.stdout.write), so those two are wrapped.
 */
export function captureStdoutLogs(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const fd = process.stdout.fd ?? 1;
  const originalWrite = fs.write;
  const originalWriteSync = fs.writeSync;
  const asText = (data: unknown) =>
    typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
  (fs as { write: unknown }).write = (...args: unknown[]) => {
    if (args[0] !== fd) return (originalWrite as (...a: unknown[]) => void)(...args);
    chunks.push(asText(args[1]));
    const callback = args[args.length - 1];
    const bytes = Buffer.byteLength(asText(args[1]));
    if (typeof callback === 'function')
      process.nextTick(() => (callback as (e: null, n: number) => void)(null, bytes));
  };
  (fs as { writeSync: unknown }).writeSync = (...args: unknown[]) => {
    if (args[0] !== fd) return (originalWriteSync as (...a: unknown[]) => number)(...args);
    chunks.push(asText(args[1]));
    return Buffer.byteLength(asText(args[1]));
  };
  return {
    text: () => chunks.join(''),
    restore: () => {
      (fs as { write: unknown }).write = originalWrite;
      (fs as { writeSync: unknown }).writeSync = originalWriteSync;
    },
  };
}
