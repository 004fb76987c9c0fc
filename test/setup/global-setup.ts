import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes sure the real MongoDB-protocol server and Redis are running before any e2e suite:
 * `npm test` starts them already; a bare `vitest` run starts them here.
 */
export default function setup(): void {
  if (process.env.MONGODB_URI && process.env.REDIS_URL) return;
  const root = process.cwd();
  execFileSync('bash', [join(root, 'scripts/services-up.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const env = readFileSync(join(root, '.local/services.env'), 'utf8');
  for (const match of env.matchAll(/^export (\w+)='(.*)'$/gm)) {
    process.env[match[1]!] ??= match[2]!;
  }
}
