import { MASK } from '@app/common';
import { maskAuditParams } from './audit-masking.js';

const POLICY_FIELDS = ['password', 'key', 'mnemonic', 'seed', 'signature'];

describe('maskAuditParams', () => {
  it('masks sensitive field names at any depth, case-insensitively', () => {
    const masked = maskAuditParams(
      {
        body: { Password: 'p1', nested: [{ private_key: 'k', ok: 1 }], key: 'x' },
        query: { SEED: 's' },
      },
      POLICY_FIELDS,
      'tsk_',
    );
    expect(masked).toEqual({
      body: { Password: MASK, nested: [{ private_key: MASK, ok: 1 }], key: MASK },
      query: { SEED: MASK },
    });
  });

  it('masks values that look like tokens or our API keys under any name', () => {
    const masked = maskAuditParams(
      {
        note: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
        other: 'Bearer abc',
        svc: 'tsk_abcdef',
        plain: 'hello',
      },
      POLICY_FIELDS,
      'tsk_',
    );
    expect(masked).toEqual({ note: MASK, other: MASK, svc: MASK, plain: 'hello' });
  });

  it('keeps non-secret values and converts bigints', () => {
    expect(
      maskAuditParams(
        { amount: 5n, address: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' },
        POLICY_FIELDS,
        'tsk_',
      ),
    ).toEqual({
      amount: '5',
      address: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy',
    });
  });
});
