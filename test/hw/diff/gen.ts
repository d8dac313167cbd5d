// Random instruction sequences for the differential CPU test (diff.test.ts).
//
// A Seq is an initial state (x1..x31, f0..f31, fcsr, the 4 KiB data area)
// and a list of items; an item is one instruction or a short group that must
// stay together (address set-up + access, LR ... SC, c.addi16sp pairs).
// Branches and jumps only go forward, to the label before a later item or to
// the end, so every sequence terminates. Programs render many sequences into
// one assembly file that includes harness.S (see there for the layout).
//
// Register conventions inside a sequence:
//   x8 (s0)  = DIFF_AREA + 2048, never written (base of loads/stores);
//   x2 (sp)  = DIFF_AREA + 1024, only moved by balanced c.addi16sp pairs;
//   every other x register and all f registers are free. Addresses for
//   AMOs, jalr targets, etc. are made in a random register just before use.
// The data area: random stores go below STORE_LIMIT; above it most FP
// instructions log fflags (read and usually cleared), so a wrong flag is not
// hidden by the same flag accrued elsewhere. x8 sits on a page boundary, and
// misaligned accesses often straddle it.
//
// Values are biased to edge cases: integer extremes and conversion
// boundaries; FP zeros, infinities, NaNs (quiet, signalling, badly boxed
// singles), subnormals, values near overflow/underflow and integer limits,
// short significands (exact results, rounding ties). FP "idioms" build the
// cases random operands rarely hit (+0/-0 into min/max, fma of a product's
// rounding error, values a ulp around rounding boundaries).
//
// Area "enc" makes encoding probes instead: words derived from valid
// encodings with randomised funct/rm/fmt/rs2 fields (see Gen.probe).

/** Where diff.ld puts the data area; the harness result area follows it. */
export const DIFF_AREA = 0x800ff800n;
const S0_VAL = DIFF_AREA + 2048n;
const SP_VAL = DIFF_AREA + 1024n;
const M64 = (1n << 64n) - 1n;

export type Area = "int" | "amo" | "rvc" | "f" | "d" | "mix" | "enc";
export const AREAS: readonly Area[] = ["int", "amo", "rvc", "f", "d", "mix", "enc"];

export interface Item {
  /** Assembly lines; "@T" stands for the label of the branch/jump target. */
  lines: string[];
  /** Target position (index of a later item, or items.length for the end). */
  target?: number;
}

export interface Seq {
  area: Area;
  /** Identifies the sequence for reproduction: seed, area, program, index. */
  id: string;
  x: bigint[];      // 32 entries, x[0] unused
  f: bigint[];      // 32 raw 64-bit patterns
  fcsr: number;     // frm << 5 | fflags
  image: bigint[];  // 512 dwords: the initial data area
  items: Item[];
}

// ---- PRNG (sfc32; deterministic, seeded by a string) -------------------------
export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: string) {
    // FNV-1a over the seed string, four lanes.
    const h = (salt: number): number => {
      let x = (0x811c9dc5 ^ salt) >>> 0;
      for (let i = 0; i < seed.length; i++) x = Math.imul(x ^ seed.charCodeAt(i), 0x01000193) >>> 0;
      return x;
    };
    this.a = h(1); this.b = h(2); this.c = h(3); this.d = h(4);
    for (let i = 0; i < 16; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number { return lo + Math.floor((this.u32() / 4294967296) * (hi - lo + 1)); }
  chance(p: number): boolean { return this.u32() / 4294967296 < p; }
  pick<T>(a: readonly T[]): T { return a[this.int(0, a.length - 1)]; }
  u64(): bigint { return (BigInt(this.u32()) << 32n) | BigInt(this.u32()); }
  /** Pick by weight from [weight, value] pairs. */
  weighted<T>(pairs: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of pairs) total += w;
    let r = (this.u32() / 4294967296) * total;
    for (const [w, v] of pairs) { if (r < w) return v; r -= w; }
    return pairs[pairs.length - 1][1];
  }
}

// ---- Initial values ------------------------------------------------------------
const u = (v: bigint): bigint => v & M64;
const hex64 = (v: bigint): string => "0x" + v.toString(16).padStart(16, "0");
const sext32 = (v: bigint): bigint => u(BigInt.asIntN(32, v));

function f64bits(x: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return dv.getBigUint64(0);
}
function f32bits(x: number): bigint {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, x);
  return BigInt(dv.getUint32(0));
}

const INT_EDGES: bigint[] = [
  0n, 1n, 2n, 3n, 7n, 31n, 32n, 33n, 63n, 64n, 0x7ffn, 0x800n, 0xfffn, 0x1000n,
  u(-1n), u(-2n), u(-2048n), u(-2049n),
  0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0xffffffff80000000n, 0xffffffff7fffffffn,
  0x00000000fffffffen, 0xffffffff00000000n, 0x0000000080000001n,
  1n << 53n, (1n << 53n) + 1n, (1n << 24n) + 1n, (1n << 63n) - 1024n, (1n << 63n) - 1023n,
  0x5555555555555555n, 0xaaaaaaaaaaaaaaaan, 0x0123456789abcdefn, 0xfedcba9876543210n,
];

export function randInt(r: Rng): bigint {
  switch (r.int(0, 8)) {
    case 0: case 1: return r.pick(INT_EDGES);
    case 2: return u(BigInt(r.int(-100, 100)));
    case 3: { const p = 1n << BigInt(r.int(0, 63)); return r.chance(0.5) ? p : u(-p); }
    case 4: return sext32(BigInt(r.u32()));
    case 5: return BigInt(r.u32());
    case 6: { const p = 1n << BigInt(r.int(1, 63)); return u(p + BigInt(r.int(-3, 3))); }
    case 7: { // n significant bits, n around the float/double precision: rounding ties in fcvt
      const bl = r.int(20, 64);
      let v = (r.u64() & ((1n << BigInt(bl)) - 1n)) | (1n << BigInt(bl - 1));
      const keep = r.pick([24, 25, 26, 53, 54, 55]);
      if (bl > keep) v = (v >> BigInt(bl - keep)) << BigInt(bl - keep);
      return r.chance(0.3) ? u(-v) : v;
    }
    default: return r.u64();
  }
}

const F64_EDGES: bigint[] = [
  0n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n,
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff0000000000001n, 0x7ff4000000000000n,
  0xfff0000000000001n, 0x7ff8000000000001n, 0x7fffffffffffffffn,
  0x0000000000000001n, 0x8000000000000001n, 0x000fffffffffffffn, 0x800fffffffffffffn,
  0x0010000000000000n, 0x8010000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn,
  0x3ff0000000000000n, 0xbff0000000000000n, 0x3ff0000000000001n, 0x3fefffffffffffffn,
  f64bits(0.5), f64bits(-0.5), f64bits(1.5), f64bits(2.5), f64bits(-2.5), f64bits(3), f64bits(0.1),
  f64bits(3.4028234663852886e38), 0x47efffffe0000001n, 0x47effffff0000000n, 0x47effffff0000001n,
  0x36a0000000000000n, 0x3690000000000000n, 0x3690000000000001n, 0x3810000000000000n, 0x380fffffe0000000n,
  0x380ffffff0000000n, 0x000ffffffffffffen, 0x0008000000000000n, 0x3ca0000000000000n,
  f64bits(1e300), f64bits(1e-300), f64bits(Math.PI), f64bits(-Math.E),
];
const F32_EDGES: bigint[] = [
  0n, 0x80000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0xffc00000n, 0x7f800001n, 0x7fa00000n,
  0xff800001n, 0x7fc00001n, 0x7fffffffn, 0x00000001n, 0x80000001n, 0x007fffffn, 0x807fffffn,
  0x00800000n, 0x80800000n, 0x7f7fffffn, 0xff7fffffn, 0x3f800000n, 0xbf800000n, 0x3f800001n, 0x3f7fffffn,
  f32bits(0.5), f32bits(-0.5), f32bits(1.5), f32bits(2.5), f32bits(-2.5), f32bits(3), f32bits(0.1),
  0x007ffffen, 0x00400000n, 0x33800000n, 0x00000002n,
  f32bits(16777217), f32bits(-0.75), f32bits(Math.PI), f32bits(1e30), f32bits(1e-30),
];

