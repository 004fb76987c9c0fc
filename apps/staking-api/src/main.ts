import 'reflect-metadata';
import { AppConfigService } from '@app/common';
import { createApp } from './app.factory.js';
import { armShutdownDeadline } from './shutdown-deadline.js';

const app = await createApp();
const config = app.get(AppConfigService);
armShutdownDeadline(config.get('SHUTDOWN_TIMEOUT_MS'), (line) =>
  console.error(JSON.stringify(line)),
);
await app.listen({ port: config.get('PORT'), host: config.get('HOST') });
console.info(
  JSON.stringify({
    level: 'info',
    msg: `tron-staking listening on http://${config.get('HOST')}:${config.get('PORT')}`,
    docs: '/docs',
  }),
);
