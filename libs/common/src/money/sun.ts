/** Integer SUN (1 TRX = 1,000,000 SUN). Money never touches floating point inside the service. */
export type Sun = bigint;

export const SUN_PER_TRX = 1_000_000n;
const TRX_DECIMAL = /^(0|[1-9]\d{0,15})(?:\.(\d{1,6}))?$/;

/** Parses a TRX amount given as a decimal string or number (at most 6 decimals) into SUN. */
export function trxToSun(value: string | number): Sun {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = TRX_DECIMAL.exec(text);
  if (!match) throw new RangeError(`not a TRX amount with at most 6 decimals: ${text}`);
  const fraction = (match[2] ?? '').padEnd(6, '0');
  return BigInt(match[1]!) * SUN_PER_TRX + BigInt(fraction);
}

/** True when the value is a non-negative TRX amount with at most 6 decimals. */
export function isTrxAmount(value: unknown): boolean {
  if (typeof value !== 'number' && typeof value !== 'string') return false;
  if (typeof value === 'number' && !Number.isFinite(value)) return false;
  try {
    trxToSun(value);
    return true;
  } catch {
    return false;
  }
}

/** Exact decimal TRX string, e.g. 1500000n → "1.5". */
export function sunToTrxString(sun: Sun): string {
  const negative = sun < 0n;
  const abs = negative ? -sun : sun;
  const whole = abs / SUN_PER_TRX;
  const fraction = (abs % SUN_PER_TRX).toString().padStart(6, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** TRX as a JSON number for the wire (the seeds' schemas use numbers), rounded only at the edge. */
export function sunToTrx(sun: Sun): number {
  return Number(sunToTrxString(sun));
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value) || value < 0) return String(value);
  // toFixed avoids exponent notation; 7 digits then trimmed shows any 7th decimal as invalid.
  const fixed = value.toFixed(7).replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}
