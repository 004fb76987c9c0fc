import { AuditTrail } from '@app/auth';
import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditArchiver } from './archive/audit-archiver.js';
import { AuditRetentionJob } from './archive/audit-retention.job.js';
import { AuditChainRepository } from './audit-chain.repository.js';
import { AuditChainWriter } from './audit-chain.writer.js';
import {
  AuditChainHead,
  AuditChainHeadSchema,
  AuditLog,
  AuditLogSchema,
} from './audit-log.schema.js';
import { AuditLogsRepository } from './audit-logs.repository.js';
import { AuditController } from './audit.controller.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditService } from './audit.service.js';
import { AuditVerifier } from './audit-verifier.js';

/** The audit trail: global, so every module can inject `AuditTrail` from @app/auth. */
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: AuditLog.name, schema: AuditLogSchema },
      { name: AuditChainHead.name, schema: AuditChainHeadSchema },
    ]),
  ],
  controllers: [AuditController],
  providers: [
    AuditLogsRepository,
    AuditChainRepository,
    AuditChainWriter,
    AuditService,
    AuditVerifier,
    AuditArchiver,
    AuditRetentionJob,
    { provide: AuditTrail, useExisting: AuditService },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuditTrail, AuditService],
})
export class AuditModule {}
