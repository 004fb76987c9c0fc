import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { MetricsModule } from '../../metrics/metrics.module.js';
import { JobRegistry } from './job-registry.js';
import { JobRunRecorder } from './job-run-recorder.js';
import { JobRun, JobRunSchema, JobState, JobStateSchema } from './job-run.schema.js';
import { JobRunsCleanupJob } from './job-runs-cleanup.job.js';
import { JobRunsRepository } from './job-runs.repository.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';
import { makeReplicaId, REPLICA_ID } from './replica-id.js';

/** Job runs: every LeaderJob's ticks recorded (job_runs, job_states), listed and metered. */
@Module({
  imports: [
    DiscoveryModule,
    MetricsModule,
    MongooseModule.forFeature([
      { name: JobRun.name, schema: JobRunSchema },
      { name: JobState.name, schema: JobStateSchema },
    ]),
  ],
  controllers: [JobsController],
  providers: [
    { provide: REPLICA_ID, useFactory: makeReplicaId },
    JobRunsRepository,
    JobRunRecorder,
    JobRegistry,
    JobsService,
    JobRunsCleanupJob,
  ],
  exports: [REPLICA_ID, JobRunsRepository, JobRegistry],
})
export class JobsModule {}
