import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const LIST_KINDS = ['ofac-sdn-csv', 'ofac-advanced-xml', 'un-xml', 'csv'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** One listed party as the list gives it: its names (primary first) and TRON addresses. */
export interface ListedParty {
  ref: string;
  names: string[];
  addresses: string[];
  label: string;
}

/** The documents of one source: SDN.CSV with its optional ALT.CSV, or a single file. */
export interface ListDocuments {
  main: string;
  aliases?: string;
}

export class ListFormatError extends Error {}

// OFAC writes TRON addresses in the remarks: "Digital Currency Address - TRX T…;".
const TRX_IN_REMARKS = /Digital Currency Address - TRX\s+(T[1-9A-HJ-NP-Za-km-z]{33})/g;
const TRX_FEATURE = 'Digital Currency Address - TRX';
// OFAC's CSV marks an empty field "-0-".
const ofacValue = (v: string | undefined) => (v && v.trim() !== '-0-' ? v.trim() : '');

const DOS_EOF = String.fromCharCode(0x1a);

function csvRows(text: string, what: string): string[][] {
  try {
    // OFAC's files end with a DOS end-of-file character (0x1A) on a line of its own.
    return parseCsv(text.split(DOS_EOF).join(''), {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    throw new ListFormatError(`${what} is not valid CSV: ${(error as Error).message}`);
  }
}

/** SDN.CSV (ent_num, SDN_Name, SDN_Type, Program, …, Remarks) and ALT.CSV (ent_num, alt_num, alt_type, alt_name, …). */
function parseOfacSdnCsv(docs: ListDocuments): ListedParty[] {
  const parties = new Map<string, ListedParty>();
  for (const row of csvRows(docs.main, 'SDN.CSV')) {
    if (row.length < 12 || !/^\d+$/.test(row[0] ?? ''))
      throw new ListFormatError(
        `SDN.CSV row "${(row[0] ?? '').slice(0, 20)}" does not have the 12 SDN columns`,
      );
    const [ent, name, type, program] = row;
    const remarks = ofacValue(row[11]);
    parties.set(ent!, {
      ref: `SDN-${ent}`,
      names: ofacValue(name) ? [ofacValue(name)] : [],
      addresses: [...remarks.matchAll(TRX_IN_REMARKS)].map((m) => m[1]!),
      label: [ofacValue(type), ofacValue(program)].filter(Boolean).join(' ') || 'OFAC SDN',
    });
  }
  if (docs.aliases)
    for (const row of csvRows(docs.aliases, 'ALT.CSV')) {
      const party = parties.get(row[0] ?? '');
      const alias = ofacValue(row[3]);
      if (party && alias) party.names.push(alias);
    }
  return [...parties.values()];
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  isArray: (name) =>
    [
      'DistinctParty',
      'Profile',
      'Identity',
      'Alias',
      'DocumentedName',
      'DocumentedNamePart',
      'Feature',
      'FeatureVersion',
      'VersionDetail',
      'FeatureType',
      'INDIVIDUAL',
      'ENTITY',
      'INDIVIDUAL_ALIAS',
      'ENTITY_ALIAS',
    ].includes(name),
});

function parseXml(text: string, what: string): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new ListFormatError(
      `${what} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`,
    );
  return xml.parse(text) as Record<string, unknown>;
}

type Node = Record<string, unknown>;
const arr = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v ? [v as Node] : []);
const text = (v: unknown): string =>
  typeof v === 'string'
    ? v.trim()
    : v && typeof v === 'object'
      ? String((v as Node)['#text'] ?? '').trim()
      : '';

