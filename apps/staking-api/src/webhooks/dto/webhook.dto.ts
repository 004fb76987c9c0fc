import { ErrorCode, withCode } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { WEBHOOK_EVENT_TYPES } from '../webhook-events.js';

export const WEBHOOK_URL_PATTERN = '^https?://[^\\s/?#@]+(?:[/?#][^\\s]*)?$';
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

export class CreateWebhookDto {
  @ApiProperty({
    description: 'Where events are POSTed: an absolute http(s) URL, at most 2048 characters.',
    example: 'http://localhost:9000/hooks/tron-staking',
  })
  @IsString(withCode(ErrorCode.INVALID_WEBHOOK_URL, 'url must be a string'))
  @MaxLength(2048, withCode(ErrorCode.INVALID_WEBHOOK_URL, 'url is longer than 2048 characters'))
  @Matches(
    new RegExp(WEBHOOK_URL_PATTERN),
    withCode(ErrorCode.INVALID_WEBHOOK_URL, 'url must be an absolute http:// or https:// URL'),
  )
  url: string;

  @ApiProperty({
    description: 'Event types to receive (at least one).',
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
    example: ['operation.confirmed', 'operation.failed'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  event_types: string[];

  @ApiPropertyOptional({
    description: 'What the receiver is (at most 200 characters).',
    example: 'payments ledger',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class WebhookIdParam {
  @ApiProperty({
    description: 'Subscription id (UUID).',
    pattern: UUID_PATTERN,
    example: '3f2c8a4e-7b1d-4e0a-9c55-2a7b9e1d4c6f',
  })
  @Matches(new RegExp(UUID_PATTERN), withCode(ErrorCode.VALIDATION_FAILED, 'id must be a UUID'))
  id: string;
}

export class WebhookDeliveryParam extends WebhookIdParam {
  @ApiProperty({
    description: 'Delivery id (UUID).',
    pattern: UUID_PATTERN,
    example: '9d1e2f3a-4b5c-4d6e-8f70-1a2b3c4d5e6f',
  })
  @Matches(
    new RegExp(UUID_PATTERN),
    withCode(ErrorCode.VALIDATION_FAILED, 'delivery_id must be a UUID'),
  )
  delivery_id: string;
}

export class WebhookDto {
  @ApiProperty({ description: 'Subscription id.', example: '3f2c8a4e-7b1d-4e0a-9c55-2a7b9e1d4c6f' })
  id: string;
  @ApiProperty({
    description: 'Receiver URL.',
    example: 'http://localhost:9000/hooks/tron-staking',
  })
  url: string;
  @ApiProperty({
    description: 'Event types it receives.',
    isArray: true,
    enum: WEBHOOK_EVENT_TYPES,
    example: ['operation.confirmed'],
  })
  event_types: string[];
  @ApiPropertyOptional({ description: 'What the receiver is.', example: 'payments ledger' })
  description?: string;
  @ApiProperty({
    description: 'Created.',
    format: 'date-time',
    example: '2026-12-02T12:00:00.000Z',
  })
  created_at: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    description:
      'The signing secret, shown only in this answer (stored encrypted). Signature: X-Webhook-Signature = "v1=" + hex HMAC-SHA256(secret, X-Webhook-Timestamp + "." + raw body).',
    example: 'whsec_4f9c2b7e0d1a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c',
  })
  secret: string;
}

export class WebhookListDto {
  @ApiProperty({ description: 'Every subscription (capped by the policy).', type: [WebhookDto] })
  items: WebhookDto[];
}

export class WebhookDeliveryDto {
  @ApiProperty({ description: 'Delivery id.', example: '9d1e2f3a-4b5c-4d6e-8f70-1a2b3c4d5e6f' })
  id: string;
  @ApiProperty({
    description: 'Event id (also in X-Webhook-Event-Id): de-duplicate by it.',
    example: 'operation.confirmed:65a1f0c2e4b0a1b2c3d4e5f6',
  })
  event_id: string;
  @ApiProperty({
    description: 'Event type.',
    enum: WEBHOOK_EVENT_TYPES,
    example: 'operation.confirmed',
  })
  event_type: string;
  @ApiProperty({
    description: 'pending (queued or retrying), delivered (2xx) or failed (attempts exhausted).',
    enum: ['pending', 'delivered', 'failed'],
    example: 'delivered',
  })
  state: string;
  @ApiProperty({ description: 'Attempts made.', type: 'integer', example: 1 })
  attempts: number;
  @ApiPropertyOptional({
    description: 'HTTP status of the last attempt.',
    type: 'integer',
    example: 200,
  })
  last_status_code?: number;
  @ApiPropertyOptional({ description: 'Why the last attempt failed.', example: 'HTTP 503' })
  last_error?: string;
  @ApiPropertyOptional({
    description: 'Last attempt.',
    format: 'date-time',
    example: '2026-12-02T12:00:01.000Z',
  })
  last_attempt_at?: string;
  @ApiPropertyOptional({
    description: 'Next attempt while pending.',
    format: 'date-time',
    example: '2026-12-02T12:00:06.000Z',
  })
  next_attempt_at?: string;
  @ApiPropertyOptional({
    description: 'When a 2xx came back.',
    format: 'date-time',
    example: '2026-12-02T12:00:01.000Z',
  })
  delivered_at?: string;
  @ApiProperty({ description: 'Queued.', format: 'date-time', example: '2026-12-02T12:00:00.000Z' })
  created_at: string;
}

export class WebhookDeliveryListDto {
  @ApiProperty({
    description:
      "One page of the subscription's deliveries, newest first (pages group 50 deliveries by their order; cleaned-up ones leave a page shorter).",
    type: [WebhookDeliveryDto],
  })
  items: WebhookDeliveryDto[];
  @ApiPropertyOptional({
    description: 'Pass as ?cursor= for the next, older page; absent on the oldest page.',
    example: '3',
  })
  next_cursor?: string;
}

export class WebhookDeliveriesQuery {
  @ApiPropertyOptional({
    description: 'The page to read: next_cursor of the previous answer. Absent: the newest page.',
    pattern: '^(0|[1-9][0-9]{0,8})$',
    example: '3',
  })
  @IsOptional()
  @Matches(
    /^(0|[1-9][0-9]{0,8})$/,
    withCode(ErrorCode.VALIDATION_FAILED, 'cursor must be a page number from next_cursor'),
  )
  cursor?: string;
}
