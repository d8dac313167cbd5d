// The second execution tier's exactness tests (hw/jit), each run with the JIT
// on and compared with the interpreter:
//  - self-modifying code: new instructions written over translated ones run
//    after fence.i (and, as on QEMU, even without it);
//  - a page fault in the middle of a translated loop leaves pc, registers,
//    CSRs and memory exactly as the interpreter does;
//  - a timer interrupt arrives within one loop body of mtime reaching
//    mtimecmp, at the same instruction as in the interpreter;
//  - F/D instructions run translated with the interpreter's results and
//    flags, and trap precisely while mstatus.FS is off;
//  - regions are bounded in size, and loops longer than one region stay exact;
//  - loops of several blocks, nested, overlapping, entered in the middle
//    (a jump to a rotated loop's test, a jalr) run exactly, in lockstep;
//  - after a full invalidation regions are reused only if their bytes are unchanged;
//  - chaining: a region that leaves through a taken jump enters the next
//    translated region itself, with the same state and count as through the
//    interpreter;
//  - the global warm-up: nothing is translated or entered during the first N
//    retired instructions, the tier works as before afterwards;
//  - the hotness policy (issue 12): the translation budget, hotness epochs
//    and sampled lookups bound what is translated, exactly;
//  - misaligned loads and stores (inside a page and across a page end into a
//    physical page that is not the next one) leave the region exactly and
//    give the interpreter's results;
//  - a branch target holding an instruction across the page end (which no
//    region can run) leaves the region before it instead of chaining into
//    itself without retiring anything (issue 12);
//  - data TLB misses in a translated Sv39 loop leave the region before the
//    access; the interpreter's walks set A and D exactly as without the JIT,
//    and the fault of an unmapped page after them is precise;
//  - chaining between regions on different pages stays exact when the page
//    chained to is remapped (sfence.vma of that page only) and when its
//    code is rewritten through another virtual address.
import { test, after } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as L from "../../../hw/core/layout.js";
import { buildBare, CROSS_GCC } from "../bare.js";
import { lockstep, lockstepCoverage, runElf } from "./lockstep.js";
import { createMachine, loadBareElf, type Machine } from "../../../hw/machine.js";
import { loadCore } from "../../../host/node/core.js";
import { translatePage, MAX_REGION_INSNS } from "../../../hw/jit/translate.js";
import { DEFAULT_WARMUP, type JitOptions } from "../../../hw/jit/jit.js";

// The closing line: how much the lockstep runs of this file compared.
after(() => { console.log(lockstepCoverage("tier.test")); });

const haveGcc = spawnSync(CROSS_GCC, ["--version"]).status === 0;
const skip = !haveGcc && "needs the riscv64 cross gcc";
const PROGS = "test/hw/jit/progs";

function symbol(elf: string, name: string): number {
  const r = spawnSync("riscv64-linux-gnu-nm", [elf], { encoding: "utf8" });
  const line = r.stdout.split("\n").find((l) => l.endsWith(` ${name}`));
  if (!line) throw new Error(`${name} not found in ${elf}`);
  return parseInt(line.split(" ")[0], 16);
}

function finished(m: Machine): string { return JSON.stringify(m.finished); }

for (const variant of [[], ["-DNO_FENCE_I"]]) {
  const what = variant.length ? "without fence.i (stores drop translated code)" : "after fence.i";
  test(`self-modifying code runs its new instructions ${what}`, { skip }, () => {
    const elf = buildBare(`${PROGS}/smc.S`, variant);
    const interp = runElf(elf, false);
    assert.equal(finished(interp), '{"kind":"pass","code":0}', "the program passes in the interpreter");
    const m = runElf(elf, { hot: 2 });
    const s = m.jit.stats();
    assert.equal(finished(m), '{"kind":"pass","code":0}', `stale translated code ran (exit ${finished(m)}); ${JSON.stringify(s)}`);
    assert.ok(s.regionsTranslated >= 2 && s.jitInstructions > 0, `the JIT must have translated f and the loops: ${JSON.stringify(s)}`);
    if (variant.length) assert.ok(s.codePageWrites >= 2, `the stores must have been seen: ${JSON.stringify(s)}`);
    else assert.ok(s.flushes >= 2, `fence.i must have flushed: ${JSON.stringify(s)}`);
    assert.equal(m.stats().instructions, interp.stats().instructions, "same instruction count in both tiers");
  });
}

