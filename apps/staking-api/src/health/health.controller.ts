import { Public } from '@app/auth';
import { AppConfigService } from '@app/common';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { StakingQueriesService } from '../staking/staking-queries.service.js';
import { DependencyChecks } from './dependency-checks.js';
import { HealthResponseDto, ProbeResponseDto } from './health.dto.js';

const CRITICAL = ['mongodb', 'redis'];

@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly checks: DependencyChecks,
    private readonly config: AppConfigService,
    private readonly staking: StakingQueriesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Full health',
    description: 'Every dependency with details. 503 when MongoDB or Redis is down.',
  })
  @ApiResponse({ status: 200, type: HealthResponseDto })
  @ApiResponse({ status: 503, type: HealthResponseDto })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponseDto> {
    const result = await this.checks.full();
    const down = Object.entries(result.details)
      .filter(([, v]) => v.status !== 'up')
      .map(([k]) => k);
    const status = down.some((k) => CRITICAL.includes(k))
      ? 'unhealthy'
      : down.length
        ? 'degraded'
        : 'healthy';
    if (status === 'unhealthy') void reply.status(503);
    const stats = status === 'unhealthy' ? null : await this.staking.stats().catch(() => null);
    return {
      status,
      service: this.config.get('SERVICE_NAME'),
      timestamp: new Date().toISOString(),
      service_initialized: true,
      checks: result.details,
      ...(stats
        ? {
            staking: {
              total_staking_records: stats.total_staking_records,
              active_staking_records: stats.active_staking_records,
              total_staked_trx: stats.total_staked_trx,
              total_resource_records: stats.total_staking_records,
            },
          }
        : {}),
    };
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness probe',
    description: 'The process only: stays 200 while a dependency is down.',
  })
  @ApiResponse({ status: 200, type: ProbeResponseDto })
  live(): ProbeResponseDto {
    return { status: 'ok', timestamp: new Date().toISOString() };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness probe',
    description:
      '503 while MongoDB or Redis is unreachable. The TRON node (reachability, block age, circuit breaker) is reported, degraded but not failing.',
  })
  @ApiResponse({ status: 200, type: ProbeResponseDto })
  @ApiResponse({ status: 503, type: ProbeResponseDto })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ProbeResponseDto> {
    const result = await this.checks.readiness();
    // Only the stores gate traffic; a degraded node is reported but writes answer S9xx themselves.
    const ok = CRITICAL.every((k) => result.details[k]?.status === 'up');
    if (!ok) void reply.status(503);
    return {
      status: ok ? 'ok' : 'error',
      checks: result.details,
      timestamp: new Date().toISOString(),
    };
  }
}
