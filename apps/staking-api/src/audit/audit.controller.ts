import { RequirePermission } from '@app/auth';
import { ErrorCode, StakingException } from '@app/common';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { verifyArchiveDir } from './archive/audit-archive-file.js';
import { AuditArchiver } from './archive/audit-archiver.js';
import { exportLines } from './audit-export.js';
import { AuditLogsRepository, type AuditFilter } from './audit-logs.repository.js';
import { AuditVerifier } from './audit-verifier.js';
import {
  AuditExportQueryDto,
  AuditLogsQueryDto,
  AuditVerifyQueryDto,
  type AuditFilterDto,
} from './dto/audit-query.dto.js';
import { AuditLogDto, AuditLogListDto, AuditVerifyDto } from './dto/audit-log.dto.js';

function toFilter(q: AuditFilterDto): AuditFilter {
  const from = q.start_date ? new Date(q.start_date) : undefined;
  const to = q.end_date ? new Date(q.end_date) : undefined;
  if (from && to && from > to)
    throw new StakingException(
      ErrorCode.INVALID_DATE_RANGE,
      'start_date must not be after end_date.',
    );
  return {
    action: q.action,
    actor_id: q.actor_id,
    actor_type: q.actor_type,
    result_status: q.status,
    resource: q.resource,
    request_id: q.request_id,
    from,
    to,
  };
}

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly logs: AuditLogsRepository,
    private readonly verifier: AuditVerifier,
    private readonly archiver: AuditArchiver,
  ) {}

  @Get('logs')
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'Query the audit log',
    description: 'Newest first. Parameters are masked.',
  })
  @ApiOkResponse({ type: AuditLogListDto })
  async list(@Query() q: AuditLogsQueryDto): Promise<AuditLogListDto> {
    const { items, total } = await this.logs.find(toFilter(q), q.skip, q.limit);
    return { items: items.map((e) => AuditLogDto.from(e)), total, skip: q.skip, limit: q.limit };
  }

  @Get('verify')
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'Verify the hash chain',
    description:
      'Walks the live chain from the archive anchor and reports the first break (an edited, removed or reordered entry).',
  })
  @ApiOkResponse({ type: AuditVerifyDto })
  async verify(@Query() q: AuditVerifyQueryDto): Promise<AuditVerifyDto> {
    const live = await this.verifier.verify();
    if (q.include_archives !== 'true') return live;
    const archives = await verifyArchiveDir(this.archiver.directory);
    const linked = archives.last_seq === live.anchor.seq && archives.last_hash === live.anchor.hash;
    return {
      ...live,
      valid: live.valid && archives.valid && linked,
      archives: {
        valid: archives.valid && linked,
        files: archives.files.length,
        last_seq: archives.last_seq,
        ...(archives.break
          ? { break: archives.break }
          : linked
            ? {}
            : { break: { reason: 'archives do not end at the live anchor' } }),
      },
    };
  }

  @Get('export')
  @RequirePermission('audit:export')
  @ApiOperation({
    summary: 'Export the audit log (streamed)',
    description: 'Oldest first, as CSV or JSON Lines, with the same filters as /logs.',
  })
  @ApiOkResponse({
    description: 'The entries: CSV with a header row (format=csv) or one JSON object a line.',
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/x-ndjson': { schema: { type: 'string' } },
    },
  })
  export(@Query() q: AuditExportQueryDto, @Res() reply: FastifyReply): FastifyReply {
    const filter = toFilter(q);
    const stream = Readable.from(exportLines(this.logs.stream(filter), q.format));
    return reply
      .type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-log.${q.format}"`)
      .header('cache-control', 'no-store')
      .send(stream);
  }
}
