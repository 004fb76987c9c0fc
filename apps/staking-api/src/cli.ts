import 'reflect-metadata';
import { CommonModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AccountsModule } from './accounts/accounts.module.js';
import { AccountsService } from './accounts/accounts.service.js';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { restoreBackup } from './backups/backup-file.js';

const USAGE = `Usage: npm run cli -- <command>
  keystore:import --label <label>   import a private key read from stdin (never from arguments)
  keystore:rotate                   re-encrypt every key under KEYSTORE_MASTER_SECRET; keep the old
                                    secret in KEYSTORE_PREVIOUS_MASTER_SECRETS until this finishes
  backup:restore <file>             restore a backup (BACKUP_DIR/backup-*.jsonl.gz) into the
                                    database of MONGODB_URI, which must be empty`;

// AccountsService announces new accounts (resource monitoring listens in the API; an account
// imported here is picked up by the API's start-up sync).
@Module({
  imports: [CommonModule.forRoot(), DatabaseModule, EventEmitterModule.forRoot(), AccountsModule],
})
class CliModule {}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Private key (hex), then Ctrl-D: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'backup:restore') return restore(rest[0]);
  if (command !== 'keystore:import' && command !== 'keystore:rotate') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const labelAt = rest.indexOf('--label');
  const label = labelAt >= 0 ? rest[labelAt + 1] : undefined;
  if (command === 'keystore:import' && !label) {
    process.stderr.write(`--label is required\n${USAGE}\n`);
    return 2;
  }
  const key = command === 'keystore:import' ? await readStdin() : '';
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  try {
    const accounts = app.get(AccountsService);
    const result =
      command === 'keystore:import'
        ? await accounts.importKey(key, label!)
        : await accounts.rotateKeys();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    // The message never carries the key: importKey validates its shape without echoing it.
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

/** Only config and the database: no keystore secret, no jobs. */
@Module({ imports: [CommonModule.forRoot(), DatabaseModule] })
class RestoreModule {}

async function restore(file: string | undefined): Promise<number> {
  if (!file) {
    process.stderr.write(`backup:restore needs a file\n${USAGE}\n`);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(RestoreModule, { logger: ['error'] });
  try {
    const result = await restoreBackup(app.get<Connection>(getConnectionToken()), file);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
