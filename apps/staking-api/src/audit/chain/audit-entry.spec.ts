import { canonicalJson } from './canonical-json.js';
import {
  ChainWalker,
  GENESIS_HASH,
  sealEntry,
  type AuditContent,
  type AuditEntry,
} from './audit-entry.js';

const content = (action: string): AuditContent => ({
  time: '2026-01-01T00:00:00.000Z',
  action,
  resource: null,
  actor: { type: 'user', id: 'u1', username: 'alice', role: 'operator' },
  request_id: 'r1',
  ip: '127.0.0.1',
  user_agent: null,
  params: canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] }),
  result: { status: 'success', error_code: null, http_status: 200 },
});

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = sealEntry(content(`a${i}`), i, prev);
    out.push(e);
    prev = e.hash;
  }
  return out;
}

const walk = (entries: AuditEntry[], anchorSeq = 0, anchorHash = GENESIS_HASH) => {
  const w = new ChainWalker(anchorSeq, anchorHash);
  for (const e of entries) if (!w.push(e)) break;
  return w;
};

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [2, { z: 1, y: 2 }] } })).toBe(
      '{"a":{"c":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('writes bigints as strings and dates as ISO', () => {
    expect(canonicalJson({ n: 10n, t: new Date(0) })).toBe(
      '{"n":"10","t":"1970-01-01T00:00:00.000Z"}',
    );
  });
});

describe('hash chain', () => {
  it('an intact chain verifies from genesis', () => {
    const w = walk(chain(5));
    expect(w.broken).toBeUndefined();
    expect(w.checked).toBe(5);
    expect(w.lastSeq).toBe(5);
  });

  it('the hash does not depend on key order of the stored content', () => {
    const [e] = chain(1);
    const reordered = JSON.parse(
      JSON.stringify({
        ...e,
        actor: { role: 'operator', username: 'alice', id: 'u1', type: 'user' },
      }),
    );
    expect(walk([reordered]).broken).toBeUndefined();
  });

  it('an edited entry is a hash mismatch at its seq', () => {
    const entries = chain(4);
    entries[2] = { ...entries[2]!, action: 'forged' };
    expect(walk(entries).broken).toMatchObject({ seq: 3, reason: 'hash_mismatch' });
  });

  it('an edited and re-hashed entry breaks the link to the next one', () => {
    const entries = chain(4);
    const forged = sealEntry({ ...entries[1]!, action: 'forged' }, 2, entries[0]!.hash);
    entries[1] = forged;
    expect(walk(entries).broken).toMatchObject({ seq: 3, reason: 'prev_hash_mismatch' });
  });

  it('a removed entry shows as missing', () => {
    const entries = chain(4);
    entries.splice(1, 1);
    expect(walk(entries).broken).toMatchObject({ seq: 2, reason: 'missing' });
  });

  it('verifies from an anchor after a prefix was archived', () => {
    const entries = chain(6);
    const w = walk(entries.slice(3), 3, entries[2]!.hash);
    expect(w.broken).toBeUndefined();
    expect(walk(entries.slice(3), 3, GENESIS_HASH).broken).toMatchObject({
      seq: 4,
      reason: 'prev_hash_mismatch',
    });
  });
});
