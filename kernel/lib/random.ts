// The kernel's one source of random bytes: getrandom(2), /dev/random and
// /dev/urandom, AT_RANDOM in every new program's aux vector and the random
// UUIDs of /proc/sys/kernel/random all draw from here.
//
// Normally the bytes come from the host's cryptographic generator, as a
// kernel's pool is fed by hardware entropy. In deterministic mode (`tsix run
// --deterministic --seed N`) they come from a pseudo-random generator seeded
// with N instead, so that two runs of the same command see the same bytes
// (C84: replay needs every input of the guest to be reproducible). That
// generator is xoshiro128** seeded through splitmix32: small, fast, and its
// whole state is four 32-bit words of plain data, so a snapshot can copy it.
// It is NOT a cryptographic generator; deterministic mode is for teaching,
// testing and replay, never for keys.
//
// Concepts: C84 (deterministic replay: seeded randomness), C05 (AT_RANDOM,
// getrandom: the ABI's randomness).

/** The entropy pool's state: plain data (structuredClone copies it). */
export interface EntropyState {
  /** True: bytes come from the seeded generator below; false: from the host. */
  seeded: boolean;
  /** xoshiro128** state (four unsigned 32-bit words; unused when not seeded). */
  s: [number, number, number, number];
}

/** One splitmix32 step: spreads a small seed over a full 32-bit word. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A pool fed by the host (seed null) or by a seeded generator (deterministic mode). */
export function createEntropy(seed: number | null): EntropyState {
  if (seed === null) return { seeded: false, s: [0, 0, 0, 0] };
  // The seed's low and high 32 bits both count (a seed may be up to 2^53).
  const lo = seed >>> 0, hi = Math.floor(seed / 4294967296) >>> 0;
  let x = lo ^ Math.imul(hi, 0x27d4eb2d);
  const s: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) | 0;
    s[i] = splitmix32(x ^ i);
  }
  // xoshiro's state must not be all zero.
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return { seeded: true, s };
}

/** The next 32-bit output of xoshiro128** (advances the state). */
function next32(e: EntropyState): number {
  const s = e.s;
  const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return r;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Fill `buf` with random bytes from the pool. */
export function randomBytes(e: EntropyState, buf: Uint8Array): void {
  if (!e.seeded) {
    // The host's generator takes at most 64 KiB per call.
    for (let i = 0; i < buf.length; i += 65536) crypto.getRandomValues(buf.subarray(i, Math.min(buf.length, i + 65536)));
    return;
  }
  let i = 0;
  for (; i + 4 <= buf.length; i += 4) {
    const w = next32(e);
    buf[i] = w & 0xff; buf[i + 1] = (w >>> 8) & 0xff; buf[i + 2] = (w >>> 16) & 0xff; buf[i + 3] = w >>> 24;
  }
  if (i < buf.length) {
    let w = next32(e);
    for (; i < buf.length; i++) { buf[i] = w & 0xff; w >>>= 8; }
  }
}
