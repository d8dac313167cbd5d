// Build and run differential-test programs (gen.ts + harness.S) on
// qemu-riscv64 (the reference) and on tsix, parse their output, compare, and
// minimise mismatching sequences.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SRC_ROOT, CROSS_GCC, JIT_ARGS } from "../bare.js";
import { DIFF_AREA, renderProgram, type Block, type Seq } from "./gen.js";

export const BUILD = join(SRC_ROOT, "build/diff");
const DIFF_SRC = join(SRC_ROOT, "test/hw/diff");
const COMMON = join(SRC_ROOT, "test/hw/common");
/** The tsix CLI; TSIX_DIFF_TSIX selects another checkout's (e.g. a deliberately broken core). */
const TSIX = process.env.TSIX_DIFF_TSIX || join(SRC_ROOT, "bin/tsix.js");
export const QEMU = "qemu-riscv64";
/** The reference is RV64GC: turn off what qemu enables beyond it by default (bitmanip). */
const QEMU_CPU = ["-cpu", "rv64,zba=false,zbb=false,zbc=false,zbs=false"];

/** Names of the 65 result words of a block. */
export const FIELDS: string[] = [
  ...Array.from({ length: 31 }, (_, i) => `x${i + 1}`),
  ...Array.from({ length: 32 }, (_, i) => `f${i}`),
  "fcsr", "data-checksum",
];

interface Proc { status: number | null; signal: string | null; stdout: string; stderr: string; timedOut: boolean }

function exec(cmd: string, args: string[], timeoutMs: number): Promise<Proc> {
  return new Promise((resolvePromise) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [], err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; p.kill("SIGKILL"); }, timeoutMs);
    p.stdout.on("data", (d: Buffer) => out.push(d));
    p.stderr.on("data", (d: Buffer) => err.push(d));
    p.on("error", (e) => {
      clearTimeout(timer);
      resolvePromise({ status: -1, signal: null, stdout: "", stderr: String(e), timedOut });
    });
    p.on("close", (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout: Buffer.concat(out).toString("latin1"),
        stderr: Buffer.concat(err).toString("utf8"), timedOut });
    });
  });
}

/** Run async jobs with at most `n` at a time (this machine has 2 cores). */
export async function pool<T, R>(items: readonly T[], n: number, f: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const res: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) { const i = next++; res[i] = await f(items[i], i); }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return res;
}

const GCC_FLAGS = ["-march=rv64gc", "-mabi=lp64d", "-nostdlib", "-nostartfiles", "-static", "-no-pie",
  "-I", DIFF_SRC, "-I", COMMON, "-T", join(DIFF_SRC, "diff.ld"), "-Wl,--no-warn-rwx-segments", "-Wl,--build-id=none"];

/** Shell commands that build and run program `src` on both machines (for reports). */
export function reproCommands(src: string): string[] {
  const base = src.replace(/\.S$/, "");
  const gcc = `${CROSS_GCC} ${GCC_FLAGS.join(" ")}`;
  return [
    `${gcc} -o ${base}.linux.elf ${src} && ${QEMU} ${QEMU_CPU.join(" ")} ${base}.linux.elf`,
    `${gcc} -DBARE -o ${base}.bare.elf ${src} && node ${TSIX} machine --bare ${base}.bare.elf`,
    `(add -DPAGED to run it in U-mode under Sv39, -DDUMP_AREA to print the data area)`,
  ];
}

/** How tsix runs a program: M-mode without paging, or U-mode under Sv39 (harness.S). */
export type Mode = "bare" | "paged";
export const MODES: readonly Mode[] = ["bare", "paged"];
const MODE_FLAGS: Record<Mode, string[]> = { bare: ["-DBARE"], paged: ["-DBARE", "-DPAGED"] };

export interface Elfs { src: string; linux: string; tsix: Record<Mode, string> }

