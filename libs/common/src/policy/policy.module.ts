import { Global, Module } from '@nestjs/common';
import { AppConfigService } from '../config/app-config.service.js';
import { loadPolicyFile } from '../config/policy-file.js';
import { ErrorCatalog } from '../errors/error-catalog.js';
import { errorCatalogSchema } from '../errors/error-catalog.schema.js';
import { MaintenanceWindows } from '../maintenance/maintenance-windows.js';
import { SecurityPolicy } from './security-policy.js';
import { securityPolicySchema } from './security-policy.schema.js';

/** Loads and validates the two policy files at start-up; a bad file stops the start. */
@Global()
@Module({
  providers: [
    {
      provide: ErrorCatalog,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) =>
        new ErrorCatalog(loadPolicyFile(config.get('ERROR_CODES_FILE'), errorCatalogSchema)),
    },
    {
      provide: SecurityPolicy,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) =>
        new SecurityPolicy(
          loadPolicyFile(config.get('SECURITY_POLICIES_FILE'), securityPolicySchema),
        ),
    },
    {
      provide: MaintenanceWindows,
      inject: [SecurityPolicy],
      useFactory: (policy: SecurityPolicy) => new MaintenanceWindows(policy),
    },
  ],
  exports: [ErrorCatalog, SecurityPolicy, MaintenanceWindows],
})
export class PolicyModule {}
