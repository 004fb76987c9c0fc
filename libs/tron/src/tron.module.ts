import { AppConfigService, ErrorCatalog } from '@app/common';
import { Global, Module } from '@nestjs/common';
import { providers, TronWeb } from 'tronweb';
import { TronGateway } from './gateway/tron-gateway.js';
import { TronwebGateway } from './gateway/tronweb-gateway.js';
import { NodeCallPolicy } from './resilience/node-call-policy.js';

export const TRON_WEB = Symbol('TRON_WEB');

/** One configured tronweb client behind the TronGateway interface; the only importer of tronweb's client. */
@Global()
@Module({
  providers: [
    {
      provide: TRON_WEB,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => {
        const host = config.get('TRON_FULL_HOST');
        const apiKey = config.get('TRON_API_KEY');
        const headers = apiKey ? { 'TRON-PRO-API-KEY': apiKey } : {};
        const provider = () =>
          new providers.HttpProvider(host, config.get('TRON_REQUEST_TIMEOUT_MS'), '', '', headers);
        return new TronWeb({
          fullNode: provider(),
          solidityNode: provider(),
          eventServer: provider(),
        });
      },
    },
    {
      provide: NodeCallPolicy,
      inject: [AppConfigService, ErrorCatalog],
      useFactory: (config: AppConfigService, catalog: ErrorCatalog) =>
        new NodeCallPolicy(catalog, {
          maxRequestsPerSecond: config.get('TRON_MAX_REQUESTS_PER_SECOND'),
          maxQueueWaitMs: config.get('TRON_REQUEST_TIMEOUT_MS'),
          circuitVolumeThreshold: config.get('TRON_CIRCUIT_VOLUME_THRESHOLD'),
          circuitResetMs: config.get('TRON_CIRCUIT_RESET_MS'),
          maxRetryDelayMs: config.get('TRON_RETRY_MAX_DELAY_MS'),
        }),
    },
    {
      provide: TronGateway,
      inject: [TRON_WEB, NodeCallPolicy],
      useFactory: (tronWeb: TronWeb, policy: NodeCallPolicy) => new TronwebGateway(tronWeb, policy),
    },
  ],
  exports: [TronGateway, NodeCallPolicy],
})
export class TronModule {}
