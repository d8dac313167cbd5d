// Exhaustive check of the RV64C expander (hw/core/rvc.ts) against the GNU
// disassembler.
//
// Every one of the 49,152 compressed parcels (low bits != 11) is disassembled
// by riscv64-linux-gnu-objdump (no-aliases, numeric registers), and so is our
// 32-bit expansion of it. The c.* text is rewritten into the base instruction
// the spec says it expands to (c.addi rd,imm -> addi rd,rd,imm, c.mv ->
// add rd,x0,rs2, ...) and must equal objdump's text for our expansion exactly;
// pc-relative targets are compared as offsets. Parcels objdump will not decode
// (.2byte, c.unimp) must expand to 0. Where objdump and the spec disagree, the
// spec wins; each such parcel is listed in SPEC_EXCEPTIONS with the reason.
//
// The expander is compiled on its own with asc into build/rvc/ (gitignored),
// next to the objdump inputs and outputs; all of it is cached by content.
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RVC_TABLE } from "../../hw/core/layout.js";

/** Repository root: this file runs as dist/test/hw/rvc.test.js. */
const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const BUILD = join(SRC_ROOT, "build/rvc");
const OBJDUMP = "riscv64-linux-gnu-objdump";
const OBJDUMP_FLAGS = ["-D", "-b", "binary", "-m", "riscv:rv64", "-M", "no-aliases,numeric"];

// The wasm entry lives in build/rvc/, two levels below the root like test/hw/,
// so the import path is the same. It is generated rather than kept under test/
// because tsc compiles everything under test/ (and cannot type-check
// AssemblyScript), and `node --test dist/test/` runs every .js file it emits.
const ENTRY_SOURCE = 'export { rvcExpand, rvcInit } from "../../hw/core/rvc";\n';

/**
 * Parcels where objdump's opinion differs from the RISC-V unprivileged spec
 * (the RVC chapter, RV64). The value is what the spec requires: 0 = reserved.
 */
const SPEC_EXCEPTIONS = new Map<number, { expect: number; reason: string }>([
  [0x6101, {
    expect: 0,
    reason: "objdump prints `c.addi16sp x2,0`, but the spec says C.ADDI16SP is only valid " +
      "when nzimm != 0; the code point with nzimm=0 is reserved",
  }],
]);

/**
 * Mnemonics of standard extensions outside RV64GC that reuse RVC code points
 * reserved in plain C (Zcb: quadrant 0 funct3=100 and the CA slots after
 * C.ADDW). binutils 2.40 does not decode them by default, but a newer objdump
 * might; RV64GC must still treat those parcels as illegal.
 */
const NOT_RV64GC = new Set([
  "c.lbu", "c.lhu", "c.lh", "c.sb", "c.sh", "c.zext.b", "c.sext.b", "c.zext.h",
  "c.sext.h", "c.zext.w", "c.not", "c.mul",
]);

