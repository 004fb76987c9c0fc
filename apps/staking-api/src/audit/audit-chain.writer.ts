import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditChainRepository } from './audit-chain.repository.js';
import { AuditLogsRepository } from './audit-logs.repository.js';
import { sealEntry, type AuditContent, type AuditEntry } from './chain/audit-entry.js';

const MAX_ATTEMPTS = 100;

/**
 * Appends to the one audit chain, safely from many replicas without transactions:
 *
 * 1. read the head {seq, hash}; seal the entry as seq+1 with prev_hash = hash;
 * 2. insert it — the unique index on `seq` lets exactly one replica have each seq;
 * 3. compare-and-set the head from seq to seq+1.
 *
 * A replica that loses step 2 moves the head past the winner's entry (the winner may have died
 * between 2 and 3) and tries again with the new head. Within a replica, appends queue up so
 * they do not race each other. Every entry is final once inserted: nothing is ever rewritten.
 */
@Injectable()
export class AuditChainWriter {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly chain: AuditChainRepository,
    private readonly logs: AuditLogsRepository,
  ) {}

  append(content: AuditContent): Promise<AuditEntry> {
    const next = this.tail.then(() => this.appendNow(content));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async appendNow(content: AuditContent): Promise<AuditEntry> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = await this.chain.head();
      const entry = sealEntry(content, head.seq + 1, head.hash);
      if (await this.logs.insert(entry)) {
        await this.chain.advance(head.seq, entry.seq, entry.hash);
        return entry;
      }
      const winner = await this.logs.findBySeq(head.seq + 1);
      if (winner) await this.chain.advance(head.seq, winner.seq, winner.hash);
      // Small random pause so replicas that collided do not collide again in lockstep.
      await sleep(Math.floor(Math.random() * Math.min(50, 2 + attempt * 5)));
    }
    throw new Error(`audit append gave up after ${MAX_ATTEMPTS} contended attempts`);
  }
}
