import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfigService } from './app-config.service.js';
import { validateEnv } from './env.schema.js';

@Global()
@Module({})
export class AppConfigModule {
  /**
   * Validates the environment when the app is assembled (not when this file is imported), so
   * each boot — including several in one test process — sees the environment of that moment.
   */
  static forRoot(): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          // Deployments inject the environment; `.env` is a local convenience only.
          envFilePath: ['.env'],
          ignoreEnvFile: process.env.NODE_ENV === 'test',
          validate: validateEnv,
          skipProcessEnv: true,
          cache: true,
        }),
      ],
      providers: [AppConfigService],
      exports: [AppConfigService],
    };
  }
}
