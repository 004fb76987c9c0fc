import { AppConfigService, DistributedLock, LeaderJob, SecurityPolicy } from '@app/common';
import { Injectable } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service.js';
import {
  backoffSeconds,
  DELIVERY_ID_HEADER,
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
} from './webhook-events.js';
import { WebhookSecrets } from './webhook-secrets.js';
import type { WebhookDelivery, WebhookSubscription } from './webhook.schema.js';
import { WebhooksRepository } from './webhooks.repository.js';

export const WEBHOOK_DISPATCH_INTERVAL_MS = 2_000;

type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'dropped' | 'raced';

/**
 * Sends due outbox rows, at least once: a row is marked delivered only after a 2xx, so a
 * replica dying between the answer and the update sends it again (receivers de-duplicate by
 * the event id). Retries back off exponentially up to the policy's max_attempts, then the
 * row is failed (POST …/resend starts it again). One bounded batch per tick, a few at once.
 */
@Injectable()
export class WebhookDispatchJob extends LeaderJob {
  protected readonly name = 'webhook-dispatch';
  protected readonly intervalMs = WEBHOOK_DISPATCH_INTERVAL_MS;
  // Renewed every 5 s while a tick sends; a dead replica holds the job for 15 s at most.
  protected readonly lockTtlMs = 15_000;

  constructor(
    lock: DistributedLock,
    config: AppConfigService,
    private readonly repository: WebhooksRepository,
    private readonly secrets: WebhookSecrets,
    private readonly policy: SecurityPolicy,
    private readonly metrics: MetricsService,
  ) {
    super(lock, config);
  }

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const settings = this.policy.operationsPolicy.webhooks;
    const due = (await this.repository.pending(settings.batch)).filter(
      (d) => new Date(d.next_attempt_at).getTime() <= now.getTime(),
    );
    const subs = new Map<string, Promise<WebhookSubscription | null>>();
    const counts: Record<AttemptOutcome, number> = {
      delivered: 0,
      retry: 0,
      failed: 0,
      dropped: 0,
      raced: 0,
    };
    let next = 0;
    const worker = async () => {
      while (next < due.length && this.leaseHeld) {
        const delivery = due[next++]!;
        let sub = subs.get(delivery.subscription_id);
        if (!sub) {
          sub = this.repository.subscription(delivery.subscription_id);
          subs.set(delivery.subscription_id, sub);
        }
        counts[await this.attempt(delivery, await sub)]++;
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
    return { due: due.length, ...counts };
  }

  private async attempt(
    delivery: WebhookDelivery,
    sub: WebhookSubscription | null,
  ): Promise<AttemptOutcome> {
    const settings = this.policy.operationsPolicy.webhooks;
    const at = new Date();
    if (!sub) {
      // The subscription was deleted: nothing to send to, the row ends failed.
      await this.repository.recordAttempt(delivery._id, delivery.attempts, {
        state: 'failed',
        last_error: 'subscription deleted',
        last_attempt_at: at,
      });
      return 'dropped';
    }
    let status: number | undefined;
    let error: string | undefined;
    try {
      const secret = await this.secrets.secretOf(sub._id, sub.secret_enc);
      const timestamp = Math.floor(at.getTime() / 1000);
      const res = await fetch(sub.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'tron-staking-webhooks/1',
          [EVENT_ID_HEADER]: delivery.event_id,
          [DELIVERY_ID_HEADER]: delivery._id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, delivery.body),
        },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeout_ms),
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).slice(0, 300);
    }
    const ok = error === undefined;
    const attempts = delivery.attempts + 1;
    const exhausted = !ok && attempts >= settings.max_attempts;
    const won = await this.repository.recordAttempt(delivery._id, delivery.attempts, {
      state: ok ? 'delivered' : exhausted ? 'failed' : 'pending',
      last_attempt_at: at,
      ...(status !== undefined ? { last_status_code: status } : {}),
      ...(ok ? { delivered_at: at } : { last_error: error }),
      next_attempt_at: new Date(
        at.getTime() +
          1000 *
            backoffSeconds(attempts, settings.backoff_base_seconds, settings.backoff_max_seconds),
      ),
    });
    this.metrics.observeWebhookAttempt(
      delivery.event_type,
      ok ? 'delivered' : exhausted ? 'failed' : 'retry',
    );
    if (!won) return 'raced';
    return ok ? 'delivered' : exhausted ? 'failed' : 'retry';
  }
}