function sha(...parts: (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex").slice(0, 16);
}

/** Write `data` to `path` atomically unless it already has that content. */
function writeIfChanged(path: string, data: string | Uint8Array): void {
  if (existsSync(path)) {
    const old = readFileSync(path);
    if (Buffer.compare(old, Buffer.from(data)) === 0) return;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Drop cached files `<prefix>-<other hash>.*` once `<prefix>-<hash>` has been made. */
function pruneCache(prefix: string, hash: string): void {
  for (const f of readdirSync(BUILD)) {
    const m = /^(.+)-([0-9a-f]{16})\.[a-z]+$/.exec(f);
    if (m && m[1] === prefix && m[2] !== hash) rmSync(join(BUILD, f), { force: true });
  }
}

interface RvcWasm {
  rvcExpand(c: number): number;
  rvcInit(): void;
  memory: WebAssembly.Memory;
}

/** Compile hw/core/rvc.ts into build/rvc/rvc-<hash>.wasm (cached) and instantiate it. */
async function loadWasm(): Promise<RvcWasm> {
  mkdirSync(BUILD, { recursive: true });
  const rvcSrc = readFileSync(join(SRC_ROOT, "hw/core/rvc.ts"));
  const layoutSrc = readFileSync(join(SRC_ROOT, "hw/core/layout.ts"));
  const ascPkg = readFileSync(join(SRC_ROOT, "node_modules/assemblyscript/package.json"));
  const hash = sha(rvcSrc, layoutSrc, ENTRY_SOURCE, ascPkg);
  const wasmPath = join(BUILD, `rvc-${hash}.wasm`);
  const watPath = wasmPath.replace(/\.wasm$/, ".wat");
  if (!(existsSync(wasmPath) && statSync(wasmPath).size > 0 && existsSync(watPath))) {
    const entry = join(BUILD, "rvc_entry.ts");
    writeIfChanged(entry, ENTRY_SOURCE);
    const tmpWasm = `${wasmPath}.${process.pid}.tmp`;
    const tmpWat = `${watPath}.${process.pid}.tmp`;
    const r = spawnSync(join(SRC_ROOT, "node_modules/.bin/asc"),
      [entry, "--runtime", "stub", "-O3", "--noAssert", "-o", tmpWasm, "-t", tmpWat],
      { cwd: SRC_ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`asc failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}${r.error ?? ""}`);
    renameSync(tmpWat, watPath);
    renameSync(tmpWasm, wasmPath);
    pruneCache("rvc", hash);
  }
  // Neither function may allocate: with the stub runtime, any allocation
  // would pull the allocator into the module.
  const wat = readFileSync(watPath, "utf8");
  assert.doesNotMatch(wat, /~lib\/rt\/|__alloc|__new/, "rvc.ts must not allocate");

  const mod = await WebAssembly.compile(readFileSync(wasmPath));
  const inst = await WebAssembly.instantiate(mod, {
    env: {
      abort(_msg: number, _file: number, line: number, col: number): never {
        throw new Error(`wasm abort at ${line}:${col}`);
      },
    },
  });
  return inst.exports as unknown as RvcWasm;
}

interface Line { addr: number; hex: string; mnem: string; ops: string }

/** Disassemble a raw binary (cached by content) and return its instruction lines. */
function disassemble(name: string, bin: Uint8Array): Line[] {
  const hash = sha(bin, OBJDUMP_FLAGS.join(" "));
  const base = join(BUILD, `${name}-${hash}`);
  const binPath = `${base}.bin`;
  const disPath = `${base}.dis`;
  let text: string;
  if (existsSync(disPath)) {
    text = readFileSync(disPath, "utf8");
  } else {
    writeIfChanged(binPath, bin);
    const r = spawnSync(OBJDUMP, [...OBJDUMP_FLAGS, binPath], { encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.error) throw new Error(`cannot run ${OBJDUMP} (Debian package binutils-riscv64-linux-gnu): ${r.error.message}`);
    if (r.status !== 0) throw new Error(`${OBJDUMP} failed:\n${r.stderr}`);
    text = r.stdout;
    writeIfChanged(disPath, text);
    pruneCache(name, hash);
  }
  const lines: Line[] = [];
  // "     2a:\t0001                \tc.addi\tx0,0"
  const re = /^\s*([0-9a-f]+):\t([0-9a-f]+)\s*\t(\S+)(?:\t(.*))?$/;
  for (const l of text.split("\n")) {
    const m = re.exec(l);
    // objdump appends "# <value>" comments from its own register tracking
    // (e.g. after a lui); they are not part of the instruction.
    if (m) lines.push({ addr: parseInt(m[1]!, 16), hex: m[2]!, mnem: m[3]!, ops: (m[4] ?? "").replace(/\s*#.*$/, "").trim() });
  }
  return lines;
}

const XREG = /^x([0-9]|[12][0-9]|3[01])$/;
const FREG = /^f([0-9]|[12][0-9]|3[01])$/;
const CREG = /^x(8|9|1[0-5])$/;      // the registers reachable through rd'/rs1'/rs2'
const CFREG = /^f(8|9|1[0-5])$/;
const SIMM = /^-?[0-9]+$/;
const HEX = /^0x[0-9a-f]+$/;

/** A pc-relative target printed by objdump at `addr`, as a signed offset "pc+N"/"pc-N". */
function rel(target: string, addr: number): string {
  if (!HEX.test(target)) throw new Error(`bad branch target ${target}`);
  const off = BigInt.asIntN(64, BigInt(target) - BigInt(addr));
  return off < 0n ? `pc${off}` : `pc+${off}`;
}

/** objdump's text for a base (32-bit) instruction, with pc-relative targets made offsets. */
function canonBase(l: Line): string {
  const ops = l.ops.split(",");
  if (l.mnem === "jal" && ops.length === 2) ops[1] = rel(ops[1]!, l.addr);
  if (/^b(eq|ne|lt|ge|ltu|geu)$/.test(l.mnem) && ops.length === 3) ops[2] = rel(ops[2]!, l.addr);
  return `${l.mnem} ${ops.join(",")}`.trim();
}

function expectOps(l: Line, ...shapes: RegExp[]): string[] {
  const ops = l.ops === "" ? [] : l.ops.split(",");
  if (ops.length !== shapes.length || !ops.every((o, i) => shapes[i]!.test(o))) {
    throw new Error(`unexpected operands for ${l.mnem}: "${l.ops}"`);
  }
  return ops;
}

/** mem operand "imm(reg)" with the given base register shape. */
const mem = (base: RegExp): RegExp => new RegExp(`^[0-9]+\\((${base.source.slice(1, -1)})\\)$`);
const SPMEM = /^[0-9]+\(x2\)$/;

/**
 * The base instruction (in canonBase form) that the spec says a compressed
 * instruction, as objdump printed it, expands to; null if the parcel is illegal.
 * Throws on anything it does not know, so new objdump output cannot slip by.
 */
function expected16(l: Line): string | null {
  const m = l.mnem;
  if (m === ".2byte" || m === "c.unimp") return null;
  if (NOT_RV64GC.has(m)) return null;
  switch (m) {
    case "c.addi4spn": { const [rd, , imm] = expectOps(l, CREG, /^x2$/, SIMM); return `addi ${rd},x2,${imm}`; }
    case "c.fld": { const [rd, a] = expectOps(l, CFREG, mem(CREG)); return `fld ${rd},${a}`; }
    case "c.fsd": { const [rs, a] = expectOps(l, CFREG, mem(CREG)); return `fsd ${rs},${a}`; }
    case "c.lw": case "c.ld": case "c.sw": case "c.sd": {
      const [r, a] = expectOps(l, CREG, mem(CREG)); return `${m.slice(2)} ${r},${a}`;
    }
    case "c.fldsp": case "c.fsdsp": {
      const [r, a] = expectOps(l, FREG, SPMEM); return `${m.slice(2, -2)} ${r},${a}`;
    }
    case "c.lwsp": case "c.ldsp": case "c.swsp": case "c.sdsp": {
      const [r, a] = expectOps(l, XREG, SPMEM); return `${m.slice(2, -2)} ${r},${a}`;
    }
    case "c.nop": { const [imm] = expectOps(l, SIMM); return `addi x0,x0,${imm}`; }
    case "c.addi": { const [rd, imm] = expectOps(l, XREG, SIMM); return `addi ${rd},${rd},${imm}`; }
    case "c.addiw": { const [rd, imm] = expectOps(l, XREG, SIMM); return `addiw ${rd},${rd},${imm}`; }
    case "c.li": { const [rd, imm] = expectOps(l, XREG, SIMM); return `addi ${rd},x0,${imm}`; }
    case "c.addi16sp": { const [, imm] = expectOps(l, /^x2$/, SIMM); return `addi x2,x2,${imm}`; }
    case "c.lui": { const [rd, imm] = expectOps(l, XREG, HEX); return `lui ${rd},${imm}`; }
    case "c.slli": { const [rd, sh] = expectOps(l, XREG, HEX); return `slli ${rd},${rd},${sh}`; }
    case "c.slli64": { const [rd] = expectOps(l, XREG); return `slli ${rd},${rd},0x0`; }
    case "c.srli": case "c.srai": {
      const [rd, sh] = expectOps(l, CREG, HEX); return `${m.slice(2)} ${rd},${rd},${sh}`;
    }
    case "c.srli64": case "c.srai64": {
      const [rd] = expectOps(l, CREG); return `${m.slice(2, -2)} ${rd},${rd},0x0`;
    }
    case "c.andi": { const [rd, imm] = expectOps(l, CREG, SIMM); return `andi ${rd},${rd},${imm}`; }
    case "c.sub": case "c.xor": case "c.or": case "c.and": case "c.subw": case "c.addw": {
      const [rd, rs] = expectOps(l, CREG, CREG); return `${m.slice(2)} ${rd},${rd},${rs}`;
    }
    case "c.mv": { const [rd, rs] = expectOps(l, XREG, XREG); return `add ${rd},x0,${rs}`; }
    case "c.add": { const [rd, rs] = expectOps(l, XREG, XREG); return `add ${rd},${rd},${rs}`; }
    case "c.j": { const [t] = expectOps(l, HEX); return `jal x0,${rel(t!, l.addr)}`; }
    case "c.beqz": case "c.bnez": {
      const [rs, t] = expectOps(l, CREG, HEX);
      return `${m === "c.beqz" ? "beq" : "bne"} ${rs},x0,${rel(t!, l.addr)}`;
    }
    case "c.jr": { const [rs] = expectOps(l, XREG); return `jalr x0,0(${rs})`; }
    case "c.jalr": { const [rs] = expectOps(l, XREG); return `jalr x1,0(${rs})`; }
    case "c.ebreak": { expectOps(l); return "ebreak"; }
  }
  throw new Error(`unknown compressed mnemonic ${m} (${l.ops})`);
}

const hex4 = (c: number): string => `0x${c.toString(16).padStart(4, "0")}`;
const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, "0")}`;

test("RVC expansion matches objdump for every compressed parcel", async (t) => {
  const w = await loadWasm();

  // Our expansions of all 49,152 compressed parcels.
  const parcels: number[] = [];
  for (let c = 0; c < 0x10000; c++) if ((c & 3) !== 3) parcels.push(c);
  assert.equal(parcels.length, 49152);
  const ours = parcels.map((c) => w.rvcExpand(c) >>> 0);

  // Disassemble the parcels, two bytes each, in order.
  const pbin = new Uint8Array(parcels.length * 2);
  parcels.forEach((c, i) => { pbin[2 * i] = c & 0xff; pbin[2 * i + 1] = c >> 8; });
  const plines = disassemble("parcels", pbin);
  assert.equal(plines.length, parcels.length, "one objdump line per parcel");

  // Disassemble the non-zero expansions, four bytes each, in order; each must
  // be a 32-bit instruction or objdump would fall out of step.
  const legal: number[] = [];    // indices into parcels with a non-zero expansion
  ours.forEach((v, i) => {
    if (v === 0) return;
    assert.ok((v & 3) === 3 && (v & 0x1c) !== 0x1c,
      `${hex4(parcels[i]!)} expands to ${hex8(v)}, which is not a 32-bit instruction`);
    legal.push(i);
  });
  const ebin = new Uint8Array(legal.length * 4);
  const edv = new DataView(ebin.buffer);
  legal.forEach((i, k) => edv.setUint32(4 * k, ours[i]!, true));
  const elines = disassemble("expansions", ebin);
  assert.equal(elines.length, legal.length, "one objdump line per expansion");

  const failures: string[] = [];
  const fail = (s: string): void => { if (failures.length < 50) failures.push(s); else failures.length++; };
  const seenExceptions: string[] = [];
  let k = 0;
  let checked = 0;
  for (let i = 0; i < parcels.length; i++) {
    const c = parcels[i]!;
    const v = ours[i]!;
    const pl = plines[i]!;
    assert.equal(pl.addr, 2 * i);
    assert.equal(parseInt(pl.hex, 16), c, `objdump out of step at ${hex4(c)}`);
    let el: Line | undefined;
    if (v !== 0) {
      el = elines[k++]!;
      assert.equal(el.addr, 4 * (k - 1));
      assert.equal(parseInt(el.hex, 16) >>> 0, v, `objdump out of step at expansion of ${hex4(c)}`);
    }
    const text16 = `${pl.mnem} ${pl.ops}`.trim();
    checked++;

    const exc = SPEC_EXCEPTIONS.get(c);
    if (exc) {
      seenExceptions.push(`${hex4(c)} (objdump: ${text16}): ${exc.reason}`);
      if (v !== exc.expect) fail(`${hex4(c)} ${text16}: spec requires ${hex8(exc.expect)}, got ${hex8(v)}`);
      continue;
    }
    let want: string | null;
    try {
      want = expected16(pl);
    } catch (e) {
      fail(`${hex4(c)}: ${(e as Error).message}`);
      continue;
    }
    if (want === null) {
      if (v !== 0) fail(`${hex4(c)} ${text16}: illegal, but expands to ${hex8(v)} (${el ? canonBase(el) : ""})`);
      continue;
    }
    if (v === 0) { fail(`${hex4(c)} ${text16}: expected ${want}, got 0 (illegal)`); continue; }
    const got = canonBase(el!);
    if (got !== want) fail(`${hex4(c)} ${text16}: expected ${want}, got ${got} (${hex8(v)})`);
  }
  assert.equal(k, elines.length);
  assert.equal(checked, 49152);
  t.diagnostic(`${checked} parcels checked: ${legal.length} legal, ${checked - legal.length} illegal`);
  for (const s of seenExceptions) t.diagnostic(`spec exception ${s}`);
  assert.equal(seenExceptions.length, SPEC_EXCEPTIONS.size, "every exception is a compressed parcel");
  assert.deepEqual(failures, [], `${failures.length} mismatches`);

  // Parcels whose low bits are 11 are not compressed at all.
  for (let c = 3; c < 0x10000; c += 4) assert.equal(w.rvcExpand(c), 0, `${hex4(c)} is not an RVC parcel`);
  // Only the low 16 bits of the argument count.
  assert.equal(w.rvcExpand(0xabcd0001) >>> 0, w.rvcExpand(0x0001) >>> 0);
});

test("rvcInit fills RVC_TABLE with rvcExpand of every parcel", async () => {
  const w = await loadWasm();
  const need = RVC_TABLE + 4 * 0x10000;
  const have = w.memory.buffer.byteLength;
  if (have < need) w.memory.grow(Math.ceil((need - have) / 65536));
  const table = new Uint32Array(w.memory.buffer, RVC_TABLE, 0x10000);
  table.fill(0xdeadbeef);
  w.rvcInit();
  for (let c = 0; c < 0x10000; c++) {
    const want = w.rvcExpand(c) >>> 0;
    if (table[c] !== want) assert.fail(`table[${hex4(c)}] = ${hex8(table[c]!)}, expected ${hex8(want)}`);
  }
  // A few fixed points, independent of objdump.
  assert.equal(table[0x0000], 0);            // all-zero parcel: illegal
  assert.equal(table[0x0001], 0x00000013);   // c.nop -> addi x0,x0,0
  assert.equal(table[0x9002], 0x00100073);   // c.ebreak -> ebreak
  assert.equal(table[0x8082], 0x00008067);   // c.jr ra -> jalr x0,0(x1)
  assert.equal(table[0x6101], 0);            // c.addi16sp with nzimm=0: reserved
  assert.equal(table[0x0003], 0);            // not compressed
});
