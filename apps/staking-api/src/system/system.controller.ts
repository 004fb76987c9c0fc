import { Public } from '@app/auth';
import { AppConfigService, MaintenanceWindows } from '@app/common';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DependencyChecks } from '../health/dependency-checks.js';
import { APP_INFO, type AppInfo } from './app-info.js';
import { ServiceInfoDto, ServiceStatusDto } from './system.dto.js';

@Public()
@ApiTags('operations')
@Controller()
export class SystemController {
  constructor(
    @Inject(APP_INFO) private readonly info: AppInfo,
    private readonly config: AppConfigService,
    private readonly checks: DependencyChecks,
    private readonly maintenance: MaintenanceWindows,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Service information' })
  @ApiOkResponse({ type: ServiceInfoDto })
  root(): ServiceInfoDto {
    return {
      service: this.config.get('SERVICE_NAME'),
      version: this.info.version,
      description: this.info.description,
      network: this.config.get('TRON_NETWORK'),
      links: {
        swagger: '/docs',
        redoc: '/redoc',
        openapi: '/docs-json',
        health: '/health',
        metrics: '/metrics',
        api: '/api/v1',
      },
      timestamp: new Date().toISOString(),
    };
  }

  @Get('status')
  @ApiOperation({
    summary: 'Service status',
    description: 'Version, uptime, environment, dependency states and the maintenance window.',
  })
  @ApiOkResponse({ type: ServiceStatusDto })
  async status(): Promise<ServiceStatusDto> {
    const result = await this.checks.full();
    const now = new Date();
    const current = this.maintenance.current(now);
    const next = this.maintenance.next(now);
    return {
      service: this.config.get('SERVICE_NAME'),
      version: this.info.version,
      environment: this.config.get('NODE_ENV'),
      network: this.config.get('TRON_NETWORK'),
      uptime_seconds: Math.floor((Date.now() - this.info.startedAt.getTime()) / 1000),
      started_at: this.info.startedAt.toISOString(),
      dependencies: Object.fromEntries(
        Object.entries(result.details).map(([k, v]) => [k, v.status]),
      ),
      maintenance: {
        active: current !== undefined,
        ...(current
          ? {
              reason: current.reason,
              started_at: current.start.toISOString(),
              ends_at: current.end.toISOString(),
            }
          : {}),
        ...(next ? { next_starts_at: next.start.toISOString(), next_reason: next.reason } : {}),
      },
      timestamp: new Date().toISOString(),
    };
  }
}
