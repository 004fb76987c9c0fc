import { Injectable } from '@nestjs/common';
import { AuditChainRepository } from './audit-chain.repository.js';
import { AuditLogsRepository } from './audit-logs.repository.js';
import { ChainWalker, type ChainBreak } from './chain/audit-entry.js';

const PAGE = 1000;

export interface ChainVerification {
  valid: boolean;
  checked: number;
  anchor: { seq: number; hash: string };
  last_seq: number;
  last_hash: string;
  head_seq: number;
  break?:
    | ChainBreak
    | {
        seq: number;
        reason: 'head_mismatch';
        expected?: string | number;
        actual?: string | number;
      };
}

/** Walks the live chain from its archive anchor to its head and reports the first break. */
@Injectable()
export class AuditVerifier {
  constructor(
    private readonly chain: AuditChainRepository,
    private readonly logs: AuditLogsRepository,
  ) {}

  async verify(): Promise<ChainVerification> {
    const head = await this.chain.head();
    const walker = new ChainWalker(head.archived_seq, head.archived_hash);
    let from = head.archived_seq + 1;
    for (;;) {
      const page = await this.logs.range(from, from + PAGE - 1, head.unpaged_through);
      for (const entry of page) if (!walker.push(entry)) break;
      if (walker.broken || page.length === 0) break;
      // A page that ends early has a hole in it; the walker reported it unless the hole is at the end.
      from += PAGE;
    }
    const result = {
      checked: walker.checked,
      anchor: { seq: head.archived_seq, hash: head.archived_hash },
      last_seq: walker.lastSeq,
      last_hash: walker.lastHash,
      head_seq: head.seq,
    };
    if (walker.broken) return { valid: false, ...result, break: walker.broken };
    // Entries removed from the end: the head remembers how far the chain went.
    if (head.seq > walker.lastSeq)
      return {
        valid: false,
        ...result,
        break: {
          seq: walker.lastSeq + 1,
          reason: 'missing',
          expected: head.seq,
          actual: walker.lastSeq,
        },
      };
    if (head.seq === walker.lastSeq && head.hash !== walker.lastHash)
      return {
        valid: false,
        ...result,
        break: {
          seq: head.seq,
          reason: 'head_mismatch',
          expected: head.hash,
          actual: walker.lastHash,
        },
      };
    return { valid: true, ...result };
  }
}
