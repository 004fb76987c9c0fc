import { LeaderJob, MaintenanceWindows, type JobDescription } from '@app/common';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { MetricsService } from '../../metrics/metrics.service.js';
import { JobRunRecorder } from './job-run-recorder.js';

/**
 * Finds every LeaderJob provider of the app at start-up and attaches the run recorder to it:
 * a new job is recorded and listed by being a LeaderJob, with nothing to register by hand.
 */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private jobs: LeaderJob[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly recorder: JobRunRecorder,
    private readonly metrics: MetricsService,
    private readonly maintenance: MaintenanceWindows,
  ) {}

  onModuleInit(): void {
    const found = new Set<LeaderJob>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof LeaderJob) found.add(instance);
    }
    this.jobs = [...found];
    for (const job of this.jobs) {
      job.attachRunSink(this.recorder);
      job.attachMaintenance(this.maintenance);
      this.metrics.declareJob(job.describe().name);
    }
  }

  /** Every job, by name. */
  list(): JobDescription[] {
    return this.jobs.map((j) => j.describe()).sort((a, b) => a.name.localeCompare(b.name));
  }

  find(name: string): JobDescription | undefined {
    return this.list().find((j) => j.name === name);
  }
}