interface Fmt { m: number; e: number; bias: number; edges: bigint[]; conv: (x: number) => bigint }
const FMT_D: Fmt = { m: 52, e: 11, bias: 1023, edges: F64_EDGES, conv: f64bits };
const FMT_S: Fmt = { m: 23, e: 8, bias: 127, edges: F32_EDGES, conv: (x) => f32bits(Math.fround(x)) };

/** Integer conversion boundaries: fcvt to/from integers is most fragile around these. */
const CONV_BASES = [0, 1, 2 ** 24, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 63, 2 ** 64];

/** A random FP bit pattern of format `fm`, biased to the interesting cases. */
function randFloat(r: Rng, fm: Fmt): bigint {
  const mmask = (1n << BigInt(fm.m)) - 1n;
  const sgn = (): bigint => (r.chance(0.5) ? 1n << BigInt(fm.m + fm.e) : 0n);
  const build = (e: number, mant: bigint): bigint => sgn() | (BigInt(e) << BigInt(fm.m)) | (mant & mmask);
  const mant = (): bigint => r.u64() & mmask;
  const emax = (1 << fm.e) - 2;
  const clampE = (e: number): number => Math.max(1, Math.min(emax, e));
  return r.weighted<() => bigint>([
    [2, () => r.pick(fm.edges)],
    [1.5, () => { // near integer-conversion boundaries: base ± small amounts
      const b = r.pick(CONV_BASES) * (r.chance(0.5) ? -1 : 1);
      const d = r.pick([0, 0, 1, -1, 0.5, -0.5, 0.25, 1.5, -1.5, 2, -2, 0.75]);
      const x = Math.abs(b) >= 2 ** 53 ? b + d * Math.abs(b) * 2 ** -50 : b + d;
      return fm.conv(r.chance(0.3) ? -x : x);
    }],
    [1, () => fm.conv(r.int(-40, 40) / r.pick([1, 2, 4, 3, 8, 16]))],
    [2, () => build(clampE(fm.bias + r.int(-3, 3)), mant())],            // cancellation-prone
    [2, () => { // short significand: exact results and rounding ties
      const k = r.int(0, fm.m);
      return build(clampE(fm.bias + r.int(-30, 30)), (mant() >> BigInt(fm.m - k)) << BigInt(fm.m - k));
    }],
    [1, () => build(r.int(1, emax), mant())],
    [1, () => { // products/quotients of these reach the overflow and underflow boundaries
      const half = Math.floor(fm.bias / 2);
      return build(clampE(r.chance(0.5) ? half + r.int(-4, 4) : fm.bias + half + r.int(-4, 4)), mant());
    }],
    [1, () => build(r.int(0, 2), mant())],                               // subnormal / tiny
    [0.5, () => r.u64() & ((1n << BigInt(fm.m + fm.e + 1)) - 1n)],
  ])();
}
/** A value near the saturation boundary of fcvt.{w,wu,l,lu} (or near 0/±1), within a few ulps. */
function convEdge(r: Rng, fm: Fmt, kind: string): bigint {
  const bases: Record<string, number[]> = {
    w: [2 ** 31, -(2 ** 31), 0, 1, -1], wu: [2 ** 32, 0, 1, -1], l: [2 ** 63, -(2 ** 63), 0, 1, -1], lu: [2 ** 64, 0, 1, -1],
  };
  const b = r.pick(bases[kind]);
  if (Math.abs(b) <= 1 || (fm === FMT_D && r.chance(0.5) && Math.abs(b) <= 2 ** 32)) {
    return fm.conv(b + r.pick([-1.5, -1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.5]));
  }
  const bits = fm.conv(b);
  return u(bits + BigInt(r.int(-3, 3)));   // the sign bit stays: ulps away from |b|
}
function randF64(r: Rng): bigint { return randFloat(r, FMT_D); }
function randF32(r: Rng): bigint { return randFloat(r, FMT_S); }
/** A single NaN-boxed, or (rarely) with a broken box. */
function boxF32(r: Rng, v: bigint): bigint {
  if (r.chance(0.9)) return 0xffffffff00000000n | v;
  return r.pick([0x7fffffff00000000n, 0xfffffffe00000000n, 0n, r.u64() & 0xffffffff00000000n]) | v;
}
/** An FP register value; `single` = probability of a boxed single. */
function randFReg(r: Rng, single: number): bigint {
  return r.chance(single) ? boxF32(r, randF32(r)) : randF64(r);
}

function randImage(r: Rng, single: number): bigint[] {
  const img: bigint[] = [];
  for (let i = 0; i < 512; i++) {
    switch (r.int(0, 5)) {
      case 0: img.push(randInt(r)); break;
      case 1: img.push(randF64(r)); break;
      case 2: img.push((randF32(r) << 32n) | randF32(r)); break;
      case 3: img.push(r.chance(single) ? boxF32(r, randF32(r)) : BigInt(r.u32())); break;
      default: img.push(r.u64()); break;
    }
  }
  return img;
}

// ---- Operand helpers -------------------------------------------------------------
const X = (n: number): string => `x${n}`;
const F = (n: number): string => `f${n}`;
/** Random stores stay below this offset; the rest of the data area is the fflags log. */
const STORE_LIMIT = 3840;
const FLAG_LOG = STORE_LIMIT - 2048;   // its offset from x8
const FLAG_LOG_LEN = 4096 - STORE_LIMIT;
/** Integer destinations: everything but x0, sp (x2) and the base s0 (x8). */
const XD = Array.from({ length: 32 }, (_, i) => i).filter((i) => i !== 0 && i !== 2 && i !== 8);
/** Compressed-register destinations (x8..x15 minus s0). */
const XD_C = [9, 10, 11, 12, 13, 14, 15];
const XS_C = [8, 9, 10, 11, 12, 13, 14, 15];
const RMS = ["rne", "rtz", "rdn", "rup", "rmm"];
const RM_NUM: Record<string, number> = { rne: 0, rtz: 1, rdn: 2, rup: 3, rmm: 4, dyn: 7 };

/** fcvt.{s,d}.{w,wu,l,lu} with an explicit rm. */
function cvtToFp(sd: "s" | "d", kind: string, fd: number, xs: number, rm: string): string {
  if (sd === "d" && (kind === "w" || kind === "wu")) {
    // Exact conversions: binutils takes no rm operand, so encode a random one.
    return `.insn r 0x53, ${RM_NUM[rm]}, 0x69, ${F(fd)}, ${X(xs)}, x${kind === "w" ? 0 : 1}  /* fcvt.d.${kind} ${rm} */`;
  }
  return `fcvt.${sd}.${kind} ${F(fd)}, ${X(xs)}, ${rm}`;
}

