/** Minimal protobuf wire-format reader/writer for the few messages the devnet hashes itself. */

export interface ProtoField {
  no: number;
  wire: number;
  int?: bigint;
  bytes?: Uint8Array;
}

export function readFields(buf: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) fields.push({ no, wire, int: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw new Error('truncated field');
      fields.push({ no, wire, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return fields;
}

/** int64 field value as a JS number (two's complement like Java's long). */
export function int64(fields: ProtoField[], no: number): number {
  let v = 0n;
  for (const f of fields) if (f.no === no && f.int !== undefined) v = f.int;
  return Number(BigInt.asIntN(64, v));
}

export function bool(fields: ProtoField[], no: number): boolean {
  return int64(fields, no) !== 0;
}

export function bytesHex(fields: ProtoField[], no: number): string {
  let hex = '';
  for (const f of fields) if (f.no === no && f.bytes) hex = Buffer.from(f.bytes).toString('hex');
  return hex;
}

export function repeated(fields: ProtoField[], no: number): Uint8Array[] {
  return fields.filter((f) => f.no === no && f.bytes).map((f) => f.bytes as Uint8Array);
}

export class ProtoWriter {
  private parts: number[] = [];

  private varint(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      this.parts.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.parts.push(Number(x));
  }

  int(no: number, v: number | bigint): this {
    if (BigInt(v) === 0n) return this;
    this.varint(BigInt((no << 3) | 0));
    this.varint(BigInt(v));
    return this;
  }

  bytes(no: number, data: Uint8Array): this {
    if (data.length === 0) return this;
    this.varint(BigInt((no << 3) | 2));
    this.varint(BigInt(data.length));
    for (const b of data) this.parts.push(b);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}
