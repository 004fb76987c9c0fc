import type { AuditEntry } from './chain/audit-entry.js';

const CSV_COLUMNS = [
  'seq',
  'time',
  'action',
  'resource',
  'actor_type',
  'actor_id',
  'actor_username',
  'actor_role',
  'request_id',
  'ip',
  'user_agent',
  'result_status',
  'error_code',
  'http_status',
  'params',
  'prev_hash',
  'hash',
] as const;

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs a cell as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(e: AuditEntry): string {
  const row = [
    e.seq,
    e.time,
    e.action,
    e.resource,
    e.actor.type,
    e.actor.id,
    e.actor.username,
    e.actor.role,
    e.request_id,
    e.ip,
    e.user_agent,
    e.result.status,
    e.result.error_code,
    e.result.http_status,
    e.params,
    e.prev_hash,
    e.hash,
  ];
  return row.map(csvCell).join(',');
}

/** Lines of the export, produced as entries are read (JSONL lines are the entries as hashed). */
export async function* exportLines(
  entries: AsyncIterable<AuditEntry>,
  format: 'csv' | 'jsonl',
): AsyncGenerator<string> {
  if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\n`;
  for await (const e of entries)
    yield format === 'csv' ? `${csvRow(e)}\n` : `${JSON.stringify(e)}\n`;
}
