import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, gzipSync } from 'node:zlib';
import {
  ChainWalker,
  GENESIS_HASH,
  type AuditEntry,
  type ChainBreak,
} from '../chain/audit-entry.js';

/**
 * Archive files: gzip'd JSONL. Line 1 is a header naming the range and the hash before it; each
 * further line is one entry exactly as it was in the chain. A file is verifiable on its own
 * (recompute each hash from the header's prev_hash), and consecutive files link by hash.
 */
export interface ArchiveHeader {
  type: 'tron-staking-audit-archive';
  version: 1;
  from_seq: number;
  to_seq: number;
  count: number;
  prev_hash: string;
  last_hash: string;
  created_at: string;
}

export interface ArchiveCheck {
  file: string;
  valid: boolean;
  header?: ArchiveHeader;
  checked: number;
  break?: ChainBreak | { seq: number; reason: string };
}

const pad = (n: number) => String(n).padStart(12, '0');
export const archiveFileName = (from: number, to: number) =>
  `audit-${pad(from)}-${pad(to)}.jsonl.gz`;

/** Writes the file under a temporary name, syncs it, then renames: a crash never leaves half a file. */
export async function writeArchive(
  dir: string,
  entries: AuditEntry[],
  prevHash: string,
  now: Date,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const first = entries[0]!;
  const last = entries[entries.length - 1]!;
  const header: ArchiveHeader = {
    type: 'tron-staking-audit-archive',
    version: 1,
    from_seq: first.seq,
    to_seq: last.seq,
    count: entries.length,
    prev_hash: prevHash,
    last_hash: last.hash,
    created_at: now.toISOString(),
  };
  const text = [header, ...entries].map((line) => JSON.stringify(line)).join('\n') + '\n';
  const path = join(dir, archiveFileName(first.seq, last.seq));
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w', 0o640);
  try {
    await handle.writeFile(gzipSync(text));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  return path;
}

/** Checks one archive file against itself: header, count, range and every hash. */
export async function verifyArchiveFile(path: string): Promise<ArchiveCheck> {
  const lines = createInterface({
    input: createReadStream(path).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  let header: ArchiveHeader | undefined;
  let walker: ChainWalker | undefined;
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const value = JSON.parse(line) as ArchiveHeader | AuditEntry;
      if (!header) {
        if ((value as ArchiveHeader).type !== 'tron-staking-audit-archive')
          return {
            file: path,
            valid: false,
            checked: 0,
            break: { seq: 0, reason: 'no archive header' },
          };
        header = value as ArchiveHeader;
        walker = new ChainWalker(header.from_seq - 1, header.prev_hash);
        continue;
      }
      if (!walker!.push(value as AuditEntry)) break;
    }
  } catch {
    return {
      file: path,
      valid: false,
      header,
      checked: walker?.checked ?? 0,
      break: { seq: 0, reason: 'unreadable' },
    };
  }
  if (!header || !walker)
    return { file: path, valid: false, checked: 0, break: { seq: 0, reason: 'empty file' } };
  if (walker.broken)
    return { file: path, valid: false, header, checked: walker.checked, break: walker.broken };
  const complete =
    walker.checked === header.count &&
    walker.lastSeq === header.to_seq &&
    walker.lastHash === header.last_hash;
  return complete
    ? { file: path, valid: true, header, checked: walker.checked }
    : {
        file: path,
        valid: false,
        header,
        checked: walker.checked,
        break: { seq: walker.lastSeq + 1, reason: 'truncated' },
      };
}

export interface ArchiveDirCheck {
  valid: boolean;
  files: ArchiveCheck[];
  /** Seq and hash at the end of the archived part: the live chain must start right after it. */
  last_seq: number;
  last_hash: string;
  break?: { file: string; seq: number; reason: string };
}

/** Checks every archive in the directory and that they chain into each other from genesis. */
export async function verifyArchiveDir(dir: string): Promise<ArchiveDirCheck> {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => /^audit-\d+-\d+\.jsonl\.gz$/.test(n))
    .sort();
  const files: ArchiveCheck[] = [];
  let lastSeq = 0;
  let lastHash = GENESIS_HASH;
  for (const name of names) {
    const check = await verifyArchiveFile(join(dir, name));
    files.push(check);
    if (!check.valid || !check.header)
      return {
        valid: false,
        files,
        last_seq: lastSeq,
        last_hash: lastHash,
        break: { file: name, seq: check.break?.seq ?? 0, reason: check.break?.reason ?? 'invalid' },
      };
    if (check.header.from_seq !== lastSeq + 1 || check.header.prev_hash !== lastHash)
      return {
        valid: false,
        files,
        last_seq: lastSeq,
        last_hash: lastHash,
        break: { file: name, seq: lastSeq + 1, reason: 'does not follow the previous archive' },
      };
    lastSeq = check.header.to_seq;
    lastHash = check.header.last_hash;
  }
  return { valid: true, files, last_seq: lastSeq, last_hash: lastHash };
}
