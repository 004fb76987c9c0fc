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
import {
  dueKey,
  minuteOf,
  minutesBefore,
  nextMinute,
  type DispatchLane,
} from './webhook-due-buckets.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookUrlGuard } from './webhook-url-guard.js';
import type { WebhookDelivery, WebhookSubscription } from './webhook.schema.js';
import { WebhooksRepository } from './webhooks.repository.js';

export const WEBHOOK_DISPATCH_INTERVAL_MS = 2_000;
// A lane's cursor passes a minute only once it is this far behind: replicas whose clocks are off
// by less file their rows ahead of it (the outbox lowers it for the rest).
const CURSOR_LAG_MINUTES = 2;
// Rows queued before the due buckets existed, refiled on each process's first tick.
const UNFILED_BATCH = 1_000;

type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'dropped' | 'raced';

/**
 * Sends due outbox rows, at least once: a row is marked delivered only after a 2xx, so a
 * replica dying between the answer and the update sends it again (receivers de-duplicate by
 * the event id). Retries back off exponentially up to the policy's max_attempts, then the
 * row is failed (POST …/resend starts it again). One bounded batch per tick, a few at once.
 *
 * Due rows are found by equality on their `due` bucket (lane + UTC minute), never by scanning
 * every pending row: each lane reads the current minute first, then walks its cursor forward
 * through earlier minutes (policy due_buckets_per_tick lookups at most). First attempts and
 * retries are separate lanes, and first attempts get at least half of each batch, so a large
 * retry backlog never stalls new events.
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
    private readonly urls: WebhookUrlGuard,
  ) {
    super(lock, config);
  }

  private refiled = false;

  protected async work(now: Date): Promise<Record<string, unknown>> {
    const settings = this.policy.operationsPolicy.webhooks;
    if (!this.refiled) await this.refileUnfiled();
    const fresh = await this.collect('new', now, Math.ceil(settings.batch / 2));
    const retries = await this.collect('retry', now, settings.batch - fresh.length);
    const due = [...fresh, ...retries];
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
    return { due: due.length, new: fresh.length, retries: retries.length, ...counts };
  }

  /**
   * Up to `limit` due rows of a lane: the current minute's bucket first, then the buckets from
   * the lane's cursor on; the cursor moves past each ended minute found empty.
   */
  private async collect(lane: DispatchLane, now: Date, limit: number): Promise<WebhookDelivery[]> {
    const settings = this.policy.operationsPolicy.webhooks;
    const current = minuteOf(now);
    const isDue = (d: WebhookDelivery) => new Date(d.next_attempt_at).getTime() <= now.getTime();
    const rows: WebhookDelivery[] = [];
    if (limit <= 0) return rows;
    rows.push(...(await this.repository.dueIn(`${lane}:${current}`, limit)).filter(isDue));
    const passable = minutesBefore(now, CURSOR_LAG_MINUTES);
    let minute = (await this.repository.cursor(lane)) ?? passable;
    let advancing = true;
    for (
      let lookups = 1;
      minute < current && lookups < settings.due_buckets_per_tick && rows.length < limit;
      lookups++
    ) {
      const found = await this.repository.dueIn(`${lane}:${minute}`, limit - rows.length);
      rows.push(...found);
      const next = nextMinute(minute);
      // Only an empty, ended minute is passed; the cursor stops at the first one that is not.
      if (advancing && !found.length && minute < passable)
        advancing = await this.repository.advanceCursor(lane, minute, next);
      else advancing = false;
      minute = next;
    }
    return rows;
  }

  /** Files pending rows from before the due buckets under the lane of their next attempt. */
  private async refileUnfiled(): Promise<void> {
    for (const row of await this.repository.pendingUnfiled(UNFILED_BATCH)) {
      const at = new Date(row.next_attempt_at);
      await this.repository.fileDue(row._id, dueKey(row.attempts ? 'retry' : 'new', at));
      await this.repository.lowerCursor(row.attempts ? 'retry' : 'new', minuteOf(at));
    }
    this.refiled = true;
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
      // Again at each attempt: the host's DNS answer may have changed since the subscription.
      await this.urls.check(new URL(sub.url));
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
    const nextAttemptAt = new Date(
      at.getTime() +
        1000 *
          backoffSeconds(attempts, settings.backoff_base_seconds, settings.backoff_max_seconds),
    );
    const won = await this.repository.recordAttempt(delivery._id, delivery.attempts, {
      state: ok ? 'delivered' : exhausted ? 'failed' : 'pending',
      last_attempt_at: at,
      ...(status !== undefined ? { last_status_code: status } : {}),
      ...(ok ? { delivered_at: at } : { last_error: error }),
      next_attempt_at: nextAttemptAt,
    });
    // The retry lane's walk must not be past the minute the row is now filed under.
    if (won && !ok && !exhausted)
      await this.repository.lowerCursor('retry', minuteOf(nextAttemptAt));
    this.metrics.observeWebhookAttempt(
      delivery.event_type,
      ok ? 'delivered' : exhausted ? 'failed' : 'retry',
    );
    if (!won) return 'raced';
    return ok ? 'delivered' : exhausted ? 'failed' : 'retry';
  }
}
