import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The hash before the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

export type ActorType = 'user' | 'api_key' | 'anonymous';

/** What an audit entry says, before it is placed in the chain. Absent values are null, not missing. */
export interface AuditContent {
  time: string;
  action: string;
  resource: string | null;
  actor: { type: ActorType; id: string | null; username: string | null; role: string | null };
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  /** Canonical JSON of the masked parameters (a string, so storage cannot reorder or rename keys). */
  params: string | null;
  result: {
    status: 'success' | 'failure' | 'denied';
    error_code: string | null;
    http_status: number | null;
  };
}

/** An entry in the chain: its content, its place, the previous entry's hash and its own. */
export interface AuditEntry extends AuditContent {
  seq: number;
  prev_hash: string;
  hash: string;
}

// Exactly these fields are sealed; anything else on a stored document is not part of the chain.
const HASHED_FIELDS = [
  'seq',
  'time',
  'action',
  'resource',
  'actor',
  'request_id',
  'ip',
  'user_agent',
  'params',
  'result',
  'prev_hash',
] as const;

export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const content = Object.fromEntries(HASHED_FIELDS.map((field) => [field, entry[field]]));
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

export function sealEntry(content: AuditContent, seq: number, prevHash: string): AuditEntry {
  const unsealed = { ...content, seq, prev_hash: prevHash };
  return { ...unsealed, hash: hashEntry(unsealed) };
}

export interface ChainBreak {
  seq: number;
  reason: 'missing' | 'prev_hash_mismatch' | 'hash_mismatch' | 'out_of_order';
  expected?: string | number;
  actual?: string | number;
}

/**
 * Walks entries (in seq order) from an anchor — the seq and hash just before them — and returns
 * the first break, or the new anchor at the end. Removal shows as a missing seq; an edit as a
 * hash mismatch; a re-hashed edit as a mismatch with the next entry's prev_hash.
 */
export class ChainWalker {
  private nextSeq: number;
  private prevHash: string;
  checked = 0;
  broken: ChainBreak | undefined;

  constructor(anchorSeq: number, anchorHash: string) {
    this.nextSeq = anchorSeq + 1;
    this.prevHash = anchorHash;
  }

  /** Feeds one entry; false once the chain is broken. */
  push(entry: AuditEntry): boolean {
    if (this.broken) return false;
    if (entry.seq < this.nextSeq) {
      this.broken = {
        seq: entry.seq,
        reason: 'out_of_order',
        expected: this.nextSeq,
        actual: entry.seq,
      };
    } else if (entry.seq > this.nextSeq) {
      this.broken = {
        seq: this.nextSeq,
        reason: 'missing',
        expected: this.nextSeq,
        actual: entry.seq,
      };
    } else if (entry.prev_hash !== this.prevHash) {
      this.broken = {
        seq: entry.seq,
        reason: 'prev_hash_mismatch',
        expected: this.prevHash,
        actual: entry.prev_hash,
      };
    } else {
      const hash = hashEntry(entry);
      if (hash !== entry.hash)
        this.broken = {
          seq: entry.seq,
          reason: 'hash_mismatch',
          expected: hash,
          actual: entry.hash,
        };
    }
    if (this.broken) return false;
    this.checked++;
    this.nextSeq = entry.seq + 1;
    this.prevHash = entry.hash;
    return true;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  get lastHash(): string {
    return this.prevHash;
  }
}