class Gen {
  items: Item[] = [];
  constructor(readonly r: Rng, readonly area: Area, readonly len: number) {}

  // registers
  // Sources prefer recent destinations, so results feed later instructions.
  private recentX: number[] = [];
  private recentF: number[] = [];
  private remember(list: number[], n: number): number { list.push(n); if (list.length > 6) list.shift(); return n; }
  xd(): number { return this.remember(this.recentX, this.r.chance(0.02) ? 0 : this.r.pick(XD)); }
  xs(): number { return this.recentX.length && this.r.chance(0.35) ? this.r.pick(this.recentX) : this.r.int(0, 31); }
  fd(): number { return this.remember(this.recentF, this.r.int(0, 31)); }
  fs(): number { return this.recentF.length && this.r.chance(0.4) ? this.r.pick(this.recentF) : this.r.int(0, 31); }
  rm(): string { return this.r.chance(0.35) ? "dyn" : this.r.pick(RMS); }
  simm12(): number {
    return this.r.weighted<() => number>([
      [3, () => this.r.int(-16, 16)], [2, () => this.r.pick([-2048, 2047, -1, 0, 1, 0x7ff, -0x800 + 1])],
      [5, () => this.r.int(-2048, 2047)]])();
  }
  shamt(max: number): number {
    return this.r.chance(0.4) ? this.r.pick([0, 1, 31, 32, 63].filter((s) => s <= max)) : this.r.int(0, max);
  }
  imm20(): string {
    const v = this.r.chance(0.3) ? this.r.pick([0, 1, 0x7ffff, 0x80000, 0xfffff, 0x80001]) : this.r.int(0, 0xfffff);
    return "0x" + v.toString(16);
  }

  add(lines: string[], target?: number): void { this.items.push({ lines, target }); }
  /** A forward target: the position of a later item (1..maxAhead ahead), or the end. */
  fwd(maxAhead = 6): number { return Math.min(this.items.length + this.r.int(1, maxAhead), this.len); }

  /**
   * Operands for an access of `w` bytes in the data area: [setup lines, "off(base)"].
   * The address is aligned with probability pAligned (else anywhere in the area).
   */
  addr(w: number, pAligned = 0.75, allowOffset = true, store = false): [string[], string] {
    const r = this.r;
    let a = r.int(0, (store ? STORE_LIMIT : 4096) - w);
    if (r.chance(pAligned)) a &= ~(w - 1);
    // Often right at the page boundary in the middle of the area (x8): with
    // paging, an access straddling it must be split between two pages.
    else if (r.chance(0.5)) a = 2048 + r.int(-w - 1, 1);
    if (!allowOffset) { // AMO/LR/SC: "(reg)" only
      if (a === 2048 && r.chance(0.5)) return [[], "(x8)"];
      if (a === 1024 && r.chance(0.5)) return [[], "(x2)"];
      const t = r.pick(XD);
      return [[`addi ${X(t)}, x8, ${a - 2048}`], `(${X(t)})`];
    }
    const k = r.int(0, 2);
    if (k === 0) return [[], `${a - 2048}(x8)`];
    if (k === 1 && a - 1024 <= 2047) return [[], `${a - 1024}(x2)`];
    // scratch base: t = s0 + o1, off = a - 2048 - o1, both 12-bit
    const lo = Math.max(-2048, a - 2048 - 2047), hi = Math.min(2047, a - 2048 + 2048);
    const o1 = r.int(lo, hi);
    const t = r.pick(XD);
    return [[`addi ${X(t)}, x8, ${o1}`], `${a - 2048 - o1}(${X(t)})`];
  }

  // ---- RV64I ----
  aluImm(): void {
    const r = this.r;
    const op = r.pick(["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw", "slli", "srli", "srai",
      "slliw", "srliw", "sraiw"]);
    const imm = op.endsWith("iw") && op !== "addiw" ? this.shamt(31)
      : ["slli", "srli", "srai"].includes(op) ? this.shamt(63) : this.simm12();
    this.add([`${op} ${X(this.xd())}, ${X(this.xs())}, ${imm}`]);
  }
  aluReg(): void {
    const op = this.r.pick(["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
      "addw", "subw", "sllw", "srlw", "sraw"]);
    this.add([`${op} ${X(this.xd())}, ${X(this.xs())}, ${X(this.xs())}`]);
  }
  upper(): void {
    this.add([`${this.r.pick(["lui", "auipc"])} ${X(this.xd())}, ${this.imm20()}`]);
  }
  load(): void {
    const [op, w] = this.r.pick([["lb", 1], ["lbu", 1], ["lh", 2], ["lhu", 2], ["lw", 4], ["lwu", 4], ["ld", 8]] as const);
    const [setup, a] = this.addr(w);
    this.add([...setup, `${op} ${X(this.xd())}, ${a}`]);
  }
  store(): void {
    const [op, w] = this.r.pick([["sb", 1], ["sh", 2], ["sw", 4], ["sd", 8]] as const);
    const [setup, a] = this.addr(w, 0.75, true, true);
    this.add([...setup, `${op} ${X(this.xs())}, ${a}`]);
  }
  branch(): void {
    const op = this.r.pick(["beq", "bne", "blt", "bge", "bltu", "bgeu"]);
    const a = this.xs(), b = this.r.chance(0.15) ? a : this.xs();
    this.add([`${op} ${X(a)}, ${X(b)}, @T`], this.fwd());
  }
  jump(): void {
    const r = this.r;
    if (r.chance(0.5)) { this.add([`jal ${X(r.chance(0.2) ? 0 : this.xd())}, @T`], this.fwd()); return; }
    const t = r.pick(XD);
    const off = r.pick([0, 0, 1, 4, -4, 2, 100, -2048, 2047]);
    // target + off - off; an odd sum tests that jalr clears bit 0.
    const back = off === 1 ? 0 : off;
    this.add([`lla ${X(t)}, @T${back === 0 ? "" : back > 0 ? `-${back}` : `+${-back}`}`,
      `jalr ${X(r.chance(0.2) ? 0 : this.xd())}, ${off}(${X(t)})`], this.fwd());
  }
  fence(): void {
    this.add([this.r.pick(["fence", "fence rw, rw", "fence r, r", "fence w, w", "fence iorw, iorw",
      "fence.tso", "fence.i", "fence r, w"])]);
  }

  // ---- M ----
  mul(): void {
    const op = this.r.pick(["mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
      "mulw", "divw", "divuw", "remw", "remuw"]);
    this.add([`${op} ${X(this.xd())}, ${X(this.xs())}, ${X(this.xs())}`]);
  }

