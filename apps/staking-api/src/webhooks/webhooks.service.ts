import { ErrorCode, SecurityPolicy, StakingException } from '@app/common';
import type { Principal } from '@app/auth';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type {
  CreateWebhookDto,
  CreatedWebhookDto,
  WebhookDeliveryDto,
  WebhookDeliveryListDto,
  WebhookDto,
} from './dto/webhook.dto.js';
import { DELIVERY_LOG_PAGE_SIZE, logPageOf, minuteOf } from './webhook-due-buckets.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookUrlGuard } from './webhook-url-guard.js';
import type { WebhookDelivery, WebhookSubscription } from './webhook.schema.js';
import { WebhooksRepository } from './webhooks.repository.js';

/** Empty log pages (all their rows cleaned up) skipped per request before answering. */
const EMPTY_PAGES_SKIPPED = 5;

const iso = (d?: Date) => (d ? new Date(d).toISOString() : undefined);

function toDto(s: WebhookSubscription): WebhookDto {
  return {
    id: s._id,
    url: s.url,
    event_types: s.event_types,
    ...(s.description ? { description: s.description } : {}),
    created_at: new Date(s.created_at).toISOString(),
  };
}

function deliveryDto(d: WebhookDelivery): WebhookDeliveryDto {
  const opt = {
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    last_attempt_at: iso(d.last_attempt_at),
    next_attempt_at: d.state === 'pending' ? iso(d.next_attempt_at) : undefined,
    delivered_at: iso(d.delivered_at),
  };
  return {
    id: d._id,
    event_id: d.event_id,
    event_type: d.event_type,
    state: d.state,
    attempts: d.attempts,
    ...Object.fromEntries(Object.entries(opt).filter(([, v]) => v !== undefined)),
    created_at: new Date(d.created_at).toISOString(),
  };
}

@Injectable()
export class WebhooksService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly secrets: WebhookSecrets,
    private readonly policy: SecurityPolicy,
    private readonly urls: WebhookUrlGuard,
  ) {}

  async create(dto: CreateWebhookDto, by: Principal): Promise<CreatedWebhookDto> {
    let parsed: URL;
    try {
      parsed = new URL(dto.url);
    } catch {
      throw new StakingException(ErrorCode.WEBHOOK_URL_NOT_ACCEPTED, 'url cannot be parsed');
    }
    if (parsed.username || parsed.password)
      throw new StakingException(
        ErrorCode.WEBHOOK_URL_NOT_ACCEPTED,
        'url must not carry credentials',
      );
    await this.urls.check(parsed);
    const max = this.policy.operationsPolicy.webhooks.max_subscriptions;
    // Bounded read: at most max + 1 rows, equality on `active`.
    if ((await this.repository.activeSubscriptions(max + 1)).length >= max)
      throw new StakingException(ErrorCode.WEBHOOK_LIMIT_REACHED, `at most ${max} subscriptions`);
    const id = randomUUID();
    const { secret, encrypted } = await this.secrets.generate(id);
    const doc: WebhookSubscription = {
      _id: id,
      url: dto.url,
      event_types: [...new Set(dto.event_types)],
      ...(dto.description ? { description: dto.description } : {}),
      secret_enc: encrypted,
      active: true,
      created_at: new Date(),
      created_by: `${by.kind}:${by.id}`,
    };
    await this.repository.createSubscription(doc);
    return { ...toDto(doc), secret };
  }

  async list(): Promise<WebhookDto[]> {
    const subs = await this.repository.activeSubscriptions(
      this.policy.operationsPolicy.webhooks.max_subscriptions,
    );
    return subs
      .sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime())
      .map(toDto);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.repository.deleteSubscription(id)))
      throw new StakingException(ErrorCode.WEBHOOK_NOT_FOUND);
    this.secrets.forget(id);
  }

  /**
   * One page of the delivery log, newest first. Pages are fixed groups of 50 deliveries by
   * their position in the subscription's log, so a page is one equality lookup however long
   * the log is; `cursor` is the page to read (the answer's `next_cursor` for older ones).
   */
  async deliveries(id: string, cursor?: number): Promise<WebhookDeliveryListDto> {
    const sub = await this.repository.subscription(id);
    if (!sub) throw new StakingException(ErrorCode.WEBHOOK_NOT_FOUND);
    const newest = sub.delivery_seq ? logPageOf(sub.delivery_seq) : -1;
    let page = Math.min(cursor ?? newest, newest);
    let rows: WebhookDelivery[] = [];
    for (let looked = 0; page >= 0 && !rows.length && looked <= EMPTY_PAGES_SKIPPED; looked++) {
      rows = await this.repository.logPage(id, page, DELIVERY_LOG_PAGE_SIZE);
      page--;
    }
    const items = rows.sort((a, b) => (b.log_seq ?? 0) - (a.log_seq ?? 0)).map(deliveryDto);
    return { items, ...(page >= 0 ? { next_cursor: String(page) } : {}) };
  }

  /** Queues a delivery again from attempt 0, whatever its state; the same event id goes out. */
  async resend(id: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    if (!(await this.repository.subscription(id)))
      throw new StakingException(ErrorCode.WEBHOOK_NOT_FOUND);
    const delivery = await this.repository.delivery(deliveryId);
    if (!delivery || delivery.subscription_id !== id)
      throw new StakingException(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND);
    const now = new Date();
    await this.repository.requeue(deliveryId, now);
    await this.repository.lowerCursor('new', minuteOf(now));
    return deliveryDto((await this.repository.delivery(deliveryId))!);
  }
}
