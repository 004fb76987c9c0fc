import { AllExceptionsFilter, CommonModule } from '@app/common';
import { DatabaseModule, IdempotencyModule } from '@app/database';
import { TronModule } from '@app/tron';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApprovalsModule } from './approvals/approvals.module.js';
import { AuditModule } from './audit/audit.module.js';
import { BackupsModule } from './backups/backups.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { ComplianceModule } from './compliance/compliance.module.js';
import { AuthModule } from './auth/auth.module.js';
import { DelegationModule } from './delegation/delegation.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MonitoringModule } from './monitoring/monitoring.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { ResourcesModule } from './resources/resources.module.js';
import { RewardsModule } from './rewards/rewards.module.js';
import { StakingModule } from './staking/staking.module.js';
import { JobsModule } from './system/jobs/jobs.module.js';
import { SystemModule } from './system/system.module.js';
import { VotingModule } from './voting/voting.module.js';
import { UpkeepModule } from './upkeep/upkeep.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  static forRoot(extraImports: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(),
        DatabaseModule,
        AuditModule,
        AuthModule,
        HealthModule,
        MetricsModule,
        SystemModule,
        EventEmitterModule.forRoot(),
        TronModule,
        IdempotencyModule,
        AccountsModule,
        ComplianceModule,
        OperationsModule,
        StakingModule,
        VotingModule,
        RewardsModule,
        DelegationModule,
        ApprovalsModule,
        JobsModule,
        WebhooksModule,
        UpkeepModule,
        MonitoringModule,
        ResourcesModule,
        BackupsModule,
        ...extraImports,
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