test("a page fault in the middle of a translated loop is precise", { skip }, () => {
  const elf = buildBare(`${PROGS}/pagefault.S`);
  const interp = runElf(elf, false);
  assert.equal(finished(interp), '{"kind":"pass","code":0}', `the program passes in the interpreter: ${finished(interp)}`);
  const m = runElf(elf, { hot: 2 });
  assert.equal(finished(m), '{"kind":"pass","code":0}', `the fault was not precise under the JIT (exit code = the failed check): ${finished(m)}`);
  const s = m.jit.stats();
  assert.ok(s.jitInstructions > 200, `most of the loop ran translated: ${JSON.stringify(s)}`);
  const a = interp.hartState(0), b = m.hartState(0);
  for (const w of [...Array(32).keys(), L.PC / 8, L.PRIV / 8, L.MSTATUS / 8, L.MEPC / 8, L.MCAUSE / 8, L.MTVAL / 8, L.INSTRET / 8]) {
    assert.equal(b[w], a[w], `state word ${w * 8} differs between the tiers`);
  }
  assert.ok(Buffer.from(interp.ram).equals(Buffer.from(m.ram)), "RAM is the same in both tiers");
});

test("data TLB misses inside a translated loop (walks that set A and D, then a fault) are exact", { skip }, () => {
  const elf = buildBare(`${PROGS}/tlbfill.S`);
  const interp = runElf(elf, false);
  assert.equal(finished(interp), '{"kind":"pass","code":0}', `the program passes in the interpreter: ${finished(interp)}`);
  const m = runElf(elf, { hot: 2 });
  assert.equal(finished(m), '{"kind":"pass","code":0}', `translated (exit code = the failed check): ${finished(m)}`);
  const s = m.jit.stats();
  // 2 passes x 1,023 pages, a read miss and a write miss each: every miss
  // leaves the region before the access, the interpreter walks (setting A
  // or D) and the loop is entered again at its next iteration.
  assert.ok(s.jitInstructions > 5_000, `the loop ran translated between the misses: ${JSON.stringify(s)}`);
  assert.equal(m.stats().instructions, interp.stats().instructions, "same instruction count in both tiers");
  assert.ok(Buffer.from(interp.ram).equals(Buffer.from(m.ram)), "RAM (the A and D bits the walks set) is the same in both tiers");
  // And in lockstep, in small random slices (the limit reached inside the loop, between misses).
  const r = lockstep(elf, { maxBudget: 300 });
  assert.equal(r.finished, '{"kind":"pass","code":0}');
});

test("a timer interrupt is taken within one loop body, at the same instruction as in the interpreter", { skip }, () => {
  const elf = buildBare(`${PROGS}/timer.S`);
  const rec = symbol(elf, "rec") - L.RAM_PA;
  const read = (m: Machine): bigint[] => {
    const v = new DataView(m.ram.buffer, m.ram.byteOffset + rec, 48);
    return [0, 8, 16, 24, 32, 40].map((o) => v.getBigUint64(o, true));
  };
  const interp = runElf(elf, false);
  const m = runElf(elf, { hot: 2 });
  assert.equal(finished(m), '{"kind":"pass","code":0}');
  const [instret, mtime, mtimecmp, iterations, mcause, mepc] = read(m);
  assert.equal(mcause, (1n << 63n) | 7n, "a machine timer interrupt");
  assert.ok(iterations > 100n, `the loop ran (${iterations} iterations)`);
  // 10 instructions per tick; one loop body is 32 instructions: at most 4 ticks late (+1 for rounding).
  assert.ok(mtime >= mtimecmp && mtime - mtimecmp <= 5n, `latency: mtime ${mtime} vs mtimecmp ${mtimecmp}`);
  const s = m.jit.stats();
  assert.ok(s.jitInstructions > Number(instret) / 2, `the loop ran translated: ${JSON.stringify(s)}`);
  assert.deepEqual(read(m), read(interp), "instret, mtime, loop count and mepc as in the interpreter");
  void mepc;
});

test("a full code cache is emptied and the program still runs as in the interpreter", { skip }, () => {
  const elf = buildBare(`${PROGS}/smc.S`);
  const interp = runElf(elf, false);
  const m = runElf(elf, { hot: 2, maxRegions: 1 });
  const s = m.jit.stats();
  assert.equal(finished(m), '{"kind":"pass","code":0}');
  assert.ok(s.evictions > 0 && s.regionsLive <= 1, `the cache must have been emptied: ${JSON.stringify(s)}`);
  assert.equal(m.stats().instructions, interp.stats().instructions);
});

