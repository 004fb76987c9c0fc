import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OperationWebhooksListener } from './operation-webhooks.listener.js';
import { WebhookDeliveriesCleanupJob } from './webhook-deliveries-cleanup.job.js';
import { WebhookDispatchJob } from './webhook-dispatch.job.js';
import { WebhookOutbox } from './webhook-outbox.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookUrlGuard } from './webhook-url-guard.js';
import {
  WebhookDelivery,
  WebhookDeliverySchema,
  WebhookDispatchCursor,
  WebhookDispatchCursorSchema,
  WebhookSubscription,
  WebhookSubscriptionSchema,
} from './webhook.schema.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';

/** Signed webhooks from a persisted outbox. Other modules publish with WebhookOutbox. */
@Module({
  imports: [
    AccountsModule,
    MetricsModule,
    MongooseModule.forFeature([
      { name: WebhookSubscription.name, schema: WebhookSubscriptionSchema },
      { name: WebhookDelivery.name, schema: WebhookDeliverySchema },
      { name: WebhookDispatchCursor.name, schema: WebhookDispatchCursorSchema },
    ]),
  ],
  controllers: [WebhooksController],
  providers: [
    WebhooksRepository,
    WebhookSecrets,
    WebhookUrlGuard,
    WebhookOutbox,
    WebhooksService,
    OperationWebhooksListener,
    WebhookDispatchJob,
    WebhookDeliveriesCleanupJob,
  ],
  exports: [WebhookOutbox, WebhookUrlGuard, WebhooksRepository],
})
export class WebhooksModule {}