  // ---- A ----
  amo(): void {
    const r = this.r;
    const op = r.pick(["amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu", "amomaxu"]);
    const w = r.chance(0.5) ? 4 : 8;
    const [setup, a] = this.addr(w, 1, false, true);
    const ord = r.pick(["", "", ".aq", ".rl", ".aqrl"]);
    this.add([...setup, `${op}.${w === 4 ? "w" : "d"}${ord} ${X(this.xd())}, ${X(this.xs())}, ${a}`]);
  }
  lrsc(): void {
    // LR, then at most two register-only ops that leave the address alone, then SC.
    // A store between LR and SC is avoided: whether it breaks the reservation
    // is implementation-defined.
    const r = this.r;
    const sz = r.chance(0.5) ? "w" : "d";
    const w = sz === "w" ? 4 : 8;
    const lines: string[] = [];
    let a = r.int(0, STORE_LIMIT / w - 1) * w;
    const t = r.pick(XD);
    lines.push(`addi ${X(t)}, x8, ${a - 2048}`);
    const kind = r.weighted([[8, "pair"], [1, "nolr"], [1, "otheraddr"]] as const);
    const ord = (): string => r.pick(["", "", ".aq", ".rl", ".aqrl"]);
    if (kind !== "nolr") {
      const rd = r.chance(0.05) ? 0 : r.pick(XD.filter((i) => i !== t));
      lines.push(`lr.${sz}${ord()} ${X(rd)}, (${X(t)})`);
    }
    for (let i = r.int(0, 2); i > 0; i--) {
      const d = r.pick(XD.filter((i2) => i2 !== t));
      lines.push(`${r.pick(["add", "xor", "sub", "or"])} ${X(d)}, ${X(this.xs())}, ${X(this.xs())}`);
    }
    if (kind === "otheraddr") {
      a = (a + w * r.int(1, 8)) % STORE_LIMIT;
      lines.push(`addi ${X(t)}, x8, ${a - 2048}`);
    }
    lines.push(`sc.${sz}${ord()} ${X(this.xd())}, ${X(this.xs())}, (${X(t)})`);
    this.add(lines);
  }

  // ---- C ----
  rvc(): void {
    const r = this.r;
    const k = r.weighted([
      [10, "alu"], [6, "alu2"], [6, "mem"], [3, "spmem"], [2, "addi4spn"], [1, "addi16sp"], [2, "branch"],
      [1, "jump"], [1, "hint"]] as const);
    const xdc = (): number => r.pick(XD_C);
    const xsc = (): number => r.pick(XS_C);
    const imm6 = (): number => r.int(-32, 31);
    switch (k) {
      case "alu": {
        const op = r.pick(["c.addi", "c.addiw", "c.li", "c.lui", "c.slli", "c.mv", "c.add"]);
        const rd = this.remember(this.recentX, r.pick(XD));
        if (op === "c.addi") { let i = imm6(); if (i === 0) i = 1; this.add([`c.addi ${X(rd)}, ${i}`]); }
        else if (op === "c.addiw" || op === "c.li") this.add([`${op} ${X(rd)}, ${imm6()}`]);
        else if (op === "c.lui") {
          const i = r.chance(0.5) ? r.int(1, 31) : r.int(0xfffe0, 0xfffff);
          this.add([`c.lui ${X(rd)}, 0x${i.toString(16)}`]);
        } else if (op === "c.slli") this.add([`c.slli ${X(rd)}, ${r.int(1, 63)}`]);
        else this.add([`${op} ${X(rd)}, ${X(r.int(1, 31))}`]);
        return;
      }
      case "alu2": {
        const op = r.pick(["c.srli", "c.srai", "c.andi", "c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw"]);
        const rd = this.remember(this.recentX, xdc());
        if (op === "c.srli" || op === "c.srai") this.add([`${op} ${X(rd)}, ${r.int(1, 63)}`]);
        else if (op === "c.andi") this.add([`c.andi ${X(rd)}, ${imm6()}`]);
        else this.add([`${op} ${X(rd)}, ${X(xsc())}`]);
        return;
      }
      case "mem": {
        const [op, w, fp] = r.pick([["c.lw", 4, 0], ["c.ld", 8, 0], ["c.sw", 4, 0], ["c.sd", 8, 0],
          ["c.fld", 8, 1], ["c.fsd", 8, 1]] as const);
        const off = r.int(0, 31) * w;
        const lines: string[] = [];
        let base = 8;
        if (r.chance(0.6)) { // another base: x8 + o1 (possibly misaligned)
          base = xdc();
          let o1 = r.int(-2048, (op.includes("s") ? FLAG_LOG : 2048) - 1 - off - w);
          if (r.chance(0.7)) o1 &= ~(w - 1);
          else if (r.chance(0.5)) o1 = r.int(-w - 1, 1) - off;   // straddling the page boundary at x8
          lines.push(r.chance(0.7) ? `addi ${X(base)}, x8, ${o1}` : `c.addi4spn ${X(base)}, x2, ${r.int(1, 255) * 4}`);
        }
        const reg = fp ? F(r.int(8, 15)) : X(op.includes("l") ? this.remember(this.recentX, xdc()) : xsc());
        lines.push(`${op} ${reg}, ${off}(${X(base)})`);
        this.add(lines);
        return;
      }
      case "spmem": {
        const [op, w, fp] = r.pick([["c.lwsp", 4, 0], ["c.ldsp", 8, 0], ["c.swsp", 4, 0], ["c.sdsp", 8, 0],
          ["c.fldsp", 8, 1], ["c.fsdsp", 8, 1]] as const);
        const off = r.int(0, 63) * w;
        const reg = fp ? F(op.includes("l") ? this.fd() : this.fs()) : X(op.includes("l") ? this.remember(this.recentX, r.pick(XD)) : this.xs());
        this.add([`${op} ${reg}, ${off}(x2)`]);
        return;
      }
      case "addi4spn":
        this.add([`c.addi4spn ${X(xdc())}, x2, ${r.int(1, 255) * 4}`]);
        return;
      case "addi16sp": {
        // Balanced pair around a few sp-relative accesses (sp stays in the area).
        let d = r.int(-31, 31) * 16;
        if (d === 0) d = 16;
        const lines = [`c.addi16sp x2, ${d}`];
        for (let i = r.int(1, 3); i > 0; i--) {
          const [op, w] = r.pick([["c.ldsp", 8], ["c.sdsp", 8], ["c.lwsp", 4], ["c.swsp", 4]] as const);
          const reg = op.includes("l") ? r.pick(XD) : this.xs();
          lines.push(`${op} ${X(reg)}, ${r.int(0, 63) * w}(x2)`);
        }
        lines.push(`c.addi16sp x2, ${-d}`);
        this.add(lines);
        return;
      }
      case "branch": // +-256 bytes: at most two items (up to ~84 bytes each) are skipped
        this.add([`${r.pick(["c.beqz", "c.bnez"])} ${X(xsc())}, @T`], this.fwd(3));
        return;
      case "jump": {
        const j = r.int(0, 2);
        if (j === 0) { this.add(["c.j @T"], this.fwd()); return; }
        const t = r.pick(XD);
        this.add([`lla ${X(t)}, @T`, `${j === 1 ? "c.jr" : "c.jalr"} ${X(t)}`], this.fwd());
        return;
      }
      case "hint": // HINT encodings: must execute as no-ops
        this.add([r.pick(["c.nop", `c.nop ${r.int(1, 31)}`, `c.li x0, ${imm6()}`, `c.addi x0, ${imm6()}`,
          `c.mv x0, ${X(r.int(1, 31))}`, `c.slli x0, ${r.int(1, 63)}`, `c.add x0, ${X(r.int(1, 31))}`])]);
        return;
    }
  }

