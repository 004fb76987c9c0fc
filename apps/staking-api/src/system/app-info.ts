import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AppInfo {
  name: string;
  version: string;
  description: string;
  startedAt: Date;
}

/** The package's name and version, read once from the package.json the process runs from. */
export function readAppInfo(cwd = process.cwd()): AppInfo {
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as {
    version?: string;
    description?: string;
  };
  return {
    name: 'tron-staking',
    version: pkg.version ?? '0.0.0',
    description: pkg.description ?? '',
    startedAt: new Date(),
  };
}

export const APP_INFO = Symbol('APP_INFO');
