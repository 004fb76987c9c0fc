/**
 * Not an error: a deep step (the write pipeline's approval gate) that answers the request
 * itself, e.g. 202 pending_approval, without each area's controller knowing about it. The global
 * filter sends `body` with `status` as is.
 */
export class EarlyAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`answered early with ${status}`);
  }
}
