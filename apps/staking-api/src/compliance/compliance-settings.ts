import { AppConfigService, SecurityPolicy, type SecurityPolicyFile } from '@app/common';
import { Injectable } from '@nestjs/common';

/** Which compliance parts run: an env switch (per deployment) and the policy's own switch. */
@Injectable()
export class ComplianceSettings {
  readonly kyc: boolean;
  readonly sanctions: boolean;
  readonly pep: boolean;
  readonly monitoring: boolean;
  readonly aml: boolean;
  readonly notifications: boolean;
  readonly policy: SecurityPolicyFile;

  constructor(config: AppConfigService, policy: SecurityPolicy) {
    const p = policy.file;
    this.policy = p;
    this.kyc =
      config.get('KYC_ENABLED') && p.aml_kyc.kyc.enabled && p.aml_kyc.kyc.required_for_writes;
    this.aml = config.get('AML_ENABLED');
    this.sanctions = this.aml && p.aml_kyc.sanctions.enabled;
    this.pep = this.aml && p.aml_kyc.pep.enabled;
    this.monitoring = this.aml && p.transaction_monitoring.enabled;
    this.notifications = config.get('NOTIFICATIONS_ENABLED');
  }

  severityOf(type: string): 'low' | 'medium' | 'high' | 'critical' {
    return this.policy.incident_response.incidents[type]?.severity ?? 'medium';
  }
}
