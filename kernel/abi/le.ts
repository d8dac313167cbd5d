// Little-endian scalars in byte buffers: the one set of helpers for the
// Linux riscv64 byte order, used for plain scalars and scalar arrays (gid_t
// lists, the affinity mask, argv pointers, auxv words, saved registers) and
// by abi/layout.ts for struct fields. Bytes are read and written one by one:
// no DataView and no BigInt per call (a DataView per syscall cost more than
// the copy), and numbers are exact up to 2^53, which pointers and sizes are.
// It sits in abi/ (the lowest kernel layer) so that layout.ts can use it too.
//
// Concepts: C05 (the ABI: the byte layouts programs and the kernel share).

const TWO32 = 4294967296;

export function getU32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

export function getI32(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

/** Store the low 32 bits of `v` (signed or unsigned: the same bytes). */
export function putU32(b: Uint8Array, p: number, v: number): void {
  b[p] = v; b[p + 1] = v >>> 8; b[p + 2] = v >>> 16; b[p + 3] = v >>> 24;
}

/** An unsigned 64-bit value as a number (exact below 2^53). */
export function getU64(b: Uint8Array, p: number): number {
  return getU32(b, p + 4) * TWO32 + getU32(b, p);
}

/** A signed 64-bit value as a number (exact within ±2^53). */
export function getI64(b: Uint8Array, p: number): number {
  return getI32(b, p + 4) * TWO32 + getU32(b, p);
}

/** Store a number in -2^63..2^64 as 64 bits (negative values in two's complement). */
export function putU64(b: Uint8Array, p: number, x: number): void {
  const v = Math.trunc(x);
  const hi = Math.floor(v / TWO32); // negative values: the two's-complement high word
  putU32(b, p, v - hi * TWO32);
  putU32(b, p + 4, hi);
}

/** Store all 64 bits of a BigInt (masks and other values past 2^53). */
export function putU64Big(b: Uint8Array, p: number, x: bigint): void {
  const u = BigInt.asUintN(64, x);
  putU32(b, p, Number(u & 0xffffffffn));
  putU32(b, p + 4, Number(u >> 32n));
}

/** All 64 bits as a BigInt, unsigned. */
export function getU64Big(b: Uint8Array, p: number): bigint {
  return (BigInt(getU32(b, p + 4)) << 32n) | BigInt(getU32(b, p));
}

/**
 * Copy `n` 64-bit words from `src` at `sp` to `dst` at `dp`, bit for bit
 * (saved registers: raw 64-bit patterns a number could not hold exactly).
 */
export function copyWords(dst: Uint8Array, dp: number, src: Uint8Array, sp: number, n: number): void {
  for (let i = 0; i < n * 8; i++) dst[dp + i] = src[sp + i];
}
