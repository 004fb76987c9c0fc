import { readFile } from 'node:fs/promises';
import { LIST_KINDS, type ListDocuments, type ListKind } from './list-parsers.js';

export interface ListSource {
  kind: ListKind;
  /** SDN.CSV, SDN_ADVANCED.XML, the UN XML or the address CSV. */
  main: string;
  /** ofac-sdn-csv only: its ALT.CSV. */
  aliases?: string;
}

const FETCH_TIMEOUT_MS = 60_000;
const MAX_BYTES = 200 * 1024 * 1024;

/** `kind:location` (ofac-sdn-csv may add `|ALT.CSV location`), as SANCTIONS_SOURCES lists them. */
export function parseSource(spec: string): ListSource {
  const at = spec.indexOf(':');
  const kind = spec.slice(0, at) as ListKind;
  if (at < 1 || !LIST_KINDS.includes(kind))
    throw new Error(
      `sanctions source "${spec.slice(0, 40)}": kind must be one of ${LIST_KINDS.join(', ')}`,
    );
  const [main, aliases, ...rest] = spec.slice(at + 1).split('|');
  if (!main || rest.length || (aliases !== undefined && kind !== 'ofac-sdn-csv'))
    throw new Error(
      `sanctions source of kind ${kind}: location must be a path or https URL (ofac-sdn-csv may add |ALT.CSV)`,
    );
  return { kind, main, ...(aliases ? { aliases } : {}) };
}

/** A location as stored and answered: no credentials, no query string. */
export function publicLocation(location: string): string {
  try {
    const url = new URL(location);
    if (url.protocol === 'https:' || url.protocol === 'http:')
      return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    /* a file path */
  }
  return location;
}

async function fetchText(location: string): Promise<string> {
  if (/^https?:\/\//.test(location)) {
    if (
      !location.startsWith('https://') &&
      !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(location)
    )
      throw new Error('remote lists are fetched over https only');
    const res = await fetch(location, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`${publicLocation(location)} answered HTTP ${res.status}`);
    const text = await res.text();
    if (text.length > MAX_BYTES) throw new Error('the list is larger than 200 MB');
    return text;
  }
  return readFile(location, 'utf8');
}

export async function fetchDocuments(source: ListSource): Promise<ListDocuments> {
  const [main, aliases] = await Promise.all([
    fetchText(source.main),
    source.aliases ? fetchText(source.aliases) : Promise.resolve(undefined),
  ]);
  return { main, ...(aliases !== undefined ? { aliases } : {}) };
}
