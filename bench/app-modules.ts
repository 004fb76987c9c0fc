import { pathToFileURL } from 'node:url';
import type { Connection, Model, Schema } from 'mongoose';

/**
 * The built app's own schemas and audit sealing, loaded from dist at run time: seeded documents
 * are validated by the very schemas the API uses, and audit entries are sealed by its code.
 * (Loaded, not imported: the bench compiles on its own, without the app's path aliases.)
 */
export interface AppModules {
  StakingRecordSchema: Schema;
  OperationSchema: Schema;
  AuditLogSchema: Schema;
  AuditChainHeadSchema: Schema;
  StakingCounterSchema: Schema;
  GENESIS_HASH: string;
  AUDIT_PAGE_SIZE: number;
  /** What a record adds to the maintained counters (record-bookkeeping.ts). */
  counterDelta(before: null, after: Record<string, unknown>): Record<string, number>;
  /** The due bucket a record is filed under, if any (record-bookkeeping.ts). */
  dueKey(record: Record<string, unknown>): string | undefined;
  sealEntry(content: AuditContent, seq: number, prevHash: string): AuditEntry;
  canonicalJson(value: unknown): string;
}

/** As apps/staking-api/src/audit/chain/audit-entry.ts. */
export interface AuditContent {
  time: string;
  action: string;
  resource: string | null;
  actor: { type: string; id: string | null; username: string | null; role: string | null };
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  params: string | null;
  result: { status: string; error_code: string | null; http_status: number | null };
}

export interface AuditEntry extends AuditContent {
  seq: number;
  prev_hash: string;
  hash: string;
}

export async function loadAppModules(root: string): Promise<AppModules> {
  const load = async (path: string) =>
    (await import(pathToFileURL(`${root}/dist/apps/staking-api/src/${path}`).href)) as Record<
      string,
      unknown
    >;
  const [records, operations, audit, entry, canonical, counters, bookkeeping, auditRepo] =
    await Promise.all([
      load('staking/staking-record.schema.js'),
      load('operations/operation.schema.js'),
      load('audit/audit-log.schema.js'),
      load('audit/chain/audit-entry.js'),
      load('audit/chain/canonical-json.js'),
      load('staking/staking-counters.schema.js'),
      load('staking/record-bookkeeping.js'),
      load('audit/audit-logs.repository.js'),
    ]);
  return {
    StakingRecordSchema: records.StakingRecordSchema as Schema,
    OperationSchema: operations.OperationSchema as Schema,
    AuditLogSchema: audit.AuditLogSchema as Schema,
    AuditChainHeadSchema: audit.AuditChainHeadSchema as Schema,
    StakingCounterSchema: counters.StakingCounterSchema as Schema,
    GENESIS_HASH: entry.GENESIS_HASH as string,
    AUDIT_PAGE_SIZE: auditRepo.AUDIT_PAGE_SIZE as number,
    counterDelta: bookkeeping.counterDelta as AppModules['counterDelta'],
    dueKey: bookkeeping.dueKey as AppModules['dueKey'],
    sealEntry: entry.sealEntry as AppModules['sealEntry'],
    canonicalJson: canonical.canonicalJson as AppModules['canonicalJson'],
  };
}

export interface BenchModels {
  records: Model<Record<string, unknown>>;
  operations: Model<Record<string, unknown>>;
  auditLogs: Model<Record<string, unknown>>;
  chainHead: Model<Record<string, unknown>>;
  counters: Model<Record<string, unknown>>;
}

/** Models on the bench's own connection, built from the app's schemas (once per connection). */
export function benchModels(conn: Connection, app: AppModules): BenchModels {
  const model = (name: string, schema: Schema) =>
    (conn.models[name] as Model<Record<string, unknown>> | undefined) ??
    conn.model<Record<string, unknown>>(name, schema);
  return {
    records: model('BenchStakingRecord', app.StakingRecordSchema),
    operations: model('BenchOperation', app.OperationSchema),
    auditLogs: model('BenchAuditLog', app.AuditLogSchema),
    chainHead: model('BenchAuditChainHead', app.AuditChainHeadSchema),
    counters: model('BenchStakingCounter', app.StakingCounterSchema),
  };
}
