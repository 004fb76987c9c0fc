export type LogSink = (entry: Record<string, unknown>) => void;

/** One JSON line per event on stdout; `quiet` turns it off (tests). */
export function createLogger(quiet: boolean): LogSink {
  if (quiet) return () => undefined;
  return (entry) => {
    process.stdout.write(JSON.stringify({ time: Date.now(), ...entry }) + '\n');
  };
}
