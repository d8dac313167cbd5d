// Differential test of the CPU: random RV64GC instruction sequences run on
// tsix and on qemu-riscv64 (user mode, the reference) must end in the same
// state: x1..x31, f0..f31, fcsr, and a checksum of the 4 KiB data area they
// load from and store to (which also holds a log of fflags after most FP
// instructions), or trap alike (same kind, same pc). See test/hw/diff/gen.ts
// (generator), harness.S (the code around each sequence, one source for both
// machines) and run.ts (build, run, compare, minimise).
//
// One sub-test per area: int (RV64IM), amo, rvc, f, d, mix (all of IMAFDC)
// and enc (encoding probes: fields of valid encodings randomised into other
// valid or reserved ones, which must trap on both). Each program holds
// TSIX_DIFF_SEQS sequences (default 100; 3x as many short blocks for enc),
// each starting from its own initial state; every area gets
// TSIX_DIFF_PROGRAMS programs (default 8). tsix runs every program twice: in
// M-mode without paging, and in U-mode under Sv39 with the data area and the
// code split over non-adjacent physical pages. A mismatch is minimised (the
// smallest subset of the sequence's items that still fails the same way) and
// reported with the seed, the sequence, the initial values it uses,
// expected/got values and the full sequence; the program is also written to
// build/diff/mismatch-*.S with the commands that reproduce it.
//
// Environment: TSIX_DIFF_SEED (default "1"), TSIX_DIFF_PROGRAMS,
// TSIX_DIFF_SEQS, TSIX_DIFF_AREAS (e.g. "f,d"), TSIX_DIFF_MINIMISE=0 (skip
// minimising), TSIX_DIFF_TSIX (another tsix.js, e.g. a deliberately broken core).
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AREAS, describeSeq, genProgram, renderBody, renderProgram, type Area, type Seq } from "./diff/gen.js";
import { BUILD, QEMU, minimise, pool, reproCommands, runBlocks, type Mismatch, MODES } from "./diff/run.js";
import { CROSS_GCC } from "./bare.js";

const SEED = process.env.TSIX_DIFF_SEED || "1";
/** Build file names carry the seed, so runs with different seeds do not clash. */
const TAG = `s${SEED.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 40)}`;
const PROGRAMS = Number(process.env.TSIX_DIFF_PROGRAMS || 8);
const SEQS = Number(process.env.TSIX_DIFF_SEQS || 100);
const ONLY = process.env.TSIX_DIFF_AREAS ? new Set(process.env.TSIX_DIFF_AREAS.split(",")) : undefined;
const MINIMISE = process.env.TSIX_DIFF_MINIMISE !== "0";
/** Failures per area that are minimised (a few seconds each) and reported in full. */
const MAX_MINIMISED = 4;
const MAX_REPORTED = 6;

const TITLES: Record<Area, string> = {
  int: "RV64I + M",
  amo: "RV64A (AMOs, LR/SC) with RV64I",
  rvc: "RV64C (explicit c.* and auto-compressed) with RV64IM",
  f: "RV64F with RV64I",
  d: "RV64D (and F) with RV64I",
  mix: "everything mixed (IMAFDC)",
  enc: "encoding probes: valid and reserved encodings must trap (or not) alike",
};

const tools = spawnSync(QEMU, ["--version"]).status === 0 && spawnSync(CROSS_GCC, ["--version"]).status === 0;

/** Disassemble the instruction at `addr` of `elf` (for trap reports). */
function disasm(elf: string, addr: bigint): string {
  const r = spawnSync("riscv64-linux-gnu-objdump", ["-d", `--start-address=0x${addr.toString(16)}`,
    `--stop-address=0x${(addr + 4n).toString(16)}`, elf], { encoding: "utf8" });
  const line = (r.stdout ?? "").split("\n").find((l) => /^\s*[0-9a-f]+:\t/.test(l));
  return line ? line.trim().replace(/\s+/g, " ") : "?";
}