/** Write the program source and build the qemu ELF and the tsix ELFs of `modes` (cached by content). */
export async function buildProgram(name: string, source: string, modes: readonly Mode[] = MODES, dumpArea = false): Promise<Elfs> {
  mkdirSync(BUILD, { recursive: true });
  const h = createHash("sha256").update(source).update(dumpArea ? "D" : "");
  for (const f of [join(DIFF_SRC, "harness.S"), join(DIFF_SRC, "diff.ld"), join(COMMON, "bare.h")]) h.update(readFileSync(f));
  const src = join(BUILD, `${name}.S`);
  writeFileSync(src, source);
  const key = h.digest("hex").slice(0, 12);
  const elf = (kind: string): string => join(BUILD, `${name}-${key}.${kind}.elf`);
  // Older builds of the same program name are stale.
  for (const f of readdirSync(BUILD)) {
    if (f.startsWith(`${name}-`) && f.endsWith(".elf") && !f.startsWith(`${name}-${key}.`) &&
        /^[0-9a-f]{12}\.[a-z]+\.elf$/.test(f.slice(name.length + 1))) rmSync(join(BUILD, f), { force: true });
  }
  const flags = [...GCC_FLAGS, ...(dumpArea ? ["-DDUMP_AREA"] : [])];
  const jobs: [string, string[]][] = [[elf("linux"), []], ...modes.map((m): [string, string[]] => [elf(m), MODE_FLAGS[m]])];
  await Promise.all(jobs.map(async ([out, extra]) => {
    if (existsSync(out) && statSync(out).size > 0) return;
    const tmp = `${out}.tmp${process.pid}`;
    const r = await exec(CROSS_GCC, [...flags, ...extra, "-o", tmp, src], 120_000);
    if (r.status !== 0) {
      rmSync(tmp, { force: true });
      throw new Error(`building ${src} failed:\n${r.stderr.slice(0, 4000)}`);
    }
    renameSync(tmp, out);
  }));
  return { src, linux: elf("linux"), tsix: { bare: elf("bare"), paged: elf("paged") } };
}

export type BlockResult =
  | { kind: "S"; words: bigint[]; area?: bigint[] }
  /** A trap: on tsix code = mcause, on qemu-riscv64 code = the signal number. */
  | { kind: "T"; code: bigint; pc: bigint; tval: bigint };

export interface RunOutput {
  blocks: Map<number, BlockResult>;
  ended: boolean;      // "END" seen
  problem: string;     // non-empty: crash, timeout, fatal trap, bad exit status
}

export function parseOutput(text: string): Pick<RunOutput, "blocks" | "ended"> & { fatal: string } {
  const blocks = new Map<number, BlockResult>();
  let ended = false, fatal = "";
  for (const line of text.split("\n")) {
    const p = line.trim().split(" ");
    if (p[0] === "END") ended = true;
    else if (p[0] === "S" && p.length === 67) {
      blocks.set(Number(BigInt("0x" + p[1])), { kind: "S", words: p.slice(2).map((w) => BigInt("0x" + w)) });
    } else if (p[0] === "D" && p.length === 514) {
      const b = blocks.get(Number(BigInt("0x" + p[1])));
      if (b?.kind === "S") b.area = p.slice(2).map((w) => BigInt("0x" + w));
    } else if (p[0] === "T" && p.length === 5) {
      const [idx, code, pc, tval] = p.slice(1).map((w) => BigInt("0x" + w));
      blocks.set(Number(idx), { kind: "T", code, pc, tval });
    } else if (p[0] === "X") fatal = `fatal trap outside the sequences: ${line}`;
  }
  return { blocks, ended, fatal };
}

export async function runQemu(elf: string, timeoutMs = 60_000): Promise<RunOutput> {
  const r = await exec(QEMU, [...QEMU_CPU, elf], timeoutMs);
  const p = parseOutput(r.stdout);
  let problem = "";
  if (r.timedOut) problem = "qemu-riscv64 timed out";
  else if (r.status !== 0 || !p.ended) problem = `qemu-riscv64 exited with status ${r.status} signal ${r.signal}: ${r.stderr.slice(0, 500)}`;
  return { blocks: p.blocks, ended: p.ended, problem };
}

export async function runTsixAsync(elf: string, timeoutMs = 60_000): Promise<RunOutput> {
  let r = await exec(process.execPath, [TSIX, "machine", "--bare", elf, ...JIT_ARGS], timeoutMs);
  let p = parseOutput(r.stdout);
  if (p.blocks.size === 0 && !p.ended && !r.timedOut && r.status !== 0) {
    // Nothing printed at all: tsix did not start (e.g. dist/ being rebuilt
    // underneath); try once more before blaming the CPU.
    await new Promise((res) => setTimeout(res, 3000));
    r = await exec(process.execPath, [TSIX, "machine", "--bare", elf, ...JIT_ARGS], timeoutMs);
    p = parseOutput(r.stdout);
  }
  let problem = p.fatal;
  if (r.timedOut) problem ||= `tsix timed out after ${timeoutMs / 1000} s`;
  else if (r.status !== 0 || !p.ended) problem ||= `tsix exited with status ${r.status} signal ${r.signal}: ${r.stderr.slice(0, 500)}`;
  return { blocks: p.blocks, ended: p.ended, problem };
}