  // ---- F / D ----
  /**
   * An FP item, usually followed by reading (and mostly clearing) fflags into
   * the log at the end of the data area: accrued flags alone would hide a
   * wrong flag behind the same flag raised by any other instruction.
   */
  private flagLog = 0;
  fpLogged(sd: "s" | "d"): void {
    const k = this.fp(sd);
    if (["load", "store", "mv2fp", "mv2int", "inject", "sgnj", "class"].includes(k)) return;
    if (this.flagLog >= FLAG_LOG_LEN || !this.r.chance(0.8)) return;
    const t = this.xd() || 5;
    this.items[this.items.length - 1].lines.push(
      this.r.chance(0.75) ? `fsflags ${X(t)}, x0` : `frflags ${X(t)}`, `sb ${X(t)}, ${FLAG_LOG + this.flagLog++}(x8)`);
  }

  fp(sd: "s" | "d"): string {
    const r = this.r;
    const k = r.weighted([
      [8, "arith"], [2, "sqrt"], [5, "fma"], [4, "sgnj"], [3, "minmax"], [3, "cmp"], [2, "class"],
      [5, "cvt2int"], [4, "cvt2fp"], [3, "cvtsd"], [2, "mv2int"], [2, "mv2fp"], [3, "load"], [3, "store"],
      [3, "inject"], [4, "idiom"]] as const);
    const f = (): string => F(this.fs());
    const fd = (): string => F(this.fd());
    const w = sd === "s" ? 4 : 8;
    switch (k) {
      case "arith":
        this.add([`${r.pick(["fadd", "fsub", "fmul", "fdiv"])}.${sd} ${fd()}, ${f()}, ${f()}, ${this.rm()}`]); return k;
      case "sqrt":
        this.add([`fsqrt.${sd} ${fd()}, ${f()}, ${this.rm()}`]); return k;
      case "fma":
        this.add([`${r.pick(["fmadd", "fmsub", "fnmsub", "fnmadd"])}.${sd} ${fd()}, ${f()}, ${f()}, ${f()}, ${this.rm()}`]);
        return k;
      case "sgnj": {
        const a = this.fs();
        this.add([`${r.pick(["fsgnj", "fsgnjn", "fsgnjx"])}.${sd} ${fd()}, ${F(a)}, ${r.chance(0.3) ? F(a) : f()}`]);
        return k;
      }
      case "minmax":
        this.add([`${r.pick(["fmin", "fmax"])}.${sd} ${fd()}, ${f()}, ${f()}`]); return k;
      case "cmp":
        this.add([`${r.pick(["feq", "flt", "fle"])}.${sd} ${X(this.xd())}, ${f()}, ${f()}`]); return k;
      case "class":
        this.add([`fclass.${sd} ${X(this.xd())}, ${f()}`]); return k;
      case "cvt2int": {
        const kind = r.pick(["w", "wu", "l", "lu"]);
        if (r.chance(0.35)) { // feed it a value at the saturation boundary
          const t = this.xd() || 5;
          const fs = this.fd();
          this.add([`li ${X(t)}, ${hex64(convEdge(r, sd === "s" ? FMT_S : FMT_D, kind))}`,
            `fmv.${sd === "s" ? "w" : "d"}.x ${F(fs)}, ${X(t)}`,
            `fcvt.${kind}.${sd} ${X(this.xd())}, ${F(fs)}, ${this.rm()}`]);
        } else this.add([`fcvt.${kind}.${sd} ${X(this.xd())}, ${f()}, ${this.rm()}`]);
        return k;
      }
      case "cvt2fp": {
        this.add([cvtToFp(sd, r.pick(["w", "wu", "l", "lu"]), this.fd(), this.xs(), this.rm())]);
        return k;
      }
      case "cvtsd": {
        const rm = this.rm();
        if (r.chance(0.5)) this.add([`fcvt.s.d ${fd()}, ${f()}, ${rm}`]);
        else this.add([`.insn r 0x53, ${RM_NUM[rm]}, 0x21, ${fd()}, ${f()}, x0  /* fcvt.d.s ${rm} */`]);
        return k;
      }
      case "mv2int":
        this.add([`fmv.x.${sd === "s" ? "w" : "d"} ${X(this.xd())}, ${f()}`]); return k;
      case "mv2fp":
        this.add([`fmv.${sd === "s" ? "w" : "d"}.x ${fd()}, ${X(this.xs())}`]); return k;
      case "load": {
        const [setup, a] = this.addr(w);
        this.add([...setup, `fl${sd === "s" ? "w" : "d"} ${fd()}, ${a}`]); return k;
      }
      case "store": {
        const [setup, a] = this.addr(w, 0.75, true, true);
        this.add([...setup, `fs${sd === "s" ? "w" : "d"} ${f()}, ${a}`]); return k;
      }
      case "idiom": { // small patterns that random operands rarely produce
        const a = this.fs(), b = this.fd(), d = this.fd();
        const v = sd === "s" ? "w" : "d";
        switch (r.int(0, 5)) {
          case 0: // +0 and -0 (or x and -x) into min/max/compare
            this.add([...(r.chance(0.6) ? [`fmv.${v}.x ${F(a)}, x0`] : []), `fsgnjn.${sd} ${F(b)}, ${F(a)}, ${F(a)}`,
              r.chance(0.7) ? `${r.pick(["fmin", "fmax"])}.${sd} ${F(d)}, ${r.chance(0.5) ? `${F(a)}, ${F(b)}` : `${F(b)}, ${F(a)}`}`
                : `${r.pick(["feq", "flt", "fle"])}.${sd} ${X(this.xd())}, ${F(a)}, ${F(b)}`]);
            return k;
          case 1: // the rounding error of a product through a fused op: fma(a, b, -round(a*b))
            this.add([`fmul.${sd} ${F(b)}, ${F(a)}, ${f()}, ${this.rm()}`,
              `${r.pick(["fmsub", "fnmsub", "fmadd", "fnmadd"])}.${sd} ${F(d)}, ${F(a)}, ${f()}, ${F(b)}, ${this.rm()}`]);
            return k;
          case 2: { // to integer and back
            const x = this.xd() || 5;
            const kind = r.pick(["w", "wu", "l", "lu"]);
            this.add([`fcvt.${kind}.${sd} ${X(x)}, ${F(a)}, ${this.rm()}`, cvtToFp(sd, kind, d, x, this.rm())]);
            return k;
          }
          case 3: { // a ± (a * 2^-k): sums whose exact value sits at or near a rounding tie
            const t = this.remember(this.recentX, r.pick(XD));
            this.add([`li ${X(t)}, ${hex64(sd === "s" ? BigInt(127 - r.int(22, 26)) << 23n
              : BigInt(1023 - r.int(51, 55)) << 52n)}`,
            `fmv.${v}.x ${F(b)}, ${X(t)}`,
            `fmul.${sd} ${F(b)}, ${F(b)}, ${F(a)}, ${this.rm()}`,
            `${r.pick(["fadd", "fsub"])}.${sd} ${F(d)}, ${F(a)}, ${F(b)}, ${this.rm()}`]);
            return k;
          }
          case 5: { // results at the underflow/overflow boundary (tininess after rounding, OF vs max)
            const fm = sd === "s" ? FMT_S : FMT_D;
            const one = fm.conv(1);
            const near = (bits: bigint): bigint => u(bits + BigInt(r.int(-2, 2)));
            const big = r.chance(0.3);
            const x = big ? near(fm.conv(sd === "s" ? 3.4028234663852886e38 : 1.7976931348623157e308))
              : near(r.pick([(1n << BigInt(fm.m)) - 1n, 1n << BigInt(fm.m), (1n << BigInt(fm.m)) - 2n]));
            const y = near(r.chance(0.5) ? one : one + (r.chance(0.5) ? 1n : -1n) * BigInt(r.int(1, 3)));
            const t1 = this.remember(this.recentX, r.pick(XD));
            const t2 = this.remember(this.recentX, r.pick(XD.filter((i) => i !== t1)));
            const neg = r.chance(0.3) ? 1n << BigInt(fm.m + fm.e) : 0n;
            this.add([`li ${X(t1)}, ${hex64(x | neg)}`, `li ${X(t2)}, ${hex64(y)}`,
              `fmv.${v}.x ${F(a)}, ${X(t1)}`, `fmv.${v}.x ${F(b)}, ${X(t2)}`,
              r.pick([`fmul.${sd} ${F(d)}, ${F(a)}, ${F(b)}, ${this.rm()}`, `fdiv.${sd} ${F(d)}, ${F(a)}, ${F(b)}, ${this.rm()}`,
                `fmadd.${sd} ${F(d)}, ${F(a)}, ${F(b)}, ${F(a)}, ${this.rm()}`,
                `fnmsub.${sd} ${F(d)}, ${F(a)}, ${F(b)}, ${F(a)}, ${this.rm()}`,
                `fadd.${sd} ${F(d)}, ${F(a)}, ${F(a)}, ${this.rm()}`,
                `fsub.${sd} ${F(d)}, ${F(a)}, ${F(b)}, ${this.rm()}`])]);
            return k;
          }
          default: // double <-> single round trip
            this.add([`fcvt.s.d ${F(b)}, ${F(a)}, ${this.rm()}`, `fcvt.d.s ${F(d)}, ${F(b)}`]);
            return k;
        }
      }
      case "inject": { // an interesting value straight into an FP register
        const t = this.xd() || 5;
        const v = sd === "s" ? randF32(r) : randF64(r);
        this.add([`li ${X(t)}, ${hex64(v)}`, `fmv.${sd === "s" ? "w" : "d"}.x ${fd()}, ${X(t)}`]);
        return k;
      }
    }
  }

