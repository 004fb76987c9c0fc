import { canonicalJson, idempotencyRequestHash, idempotencyScope } from './request-hash.js';

const base = {
  method: 'POST',
  path: '/api/v1/operations/op-1/signature',
  scope: 'user:u-1',
  body: { signature: ['ab'], note: 'x' },
};

describe('idempotencyRequestHash', () => {
  it('is a stable hex SHA-256', () => {
    expect(idempotencyRequestHash(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyRequestHash({ ...base })).toBe(idempotencyRequestHash(base));
  });

  it('differs when the ids in the path differ', () => {
    expect(idempotencyRequestHash({ ...base, path: '/api/v1/operations/op-2/signature' })).not.toBe(
      idempotencyRequestHash(base),
    );
    expect(idempotencyRequestHash({ ...base, path: `${base.path}?x=1` })).not.toBe(
      idempotencyRequestHash(base),
    );
  });

  it('does not depend on key order in the body', () => {
    const reordered = { ...base, body: { note: 'x', signature: ['ab'] } };
    expect(idempotencyRequestHash(reordered)).toBe(idempotencyRequestHash(base));
  });

  it('differs for another caller, method or body', () => {
    const hash = idempotencyRequestHash(base);
    expect(idempotencyRequestHash({ ...base, scope: 'api_key:u-1' })).not.toBe(hash);
    expect(idempotencyRequestHash({ ...base, scope: 'user:u-2' })).not.toBe(hash);
    expect(idempotencyRequestHash({ ...base, method: 'PATCH' })).not.toBe(hash);
    expect(idempotencyRequestHash({ ...base, body: { ...base.body, note: 'y' } })).not.toBe(hash);
  });

  it('cannot be made to collide by moving text between the parts', () => {
    const a = idempotencyRequestHash({ ...base, path: '/a', scope: 'user:1', body: null });
    const b = idempotencyRequestHash({ ...base, path: '/a user:1', scope: '', body: null });
    const c = idempotencyRequestHash({ ...base, path: '/a\nnull', scope: 'user:1', body: {} });
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('treats a missing body as null', () => {
    expect(idempotencyRequestHash({ ...base, body: undefined })).toBe(
      idempotencyRequestHash({ ...base, body: null }),
    );
  });
});

describe('idempotencyScope', () => {
  it('is kind:id of the caller, or anonymous', () => {
    expect(idempotencyScope({ kind: 'api_key', id: 'k1' })).toBe('api_key:k1');
    expect(idempotencyScope(undefined)).toBe('anonymous');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 'x' }] })).toBe(
      '{"a":[2,{"c":"x","d":1}],"b":1}',
    );
  });
});
