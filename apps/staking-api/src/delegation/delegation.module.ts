import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { StakingModule } from '../staking/staking.module.js';
import { DelegationController } from './delegation.controller.js';
import { DelegationQueriesService } from './delegation-queries.service.js';
import { DelegationRules } from './delegation-rules.js';
import { DelegationSettlementHandler } from './delegation-settlement.handler.js';
import { DelegationService } from './delegation.service.js';
import { EnergyPoliciesController } from './energy-policies/energy-policies.controller.js';
import { EnergyPoliciesRepository } from './energy-policies/energy-policies.repository.js';
import { EnergyPoliciesService } from './energy-policies/energy-policies.service.js';
import {
  EnergyPolicyDocument,
  EnergyPolicySchema,
} from './energy-policies/energy-policy.schema.js';
import { EnergyPolicyJob } from './energy-policies/energy-policy.job.js';
import {
  ResourceDelegationDocument,
  ResourceDelegationSchema,
} from './resource-delegation.schema.js';
import { ResourceDelegationsRepository } from './resource-delegations.repository.js';

/** Delegation of energy and bandwidth, its records, and the energy top-up policies. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ResourceDelegationDocument.name, schema: ResourceDelegationSchema },
      { name: EnergyPolicyDocument.name, schema: EnergyPolicySchema },
    ]),
    OperationsModule,
    StakingModule,
    MetricsModule,
    AccountsModule,
  ],
  controllers: [DelegationController, EnergyPoliciesController],
  providers: [
    ResourceDelegationsRepository,
    DelegationRules,
    DelegationService,
    DelegationQueriesService,
    DelegationSettlementHandler,
    EnergyPoliciesRepository,
    EnergyPoliciesService,
    EnergyPolicyJob,
  ],
  exports: [EnergyPolicyJob, DelegationService],
})
export class DelegationModule {}
