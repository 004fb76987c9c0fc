import { isTrxAmount, sunToTrx, sunToTrxString, trxToSun } from './sun.js';

describe('TRX ↔ SUN', () => {
  it('parses decimal strings and numbers exactly', () => {
    expect(trxToSun('1')).toBe(1_000_000n);
    expect(trxToSun('0.000001')).toBe(1n);
    expect(trxToSun(1.5)).toBe(1_500_000n);
    expect(trxToSun('10000000.123456')).toBe(10_000_000_123_456n);
    expect(trxToSun(0.1 + 0.2 - 0.3 + 0.3)).toBe(300_000n);
  });

  it('refuses more than 6 decimals, negatives, exponents and junk', () => {
    for (const bad of ['1.0000001', '-1', '1e3', 'abc', '', '01', ' 1 1']) {
      expect(() => trxToSun(bad), bad).toThrow(RangeError);
    }
    expect(isTrxAmount(0.0000001)).toBe(false);
    expect(isTrxAmount(Number.NaN)).toBe(false);
    expect(isTrxAmount(true)).toBe(false);
  });

  it('formats SUN back to TRX at the edge', () => {
    expect(sunToTrxString(1_500_000n)).toBe('1.5');
    expect(sunToTrxString(1n)).toBe('0.000001');
    expect(sunToTrxString(-2_000_000n)).toBe('-2');
    expect(sunToTrx(123_456_789n)).toBe(123.456789);
  });
});