/** Append objdump's reading to the .4byte/.2byte lines of a listing (encoding probes). */
function annotate(listing: string): string {
  const words = [...listing.matchAll(/\.(4|2)byte 0x([0-9a-f]+)/g)];
  if (words.length === 0) return listing;
  const bin = Buffer.concat(words.map((w) => {
    const b = Buffer.alloc(Number(w[1]));
    if (w[1] === "4") b.writeUInt32LE(parseInt(w[2], 16)); else b.writeUInt16LE(parseInt(w[2], 16));
    return b;
  }));
  const file = join(BUILD, `annotate-${process.pid}.bin`);
  writeFileSync(file, bin);
  const r = spawnSync("riscv64-linux-gnu-objdump", ["-D", "-b", "binary", "-m", "riscv:rv64", file], { encoding: "utf8" });
  rmSync(file, { force: true });
  const text = new Map<string, string>();
  for (const l of (r.stdout ?? "").split("\n")) {
    const m = /^\s*[0-9a-f]+:\s+([0-9a-f]+)\s+(.*)$/.exec(l);
    if (m) text.set(m[1].replace(/^0+(?=.)/, ""), m[2].replace(/\s+/g, " ").trim());
  }
  return listing.replace(/(\.(?:4|2)byte 0x([0-9a-f]+).*)$/gm, (line, _l: string, hex: string) =>
    `${line}  => ${text.get(hex.replace(/^0+(?=.)/, "")) ?? "?"}`);
}

/** One failing sequence: its mismatch in each tsix mode where it failed. */
interface Found { prog: number; seq: Seq; ms: Mismatch[]; elfs: Record<string, string> }

const culprit = (text: string): string => {
  // The last instruction of a minimised listing that is not fflags logging.
  const lines = text.split("\n").filter((l) => /^ {4}[a-z.]/.test(l) && !/^ {4}(sb|fsflags|frflags) /.test(l));
  return lines.length ? lines[lines.length - 1].trim().split(/[ ,]+/)[0] : "?";
};

async function report(area: Area, f: Found, minimiseIt: boolean): Promise<{ text: string; key: string }> {
  const { prog, seq } = f;
  const m = f.ms[0];
  const modes = f.ms.map((x) => x.mode).join("+");
  const out: string[] = [];
  out.push(`--- ${seq.id}: ${m.signature} (tsix mode ${modes})`);
  out.push(...m.details.map((d) => "  " + d));
  const trap = /at pc (0x[0-9a-f]+)/.exec(m.details.join(" "));
  if (trap) out.push(`  instruction: ${disasm(f.elfs[m.mode], BigInt(trap[1]))}`);
  let drop = new Set<number>();
  let key = m.signature;
  if (minimiseIt && m.signature !== "missing") {
    const name = `${TAG}-min-${area}-p${prog}-b${m.block}`;
    drop = await minimise(seq, m.mode, m.signature, name);
    // Re-run the minimised sequence with a full dump of the data area.
    const r = await runBlocks(`${name}-final`, [{ seq, drop }], [m.mode], true);
    const mm = r.mismatches[0];
    if (mm) {
      const listing = annotate(describeSeq(seq, drop, true).trimEnd());
      key = `${culprit(listing)} -> ${m.signature.replace(/^[xf]\d+$/, (x) => x[0] + "N")}`;
      out.push(`minimised to ${seq.items.length - drop.size} of ${seq.items.length} items:`, listing);
      out.push("result of the minimised sequence:", ...mm.details.map((d) => "  " + d));
      const t = /at pc (0x[0-9a-f]+)/.exec(mm.details.join(" "));
      if (t) out.push(`  instruction: ${disasm(r.elfs.tsix[m.mode], BigInt(t[1]))}`);
    } else {
      out.push("(the minimised sequence does not fail on its own; the full sequence follows)");
      drop = new Set();
    }
  }
  if (drop.size === 0) out.push("sequence:", annotate(describeSeq(seq).trimEnd()));
  else out.push("the full sequence (initial state in the file below):", annotate(renderBody(seq, "r").join("\n")));
  // The program: block 0 is the minimised sequence (if any), block 1 the original.
  const file = join(BUILD, `mismatch-${TAG}-${area}-p${prog}-b${m.block}.S`);
  const repro = reproCommands(file);
  writeFileSync(file, `/*\n${[...out, "", "reproduce:", ...repro].join("\n").replace(/\*\//g, "* /")}\n*/\n` +
    renderProgram(drop.size ? [{ seq, drop }, { seq }] : [{ seq }]));
  out.push(`program written to ${file} (${drop.size ? "block 0 minimised, block 1 original" : "one block"}); reproduce:`,
    ...repro.map((c) => "  " + c));
  return { text: out.join("\n"), key };
}

