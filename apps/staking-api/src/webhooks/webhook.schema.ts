import type { EncryptedKey } from '@app/tron';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/** A receiver of events. The secret is stored encrypted (keystore cipher), shown once. */
@Schema({ collection: 'webhook_subscriptions', versionKey: false })
export class WebhookSubscription {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) url: string;
  @Prop({ type: [String], required: true }) event_types: string[];
  @Prop() description?: string;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) secret_enc: EncryptedKey;
  /** Always true while it exists: the equality every lookup of "all subscriptions" uses. */
  @Prop({ required: true, index: true }) active: boolean;
  @Prop({ required: true }) created_at: Date;
  @Prop({ required: true }) created_by: string;
  /** Deliveries ever queued for it (incremented per delivery): numbers its delivery log pages. */
  @Prop({ default: 0 }) delivery_seq?: number;
}
export const WebhookSubscriptionSchema = SchemaFactory.createForClass(WebhookSubscription);

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** One event for one subscription: the outbox row and its delivery log at once. */
@Schema({ collection: 'webhook_deliveries', versionKey: false })
export class WebhookDelivery {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true, index: true }) subscription_id: string;
  @Prop({ required: true }) event_id: string;
  @Prop({ required: true }) event_type: string;
  /** The exact body sent (the event JSON), so every attempt signs the same bytes. */
  @Prop({ required: true }) body: string;
  @Prop({ type: String, required: true, index: true }) state: DeliveryState;
  @Prop({ required: true, default: 0 }) attempts: number;
  @Prop({ required: true }) next_attempt_at: Date;
  @Prop() last_status_code?: number;
  @Prop() last_error?: string;
  @Prop() last_attempt_at?: Date;
  @Prop() delivered_at?: Date;
  @Prop({ required: true }) created_at: Date;
  /** UTC day of creation: the cleanup job deletes finished deliveries by this equality. */
  @Prop({ required: true, index: true }) day: string;
  /**
   * While pending: `<lane>:<UTC minute of next_attempt_at>`, lane `new` (first attempts and
   * resends) or `retry`. The dispatcher finds due rows by equality on it, the two lanes apart,
   * so a retry backlog never holds up new events. Unset once delivered or failed.
   */
  @Prop({ index: true }) due?: string;
  /** Position in the subscription's log (its delivery_seq when queued) and its page (seq / page size). */
  @Prop() log_seq?: number;
  @Prop() log_page?: number;
}
export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDelivery);
// One delivery per event and subscription, whichever replica saw the event first.
WebhookDeliverySchema.index({ subscription_id: 1, event_id: 1 }, { unique: true });
// The delivery log: one page is an equality on (subscription, page).
WebhookDeliverySchema.index({ subscription_id: 1, log_page: 1 });

/** Where the dispatcher's walk over a lane's minute buckets resumes (`_id`: the lane). */
@Schema({ collection: 'webhook_dispatch_cursors', versionKey: false })
export class WebhookDispatchCursor {
  @Prop({ type: String, required: true }) _id: string;
  /** The earliest UTC minute (YYYY-MM-DDTHH:MM) that may still hold pending rows of the lane. */
  @Prop({ required: true }) next: string;
}
export const WebhookDispatchCursorSchema = SchemaFactory.createForClass(WebhookDispatchCursor);
