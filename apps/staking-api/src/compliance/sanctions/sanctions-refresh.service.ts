import { AppConfigService } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { ComplianceSettings } from '../compliance-settings.js';
import { IncidentsService } from '../incidents/incidents.service.js';
import { ListFormatError, parseList, type ListedParty } from './list-parsers.js';
import { fetchDocuments, parseSource, publicLocation, type ListSource } from './list-sources.js';
import { ScreeningListsRepository, type ScreeningEntry } from './screening-lists.repository.js';

export interface RefreshResult {
  list: string;
  status: 'active' | 'unchanged' | 'rejected';
  load_id: string;
  entries: number;
  previous_entries?: number;
  checksum?: string;
  reason?: string;
  incident_id?: string;
}

/** Every address and name of a party as screening entries of one version. */
export function entriesOf(list: string, version: string, parties: ListedParty[]): ScreeningEntry[] {
  return parties.flatMap((p) => [
    ...p.addresses.map((address) => ({
      list,
      version,
      kind: 'address' as const,
      address,
      ref: p.ref,
      label: p.label,
      ...(p.names[0] ? { party: p.names[0] } : {}),
    })),
    ...p.names.map((name) => ({
      list,
      version,
      kind: 'name' as const,
      name,
      ref: p.ref,
      label: p.label,
      party: p.names[0],
    })),
  ]);
}

/**
 * Loads the configured sanctions lists. Each load is versioned (list, fetched_at, entries,
 * checksum); a load that fails, is malformed or is much smaller than the list in force is
 * refused: the previous version stays and a list_refresh_failure incident opens.
 */
@Injectable()
export class SanctionsRefreshService {
  private readonly logger = new Logger('SanctionsRefresh');
  readonly sources: ListSource[];

  constructor(
    config: AppConfigService,
    private readonly repo: ScreeningListsRepository,
    private readonly incidents: IncidentsService,
    private readonly settings: ComplianceSettings,
  ) {
    this.sources = config.get('SANCTIONS_SOURCES').map(parseSource);
  }

  /** The list name of a source: its kind, numbered when a kind is configured twice. */
  listName(source: ListSource): string {
    const same = this.sources.filter((s) => s.kind === source.kind);
    return same.length > 1 ? `${source.kind}#${same.indexOf(source) + 1}` : source.kind;
  }

  async refreshAll(trigger: string, now: Date = new Date()): Promise<RefreshResult[]> {
    const results: RefreshResult[] = [];
    for (const source of this.sources) results.push(await this.refresh(source, trigger, now));
    return results;
  }

  async refresh(source: ListSource, trigger: string, now: Date): Promise<RefreshResult> {
    const list = this.listName(source);
    const loadId = `load_${randomUUID()}`;
    const previous = await this.repo.active(list);
    const base = {
      load_id: loadId,
      list,
      kind: source.kind,
      location: publicLocation(source.main),
      fetched_at: now,
      trigger,
    };
    let entries: ScreeningEntry[];
    let parties: ListedParty[];
    let checksum: string;
    try {
      const docs = await fetchDocuments(source);
      checksum = createHash('sha256')
        .update(docs.main)
        .update(docs.aliases ?? '')
        .digest('hex');
      parties = parseList(source.kind, docs);
      entries = entriesOf(list, loadId, parties);
    } catch (error) {
      const reason =
        error instanceof ListFormatError
          ? `malformed: ${error.message}`
          : `not loaded: ${(error as Error).message}`;
      return this.reject(base, previous?.entries, reason);
    }
    const ratio = this.settings.policy.aml_kyc.sanctions.min_refresh_ratio;
    if (!entries.length || (previous && entries.length < previous.entries * ratio))
      return this.reject(
        { ...base, checksum },
        previous?.entries,
        `${entries.length} entries where ${previous?.entries ?? 0} are in force (at least ${Math.round(ratio * 100)} % are expected): a truncated or partial list`,
      );
    if (previous?.checksum === checksum) {
      await this.repo.recordLoad({
        ...base,
        status: 'unchanged',
        parties: parties.length,
        entries: entries.length,
        checksum,
      });
      return {
        list,
        status: 'unchanged',
        load_id: loadId,
        entries: entries.length,
        previous_entries: previous.entries,
        checksum,
      };
    }
    await this.repo.insertEntries(entries);
    await this.repo.recordLoad({
      ...base,
      status: 'active',
      parties: parties.length,
      entries: entries.length,
      checksum,
    });
    await this.repo.activate(
      { list, version: loadId, entries: entries.length, checksum, activated_at: now },
      previous,
    );
    this.logger.log(
      { list, entries: entries.length, previous: previous?.entries ?? 0 },
      'Sanctions list loaded',
    );
    return {
      list,
      status: 'active',
      load_id: loadId,
      entries: entries.length,
      ...(previous ? { previous_entries: previous.entries } : {}),
      checksum,
    };
  }

  private async reject(
    load: {
      load_id: string;
      list: string;
      kind: string;
      location: string;
      fetched_at: Date;
      trigger: string;
      checksum?: string;
    },
    previousEntries: number | undefined,
    reason: string,
  ): Promise<RefreshResult> {
    await this.repo.recordLoad({ ...load, status: 'rejected', parties: 0, entries: 0, reason });
    this.logger.warn(
      { list: load.list, reason },
      'Sanctions list refresh refused; the previous list stays in force',
    );
    const incident = await this.incidents.open({
      type: 'list_refresh_failure',
      summary: `Sanctions list ${load.list} was not refreshed: ${reason}`.slice(0, 300),
      subject: load.list,
      details: {
        load_id: load.load_id,
        location: load.location,
        reason,
        entries_in_force: previousEntries ?? 0,
      },
      dedupeKey: `${load.list}:${load.load_id}`,
    });
    return {
      list: load.list,
      status: 'rejected',
      load_id: load.load_id,
      entries: 0,
      ...(previousEntries !== undefined ? { previous_entries: previousEntries } : {}),
      reason,
      ...(incident ? { incident_id: incident.id } : {}),
    };
  }
}
