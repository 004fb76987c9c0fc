import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HealthModule } from '../health/health.module.js';
import { APP_INFO, readAppInfo } from './app-info.js';
import { MaintenanceGuard } from './maintenance.guard.js';
import { SystemController } from './system.controller.js';

@Module({
  imports: [HealthModule],
  controllers: [SystemController],
  providers: [
    { provide: APP_INFO, useFactory: () => readAppInfo() },
    { provide: APP_GUARD, useClass: MaintenanceGuard },
  ],
})
export class SystemModule {}
