import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module.js';
import { APP_INFO, readAppInfo } from './app-info.js';
import { SystemController } from './system.controller.js';

@Module({
  imports: [HealthModule],
  controllers: [SystemController],
  providers: [{ provide: APP_INFO, useFactory: () => readAppInfo() }],
})
export class SystemModule {}
