import { Module } from '@nestjs/common';
import { BackupJob } from './backup.job.js';

/** Scheduled logical backups (restore is a CLI command). */
@Module({ providers: [BackupJob] })
export class BackupsModule {}