// ---- Comparison -------------------------------------------------------------------
export interface Mismatch {
  block: number;
  mode: Mode;
  /** What "the same failure" means when minimising: a field name, "trap:<cause>:<insn>" or "missing". */
  signature: string;
  /** Human-readable lines: field, expected (qemu), got (tsix). */
  details: string[];
}

const h64 = (v: bigint): string => "0x" + v.toString(16).padStart(16, "0");
const CAUSES: Record<string, string> = {
  "0": "instruction address misaligned", "1": "instruction access fault", "2": "illegal instruction",
  "3": "breakpoint", "4": "load address misaligned", "5": "load access fault",
  "6": "store/AMO address misaligned", "7": "store/AMO access fault", "12": "instruction page fault",
  "13": "load page fault", "15": "store/AMO page fault",
};
const SIGNALS: Record<string, string> = { "4": "SIGILL", "5": "SIGTRAP", "7": "SIGBUS", "11": "SIGSEGV" };
/** Trap classes that a Linux signal and an mcause have in common. */
const causeClass = (c: bigint): string => ({
  "2": "illegal", "3": "breakpoint", "0": "misaligned", "4": "misaligned", "6": "misaligned",
  "1": "fault", "5": "fault", "7": "fault", "12": "fault", "13": "fault", "15": "fault",
}[c.toString()] ?? `mcause ${c}`);
const signalClass = (s: bigint): string => ({ "4": "illegal", "5": "breakpoint", "7": "misaligned", "11": "fault" }[s.toString()] ?? `signal ${s}`);

/** A coarse name for an instruction word (opcode and the funct fields that pick the operation). */
function insnKey(w: number): string {
  const hex = (v: number): string => "0x" + v.toString(16);
  if ((w & 3) !== 3) return `c:${hex(w & 0xffff)}`;
  const op = w & 0x7f, f3 = (w >>> 12) & 7, f7 = w >>> 25;
  if (op === 0x53) return `op=${hex(op)},f7=${hex(f7)}`;
  if ((op & 0x73) === 0x43) return `op=${hex(op)},fmt=${f7 & 3}`;
  if (op === 0x33 || op === 0x3b) return `op=${hex(op)},f7=${hex(f7)},f3=${f3}`;
  return `op=${hex(op)},f3=${f3}`;
}

/** Compare block `i` of both runs; undefined if they agree. */
export function compareBlock(i: number, mode: Mode, ref: BlockResult | undefined, got: BlockResult | undefined): Mismatch | undefined {
  if (ref === undefined) {
    return { block: i, mode, signature: "qemu-missing", details: ["qemu-riscv64 printed no result for this sequence (the generator made something qemu rejects?)"] };
  }
  if (got === undefined) return { block: i, mode, signature: "missing", details: ["tsix printed no result for this sequence (crash, hang or a trap outside the sequence)"] };
  const tsixTrap = (t: { code: bigint; pc: bigint; tval: bigint }): string =>
    `${CAUSES[t.code.toString()] ?? `mcause ${t.code}`} at pc ${h64(t.pc)}, mtval ${h64(t.tval)}`;
  const qemuTrap = (t: { code: bigint; pc: bigint; tval: bigint }): string =>
    `${SIGNALS[t.code.toString()] ?? `signal ${t.code}`} (${signalClass(t.code)}) at pc ${h64(t.pc)}, si_addr ${h64(t.tval)}`;
  if (ref.kind === "T" && got.kind === "T") {
    const rc = signalClass(ref.code), gc = causeClass(got.code);
    const addrMatters = rc === "fault" || rc === "misaligned";
    if (rc === gc && ref.pc === got.pc && (!addrMatters || ref.tval === got.tval)) return undefined;
    return { block: i, mode, signature: `trapdiff:${rc}:${gc}`,
      details: [`qemu-riscv64: ${qemuTrap(ref)}`, `tsix: ${tsixTrap(got)}`] };
  }
  if (ref.kind === "T") {
    return { block: i, mode, signature: `notrap:${signalClass(ref.code)}`,
      details: [`qemu-riscv64 trapped: ${qemuTrap(ref)}; tsix did not trap`] };
  }
  if (got.kind === "T") {
    return {
      block: i, mode, signature: got.code === 2n ? `trap:illegal:${insnKey(Number(got.tval))}` : `trap:${causeClass(got.code)}:${got.code}`,
      details: [`tsix trapped: ${tsixTrap(got)} (qemu-riscv64 did not trap)`],
    };
  }
  const details: string[] = [];
  let first = "";
  for (let k = 0; k < FIELDS.length; k++) {
    if (ref.words[k] !== got.words[k]) {
      first ||= FIELDS[k];
      details.push(`${FIELDS[k].padEnd(13)} expected ${h64(ref.words[k])}  got ${h64(got.words[k])}`);
    }
  }
  if (ref.area && got.area) {
    for (let k = 0; k < 512; k++) {
      if (ref.area[k] !== got.area[k]) {
        details.push(`data area +0x${(k * 8).toString(16).padStart(3, "0")} (addr ${h64(DIFF_AREA + BigInt(k * 8))}) ` +
          `expected ${h64(ref.area[k])}  got ${h64(got.area[k])}`);
      }
    }
  }
  return first ? { block: i, mode, signature: first, details } : undefined;
}

