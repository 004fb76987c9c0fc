import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Event types a subscription may ask for. Operation events are produced here (from
 * OPERATION_SETTLED and the stuck-operations job), approval events by the approvals module
 * (approval-events.ts), incident events by the compliance incidents service and low-resource
 * events by the resource refresh job; each publishes through WebhookOutbox.publish().
 */
export const WEBHOOK_EVENT_TYPES = [
  'operation.confirmed',
  'operation.failed',
  'operation.expired',
  'operation.cancelled',
  'operation.stuck',
  'approval.requested',
  'approval.approved',
  'approval.rejected',
  'approval.expired',
  'approval.executed',
  'incident.opened',
  'incident.acknowledged',
  'incident.resolved',
  'resource.low',
  'resource.recovered',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The JSON body every receiver gets. `id` is stable per event: receivers de-duplicate by it. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  created_at: string;
  data: Record<string, unknown>;
}

export const SIGNATURE_HEADER = 'x-webhook-signature';
export const TIMESTAMP_HEADER = 'x-webhook-timestamp';
export const EVENT_ID_HEADER = 'x-webhook-event-id';
export const DELIVERY_ID_HEADER = 'x-webhook-delivery-id';

/** `v1=` + hex HMAC-SHA256 over "<unix seconds>.<raw body>" with the subscription's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's side (also in the README): signature and replay window both checked. */
export function verifyWebhook(
  secret: string,
  timestamp: number,
  body: string,
  signature: string,
  nowSeconds: number,
  windowSeconds: number,
): boolean {
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > windowSeconds)
    return false;
  const want = Buffer.from(signWebhook(secret, timestamp, body));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Retry n (1-based) waits min(base · 2^(n−1), max) seconds. */
export function backoffSeconds(attempt: number, baseSeconds: number, maxSeconds: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, attempt - 1), maxSeconds);
}