for (const area of AREAS) {
  test(`diff vs qemu-riscv64: ${area}: ${TITLES[area]}`, { skip: !tools ? "needs qemu-riscv64 and the riscv64 cross gcc" : ONLY && !ONLY.has(area) }, async (t) => {
    // Encoding probes are short blocks that mostly end at their first trap: more of them.
    const perProgram = area === "enc" ? SEQS * 3 : SEQS;
    t.diagnostic(`seed ${SEED} (TSIX_DIFF_SEED), ${PROGRAMS} programs x ${perProgram} sequences, tsix modes ${MODES.join("+")}`);
    const progs = Array.from({ length: PROGRAMS }, (_, p) => p);
    const results = await pool(progs, 2, async (p) => {
      const seqs = genProgram(SEED, area, p, perProgram);
      return { p, seqs, r: await runBlocks(`${TAG}-${area}-p${p}`, seqs.map((seq) => ({ seq }))) };
    });
    const problems: string[] = [];
    const found = new Map<string, Found>();
    for (const { p, seqs, r } of results) {
      // The reference must run every sequence: anything else is a generator bug.
      assert.equal(r.qemuProblem, "", `program ${p} (${r.elfs.src}) under qemu-riscv64: ${r.qemuProblem}`);
      for (const [mode, msg] of Object.entries(r.problems)) problems.push(`program ${p} (${r.elfs.src}), tsix ${mode}: ${msg}`);
      for (const m of r.mismatches) {
        // A run that printed nothing is reported once, as a problem, above.
        if (m.signature === "missing" && r.printed[m.mode] === 0) continue;
        const k = `${p}:${m.block}`;
        const f: Found = found.get(k) ?? { prog: p, seq: seqs[m.block], ms: [], elfs: r.elfs.tsix };
        f.ms.push(m);
        found.set(k, f);
      }
    }
    const total = PROGRAMS * perProgram;
    t.diagnostic(`${total} sequences, ${found.size} differ`);
    if (found.size === 0 && problems.length === 0) return;
    // Minimise a few failures, taken round-robin from the signature groups
    // (largest first), and list the rest by signature.
    const groups = new Map<string, Found[]>();
    for (const f of found.values()) groups.set(f.ms[0].signature, [...(groups.get(f.ms[0].signature) ?? []), f]);
    const sorted = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
    const picked: Found[] = [];
    for (let round = 0; picked.length < MAX_REPORTED && picked.length < found.size; round++) {
      for (const [, g] of sorted) if (round < g.length && picked.length < MAX_REPORTED) picked.push(g[round]);
    }
    const reports: string[] = [];
    const keys = new Map<string, number>();
    const t0 = Date.now();
    for (const [i, f] of picked.entries()) {
      const r = await report(area, f, MINIMISE && i < MAX_MINIMISED && Date.now() - t0 < 90_000);
      reports.push(r.text);
      keys.set(r.key, (keys.get(r.key) ?? 0) + 1);
    }
    const summary = sorted.slice(0, 20).map(([sig, g]) => `  ${String(g.length).padStart(4)} x ${sig}  (e.g. ${g[0].seq.id})`);
    if (sorted.length > 20) summary.push(`  ... and ${sorted.length - 20} more kinds`);
    assert.fail([`${found.size} of ${total} sequences differ from qemu-riscv64 (seed ${SEED}; rerun with ` +
      `TSIX_DIFF_SEED=${SEED} TSIX_DIFF_AREAS=${area})`, ...problems,
    "by first differing field:", ...summary,
    `reported below (minimised first ${MAX_MINIMISED}): ${[...keys].map(([k, n]) => `${k}${n > 1 ? ` (${n}x)` : ""}`).join("; ")}`,
    ...reports].join("\n"));
  });
}