test("F and D instructions run translated, with the interpreter's results, fflags and traps", { skip }, () => {
  const elf = buildBare(`${PROGS}/fp.S`);
  const r = lockstep(elf, { maxBudget: 300 });
  assert.match(r.finished, /"pass"/, "the FS-off trap must be precise in both tiers (exit code = the failed check)");
  // The FP loops are most of the program; before F/D was translated, each F/D
  // instruction ended a region and the loop bodies ran in the interpreter.
  assert.ok(r.jitInstructions > r.instructions * 0.8, `the F/D loops must run translated: ${r.jitInstructions} of ${r.instructions}`);
  // The accrued flags and the integer digest the program stored are compared by lockstep; check they are not trivial.
  const m = runElf(elf, { hot: 1 });
  const fflags = Number(m.hartState(0)[L.FCSR / 8] & 0x1fn);
  assert.equal(fflags & 1, 1, "NX must have been raised by the inexact operations");
});

test("the FP CSRs run translated, and a loop falling through a page end chains between its two pages' regions", { skip }, () => {
  const elf = buildBare(`${PROGS}/fpcsr.S`);
  const interp = runElf(elf, false);
  assert.equal(finished(interp), '{"kind":"pass","code":0}', `the program passes in the interpreter: ${finished(interp)}`);
  // Every CSR form on fflags, frm and fcsr, compared after slices of random length (the digest,
  // the FP registers and fcsr are all hart state); the FS-off trap must be precise in both tiers.
  const r = lockstep(elf, { maxBudget: 300 });
  assert.match(r.finished, /"pass"/, "exit code = the failed check");
  // Before, each CSR instruction ended its region and the interpreter ran on to the loop's branch.
  assert.ok(r.jitInstructions > r.instructions * 0.8, `the CSR loop must run translated: ${r.jitInstructions} of ${r.instructions}`);
  const m = runElf(elf, { hot: 2 });
  assert.equal(finished(m), '{"kind":"pass","code":0}');
  assert.equal(m.stats().instructions, interp.stats().instructions, "same instruction count in both tiers");
  assert.equal(m.hartState(0)[L.FCSR / 8], interp.hartState(0)[L.FCSR / 8], "same fcsr in both tiers");
  // The page loop (400 iterations) leaves the first page's region by falling through its end, as
  // a taken jump: it enters the next page's region at once (a chain), and that region's branch
  // back chains into the first. Leaving as an untranslated instruction would make it one chain
  // per iteration, the rest of the body run by the interpreter.
  const s = m.jit.stats();
  assert.ok(s.chained >= 2 * 400 - 20, `two chains per iteration of the page loop: ${JSON.stringify(s)}`);
});

test("a region translates at most MAX_REGION_INSNS instructions of a page full of code", () => {
  const bytes = new Uint8Array(4096);
  const addi = 0x00108093; // addi x1, x1, 1
  for (let o = 0; o < 4096; o += 4) new DataView(bytes.buffer).setUint32(o, addi, true);
  const tr = translatePage({ vaPage: 0x80000000n, bytes, rvc: new Uint32Array(65536) }, [0], 512);
  assert.ok(tr, "straight-line code translates");
  assert.ok(tr.insns <= MAX_REGION_INSNS, `${tr.insns} instructions in one region (limit ${MAX_REGION_INSNS})`);
  assert.ok(tr.insns >= MAX_REGION_INSNS / 2, `the region still holds a useful amount of code: ${tr.insns}`);
});

test("lockstep: a loop body longer than a region (regions cut in straight-line code)", { skip }, () => {
  const elf = buildBare(`${PROGS}/longloop.S`);
  // Long slices: each slice starts in the interpreter, which enters a region only at a taken branch.
  const r = lockstep(elf, { maxBudget: 20000 });
  assert.match(r.finished, /"pass"/);
  assert.ok(r.jitInstructions > r.instructions / 2, `most of the loop must run translated: ${r.jitInstructions} of ${r.instructions}`);
  assert.ok(r.regions >= 2, `the body needs more than one region: ${r.regions}`);
});

