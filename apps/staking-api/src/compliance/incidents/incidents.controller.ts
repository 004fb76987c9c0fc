import { CurrentPrincipal, RequirePermission, type Principal } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AcknowledgeIncidentDto,
  IncidentDto,
  IncidentIdParam,
  IncidentListDto,
  ResolveIncidentDto,
} from '../dto/incident.dto.js';
import { IncidentQueryDto } from '../dto/screening.dto.js';
import type { Incident } from './incidents.repository.js';
import { IncidentsService } from './incidents.service.js';

const NOT_FOUND = { status: 404, type: ErrorResponseDto, description: 'S173 no such incident.' };
const CONFLICT = {
  status: 409,
  type: ErrorResponseDto,
  description: 'S174 not in a state that allows this step.',
};
const who = (p: Principal) => `${p.kind}:${p.username ?? p.id}`;

@ApiTags('compliance')
@Controller('api/v1/compliance/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @RequirePermission('compliance:read')
  @ApiOperation({
    summary: 'List compliance incidents',
    description: 'Newest first; filter by status and type.',
  })
  @ApiOkResponse({ type: IncidentListDto })
  async list(@Query() q: IncidentQueryDto): Promise<IncidentListDto> {
    const { items, total } = await this.incidents.list(
      { status: q.status, type: q.type },
      q.skip,
      q.limit,
    );
    return { incidents: items.map(incidentView), total_count: total, skip: q.skip, limit: q.limit };
  }

  @Get(':id')
  @RequirePermission('compliance:read')
  @ApiOperation({ summary: 'One compliance incident' })
  @ApiOkResponse({ type: IncidentDto })
  @ApiResponse(NOT_FOUND)
  async get(@Param() params: IncidentIdParam): Promise<IncidentDto> {
    return incidentView(await this.incidents.get(params.id));
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @RequirePermission('compliance:write')
  @ApiOperation({
    summary: 'Acknowledge an incident',
    description: 'Stops its escalation; the assignee defaults to the caller.',
  })
  @ApiOkResponse({ type: IncidentDto })
  @ApiResponse(NOT_FOUND)
  @ApiResponse(CONFLICT)
  async acknowledge(
    @Param() params: IncidentIdParam,
    @Body() dto: AcknowledgeIncidentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IncidentDto> {
    return incidentView(await this.incidents.acknowledge(params.id, who(principal), dto.assignee));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @RequirePermission('compliance:write')
  @ApiOperation({ summary: 'Resolve an incident' })
  @ApiOkResponse({ type: IncidentDto })
  @ApiResponse(NOT_FOUND)
  @ApiResponse(CONFLICT)
  async resolve(
    @Param() params: IncidentIdParam,
    @Body() dto: ResolveIncidentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IncidentDto> {
    return incidentView(await this.incidents.resolve(params.id, who(principal), dto.resolution));
  }
}

const iso = (d?: Date) => (d ? new Date(d).toISOString() : undefined);

function incidentView(i: Incident): IncidentDto {
  return Object.fromEntries(
    Object.entries({
      id: i.id,
      type: i.type,
      severity: i.severity,
      status: i.status,
      summary: i.summary,
      subject: i.subject,
      details: i.details,
      assignee: i.assignee,
      escalation_level: i.escalation_level ?? 0,
      acknowledged_by: i.acknowledged_by,
      acknowledged_at: iso(i.acknowledged_at),
      resolved_by: i.resolved_by,
      resolved_at: iso(i.resolved_at),
      resolution: i.resolution,
      created_at: iso(i.created_at),
      updated_at: iso(i.updated_at),
    }).filter(([, v]) => v !== undefined),
  ) as unknown as IncidentDto;
}
