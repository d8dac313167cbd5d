// A small WebAssembly binary writer for the second execution tier: just the
// sections and instructions the region translator (translate.ts) needs. It
// writes bytes into a growable array; no text format, no validation (the
// engine validates when the module is compiled).
//
// Concepts: none directly; the writer serves the tier that makes C15 and C52
// faster (see translate.ts).

export const I32 = 0x7f;
export const I64 = 0x7e;

/** Opcodes used by the translator (WebAssembly core spec, section 5.4). */
export const Op = {
  unreachable: 0x00, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b,
  br: 0x0c, br_if: 0x0d, br_table: 0x0e, return: 0x0f, call: 0x10, return_call_indirect: 0x13, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_load: 0x28, i64_load: 0x29,
  i64_load8_s: 0x30, i64_load8_u: 0x31, i64_load16_s: 0x32, i64_load16_u: 0x33,
  i64_load32_s: 0x34, i64_load32_u: 0x35,
  i64_store: 0x37, i64_store8: 0x3c, i64_store16: 0x3d, i64_store32: 0x3e,
  i32_const: 0x41, i64_const: 0x42,
  i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_u: 0x49, i32_gt_u: 0x4b,
  i64_eqz: 0x50, i64_eq: 0x51, i64_ne: 0x52, i64_lt_s: 0x53, i64_lt_u: 0x54, i64_gt_s: 0x55, i64_gt_u: 0x56,
  i64_le_s: 0x57, i64_le_u: 0x58, i64_ge_s: 0x59, i64_ge_u: 0x5a,
  i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_div_s: 0x6d, i32_div_u: 0x6e, i32_rem_s: 0x6f, i32_rem_u: 0x70,
  i32_and: 0x71, i32_or: 0x72, i32_xor: 0x73, i32_shl: 0x74, i32_shr_s: 0x75, i32_shr_u: 0x76,
  i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e, i64_div_s: 0x7f, i64_div_u: 0x80, i64_rem_s: 0x81, i64_rem_u: 0x82,
  i64_and: 0x83, i64_or: 0x84, i64_xor: 0x85, i64_shl: 0x86, i64_shr_s: 0x87, i64_shr_u: 0x88, i64_rotr: 0x8a,
  i32_wrap_i64: 0xa7, i64_extend_i32_s: 0xac, i64_extend_i32_u: 0xad,
} as const;

/** A growable byte buffer with LEB128 writers. */
export class Bytes {
  buf = new Uint8Array(256);
  len = 0;
  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const n = new Uint8Array(size);
    n.set(this.buf.subarray(0, this.len));
    this.buf = n;
  }
  byte(b: number): void {
    if (this.len === this.buf.length) this.grow(this.len + 1);
    this.buf[this.len++] = b;
  }
  bytes(b: ArrayLike<number>): void {
    if (this.len + b.length > this.buf.length) this.grow(this.len + b.length);
    if (b instanceof Uint8Array) { this.buf.set(b, this.len); this.len += b.length; return; }
    for (let i = 0; i < b.length; i++) this.buf[this.len++] = b[i];
  }
  u32(v: number): void {
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
  }
  /** Signed LEB128 of a 32-bit integer. */
  s32(v: number): void {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { this.byte(b); return; }
      this.byte(b | 0x80);
    }
  }
  /** Signed LEB128 of a 64-bit integer. */
  s64(v: bigint): void {
    v = BigInt.asIntN(64, v);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) { this.byte(b); return; }
      this.byte(b | 0x80);
    }
  }
  str(s: string): void { this.u32(s.length); for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i)); }
  done(): Uint8Array { return this.buf.subarray(0, this.len); }
}

/** A function body being written. */
export class Code extends Bytes {
  op(o: number): void { this.byte(o); }
  get(l: number): void { this.byte(Op.local_get); this.u32(l); }
  set(l: number): void { this.byte(Op.local_set); this.u32(l); }
  tee(l: number): void { this.byte(Op.local_tee); this.u32(l); }
  i32(v: number): void { this.byte(Op.i32_const); this.s32(v); }
  i64(v: bigint | number): void {
    this.byte(Op.i64_const);
    // Most constants fit in 32 bits: their LEB128 is the same, without BigInt arithmetic.
    if (typeof v === "number") {
      if (v === (v | 0)) this.s32(v); else this.s64(BigInt(v));
    } else if (v >= -0x80000000n && v <= 0x7fffffffn) this.s32(Number(v));
    else this.s64(v);
  }
  /** A load or store with alignment hint `align` (log2) and a constant offset. */
  mem(o: number, align: number, offset = 0): void { this.byte(o); this.u32(align); this.u32(offset); }
  br(depth: number): void { this.byte(Op.br); this.u32(depth); }
  brIf(depth: number): void { this.byte(Op.br_if); this.u32(depth); }
  call(f: number): void { this.byte(Op.call); this.u32(f); }
  /** Start a block, loop or if with no result, or with one of value type `result` (I32, I64). */
  begin(o: number, result = 0x40): void { this.byte(o); this.byte(result); }
  end(): void { this.byte(Op.end); }
}

export interface FuncType { params: number[]; results: number[] }
export interface Func { type: number; locals: Array<[count: number, type: number]>; body: Code }

/**
 * A module that imports `imports` (functions, indices 0...), env.memory
 * (and env.table, a funcref table, if `importTable`)
 * and exports some of its functions (indices after the imports).
 * `memPages` is the minimum the import declares (the machine's memory has a
 * fixed size).
 */
export interface FuncImport { module: string; name: string; type: number }

export function buildModule(types: FuncType[], imports: FuncImport[], funcs: Func[], exports: Array<[string, number]>, memPages: number,
  importTable = false): Uint8Array {
  const out = new Bytes();
  out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, write: (b: Bytes) => void): void => {
    const b = new Bytes();
    write(b);
    out.byte(id);
    out.u32(b.len);
    out.bytes(b.done());
  };
  section(1, (b) => {
    b.u32(types.length);
    for (const t of types) {
      b.byte(0x60);
      b.u32(t.params.length); b.bytes(t.params);
      b.u32(t.results.length); b.bytes(t.results);
    }
  });
  section(2, (b) => {
    b.u32(1 + imports.length + (importTable ? 1 : 0));
    for (const f of imports) { b.str(f.module); b.str(f.name); b.byte(0x00); b.u32(f.type); } // function indices 0..
    b.str("env"); b.str("memory");
    b.byte(0x02); b.byte(0x00); b.u32(memPages);
    // env.table: the core's function table (funcref, at least 0 entries), table 0 for call_indirect.
    if (importTable) { b.str("env"); b.str("table"); b.byte(0x01); b.byte(0x70); b.byte(0x00); b.u32(0); }
  });
  section(3, (b) => { b.u32(funcs.length); for (const f of funcs) b.u32(f.type); });
  section(7, (b) => {
    b.u32(exports.length);
    for (const [name, idx] of exports) { b.str(name); b.byte(0x00); b.u32(idx); }
  });
  section(10, (b) => {
    b.u32(funcs.length);
    for (const f of funcs) {
      const body = new Bytes();
      body.u32(f.locals.length);
      for (const [n, t] of f.locals) { body.u32(n); body.byte(t); }
      body.bytes(f.body.done());
      body.byte(Op.end);
      b.u32(body.len);
      b.bytes(body.done());
    }
  });
  return out.done();
}
