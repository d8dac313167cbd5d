// C struct layouts as data, and the one place that turns them into bytes and
// back. A layout names each field's byte offset and C type as the Linux
// riscv64 ABI lays it out (LP64, little-endian, natural alignment); the
// structs themselves are declared beside their constants (abi/time.ts,
// abi/resource.ts, abi/fs.ts ...). Handlers fill a record and pack it, or
// unpack what they copied in, instead of poking offsets into a DataView.
//
// Concepts: C05 (the ABI: the byte layouts programs and the kernel share).
import { getU32, getI32, putU32, getU64, getI64, putU64, putU64Big, getU64Big } from "./le.js";

/** A field's C type: its width, and whether it is signed. 64-bit fields are JavaScript numbers (exact up to 2^53). */
export type FieldType = "u8" | "u16" | "i16" | "u32" | "i32" | "u64" | "i64";

/** A struct: its size in bytes and, for each field, [byte offset, type]. */
export interface Layout<F extends string> {
  readonly size: number;
  readonly fields: { readonly [K in F]: readonly [number, FieldType] };
}

export function layout<F extends string>(size: number, fields: { readonly [K in F]: readonly [number, FieldType] }): Layout<F> {
  for (const name of Object.keys(fields) as F[]) {
    const [off, type] = fields[name];
    if (off < 0 || off + width(type) > size) throw new Error(`layout: field ${name} at ${off} (${type}) outside ${size} bytes`);
  }
  return { size, fields };
}

function width(type: FieldType): number {
  switch (type) {
    case "u8": return 1;
    case "u16": case "i16": return 2;
    case "u32": case "i32": return 4;
    default: return 8;
  }
}

// Fields are read and written byte by byte, little-endian (abi/le.ts): no
// DataView and no BigInt per call (stat, poll and the signal calls pack on
// every call; a DataView each time cost more than the copy).

/**
 * Write the fields of `v` into `into` at `at` (fields left out stay as they
 * are: zero in a fresh buffer, as C's `= {0}`). Returns `into`.
 */
export function pack<F extends string>(l: Layout<F>, v: { readonly [K in F]?: number | bigint }, into: Uint8Array = new Uint8Array(l.size), at = 0): Uint8Array {
  for (const name of Object.keys(v) as F[]) {
    const x = v[name];
    if (x === undefined) continue;
    const [off, type] = l.fields[name];
    const p = at + off;
    switch (type) {
      case "u8": into[p] = Number(x); break;
      case "u16": case "i16": { const n = Number(x); into[p] = n; into[p + 1] = n >>> 8; break; }
      case "u32": case "i32": putU32(into, p, Number(x)); break;
      default: if (typeof x === "bigint") putU64Big(into, p, x); else putU64(into, p, x); break;
    }
  }
  return into;
}

/** Read every field of `l` from `b` at `at`. */
export function unpack<F extends string>(l: Layout<F>, b: Uint8Array, at = 0): { [K in F]: number } {
  const out = {} as { [K in F]: number };
  for (const name of Object.keys(l.fields) as F[]) {
    const [off, type] = l.fields[name];
    const p = at + off;
    switch (type) {
      case "u8": out[name] = b[p]; break;
      case "u16": out[name] = b[p] | (b[p + 1] << 8); break;
      case "i16": out[name] = ((b[p] | (b[p + 1] << 8)) << 16) >> 16; break;
      case "u32": out[name] = getU32(b, p); break;
      case "i32": out[name] = getI32(b, p); break;
      case "u64": out[name] = getU64(b, p); break;
      default: out[name] = getI64(b, p); break;
    }
  }
  return out;
}

/** One 64-bit field as a BigInt (masks and other values that need all 64 bits). */
export function unpackBig<F extends string>(l: Layout<F>, b: Uint8Array, field: F, at = 0): bigint {
  const [off, type] = l.fields[field];
  const p = at + off;
  const u = getU64Big(b, p);
  return type === "i64" ? BigInt.asIntN(64, u) : u;
}
