import { SecurityPolicy, utcDay } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MetricsService } from '../metrics/metrics.service.js';
import { dueKey, logPageOf, minuteOf } from './webhook-due-buckets.js';
import type { WebhookEvent } from './webhook-events.js';
import { WebhooksRepository } from './webhooks.repository.js';

/**
 * The persisted outbox: publishing an event writes one delivery row per subscription that asked
 * for its type; the dispatcher job sends them. Other modules publish through this (approvals,
 * incidents, low resources, stuck operations). An event published twice (two replicas, a retry)
 * is queued once per subscription: its id is unique per subscription.
 */
@Injectable()
export class WebhookOutbox {
  private readonly logger = new Logger(WebhookOutbox.name);

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly policy: SecurityPolicy,
    private readonly metrics: MetricsService,
  ) {}

  async publish(event: WebhookEvent, now = new Date()): Promise<number> {
    const subs = await this.repository.activeSubscriptions(
      this.policy.operationsPolicy.webhooks.max_subscriptions,
    );
    const body = JSON.stringify(event);
    let queued = 0;
    for (const sub of subs) {
      if (!sub.event_types.includes(event.type)) continue;
      const seq = await this.repository.nextLogSeq(sub._id);
      if (seq === null) continue; // deleted meanwhile
      const fresh = await this.repository.enqueue({
        _id: randomUUID(),
        subscription_id: sub._id,
        event_id: event.id,
        event_type: event.type,
        body,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        day: utcDay(now),
        due: dueKey('new', now),
        log_seq: seq,
        log_page: logPageOf(seq),
      });
      if (fresh) queued++;
    }
    // A replica whose clock is behind the dispatcher's may file rows behind its cursor.
    if (queued) await this.repository.lowerCursor('new', minuteOf(now));
    if (queued) {
      this.metrics.observeWebhookQueued(event.type, queued);
      this.logger.debug({ event_id: event.id, type: event.type, queued }, 'Webhook event queued');
    }
    return queued;
  }
}
