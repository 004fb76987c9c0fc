import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import mongoose, { type Connection } from 'mongoose';

const { EJSON } = mongoose.mongo.BSON;
export const BACKUP_NAME = /^backup-\d{8}T\d{6}Z\.jsonl\.gz$/;
const INSERT_BATCH = 500;

export interface BackupResult {
  file: string;
  collections: number;
  documents: number;
}

/**
 * Writes every collection of the database as gzip-compressed JSON lines, one
 * `{"c": collection, "d": <document as canonical Extended JSON>}` per document, streamed from
 * one cursor per collection (never a whole collection in memory). Written under a temporary
 * name and renamed once complete, so a file with the final name is always whole. A backup is
 * the one deliberate full read of each collection (no filter, no sort).
 */
export async function writeBackup(db: Connection, dir: string, now: Date): Promise<BackupResult> {
  await mkdir(dir, { recursive: true });
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const name = `backup-${stamp}.jsonl.gz`;
  const tmp = join(dir, `.${name}.partial`);
  const names = (await db.db!.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
  let documents = 0;
  async function* lines() {
    for (const collection of names) {
      for await (const doc of db.collection(collection).find({}, { batchSize: 500 })) {
        documents++;
        yield `${EJSON.stringify({ c: collection, d: doc }, { relaxed: false })}\n`;
      }
    }
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(tmp));
  await rename(tmp, join(dir, name));
  return { file: join(dir, name), collections: names.length, documents };
}

/** Keeps the newest `keep` backups of the directory, deleting older ones; returns how many. */
export async function pruneBackups(dir: string, keep: number): Promise<number> {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => BACKUP_NAME.test(n))
    .sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const n of old) await rm(join(dir, n));
  return old.length;
}

export class RestoreRefused extends Error {}

/**
 * Restores a backup into the database, which must hold no documents in any collection the
 * backup has (a restore never merges into live data). Documents keep their `_id` and types.
 */
export async function restoreBackup(
  db: Connection,
  file: string,
): Promise<{ collections: number; documents: number }> {
  const input = createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  const batches = new Map<string, Record<string, unknown>[]>();
  const checked = new Set<string>();
  let documents = 0;
  const flush = async (collection: string) => {
    const batch = batches.get(collection);
    if (!batch?.length) return;
    await db.collection(collection).insertMany(batch, { ordered: true });
    documents += batch.length;
    batches.set(collection, []);
  };
  for await (const line of input) {
    if (!line.trim()) continue;
    const { c, d } = EJSON.parse(line, { relaxed: false }) as {
      c: string;
      d: Record<string, unknown>;
    };
    if (!checked.has(c)) {
      if (await db.collection(c).findOne({}))
        throw new RestoreRefused(
          `collection ${c} is not empty: restore only into an empty database`,
        );
      checked.add(c);
    }
    const batch = batches.get(c) ?? [];
    batch.push(d);
    batches.set(c, batch);
    if (batch.length >= INSERT_BATCH) await flush(c);
  }
  for (const c of batches.keys()) await flush(c);
  return { collections: checked.size, documents };
}
