import { RequirePermission } from '@app/auth';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobListDto } from './dto/job-view.dto.js';
import { JobsService } from './jobs.service.js';

@ApiTags('operations')
@Controller('api/v1/system/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @RequirePermission('system:read')
  @ApiOperation({
    summary: 'Scheduled jobs',
    description:
      "Each leader job's schedule, its last tick (start, duration, outcome, items, errors, replica), whether it is late and whether the answering replica ran it. Runs are kept in job_runs for the policy's operations.retention.job_runs_days.",
  })
  @ApiOkResponse({ type: JobListDto })
  list(): Promise<JobListDto> {
    return this.jobs.list();
  }
}
