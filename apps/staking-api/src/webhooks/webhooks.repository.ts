import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { WebhookDelivery, WebhookSubscription } from './webhook.schema.js';

const DUPLICATE_KEY = 11000;

@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectModel(WebhookSubscription.name) private readonly subs: Model<WebhookSubscription>,
    @InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>,
  ) {}

  async createSubscription(doc: WebhookSubscription): Promise<void> {
    await this.subs.create(doc);
  }

  /** Every subscription (the policy caps them at a few dozen): equality on `active`. */
  activeSubscriptions(limit: number): Promise<WebhookSubscription[]> {
    return this.subs.find({ active: true }).limit(limit).lean<WebhookSubscription[]>().exec();
  }

  subscription(id: string): Promise<WebhookSubscription | null> {
    return this.subs.findById(id).lean<WebhookSubscription>().exec();
  }

  async deleteSubscription(id: string): Promise<boolean> {
    return (await this.subs.deleteOne({ _id: id })).deletedCount === 1;
  }

  /** Inserts the outbox row; false when this event is already queued for the subscription. */
  async enqueue(doc: WebhookDelivery): Promise<boolean> {
    try {
      await this.deliveries.create(doc);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** Up to `limit` pending deliveries (equality on state); the dispatcher checks their time. */
  pending(limit: number): Promise<WebhookDelivery[]> {
    return this.deliveries.find({ state: 'pending' }).limit(limit).lean<WebhookDelivery[]>().exec();
  }

  delivery(id: string): Promise<WebhookDelivery | null> {
    return this.deliveries.findById(id).lean<WebhookDelivery>().exec();
  }

  /** The delivery log of a subscription, at most `limit` rows (equality on subscription_id). */
  deliveriesOf(subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
    return this.deliveries
      .find({ subscription_id: subscriptionId })
      .limit(limit)
      .lean<WebhookDelivery[]>()
      .exec();
  }

  /**
   * Records an attempt, only if nobody else recorded one since this replica read the row
   * (same state and attempt count): two dispatchers never both advance one delivery.
   */
  async recordAttempt(
    id: string,
    seenAttempts: number,
    set: Partial<WebhookDelivery>,
  ): Promise<boolean> {
    const res = await this.deliveries.updateOne(
      { _id: id, state: 'pending', attempts: seenAttempts },
      { $set: set, $inc: { attempts: 1 } },
    );
    return res.modifiedCount === 1;
  }

  /** Queues a delivery again from its first attempt (resend). */
  async requeue(id: string, now: Date): Promise<void> {
    await this.deliveries.updateOne(
      { _id: id },
      { $set: { state: 'pending', attempts: 0, next_attempt_at: now } },
    );
  }

  async deleteFinishedOfDay(day: string): Promise<number> {
    let deleted = 0;
    for (const state of ['delivered', 'failed'] as const)
      deleted += (await this.deliveries.deleteMany({ day, state })).deletedCount;
    return deleted;
  }
}