  fcsrOp(): void {
    const r = this.r;
    const rd = X(r.chance(0.3) ? 0 : this.xd());
    switch (r.int(0, 7)) {
      case 0: this.add([`${r.pick(["frflags", "frrm", "frcsr"])} ${rd}`]); return;
      case 1: this.add([`csrrw ${rd}, fflags, ${X(this.xs())}`]); return;
      case 2: this.add([`${r.pick(["csrrs", "csrrc"])} ${rd}, fflags, ${X(this.xs())}`]); return;
      case 3: this.add([`${r.pick(["csrrwi", "csrrsi", "csrrci"])} ${rd}, ${r.pick(["fflags", "fcsr"])}, ${r.int(0, 31)}`]);
        return;
      case 4: { // frm / fcsr writes with a valid rounding mode (upper bits are ignored)
        const t = r.pick(XD);
        const mode = r.int(0, 4);
        if (r.chance(0.5)) {
          this.add([`li ${X(t)}, ${(r.int(0, 0xffff) << 3) | mode}`, `csrrw ${rd}, frm, ${X(t)}`]);
        } else {
          this.add([`li ${X(t)}, ${(r.int(0, 0xfff) << 8) | (mode << 5) | r.int(0, 31)}`, `csrrw ${rd}, fcsr, ${X(t)}`]);
        }
        return;
      }
      case 5: this.add([`csrrwi ${rd}, frm, ${r.int(0, 3) * 8 + r.int(0, 4)}`]); return;
      case 6: // clearing bits of a valid rounding mode leaves it valid
        this.add([r.chance(0.5) ? `csrrci ${rd}, frm, ${r.int(0, 31)}` : `csrrc ${rd}, ${r.pick(["frm", "fcsr"])}, ${X(this.xs())}`]);
        return;
      default: { // setting only fflags bits through fcsr
        const t = r.pick(XD);
        this.add([`li ${X(t)}, ${r.int(0, 31)}`, `csrrs ${rd}, fcsr, ${X(t)}`]);
        return;
      }
    }
  }

