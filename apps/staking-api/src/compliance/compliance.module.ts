import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module.js';
import { WriteCompliance } from '../operations/write-compliance.js';
import { StateCountersModule } from '../state-counters/state-counters.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { AlertDocument, AlertSchema } from './alerts/alert.schema.js';
import { AlertSenders } from './alerts/alert-senders.js';
import { AlertsRepository } from './alerts/alerts.repository.js';
import { ComplianceAlertsJob } from './alerts/compliance-alerts.job.js';
import { ComplianceDecisionService } from './compliance-decision.service.js';
import { ComplianceSettings } from './compliance-settings.js';
import { IncidentDocument, IncidentSchema } from './incidents/incident.schema.js';
import { IncidentsController } from './incidents/incidents.controller.js';
import { IncidentsRepository } from './incidents/incidents.repository.js';
import { IncidentsService } from './incidents/incidents.service.js';
import { EnergyPoolIncidents } from './incidents/energy-pool-incidents.js';
import { SecurityIncidents } from './incidents/security-incidents.js';
import { KycModule } from './kyc/kyc.module.js';
import { KycProfilesController } from './kyc/kyc-profiles.controller.js';
import { KycProfilesService } from './kyc/kyc-profiles.service.js';
import { KnownCounterpartiesRepository } from './monitoring/known-counterparties.repository.js';
import {
  KnownCounterpartyDocument,
  KnownCounterpartySchema,
} from './monitoring/known-counterparty.schema.js';
import { MonitoringSettlementListener } from './monitoring/monitoring-settlement.listener.js';
import { MonitoringRules } from './monitoring/monitoring-rules.js';
import { VelocityWindows } from './monitoring/velocity-windows.js';
import {
  ListLoadDocument,
  ListLoadSchema,
  ScreeningEntryDocument,
  ScreeningEntrySchema,
  ScreeningListDocument,
  ScreeningListSchema,
} from './sanctions/sanctions.schema.js';
import { SanctionsRefreshJob } from './sanctions/sanctions-refresh.job.js';
import { SanctionsRefreshService } from './sanctions/sanctions-refresh.service.js';
import { ScreeningListsRepository } from './sanctions/screening-lists.repository.js';
import { PepRescreenJob } from './screening/pep-rescreen.job.js';
import { PepRescreenService } from './screening/pep-rescreen.service.js';
import { ScreeningController } from './screening/screening.controller.js';
import { ScreeningService } from './screening/screening.service.js';

/**
 * KYC profiles, sanctions and PEP screening, velocity monitoring, risk score, incidents and
 * alerts, and THE compliance decision of every write. Global so that the write pipeline (in the
 * operations module) finds `WriteCompliance` without importing this module.
 */
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ScreeningEntryDocument.name, schema: ScreeningEntrySchema },
      { name: ListLoadDocument.name, schema: ListLoadSchema },
      { name: ScreeningListDocument.name, schema: ScreeningListSchema },
      { name: IncidentDocument.name, schema: IncidentSchema },
      { name: AlertDocument.name, schema: AlertSchema },
      { name: KnownCounterpartyDocument.name, schema: KnownCounterpartySchema },
    ]),
    KycModule,
    AccountsModule,
    StateCountersModule,
    WebhooksModule,
  ],
  controllers: [KycProfilesController, ScreeningController, IncidentsController],
  providers: [
    ComplianceSettings,
    KycProfilesService,
    ScreeningListsRepository,
    SanctionsRefreshService,
    SanctionsRefreshJob,
    ScreeningService,
    PepRescreenService,
    PepRescreenJob,
    VelocityWindows,
    MonitoringRules,
    KnownCounterpartiesRepository,
    MonitoringSettlementListener,
    IncidentsRepository,
    IncidentsService,
    SecurityIncidents,
    EnergyPoolIncidents,
    AlertsRepository,
    AlertSenders,
    ComplianceAlertsJob,
    ComplianceDecisionService,
    { provide: WriteCompliance, useExisting: ComplianceDecisionService },
  ],
  exports: [WriteCompliance, IncidentsService, IncidentsRepository, ScreeningService],
})
export class ComplianceModule {}
