import { CurrentPrincipal, RequirePermission, type Principal } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  WebhookDeliveriesQuery,
  WebhookDeliveryDto,
  WebhookDeliveryListDto,
  WebhookDeliveryParam,
  WebhookIdParam,
  WebhookListDto,
} from './dto/webhook.dto.js';
import { WebhooksService } from './webhooks.service.js';

const NOT_FOUND = { type: ErrorResponseDto, description: 'S708: no such subscription.' };

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary: 'Subscribe a receiver to events',
    description:
      'Events are POSTed as JSON, signed (X-Webhook-Timestamp, X-Webhook-Signature: v1=HMAC-SHA256(secret, timestamp + "." + body)), at least once from a persisted outbox with retries and backoff; X-Webhook-Event-Id is stable per event for de-duplication. The secret is in this answer only.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'S710: at the subscription limit.' })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description:
      'S191: the URL cannot be parsed or carries credentials; S712: its host resolves to a loopback, private, link-local or metadata address (allowed only with WEBHOOK_ALLOW_PRIVATE_URLS); S713: plain http (allowed only with WEBHOOK_ALLOW_HTTP); S714: its host does not resolve.',
  })
  create(
    @Body() dto: CreateWebhookDto,
    @CurrentPrincipal() by: Principal,
  ): Promise<CreatedWebhookDto> {
    return this.webhooks.create(dto, by);
  }

  @Get()
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary: 'List webhook subscriptions',
    description: 'Secrets are never shown again.',
  })
  @ApiOkResponse({ type: WebhookListDto })
  async list(): Promise<WebhookListDto> {
    return { items: await this.webhooks.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary: 'Delete a webhook subscription',
    description: 'Its pending deliveries end failed at their next attempt.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse(NOT_FOUND)
  async remove(@Param() params: WebhookIdParam): Promise<void> {
    await this.webhooks.remove(params.id);
  }

  @Get(':id/deliveries')
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary: 'Delivery log of a subscription',
    description:
      'Each event queued for it: state, attempts, last status and error, newest first, 50 per page; follow next_cursor for older pages.',
  })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @ApiNotFoundResponse(NOT_FOUND)
  deliveries(
    @Param() params: WebhookIdParam,
    @Query() query: WebhookDeliveriesQuery,
  ): Promise<WebhookDeliveryListDto> {
    return this.webhooks.deliveries(
      params.id,
      query.cursor === undefined ? undefined : Number(query.cursor),
    );
  }

  @Post(':id/deliveries/:delivery_id/resend')
  @HttpCode(202)
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary: 'Send a delivery again',
    description:
      'Queues it again from its first attempt with the same event id and body (a receiver that already has it de-duplicates).',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto, description: 'Queued again.' })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'S708: no such subscription; S709: no such delivery of it.',
  })
  resend(@Param() params: WebhookDeliveryParam): Promise<WebhookDeliveryDto> {
    return this.webhooks.resend(params.id, params.delivery_id);
  }
}
