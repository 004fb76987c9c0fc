import { ErrorCode, StakingException } from '@app/common';
import { toBase58Address } from '@app/tron';
import { Injectable } from '@nestjs/common';
import { parse as parseCsv } from 'csv-parse/sync';
import { createHash, randomUUID } from 'node:crypto';
import { ComplianceSettings } from '../compliance-settings.js';
import type { NameHit } from '../kyc/kyc-profiles.repository.js';
import { SanctionsRefreshService } from '../sanctions/sanctions-refresh.service.js';
import {
  ScreeningListsRepository,
  type ScreeningEntry,
} from '../sanctions/screening-lists.repository.js';
import { nameSimilarity, nameTokens } from './name-match.js';

export const PEP_LIST = 'pep';

interface NameIndex {
  key: string;
  entries: (ScreeningEntry & { tokens: string[] })[];
}

/**
 * Screening of addresses (equality on the indexed address: the write path) and names (fuzzy,
 * against every listed name and alias, off the write path: the index is rebuilt in memory when a
 * list version changes, so replicas agree without sharing memory).
 */
@Injectable()
export class ScreeningService {
  private index: NameIndex | undefined;
  private readonly threshold: number;

  constructor(
    private readonly lists: ScreeningListsRepository,
    private readonly refresh: SanctionsRefreshService,
    settings: ComplianceSettings,
  ) {
    this.threshold = settings.policy.aml_kyc.sanctions.name_match_threshold;
  }

  async screenAddress(address: string): Promise<ScreeningEntry[]> {
    return this.lists.byAddress(toBase58Address(address));
  }

  async screenName(name: string): Promise<{ sanctions: NameHit[]; pep: NameHit[] }> {
    const index = await this.nameIndex();
    const tokens = nameTokens(name);
    const best = new Map<string, NameHit>();
    if (tokens.length)
      for (const entry of index.entries) {
        const similarity = nameSimilarity(name, entry.name!);
        if (similarity < this.threshold) continue;
        const key = `${entry.list}:${entry.ref}`;
        const hit: NameHit = {
          list: entry.list,
          ref: entry.ref,
          name: entry.party ?? entry.name!,
          matched: entry.name!,
          similarity: Math.round(similarity * 1000) / 1000,
        };
        if ((best.get(key)?.similarity ?? 0) < hit.similarity) best.set(key, hit);
      }
    const hits = [...best.values()].sort((a, b) => b.similarity - a.similarity);
    return {
      sanctions: hits.filter((h) => h.list !== PEP_LIST),
      pep: hits.filter((h) => h.list === PEP_LIST),
    };
  }

  /**
   * Replaces the PEP list with the CSV (header `name,country,position,aliases`, aliases split by
   * `|`), as a new version like a sanctions load.
   */
  async importPep(
    csv: string,
    now: Date = new Date(),
  ): Promise<{ load_id: string; entries: number; parties: number }> {
    let rows: Record<string, string>[];
    try {
      rows = parseCsv(csv, {
        columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
      });
    } catch (error) {
      throw new StakingException(
        ErrorCode.INVALID_PEP_IMPORT,
        `The PEP CSV is not valid CSV: ${(error as Error).message}`.slice(0, 300),
      );
    }
    if (!rows.length || !rows.every((r) => typeof r.name === 'string' && r.name.trim()))
      throw new StakingException(ErrorCode.INVALID_PEP_IMPORT, undefined, { rows: rows.length });
    const version = `load_${randomUUID()}`;
    const entries: ScreeningEntry[] = rows.flatMap((row, i) => {
      const names = [row.name!, ...(row.aliases ?? '').split('|').map((a) => a.trim())].filter(
        Boolean,
      );
      const label = ['PEP', row.position].filter(Boolean).join(': ');
      return names.map((name) => ({
        list: PEP_LIST,
        version,
        kind: 'name' as const,
        name,
        ref: `PEP-${i + 1}`,
        label,
        party: row.name!,
        ...(row.country ? { country: row.country.toUpperCase() } : {}),
      }));
    });
    const previous = await this.lists.active(PEP_LIST);
    const checksum = createHash('sha256').update(csv).digest('hex');
    await this.lists.insertEntries(entries);
    await this.lists.recordLoad({
      load_id: version,
      list: PEP_LIST,
      kind: 'pep-csv',
      location: 'POST /api/v1/compliance/pep/import',
      fetched_at: now,
      status: 'active',
      parties: rows.length,
      entries: entries.length,
      checksum,
      trigger: 'import',
    });
    await this.lists.activate(
      { list: PEP_LIST, version, entries: entries.length, checksum, activated_at: now },
      previous,
    );
    return { load_id: version, entries: entries.length, parties: rows.length };
  }

  /** The lists in force, for the name index key and the lists view. */
  async activeLists() {
    const names = [...this.refresh.sources.map((s) => this.refresh.listName(s)), PEP_LIST];
    const found = await Promise.all(
      names.map(async (list) => ({ list, active: await this.lists.active(list) })),
    );
    return found;
  }

  private async nameIndex(): Promise<NameIndex> {
    const key = (await this.activeLists())
      .map((l) => `${l.list}=${l.active?.version ?? '-'}`)
      .join(',');
    if (this.index?.key === key) return this.index;
    const entries = (await this.lists.names())
      .filter((e) => e.name)
      .map((e) => ({ ...e, tokens: nameTokens(e.name!) }));
    this.index = { key, entries };
    return this.index;
  }
}