export interface ProgramResult {
  mismatches: Mismatch[];
  /** Per tsix mode: crash, timeout, fatal trap (empty if none). */
  problems: Partial<Record<Mode, string>>;
  /** Per tsix mode: how many blocks printed a result. */
  printed: Partial<Record<Mode, number>>;
  qemuProblem: string;
  count: number;
  elfs: Elfs;
}

/** Build and run a program of `blocks` on qemu and on tsix in each of `modes`; compare every block. */
export async function runBlocks(name: string, blocks: readonly Block[], modes: readonly Mode[] = MODES,
  dumpArea = false, tsixTimeoutMs = 60_000): Promise<ProgramResult> {
  const elfs = await buildProgram(name, renderProgram(blocks), modes, dumpArea);
  const [q, ...ts] = await Promise.all([runQemu(elfs.linux), ...modes.map((m) => runTsixAsync(elfs.tsix[m], tsixTimeoutMs))]);
  const mismatches: Mismatch[] = [];
  const problems: Partial<Record<Mode, string>> = {};
  const printed: Partial<Record<Mode, number>> = {};
  modes.forEach((m, k) => {
    if (ts[k].problem) problems[m] = ts[k].problem;
    printed[m] = ts[k].blocks.size;
    for (let i = 0; i < blocks.length; i++) {
      const mm = compareBlock(i, m, q.blocks.get(i), ts[k].blocks.get(i));
      if (mm) mismatches.push(mm);
    }
  });
  return { mismatches, problems, printed, qemuProblem: q.problem, count: blocks.length, elfs };
}

/** Delete a program's source and ELFs (the minimiser's many candidates are not kept). */
export function removeBuild(e: Elfs): void {
  for (const f of [e.src, e.linux, ...Object.values(e.tsix)]) rmSync(f, { force: true });
}

// ---- Minimisation -------------------------------------------------------------------
/**
 * Shrink the set of items of `seq` while block results keep the same kind of
 * mismatch. Each round runs one program holding every candidate (the current
 * set minus one chunk, for chunk sizes n/2, n/4, ..., 1), then tries the union
 * of all successful removals, and keeps the biggest removal that still fails.
 */
export async function minimise(seq: Seq, mode: Mode, signature: string, name: string, maxRounds = 12): Promise<Set<number>> {
  let drop = new Set<number>();
  // x5 wrong and x7 wrong (computed from x5) are the same failure: compare the
  // kind of field (x register, f register, fcsr, data) but insist on the same trap.
  const cls = (sig: string): string => sig.replace(/^([xf])\d+$/, "$1");
  const stillFails = (m: Mismatch | undefined): boolean => m !== undefined && cls(m.signature) === cls(signature);
  for (let round = 0; round < maxRounds; round++) {
    const live = seq.items.map((_, i) => i).filter((i) => !drop.has(i));
    if (live.length <= 1) break;
    const cands: Set<number>[] = [];
    for (let size = Math.max(1, Math.floor(live.length / 2)); ; size = Math.max(1, Math.floor(size / 2))) {
      for (let k = 0; k < live.length; k += size) cands.push(new Set([...drop, ...live.slice(k, k + size)]));
      if (size === 1) break;
    }
    const res = await runBlocks(`${name}-r${round}`, cands.map((d) => ({ seq, drop: d })), [mode]);
    removeBuild(res.elfs);
    const failing = new Set(res.mismatches.filter(stillFails).map((m) => m.block));
    const ok = cands.filter((_, i) => failing.has(i));
    if (ok.length === 0) break;
    ok.sort((a, b) => b.size - a.size);
    let best = ok[0];
    const union = new Set<number>();
    for (const c of ok) for (const i of c) union.add(i);
    if (union.size > best.size && union.size < seq.items.length) {
      const u = await runBlocks(`${name}-r${round}u`, [{ seq, drop: union }], [mode]);
      removeBuild(u.elfs);
      if (u.mismatches.some(stillFails)) best = union;
    }
    drop = best;
  }
  return drop;
}
