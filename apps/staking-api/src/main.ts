import 'reflect-metadata';
import { AppConfigService } from '@app/common';
import { createApp } from './app.factory.js';

const app = await createApp();
const config = app.get(AppConfigService);
await app.listen({ port: config.get('PORT'), host: config.get('HOST') });
console.info(
  JSON.stringify({
    level: 'info',
    msg: `tron-staking listening on http://${config.get('HOST')}:${config.get('PORT')}`,
    docs: '/docs',
  }),
);