test("lockstep: loops of several blocks, nested, overlapping, entered in the middle (a jump, a jalr), with F/D writing x", { skip }, () => {
  const elf = buildBare(`${PROGS}/loops.S`);
  const interp = runElf(elf, false);
  assert.equal(finished(interp), '{"kind":"pass","code":0}', `the program passes in the interpreter: ${finished(interp)}`);
  // Small slices: the limit falls inside every loop; long ones: the loops run whole in their regions.
  for (const maxBudget of [40, 5000]) {
    const r = lockstep(elf, { maxBudget, seed: maxBudget });
    assert.equal(r.finished, '{"kind":"pass","code":0}', `maxBudget ${maxBudget}: exit code = the failed check`);
    assert.ok(r.jitInstructions > r.instructions / 2, `maxBudget ${maxBudget}: most of it ran translated: ${r.jitInstructions} of ${r.instructions}`);
  }
});

test("regions are reused after a full invalidation only while their bytes are unchanged", { skip }, () => {
  const elf = buildBare(`${PROGS}/reuse.S`);
  const f = symbol(elf, "f") - L.RAM_PA;
  const result = symbol(elf, "result") - L.RAM_PA;
  const word = (m: Machine, off: number): bigint => new DataView(m.ram.buffer, m.ram.byteOffset + off, 8).getBigUint64(0, true);
  const drive = (jit: false | { hot: number }): Machine => {
    const m = createMachine(loadCore(), { memBytes: 32 << 20, jit });
    loadBareElf(m, readFileSync(elf));
    let n = 0;
    while (word(m, result + 8) < 1000n) { m.runSlice(5000); if (++n > 10_000) throw new Error("loop 2 never ran"); }
    assert.equal(word(m, result), 1n, "f returns 1 before the rewrite");
    // What a kernel does when it loads other code into a page: write RAM, then flush the TLB.
    new DataView(m.ram.buffer, m.ram.byteOffset + f, 4).setUint32(0, 0x00300513, true); // addi a0, zero, 3
    m.core.flushTlb();
    for (n = 0; !m.finished; n++) { m.runSlice(5000); if (n > 10_000) throw new Error(`no finish: f still returns ${word(m, result)}`); }
    return m;
  };
  const interp = drive(false);
  const m = drive({ hot: 2 });
  assert.equal(JSON.stringify(m.finished), '{"kind":"pass","code":0}', "the rewritten f must run (exit code 1: the stale region was reused)");
  assert.equal(m.stats().instructions, interp.stats().instructions, "same instruction count in both tiers");
  const s = m.jit.stats();
  assert.ok(s.reused >= 1, `after fence.i f's region is registered again, not translated: ${JSON.stringify(s)}`);
  assert.ok(s.regionsTranslated >= 4, `f is translated again after the rewrite: ${JSON.stringify(s)}`);
  assert.ok(s.flushes >= 2, `fence.i and the host flush invalidated everything: ${JSON.stringify(s)}`);
});

/** Run an ELF to the finisher with the JIT options `jit`, in slices of `slice` instructions. */
function runSliced(elf: string, jit: JitOptions, slice: number): Machine {
  const m = createMachine(loadCore(), { memBytes: 32 << 20, jit });
  loadBareElf(m, readFileSync(elf));
  for (let n = 0; !m.finished; n++) {
    m.runSlice(slice);
    if (n > 1_000_000) throw new Error(`${elf}: no finish`);
  }
  return m;
}

test("the global warm-up: no lookup or translation during the first N retired instructions, then as usual", { skip }, () => {
  const elf = buildBare(`${PROGS}/longloop.S`);
  const interp = runElf(elf, false);
  assert.match(finished(interp), /"pass"/);
  const insns = interp.stats().instructions;
  // A warm-up longer than the program: the JIT never looks up or translates anything.
  const never = runElf(elf, { hot: 2, warmup: 1e9 });
  const sn = never.jit.stats();
  assert.equal(finished(never), finished(interp));
  assert.equal(sn.regionsTranslated, 0, `translated during the warm-up: ${JSON.stringify(sn)}`);
  assert.equal(sn.regionEntries, 0, `entered a region during the warm-up: ${JSON.stringify(sn)}`);
  assert.equal(1e9 - sn.warmupLeft, insns, `the warm-up counts retired instructions: ${JSON.stringify(sn)}`);
  // The default options (as tsix run has them) start with DEFAULT_WARMUP, more than this program runs.
  assert.ok(insns < DEFAULT_WARMUP);
  const dflt = runElf(elf, {});
  assert.equal(dflt.jit.stats().warmupLeft, DEFAULT_WARMUP - insns);
  assert.equal(dflt.jit.stats().regionsTranslated, 0);
  // A warm-up that ends in the middle (at the end of a slice): exact, and translated code runs after it.
  const mid = runSliced(elf, { hot: 2, warmup: 10_000 }, 1000);
  const sm = mid.jit.stats();
  assert.equal(finished(mid), finished(interp));
  assert.equal(mid.stats().instructions, insns, "same instruction count in both tiers");
  assert.equal(sm.warmupLeft, 0);
  assert.ok(sm.regionsTranslated > 0 && sm.jitInstructions > 0, `translated after the warm-up: ${JSON.stringify(sm)}`);
  assert.ok(sm.jitInstructions <= insns - 10_000, `the warm-up's instructions ran in the interpreter: ${JSON.stringify(sm)}`);
});