  // ---- Encoding probes (area "enc") ----
  /**
   * One instruction word made from a valid encoding with some fields
   * randomised: it may be another valid instruction or a reserved/illegal one,
   * which must trap on both machines (the block then ends). Only opcodes whose
   * valid forms are harmless are used: no control transfer to random places,
   * memory accesses only relative to x8, no CSRs but the FP ones.
   */
  probe(): void {
    const r = this.r;
    const rnd = (bits: number): number => r.int(0, (1 << bits) - 1);
    const R = (f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number): number =>
      ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
    const rd = (): number => r.pick(XD);
    const word = (w: number, note: string): void => this.add([`.4byte 0x${(w >>> 0).toString(16).padStart(8, "0")}  /* ${note} */`]);
    const kind = r.weighted([
      [4, "op"], [3, "opimm"], [8, "opfp"], [3, "fma"], [3, "amo"], [2, "load"], [2, "store"], [1, "fence"],
      [2, "csr"], [0.3, "ebreak"], [1, "branch"], [0.5, "jalr"], [1, "major"], [1, "rvc"], [1.5, "frmdyn"],
      [0.7, "misaligned"], [0.5, "null"]] as const);
    switch (kind) {
      case "op": { // OP / OP-32 with any funct7 and funct3
        const f7 = r.weighted([[3, () => r.pick([0, 1, 0x20])], [2, () => rnd(7)], [1, () => r.pick([0x04, 0x05, 0x10, 0x14, 0x20, 0x24, 0x30, 0x34, 0x07])]])();
        word(R(f7, r.int(0, 31), r.int(0, 31), r.int(0, 7), rd(), r.pick([0x33, 0x3b])), "OP/OP-32 probe");
        return;
      }
      case "opimm": { // OP-IMM / OP-IMM-32: shifts with odd upper immediate bits
        const hi = r.weighted([[2, () => r.pick([0, 0x10, 0x01, 0x20, 0x30, 0x12, 0x18, 0x14, 0x24, 0x34])], [1, () => rnd(6)]])();
        word(((hi << 26) | (rnd(6) << 20) | (r.int(0, 31) << 15) | (r.int(0, 7) << 12) | (rd() << 7) | r.pick([0x13, 0x1b])) >>> 0,
          "OP-IMM/OP-IMM-32 probe");
        return;
      }
      case "opfp": { // OP-FP: funct7 (op and fmt), rs2 (sub-op), rm
        const f7 = r.weighted([[4, () => r.pick([0x00, 0x01, 0x04, 0x05, 0x08, 0x09, 0x0c, 0x0d, 0x2c, 0x2d, 0x10, 0x11, 0x14, 0x15,
          0x20, 0x21, 0x50, 0x51, 0x60, 0x61, 0x68, 0x69, 0x70, 0x71, 0x78, 0x79])], [1, () => rnd(7)],
        [1, () => r.pick([0x02, 0x03, 0x06, 0x07, 0x22, 0x23, 0x2e, 0x2f, 0x52, 0x53, 0x62, 0x63, 0x6a, 0x6b, 0x72, 0x73, 0x7a, 0x7b])]])();
        const rs2 = r.chance(0.6) ? r.int(0, 5) : r.int(0, 31);
        const rm = r.chance(0.7) ? r.pick([0, 1, 2, 3, 4, 7]) : r.int(0, 7);
        word(R(f7, rs2, r.int(0, 31), rm, r.chance(0.5) ? rd() : r.int(0, 31), 0x53), "OP-FP probe");
        return;
      }
      case "fma": {
        const w = ((r.int(0, 31) << 27) | (r.int(0, 3) << 25) | (r.int(0, 31) << 20) | (r.int(0, 31) << 15) |
          ((r.chance(0.7) ? r.pick([0, 1, 2, 3, 4, 7]) : r.int(0, 7)) << 12) | (r.int(0, 31) << 7) | r.pick([0x43, 0x47, 0x4b, 0x4f])) >>> 0;
        word(w, "FMA probe");
        return;
      }
      case "amo": { // at (x8), 8-aligned; LR must have rs2 = 0
        const f5 = r.chance(0.7) ? r.pick([0, 1, 2, 3, 4, 8, 12, 16, 20, 24, 28]) : rnd(5);
        const f3 = r.chance(0.8) ? r.pick([2, 3]) : r.int(0, 7);
        const rs2 = f5 === 2 && r.chance(0.5) ? 0 : r.int(0, 31);
        word(((f5 << 27) | (rnd(2) << 25) | (rs2 << 20) | (8 << 15) | (f3 << 12) | (rd() << 7) | 0x2f) >>> 0, "AMO probe");
        return;
      }
      case "load": { // LOAD / LOAD-FP, any width code, at x8 + imm
        const op = r.pick([0x03, 0x07]);
        const imm = r.int(-2048, 2032);
        word(((imm & 0xfff) << 20 | (8 << 15) | r.int(0, 7) << 12 | ((op === 0x03 ? rd() : r.int(0, 31)) << 7) | op) >>> 0,
          "LOAD/LOAD-FP probe");
        return;
      }
      case "store": {
        const op = r.pick([0x23, 0x27]);
        const imm = r.int(-2048, STORE_LIMIT - 2048 - 16) & 0xfff;
        word((((imm >> 5) << 25) | (r.int(0, 31) << 20) | (8 << 15) | (r.int(0, 7) << 12) | ((imm & 31) << 7) | op) >>> 0,
          "STORE/STORE-FP probe");
        return;
      }
      case "fence": // unused fields of FENCE/FENCE.I are ignored
        word(((rnd(12) << 20) | (r.int(0, 31) << 15) | (r.int(0, 1) << 12) | (r.int(0, 31) << 7) | 0x0f) >>> 0, "MISC-MEM probe");
        return;
      case "csr": { // the FP CSRs and their unallocated neighbours, any funct3 (4 is reserved)
        const csr = r.chance(0.7) ? r.int(1, 3) : r.pick([0, 4, 5, 6, 7, 0xf, 0x800, 0x801, 0x7ff, 0x0ff, 0x101]);
        const f3 = r.chance(0.85) ? r.pick([1, 2, 3, 5, 6, 7]) : 4;
        word(((csr << 20) | (r.int(0, 31) << 15) | (f3 << 12) | (rd() << 7) | 0x73) >>> 0, "CSR probe");
        return;
      }
      case "ebreak":
        this.add(["ebreak"]);
        return;
      case "branch": { // any funct3 (2 and 3 are reserved), taken or not: to pc + 8
        const w = ((4 << 8) | (r.int(0, 31) << 20) | (r.int(0, 31) << 15) | (r.int(0, 7) << 12) | 0x63) >>> 0;
        this.add([`.4byte 0x${w.toString(16).padStart(8, "0")}  /* BRANCH probe, to pc+8 */`, "addi x0, x0, 0"]);
        return;
      }
      case "jalr": // funct3 != 0 is reserved
        word(((rnd(12) << 20) | (r.int(0, 31) << 15) | (r.int(1, 7) << 12) | (rd() << 7) | 0x67) >>> 0, "JALR probe (reserved funct3)");
        return;
      case "major": // opcodes with nothing in RV64GC: custom-0..3, OP-V, reserved, longer encodings
        word(((r.u32() & ~0x7f) | r.pick([0x0b, 0x2b, 0x5b, 0x7b, 0x57, 0x77, 0x1f, 0x3f, 0x6b, 0x7f])) >>> 0, "unused major opcode");
        return;
      case "rvc": // reserved compressed encodings
        this.add([`.2byte 0x${r.pick([0x0000, 0x0004, 0x8002, 0x6101, 0x6081, 0x4002, 0x6002, 0x9c41, 0x9c61, 0x9cc1, 0x9ce1,
          0x8000 | (r.int(0, 0x3ff) << 2), 0x6001]).toString(16).padStart(4, "0")}  /* reserved C parcel */`]);
        return;
      case "misaligned": { // AMO/LR at a misaligned address: must trap (SC is left out:
        // qemu-riscv64 fails an SC without a matching reservation before checking alignment)
        const t = this.remember(this.recentX, r.pick(XD));
        const w = r.pick([4, 8]);
        const a = r.int(0, 400) * 8 + r.int(1, w - 1);
        const op = r.pick(["lr", "amoadd", "amoswap", "amoor", "amomaxu"]);
        this.add([`addi ${X(t)}, x8, ${a - 2048}`,
          op === "lr" ? `lr.${w === 4 ? "w" : "d"} ${X(rd())}, (${X(t)})` : `${op}.${w === 4 ? "w" : "d"} ${X(rd())}, ${X(this.xs())}, (${X(t)})`]);
        return;
      }
      case "null": { // an access near address 0: nothing there on either machine
        const off = r.int(1, 250) * 8;
        this.add([r.pick([`ld ${X(rd())}, ${off}(x0)`, `lbu ${X(rd())}, ${off + 3}(x0)`, `sw ${X(this.xs())}, ${off}(x0)`,
          `fld f${r.int(0, 31)}, ${off}(x0)`, `fsd f${r.int(0, 31)}, ${off}(x0)`])]);
        return;
      }
      case "frmdyn": { // an invalid frm makes rm=dyn illegal, but not instructions without rm
        const t = this.remember(this.recentX, r.pick(XD));
        const sd = r.pick(["s", "d"]);
        this.add([`li ${X(t)}, ${r.int(5, 7)}`, `fsrm ${X(t)}`,
          r.pick([`fadd.${sd} f${r.int(0, 31)}, f${r.int(0, 31)}, f${r.int(0, 31)}, dyn`, `fsgnjx.${sd} f${r.int(0, 31)}, f${r.int(0, 31)}, f${r.int(0, 31)}`,
            `fcvt.w.${sd} ${X(rd())}, f${r.int(0, 31)}, dyn`, `fmin.${sd} f${r.int(0, 31)}, f${r.int(0, 31)}, f${r.int(0, 31)}`,
            `fcvt.${sd}.l f${r.int(0, 31)}, ${X(r.int(0, 31))}, rtz`, `fclass.${sd} ${X(rd())}, f${r.int(0, 31)}`,
            `fmadd.${sd} f${r.int(0, 31)}, f${r.int(0, 31)}, f${r.int(0, 31)}, f${r.int(0, 31)}, dyn`,
            `.insn r 0x53, 7, 0x21, f${r.int(0, 31)}, f${r.int(0, 31)}, x0  /* fcvt.d.s dyn */`,
            `frrm ${X(rd())}`]),
          `fsrmi ${r.int(0, 4)}`]);
        return;
      }
    }
  }

