import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { ComplianceModule } from '../compliance/compliance.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { StakingModule } from '../staking/staking.module.js';
import { VotingModule } from '../voting/voting.module.js';
import {
  AllowedReceiverDocument,
  AllowedReceiverSchema,
  AllowListStateDocument,
  AllowListStateSchema,
} from './allow-lists/allowed-receiver.schema.js';
import { AllowedReceiversController } from './allow-lists/allowed-receivers.controller.js';
import { AllowedReceiversRepository } from './allow-lists/allowed-receivers.repository.js';
import { AllowedReceiversService } from './allow-lists/allowed-receivers.service.js';
import { ApprovalClock } from './approval-clock.js';
import { ApprovalEffects } from './approval-effects.service.js';
import { ApprovalExpiryJob } from './approval-expiry.job.js';
import { EndedApprovalsCleanupJob } from './ended-approvals-cleanup.job.js';
import { ApprovalGateService } from './approval-gate.service.js';
import { ApprovalPeople } from './approval-people.js';
import { ApprovalReplays } from './approval-replays.js';
import { ApprovalDocument, ApprovalSchema } from './approval.schema.js';
import { ApprovalsController } from './approvals.controller.js';
import { ApprovalsRepository } from './approvals.repository.js';
import { ApprovalsService } from './approvals.service.js';
import { DelegationModule } from '../delegation/delegation.module.js';
import { StateCountersModule } from '../state-counters/state-counters.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { ApprovalEvents } from './approval-events.js';

/** Maker-checker approvals (the write pipeline's gate, decisions, expiry) and allow-lists. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ApprovalDocument.name, schema: ApprovalSchema },
      { name: AllowedReceiverDocument.name, schema: AllowedReceiverSchema },
      { name: AllowListStateDocument.name, schema: AllowListStateSchema },
    ]),
    OperationsModule,
    AccountsModule,
    AuthModule,
    ComplianceModule,
    StakingModule,
    VotingModule,
    DelegationModule,
    StateCountersModule,
    WebhooksModule,
  ],
  controllers: [ApprovalsController, AllowedReceiversController],
  providers: [
    ApprovalClock,
    ApprovalEvents,
    ApprovalsRepository,
    ApprovalPeople,
    ApprovalReplays,
    ApprovalEffects,
    ApprovalGateService,
    ApprovalsService,
    ApprovalExpiryJob,
    EndedApprovalsCleanupJob,
    AllowedReceiversRepository,
    AllowedReceiversService,
  ],
  exports: [
    ApprovalReplays,
    AllowedReceiversService,
    ApprovalExpiryJob,
    ApprovalClock,
    ApprovalsRepository,
  ],
})
export class ApprovalsModule {}