test("the translation budget: each translation must be paid for by retired instructions", { skip }, () => {
  const elf = buildBare(`${PROGS}/longloop.S`);
  const interp = runElf(elf, false);
  const insns = interp.stats().instructions;
  const plain = runElf(elf, { hot: 2 }).jit.stats();
  assert.ok(plain.regionsTranslated >= 3, `longloop needs several regions: ${JSON.stringify(plain)}`);
  // A budget never paid off: the first translation is allowed (nothing owed), then none.
  const one = runElf(elf, { hot: 2, translateCost: 1e12 });
  assert.equal(finished(one), finished(interp));
  assert.equal(one.stats().instructions, insns);
  assert.equal(one.jit.stats().regionsTranslated, 1, `the budget allowed more: ${JSON.stringify(one.jit.stats())}`);
  // Two saved up: those and the one allowed when nothing is owed, then none.
  assert.equal(runElf(elf, { hot: 2, translateCost: 1e9, savedTranslations: 2 }).jit.stats().regionsTranslated, 3);
  // Paid off at the end of every slice of 2,000 instructions: at most one translation per 5,000 instructions (plus the first).
  const paced = runSliced(elf, { hot: 2, translateCost: 5000 }, 2000);
  const sp = paced.jit.stats();
  assert.equal(finished(paced), finished(interp));
  assert.equal(paced.stats().instructions, insns);
  assert.ok(sp.regionsTranslated >= 2 && sp.regionsTranslated <= 1 + Math.ceil(insns / 5000), `paced: ${JSON.stringify(sp)} over ${insns} instructions`);
  assert.ok(sp.jitInstructions > 0);
});

test("the translation budget: instructions retired in translated code pay `translatedPay` times", { skip }, () => {
  const elf = buildBare(`${PROGS}/longloop.S`);
  const interp = runElf(elf, false);
  const insns = interp.stats().instructions;
  const plain = runElf(elf, { hot: 2 }).jit.stats();
  // One translation costs the whole program's instructions: paid one for one,
  // the first translation and at most one more (the budget is paid at slice ends).
  const slow = runSliced(elf, { hot: 2, translateCost: insns }, 2000);
  assert.equal(finished(slow), finished(interp));
  assert.ok(slow.jit.stats().regionsTranslated <= 2 && slow.jit.stats().regionsTranslated < plain.regionsTranslated, JSON.stringify(slow.jit.stats()));
  // The same cost, but what runs in the first region pays a thousandfold: the loop gets its other regions.
  const fast = runSliced(elf, { hot: 2, translateCost: insns, translatedPay: 1000 }, 2000);
  const sf = fast.jit.stats();
  assert.equal(finished(fast), finished(interp));
  assert.equal(fast.stats().instructions, insns, "same instruction count in both tiers");
  assert.ok(sf.regionsTranslated >= 3 && sf.regionsTranslated > slow.jit.stats().regionsTranslated, `translatedPay 1000: ${JSON.stringify(sf)}`);
});