/** SDN_ADVANCED.XML: names from each profile's aliases, addresses from the TRX features. */
function parseOfacAdvancedXml(docs: ListDocuments): ListedParty[] {
  const root = parseXml(docs.main, 'SDN_ADVANCED.XML').Sanctions as Node | undefined;
  if (!root?.DistinctParties)
    throw new ListFormatError('SDN_ADVANCED.XML has no Sanctions/DistinctParties');
  const featureTypes = arr(
    (root.ReferenceValueSets as Node | undefined)?.FeatureTypeValues &&
      ((root.ReferenceValueSets as Node).FeatureTypeValues as Node).FeatureType,
  );
  const trxTypes = new Set(
    featureTypes.filter((f) => text(f) === TRX_FEATURE).map((f) => String(f['@ID'])),
  );
  const parties: ListedParty[] = [];
  for (const party of arr((root.DistinctParties as Node).DistinctParty)) {
    for (const profile of arr(party.Profile)) {
      const names: string[] = [];
      for (const identity of arr(profile.Identity))
        for (const alias of arr(identity.Alias)) {
          const primary = alias['@Primary'] === 'true';
          for (const doc of arr(alias.DocumentedName)) {
            const name = arr(doc.DocumentedNamePart)
              .map((p) => text((p.NamePartValue as Node | string | undefined) ?? ''))
              .filter(Boolean)
              .join(' ');
            if (name && primary) names.unshift(name);
            else if (name) names.push(name);
          }
        }
      const addresses = arr(profile.Feature)
        .filter((f) => trxTypes.has(String(f['@FeatureTypeID'])))
        .flatMap((f) => arr(f.FeatureVersion).flatMap((v) => arr(v.VersionDetail).map(text)))
        .filter((a) => /^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(a));
      parties.push({
        ref: `SDN-${String(party['@FixedRef'] ?? profile['@ID'])}`,
        names,
        addresses,
        label: 'OFAC SDN (advanced)',
      });
    }
  }
  return parties;
}

/** The UN Security Council consolidated list: individuals and entities with their aliases. */
function parseUnXml(docs: ListDocuments): ListedParty[] {
  const root = parseXml(docs.main, 'UN consolidated list').CONSOLIDATED_LIST as Node | undefined;
  if (!root || (!root.INDIVIDUALS && !root.ENTITIES))
    throw new ListFormatError('UN list has no CONSOLIDATED_LIST/INDIVIDUALS or ENTITIES');
  const parties: ListedParty[] = [];
  const add = (node: Node, aliasTag: string) => {
    const name = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME']
      .map((k) => text(node[k]))
      .filter(Boolean)
      .join(' ');
    const aliases = arr(node[aliasTag])
      .map((a) => text(a.ALIAS_NAME))
      .filter(Boolean);
    parties.push({
      ref: text(node.REFERENCE_NUMBER) || `UN-${text(node.DATAID)}`,
      names: [name, ...aliases].filter(Boolean),
      addresses: [],
      label: text(node.UN_LIST_TYPE) || 'UN SC',
    });
  };
  for (const i of arr((root.INDIVIDUALS as Node | undefined)?.INDIVIDUAL))
    add(i, 'INDIVIDUAL_ALIAS');
  for (const e of arr((root.ENTITIES as Node | undefined)?.ENTITY)) add(e, 'ENTITY_ALIAS');
  return parties;
}

/** A plain `address,label` list (a header line `address,label` is allowed). */
function parsePlainCsv(docs: ListDocuments): ListedParty[] {
  const rows = csvRows(docs.main, 'address list').filter((r) => r[0]?.toLowerCase() !== 'address');
  return rows.map((row, i) => {
    const address = (row[0] ?? '').trim();
    if (!/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(address))
      throw new ListFormatError(`address list line ${i + 1} is not a TRON address`);
    return {
      ref: `CSV-${i + 1}`,
      names: [],
      addresses: [address],
      label: (row[1] ?? '').trim() || 'blocked address',
    };
  });
}

export function parseList(kind: ListKind, docs: ListDocuments): ListedParty[] {
  switch (kind) {
    case 'ofac-sdn-csv':
      return parseOfacSdnCsv(docs);
    case 'ofac-advanced-xml':
      return parseOfacAdvancedXml(docs);
    case 'un-xml':
      return parseUnXml(docs);
    case 'csv':
      return parsePlainCsv(docs);
  }
}
