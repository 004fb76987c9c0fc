/** The two dispatch lanes: first attempts (and resends) apart from retries. */
export const DISPATCH_LANES = ['new', 'retry'] as const;
export type DispatchLane = (typeof DISPATCH_LANES)[number];

const MINUTE_MS = 60_000;

/** The UTC minute of a time, e.g. "2026-12-02T17:05" (sorts as text like time). */
export function minuteOf(at: Date): string {
  return at.toISOString().slice(0, 16);
}

export function nextMinute(minute: string): string {
  return minuteOf(new Date(Date.parse(`${minute}:00.000Z`) + MINUTE_MS));
}

export function minutesBefore(at: Date, minutes: number): string {
  return minuteOf(new Date(at.getTime() - minutes * MINUTE_MS));
}

/** The `due` value of a pending row: its lane and the minute it falls due. */
export function dueKey(lane: DispatchLane, at: Date): string {
  return `${lane}:${minuteOf(at)}`;
}

/** Rows per delivery-log page: a page is one (subscription, log_page) equality. */
export const DELIVERY_LOG_PAGE_SIZE = 50;

/** The log page of the n-th (1-based) delivery of a subscription. */
export function logPageOf(seq: number): number {
  return Math.floor((seq - 1) / DELIVERY_LOG_PAGE_SIZE);
}