test("hotness is a rate: arrivals spread over hotness epochs make a pc hot only when `hotTotal` of them add up", { skip }, () => {
  const elf = buildBare(`${PROGS}/longloop.S`);
  const interp = runElf(elf, false);
  // longloop's body is longer than a region (hundreds of instructions): each of its pcs
  // arrives once per iteration, so never 3 times within an epoch of 1,000 instructions
  // (epochs end with the slices that retire them).
  const aged = runSliced(elf, { hot: 3, hotEpoch: 1000 }, 1000);
  assert.equal(finished(aged), finished(interp));
  assert.equal(aged.jit.stats().regionsTranslated, 0, JSON.stringify(aged.jit.stats()));
  // The same threshold without ageing translates.
  assert.ok(runSliced(elf, { hot: 3 }, 1000).jit.stats().regionsTranslated > 0);
  // Unless they add up: `hotTotal` arrivals over all epochs make a pc hot too. In slices of
  // 3,000 instructions (four iterations), each ending an epoch, no pc arrives 10 times in one.
  const aged10 = runSliced(elf, { hot: 10, hotEpoch: 1000 }, 3000);
  assert.equal(aged10.jit.stats().regionsTranslated, 0, JSON.stringify(aged10.jit.stats()));
  const total = runSliced(elf, { hot: 10, hotEpoch: 1000, hotTotal: 6 }, 3000);
  const st = total.jit.stats();
  assert.equal(finished(total), finished(interp));
  assert.equal(total.stats().instructions, interp.stats().instructions, "same instruction count in both tiers");
  assert.ok(st.regionsTranslated >= 2 && st.jitInstructions > 0, `hot by arrivals over all epochs: ${JSON.stringify(st)}`);
  // Such a pc has cost the interpreter about a translation already: a budget never paid
  // off, which allows only the first translation to a pc hot by its rate, does not hold
  // it back.
  assert.equal(runSliced(elf, { hot: 10, translateCost: 1e12 }, 3000).jit.stats().regionsTranslated, 1);
  const owed = runSliced(elf, { hot: 10, hotEpoch: 1000, hotTotal: 6, translateCost: 1e12 }, 3000);
  assert.equal(finished(owed), finished(interp));
  assert.equal(owed.jit.stats().regionsTranslated, st.regionsTranslated, `the budget held back a pc hot over all epochs: ${JSON.stringify(owed.jit.stats())}`);
  // Fewer arrivals than `hotTotal`: nothing.
  assert.equal(runSliced(elf, { hot: 10, hotEpoch: 1000, hotTotal: 60000 }, 3000).jit.stats().regionsTranslated, 0);
});

test("sampled lookups: after a taken branch finds no region, the interpreter looks again only after `sample` instructions", { skip }, () => {
  const elf = buildBare(`${PROGS}/longloop.S`);
  const interp = runElf(elf, false);
  // The first lookup finds nothing (one arrival of two); the next would be a million
  // instructions later, after the program's end.
  const m = runElf(elf, { hot: 2, sample: 1e6 });
  assert.equal(finished(m), finished(interp));
  assert.equal(m.jit.stats().regionsTranslated, 0, JSON.stringify(m.jit.stats()));
  assert.equal(m.stats().instructions, interp.stats().instructions);
  // Looking every 50 instructions, the same threshold translates the loop.
  assert.ok(runElf(elf, { hot: 2, sample: 50 }).jit.stats().regionsTranslated >= 1);
  // Looking at every taken branch, the whole loop.
  assert.ok(runElf(elf, { hot: 2 }).jit.stats().regionsTranslated >= 3);
});

test("chaining: a region leaving through a taken jump enters the next region directly, exactly", { skip }, () => {
  // longloop's body is longer than one region: each region leaves at its size bound into the next one.
  const elf = buildBare(`${PROGS}/longloop.S`);
  const interp = runElf(elf, false);
  const m = runElf(elf, { hot: 2 });
  const s = m.jit.stats();
  assert.equal(finished(m), finished(interp));
  assert.equal(m.stats().instructions, interp.stats().instructions, "same instruction count in both tiers");
  assert.ok(s.chained > 0, `no region entered the next one directly: ${JSON.stringify(s)}`);
  assert.ok(s.chained > s.regionEntries, `most region entries are chained ones: ${JSON.stringify(s)}`);
  // The whole hart state and RAM after every slice, in slices of every size (lockstep compares them).
  const r = lockstep(elf, { maxBudget: 20000 });
  assert.match(r.finished, /"pass"/);
});

test("lockstep: misaligned loads and stores, inside a page and across a page end, under Sv39", { skip }, () => {
  const elf = buildBare(`${PROGS}/misalign.S`);
  const interp = runElf(elf, false);
  assert.equal(finished(interp), '{"kind":"pass","code":0}', `the program passes in the interpreter: ${finished(interp)}`);
  // Slices of random length up to 400 instructions, state compared after each.
  const r = lockstep(elf, { maxBudget: 400 });
  assert.match(r.finished, /"pass"/);
  assert.ok(r.jitInstructions > r.instructions / 3, `the loop runs translated between its misaligned accesses: ${r.jitInstructions} of ${r.instructions}`);
});

