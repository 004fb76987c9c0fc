import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { StakingModule } from '../staking/staking.module.js';
import { DependencyChecks } from './dependency-checks.js';
import { HealthController } from './health.controller.js';
import { RedisHealthIndicator } from './redis.health.js';
import { TronHealthIndicator } from './tron.health.js';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), StakingModule],
  controllers: [HealthController],
  providers: [DependencyChecks, RedisHealthIndicator, TronHealthIndicator],
  exports: [DependencyChecks],
})
export class HealthModule {}