  one(): void {
    const r = this.r;
    const I = (): void => r.weighted<() => void>([
      [6, () => this.aluImm()], [6, () => this.aluReg()], [1, () => this.upper()], [2, () => this.load()],
      [2, () => this.store()], [1.2, () => this.branch()], [0.6, () => this.jump()], [0.2, () => this.fence()]])();
    const tables: Record<Area, (readonly [number, () => void])[]> = {
      int: [[10, I], [4, () => this.mul()]],
      amo: [[6, I], [5, () => this.amo()], [1.5, () => this.lrsc()]],
      rvc: [[8, () => this.rvc()], [4, I], [1, () => this.mul()]],
      f: [[10, () => this.fpLogged("s")], [1, () => this.fcsrOp()], [4, I]],
      d: [[9, () => this.fpLogged("d")], [2, () => this.fpLogged("s")], [1, () => this.fcsrOp()], [4, I]],
      mix: [[6, I], [2, () => this.mul()], [1.5, () => this.amo()], [0.5, () => this.lrsc()], [3, () => this.rvc()],
        [3, () => this.fpLogged("s")], [3, () => this.fpLogged("d")], [0.7, () => this.fcsrOp()]],
      enc: [[3, () => this.probe()], [2, I], [1, () => this.fpLogged("s")], [1, () => this.fpLogged("d")],
        [0.5, () => this.fcsrOp()]],
    };
    r.weighted(tables[this.area])();
  }
}

/** Generate one sequence. */
export function genSeq(r: Rng, area: Area, id: string, image: bigint[]): Seq {
  const single = area === "f" ? 0.9 : area === "d" ? 0.25 : 0.5;
  const x: bigint[] = [0n];
  for (let i = 1; i < 32; i++) x.push(i === 2 ? SP_VAL : i === 8 ? S0_VAL : randInt(r));
  const f: bigint[] = [];
  for (let i = 0; i < 32; i++) f.push(randFReg(r, single));
  const fcsr = (r.int(0, 4) << 5) | (r.chance(0.2) ? r.int(0, 31) : 0);
  const len = area === "enc" ? r.int(1, 4) : r.int(30, 60);
  const g = new Gen(r, area, len);
  while (g.items.length < len) g.one();
  return { area, id, x, f, fcsr, image, items: g.items };
}

/** Generate the sequences of one program: `count` of them sharing 8 images. */
export function genProgram(seed: string, area: Area, prog: number, count: number): Seq[] {
  const r = new Rng(`${seed}:${area}:${prog}`);
  const single = area === "f" ? 0.9 : area === "d" ? 0.25 : 0.5;
  const images = Array.from({ length: 8 }, () => randImage(r, single));
  const out: Seq[] = [];
  for (let i = 0; i < count; i++) out.push(genSeq(r, area, `seed=${seed} area=${area} program=${prog} seq=${i}`, r.pick(images)));
  return out;
}

// ---- Rendering -------------------------------------------------------------------

/** The sequence body: items (except those in `drop`) with their labels. */
export function renderBody(s: Seq, tag: string, drop: ReadonlySet<number> = new Set()): string[] {
  const used = new Set<number>();
  s.items.forEach((it, i) => { if (!drop.has(i) && it.target !== undefined) used.add(it.target); });
  const out: string[] = [];
  for (let i = 0; i <= s.items.length; i++) {
    if (used.has(i)) out.push(`.L${tag}_${i}:`);
    if (i === s.items.length || drop.has(i)) continue;
    const it = s.items[i];
    for (const l of it.lines) out.push("    " + l.replace("@T", `.L${tag}_${it.target}`));
  }
  return out;
}

export interface Block { seq: Seq; drop?: ReadonlySet<number> }

/** A whole program: harness include, blocks, tables and images. */
export function renderProgram(blocks: readonly Block[]): string {
  const out: string[] = ['#include "harness.S"', "    .section .text.seq, \"ax\""];
  const images = new Map<bigint[], number>();
  for (const b of blocks) if (!images.has(b.seq.image)) images.set(b.seq.image, images.size);
  blocks.forEach((b, i) => {
    const s = b.seq;
    const rvc = s.area === "rvc" || s.area === "mix";
    out.push(`/* ${s.id} */`, `seq_${i}:`,
      `    SEQ_BEGIN ${i}, seq_${i + 1}, img_${images.get(s.image)}, init_${i}`,
      "    .option push", `    .option ${rvc ? "rvc" : "norvc"}`,
      ...renderBody(s, `b${i}`, b.drop),
      "    .option pop", `    SEQ_END ${i}`);
  });
  out.push(`seq_${blocks.length}:`, "    j diff_done", "", "    .section .data.seq, \"aw\"", "    .balign 8");
  for (const [img, n] of images) {
    out.push(`img_${n}:`);
    for (let i = 0; i < 512; i += 4) out.push("    .dword " + img.slice(i, i + 4).map(hex64).join(", "));
  }
  blocks.forEach((b, i) => {
    const s = b.seq;
    out.push(`init_${i}:`);
    const vals = [...s.x, ...s.f, BigInt(s.fcsr)];
    for (let k = 0; k < vals.length; k += 4) out.push("    .dword " + vals.slice(k, k + 4).map(hex64).join(", "));
  });
  return out.join("\n") + "\n";
}

/** A sequence as a stand-alone listing for reports: initial state + code. */
export function describeSeq(s: Seq, drop: ReadonlySet<number> = new Set(), onlyUsed = false): string {
  const body = renderBody(s, "r", drop);
  const text = body.join("\n");
  const usedX = new Set<number>(), usedF = new Set<number>();
  for (const m of text.matchAll(/\bx(\d+)\b/g)) usedX.add(Number(m[1]));
  for (const m of text.matchAll(/\bf(\d+)\b/g)) usedF.add(Number(m[1]));
  const init: string[] = [];
  for (let i = 1; i < 32; i++) if (!onlyUsed || usedX.has(i)) init.push(`#   x${i} = ${hex64(s.x[i])}`);
  for (let i = 0; i < 32; i++) if (!onlyUsed || usedF.has(i)) init.push(`#   f${i} = ${hex64(s.f[i])}${fpNote(s.f[i])}`);
  const frm = s.fcsr >> 5;
  init.push(`#   fcsr = 0x${s.fcsr.toString(16)} (frm=${["rne", "rtz", "rdn", "rup", "rmm"][frm]}, fflags=0x${(s.fcsr & 31).toString(16)})`);
  return [`# ${s.id}${drop.size ? ` (minimised: ${s.items.length - drop.size} of ${s.items.length} items)` : ""}`,
    `# initial state (x2 = data area + 1024, x8 = data area + 2048; data area at ${hex64(DIFF_AREA)}):`,
    ...init, ...body].join("\n") + "\n";
}

/** A readable value for an FP register pattern (as double, or as boxed single). */
export function fpNote(v: bigint): string {
  const dv = new DataView(new ArrayBuffer(8));
  const show = (x: number): string => (Object.is(x, -0) ? "-0" : String(x));
  if ((v >> 32n) === 0xffffffffn) {
    dv.setUint32(0, Number(v & 0xffffffffn));
    return `  (single ${show(dv.getFloat32(0))})`;
  }
  dv.setBigUint64(0, v);
  return `  (double ${show(dv.getFloat64(0))})`;
}