test("a branch target holding an instruction across the page end leaves the region, no endless chain (issue 12)", { skip }, () => {
  const elf = buildBare(`${PROGS}/pagecross.S`);
  const interp = runElf(elf, false);
  assert.equal(finished(interp), '{"kind":"pass","code":0}', `the program passes in the interpreter: ${finished(interp)}`);
  // Under the JIT the old code never returned from the region (a taken exit retiring nothing,
  // chained into itself): run it in a child process that a timeout can stop.
  const here = new URL(".", import.meta.url).pathname;
  const script = `
    const { runElf, lockstep } = await import(${JSON.stringify(here + "lockstep.js")});
    const m = runElf(${JSON.stringify(elf)}, { hot: 2 });
    const r = lockstep(${JSON.stringify(elf)}, { maxBudget: 300 });
    console.log(JSON.stringify({ finished: m.finished, insns: m.stats().instructions, jit: m.jit.stats(), lock: r.finished }));`;
  const c = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.equal(c.signal, null, `the JIT run did not finish within 60 s (a region looping without retiring instructions): ${c.stderr}`);
  assert.equal(c.status, 0, c.stderr);
  const out = JSON.parse(c.stdout) as { finished: unknown; insns: number; jit: { jitInstructions: number; regionsTranslated: number }; lock: string };
  assert.equal(JSON.stringify(out.finished), '{"kind":"pass","code":0}');
  assert.equal(out.insns, interp.stats().instructions, "same instruction count in both tiers");
  assert.ok(out.jit.regionsTranslated > 0 && out.jit.jitInstructions > 0, `the loop ran translated: ${JSON.stringify(out.jit)}`);
  assert.match(out.lock, /"pass"/, "lockstep: same state after every slice");
});

test("chaining between pages stays exact while the code chained to is remapped and rewritten through another VA", { skip }, () => {
  const elf = buildBare(`${PROGS}/links.S`);
  const interp = runElf(elf, false);
  assert.equal(finished(interp), '{"kind":"pass","code":0}', `the program passes in the interpreter: ${finished(interp)}`);
  const m = runElf(elf, { hot: 2 });
  const s = m.jit.stats();
  assert.equal(finished(m), '{"kind":"pass","code":0}', `chaining ran code that VA no longer means (exit 3: wrong sum): ${finished(m)}; ${JSON.stringify(s)}`);
  assert.equal(m.stats().instructions, interp.stats().instructions, "same instruction count in both tiers");
  assert.ok(s.chained > 3 * 1500, `the regions of the loop, g and far enter each other without the interpreter: ${JSON.stringify(s)}`);
  assert.ok(s.codePageWrites >= 1, `the store over g2 must have been seen: ${JSON.stringify(s)}`);
  // The whole hart state and RAM after every slice, in slices of every size.
  for (const maxBudget of [300, 20000]) {
    const r = lockstep(elf, { maxBudget });
    assert.match(r.finished, /"pass"/);
    assert.ok(r.jitInstructions > r.instructions / 3, `most of it ran translated with slices up to ${maxBudget}: ${r.jitInstructions} of ${r.instructions}`);
  }
});

test("lockstep: loads and stores through one base register skip the TLB lookup only within its page, under Sv39", { skip }, () => {
  const elf = buildBare(`${PROGS}/memo.S`);
  const interp = runElf(elf, false);
  assert.equal(finished(interp), '{"kind":"pass","code":0}', `the program passes in the interpreter: ${finished(interp)}`);
  const m = runElf(elf, { hot: 2 });
  assert.equal(finished(m), '{"kind":"pass","code":0}', `exit 3: an access reached the physical page after pageB; 4, 5: a store across the page end went astray: ${JSON.stringify(m.jit.stats())}`);
  assert.equal(m.stats().instructions, interp.stats().instructions, "same instruction count in both tiers");
  // Slices of random length, the hart state and RAM compared after each (the checksum is in s2).
  for (const maxBudget of [300, 20000]) {
    const r = lockstep(elf, { maxBudget });
    assert.match(r.finished, /"pass"/);
    assert.ok(r.jitInstructions > r.instructions / 2, `the walk ran translated with slices up to ${maxBudget}: ${r.jitInstructions} of ${r.instructions}`);
  }
});
