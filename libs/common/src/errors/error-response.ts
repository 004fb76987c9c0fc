import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The shape of every error answer. */
export class ErrorResponseDto {
  @ApiProperty({ description: 'Human-readable message.', example: 'Invalid TRON address.' })
  error: string;

  @ApiProperty({ description: 'HTTP status code.', type: 'integer', example: 400 })
  status_code: number;

  @ApiProperty({
    description: 'Error code from config/staking-error-codes.yaml.',
    pattern: '^S[1-9][0-9]{2}$',
    example: 'S101',
  })
  error_code: string;

  @ApiPropertyOptional({
    description: 'Structured details: invalid fields, limits, retry hints. Never contains secrets.',
    oneOf: [
      {
        type: 'array',
        description: 'One entry per refused field.',
        items: {
          type: 'object',
          properties: {
            field: { type: 'string' },
            problem: { type: 'string' },
            error_code: { type: 'string' },
          },
        },
      },
      { type: 'object', description: 'Facts about the refusal (limits, amounts, times).' },
    ],
    example: [
      { field: 'address', problem: 'address must be a valid TRON address', error_code: 'S101' },
    ],
  })
  details?: unknown;

  @ApiProperty({
    description: 'When the error was produced (ISO 8601).',
    format: 'date-time',
    example: '2026-11-21T12:00:00.000Z',
  })
  timestamp: string;

  @ApiProperty({
    description: 'Request id, also sent as the X-Request-Id header.',
    example: '5b0d6f2e-6f0c-4a69-9a0b-1b3a3f8a2d11',
  })
  request_id: string;

  @ApiPropertyOptional({
    description: 'What to do about it.',
    example: 'Send a Base58Check address starting with T.',
  })
  recovery_action?: string;

  @ApiPropertyOptional({
    description: 'Whether the same request may succeed later.',
    example: false,
  })
  retryable?: boolean;
}
