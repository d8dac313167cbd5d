// The memory views against the page tables themselves: mm_view.c (init)
// reads process A's /proc/A/pagemap, /proc/kpagecount, /proc/kpageflags,
// /proc/A/ptwalk, smaps and smaps_rollup, then powers off with A and its
// child B still alive. The test then walks the same Sv39 tables in guest RAM
// from the host - from satp, with its own walker, not the kernel's - counts
// every frame's mappings over all live address spaces, and checks each
// figure the guest read. It also checks the Pss arithmetic on known
// sharing: COW pages shared by fork and MAP_SHARED pages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, program, skipNoCC, SRC_ROOT, explain, type RunResult } from "../fs/harness.js";
import { S_IFREG } from "../../../kernel/fs/cpio.js";
import type { Kernel } from "../../../kernel/index.js";
import type { MM } from "../../../kernel/mm/mm.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const RAM_BASE = 0x80000000;
const V = 1, R = 2, W = 4, X = 8, A = 0x40, D = 0x80;
const KPF_REFERENCED = 2, KPF_DIRTY = 4, KPF_MMAP = 11, KPF_ANON = 12, KPF_PGTABLE = 26;

/** A u64 of guest physical memory, read by the host. */
function phys64(k: Kernel, pa: number): bigint {
  const ram = k.pm.ram;
  return new DataView(ram.buffer, ram.byteOffset, ram.length).getBigUint64(pa - RAM_BASE, true);
}

/** Sv39 from satp, as the MMU does it: the PTE met at each level (stopping at an invalid PTE or a leaf). */
function hostWalk(k: Kernel, satp: bigint, va: number): bigint[] {
  assert.equal(satp >> 60n, 8n, "satp MODE is Sv39");
  let table = Number(satp & ((1n << 44n) - 1n)) * 4096;
  const out: bigint[] = [];
  for (let level = 2; level >= 0; level--) {
    const vpn = Math.floor(va / 2 ** (12 + 9 * level)) & 511;
    const pte = phys64(k, table + vpn * 8);
    out.push(pte);
    if (!(pte & 1n) || (pte & 0xen)) break;
    table = Number((pte >> 10n) & ((1n << 44n) - 1n)) * 4096;
  }
  return out;
}

/** Every user leaf PTE of an address space: [va, pte], walking all 512^3 slots that exist. */
function hostLeaves(k: Kernel, root: number): [number, bigint][] {
  const out: [number, bigint][] = [];
  const ppn = (p: bigint): number => Number((p >> 10n) & ((1n << 44n) - 1n)) * 4096;
  for (let i = 0; i < 256; i++) { // user half: VA bit 38 clear
    const p2 = phys64(k, root + i * 8);
    if (!(p2 & 1n)) continue;
    for (let j = 0; j < 512; j++) {
      const p1 = phys64(k, ppn(p2) + j * 8);
      if (!(p1 & 1n)) continue;
      for (let l = 0; l < 512; l++) {
        const p0 = phys64(k, ppn(p1) + l * 8);
        // Present pages and PROT_NONE ones (tsix keeps their frame under a software bit, V clear).
        if ((p0 & 1n) || (p0 & 0x200n)) out.push([((i * 512 + j) * 512 + l) * 4096, p0]);
      }
    }
  }
  return out;
}

interface Mapping { mmId: number; va: number; pte: bigint }

/** Frame PFN -> the PTEs that map it, over every live address space (the host's own reverse map). */
function hostMappings(k: Kernel): Map<number, Mapping[]> {
  const seen = new Set<MM>();
  const m = new Map<number, Mapping[]>();
  for (const t of k.tasks.values()) {
    if (!t.mm || !t.mm.root || seen.has(t.mm)) continue;
    seen.add(t.mm);
    for (const [va, pte] of hostLeaves(k, t.mm.root)) {
      const pfn = Number((pte >> 10n) & ((1n << 44n) - 1n));
      const list = m.get(pfn) ?? [];
      list.push({ mmId: t.mm.id, va, pte });
      m.set(pfn, list);
    }
  }
  return m;
}

/** The smaps block of the VMA starting at `start` (field -> kB). */
function smapsBlock(text: string, start: number): Map<string, number> {
  const lines = text.split("\n");
  const head = start.toString(16).padStart(8, "0") + "-";
  const i = lines.findIndex((l) => l.startsWith(head));
  assert.ok(i >= 0, `no smaps block for ${head}\n${text}`);
  const m = new Map<string, number>();
  for (let j = i + 1; j < lines.length && !/^[0-9a-f]+-[0-9a-f]+ /.test(lines[j]); j++) {
    const f = /^(\w+):\s+(\d+)( kB)?$/.exec(lines[j]);
    if (f) m.set(f[1], Number(f[2]));
  }
  return m;
}

/** Smaps figures computed by the host for [start, end) of the address space with `root` (bytes; pss in bytes << 12). */
function hostSmaps(k: Kernel, root: number, start: number, end: number, maps: Map<number, Mapping[]>) {
  const s = { rss: 0, pss: 0, sharedClean: 0, sharedDirty: 0, privateClean: 0, privateDirty: 0, referenced: 0, anonymous: 0 };
  for (const [va, pte] of hostLeaves(k, root)) {
    if (va < start || va >= end) continue;
    const pfn = Number((pte >> 10n) & ((1n << 44n) - 1n));
    const f = pfn - RAM_BASE / 4096;
    const mapcount = maps.get(pfn)?.length ?? 0;
    const dirty = (pte & BigInt(D)) !== 0n || (k.pm.flags[f] & 1) !== 0;
    s.rss += 4096;
    if (pte & BigInt(A)) s.referenced += 4096;
    if (k.pm.owner[f] === 1) s.anonymous += 4096;
    if (k.pm.refs[f] === 1 || mapcount < 2) {
      s.pss += 4096 * 4096;
      if (dirty) s.privateDirty += 4096; else s.privateClean += 4096;
    } else {
      s.pss += Math.floor((4096 * 4096) / mapcount);
      if (dirty) s.sharedDirty += 4096; else s.sharedClean += 4096;
    }
  }
  return s;
}

let cached: Promise<RunResult> | undefined;
function viewRun(): Promise<RunResult> {
  const data = new Uint8Array(3 * 4096).fill(0x44);
  cached ??= run("mm_view", {
    dir: PROGS, files: [
      { path: "etc/data", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 1700000000, data },
      { path: "bin/pagewalk", mode: S_IFREG | 0o755, uid: 0, gid: 0, mtime: 1700000000, data: program("pagewalk", join(SRC_ROOT, "userland/src")) },
    ],
  });
  return cached;
}

function parse(r: RunResult) {
  const ab = /^A (\d+) B (\d+)$/m.exec(r.out);
  const regs = /^anon ([0-9a-f]+) shared ([0-9a-f]+) file ([0-9a-f]+)$/m.exec(r.out);
  assert.ok(ab && regs, explain(r));
  const pm = [...r.out.matchAll(/^pm ([0-9a-f]+) ([0-9a-f]{16})(?: kc (\d+) kf ([0-9a-f]+))?$/gm)].map((m) => ({
    va: parseInt(m[1], 16), entry: BigInt("0x" + m[2]), kc: m[3] === undefined ? null : Number(m[3]), kf: m[4] === undefined ? null : BigInt("0x" + m[4]),
  }));
  const pw = [...r.out.matchAll(/^pw ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)$/gm)].map((m) => ({
    va: parseInt(m[1], 16), satp: BigInt("0x" + m[2]), ptes: [m[3], m[4], m[5]].map((x) => BigInt("0x" + x)),
  }));
  const root = /^root ([0-9a-f]+) kc (\d+) kf ([0-9a-f]+)$/m.exec(r.out);
  const smaps = r.out.slice(r.out.indexOf("--- smaps\n") + 10, r.out.indexOf("--- rollup\n"));
  const rollup = r.out.slice(r.out.indexOf("--- rollup\n") + 11, r.out.indexOf("--- end\n"));
  assert.ok(root && smaps && rollup, explain(r));
  return {
    a: Number(ab[1]), b: Number(ab[2]), anon: parseInt(regs[1], 16), shared: parseInt(regs[2], 16), file: parseInt(regs[3], 16),
    pm, pw, root: { pfn: parseInt(root[1], 16), kc: Number(root[2]), kf: BigInt("0x" + root[3]) }, smaps, rollup,
  };
}

test("pagemap, kpagecount, kpageflags and ptwalk agree with a host-side Sv39 walk of the same page tables", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await viewRun();
  assert.equal(r.status, 0, explain(r));
  const p = parse(r);
  const k = r.k;
  const mmA = k.groups.get(p.a)?.threads[0]?.mm;
  assert.ok(mmA && mmA.root, "A is alive with its address space");
  const satp = (8n << 60n) | BigInt(mmA.root / 4096);
  // ptwalk's satp also carries A's ASID (on by default), as the kernel writes satp for it.
  assert.ok(mmA.asid > 0, "A has an ASID");
  const satpAsid = satp | (BigInt(mmA.asid) << 44n);
  const maps = hostMappings(k);
  assert.equal(p.pm.length, 16 + 4 + 3);
  let present = 0;
  for (const e of p.pm) {
    const walk = hostWalk(k, satp, e.va);
    const leaf = walk.length === 3 ? walk[2] : 0n;
    if (!(leaf & 1n)) {
      assert.equal(e.entry, 0n, `va ${e.va.toString(16)} is not mapped: pagemap must be 0`);
      continue;
    }
    present++;
    const pfn = Number((leaf >> 10n) & ((1n << 44n) - 1n));
    const f = pfn - RAM_BASE / 4096;
    const mappers = maps.get(pfn) ?? [];
    assert.equal(e.entry >> 63n, 1n, "present");
    assert.equal(Number(e.entry & ((1n << 55n) - 1n)), pfn, `PFN of va ${e.va.toString(16)} (root sees it)`);
    assert.equal((e.entry >> 56n) & 1n, mappers.length === 1 ? 1n : 0n, `exclusive bit of va ${e.va.toString(16)} (${mappers.length} mappings)`);
    assert.equal((e.entry >> 61n) & 1n, k.pm.owner[f] === 1 ? 0n : 1n, "file/shared bit follows the frame's owner");
    assert.equal((e.entry >> 62n) & 1n, 0n, "nothing is swapped");
    assert.equal(e.kc, mappers.length, `kpagecount of pfn ${pfn.toString(16)}`);
    const kf = e.kf!;
    assert.equal((kf >> BigInt(KPF_MMAP)) & 1n, 1n, "mapped");
    assert.equal((kf >> BigInt(KPF_ANON)) & 1n, k.pm.owner[f] === 1 ? 1n : 0n, "anon follows the owner");
    assert.equal((kf >> BigInt(KPF_REFERENCED)) & 1n, mappers.some((m) => m.pte & BigInt(A)) ? 1n : 0n, "referenced = some PTE's A bit");
    const dirty = mappers.some((m) => m.pte & BigInt(D)) || (k.pm.flags[f] & 1) !== 0;
    assert.equal((kf >> BigInt(KPF_DIRTY)) & 1n, dirty ? 1n : 0n, "dirty = some PTE's D bit or the frame's dirty flag");
  }
  assert.equal(present, 8 + 4 + 2, "A touched 8 anon, 4 shared and 2 file pages");
  // The COW pattern: anon pages 0 and 1 are A's own, 2..7 shared with B.
  const anonKc = p.pm.slice(0, 8).map((e) => e.kc);
  assert.deepEqual(anonKc, [1, 1, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(p.pm.slice(16, 20).map((e) => e.kc), [2, 2, 2, 2], "MAP_SHARED pages are mapped by A and B");
  // ptwalk: satp and the three PTEs on the way, as the host's walk finds them.
  assert.equal(p.pw.length, 3);
  for (const w of p.pw) {
    assert.equal(w.satp, satpAsid, "ptwalk's satp names A's root table and its ASID");
    const walk = hostWalk(k, satp, w.va);
    assert.deepEqual(w.ptes, [...walk, 0n, 0n, 0n].slice(0, 3), `ptwalk of ${w.va.toString(16)}`);
    assert.ok((walk[2] & BigInt(V | R)) === BigInt(V | R) && !(walk[0] & BigInt(R | W | X)), "two pointer levels, then a leaf");
  }
  // The root table's frame: a page table mapped by no PTE.
  assert.equal(p.root.pfn, mmA.root / 4096);
  assert.equal(p.root.kc, 0);
  assert.equal((p.root.kf >> BigInt(KPF_PGTABLE)) & 1n, 1n);
  assert.equal((p.root.kf >> BigInt(KPF_MMAP)) & 1n, 0n);
});

test("smaps: Rss, Pss, Shared/Private and Anonymous of COW, MAP_SHARED and file pages match the host's count", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await viewRun();
  assert.equal(r.status, 0, explain(r));
  const p = parse(r);
  const k = r.k;
  const mmA = k.groups.get(p.a)!.threads[0]!.mm!;
  const maps = hostMappings(k);
  const regions: [number, number][] = [[p.anon, 16], [p.shared, 4], [p.file, 3]];
  for (const [start, pages] of regions) {
    const got = smapsBlock(p.smaps, start);
    const want = hostSmaps(k, mmA.root, start, start + pages * 4096, maps);
    assert.equal(got.get("Size"), pages * 4);
    assert.equal(got.get("Rss"), want.rss / 1024);
    assert.equal(got.get("Pss"), Math.floor(want.pss / 2 ** 22));
    assert.equal(got.get("Shared_Clean"), want.sharedClean / 1024);
    assert.equal(got.get("Shared_Dirty"), want.sharedDirty / 1024);
    assert.equal(got.get("Private_Clean"), want.privateClean / 1024);
    assert.equal(got.get("Private_Dirty"), want.privateDirty / 1024);
    assert.equal(got.get("Referenced"), want.referenced / 1024);
    assert.equal(got.get("Anonymous"), want.anonymous / 1024);
    assert.equal(got.get("Swap"), 0);
  }
  // The same figures by hand: 2 private pages + 6 pages shared by two = 8 + 24/2 kB.
  const anon = smapsBlock(p.smaps, p.anon);
  assert.deepEqual([anon.get("Rss"), anon.get("Pss"), anon.get("Private_Dirty"), anon.get("Shared_Dirty"), anon.get("Anonymous")], [32, 20, 8, 24, 32]);
  const shared = smapsBlock(p.smaps, p.shared);
  assert.deepEqual([shared.get("Rss"), shared.get("Pss"), shared.get("Shared_Dirty"), shared.get("Anonymous")], [16, 8, 16, 0]);
  const file = smapsBlock(p.smaps, p.file);
  assert.deepEqual([file.get("Rss"), file.get("Pss"), file.get("Shared_Clean"), file.get("Anonymous")], [8, 4, 8, 0]);
  assert.match(p.smaps, /^VmFlags: rd wr mr mw me ac $/m, "private writable anonymous memory is accountable");
  assert.match(p.smaps, /^VmFlags: rd wr sh mr mw me ms $/m, "shared anonymous memory");
  // smaps_rollup: the whole address space, Pss summed before rounding.
  const roll = new Map([...p.rollup.matchAll(/^(\w+):\s+(\d+) kB$/gm)].map((m) => [m[1], Number(m[2])]));
  const all = hostSmaps(k, mmA.root, 0, 2 ** 38, maps);
  assert.match(p.rollup, /^[0-9a-f]{8,}-[0-9a-f]{8,} ---p 00000000 00:00 0 +\[rollup\]$/m);
  assert.equal(roll.get("Rss"), all.rss / 1024);
  assert.equal(roll.get("Pss"), Math.floor(all.pss / 2 ** 22));
  assert.equal(roll.get("Anonymous"), all.anonymous / 1024);
  let perVma = 0;
  for (const m of p.smaps.matchAll(/^Rss:\s+(\d+) kB$/gm)) perVma += Number(m[1]);
  assert.equal(roll.get("Rss"), perVma, "rollup Rss = the sum of the VMAs' Rss");
});

test("pagewalk PID ADDR prints each Sv39 level's index, PTE, PPN and flags, and the leaf's physical address, as the host walk finds them", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await viewRun();
  assert.equal(r.status, 0, explain(r));
  const p = parse(r);
  const k = r.k;
  const mmA = k.groups.get(p.a)!.threads[0]!.mm!;
  const satp = (8n << 60n) | BigInt(mmA.root / 4096);
  // ptwalk's satp also carries A's ASID (on by default), as the kernel writes satp for it.
  assert.ok(mmA.asid > 0, "A has an ASID");
  const satpAsid = satp | (BigInt(mmA.asid) << 44n);
  const va = p.anon + 2 * 4096 + 0x123;
  const out = r.out.slice(r.out.indexOf(`--- pagewalk 0x${va.toString(16)}\n`), r.out.indexOf("--- pagewalk exit"));
  assert.match(out, new RegExp(`^satp 0x${satpAsid.toString(16).padStart(16, "0")}  MODE 8 \\(Sv39\\)  ASID ${mmA.asid}  root table at 0x${(mmA.root).toString(16)}$`, "m"), out);
  const walk = hostWalk(k, satp, va);
  assert.equal(walk.length, 3);
  walk.forEach((pte, i) => {
    const level = 2 - i;
    const idx = Math.floor(va / 2 ** (12 + 9 * level)) & 511;
    const flags = [..."VRWXUGAD"].map((c, b) => ((pte >> BigInt(b)) & 1n ? c : "-")).join("");
    const ppn = (pte >> 10n) & ((1n << 44n) - 1n);
    const re = new RegExp(`^L${level}  index +${idx}  pte@0x[0-9a-f]+ = 0x${pte.toString(16).padStart(16, "0")}  ppn 0x${ppn.toString(16)}  ${flags}`, "m");
    assert.match(out, re, `level ${level}\n${out}`);
  });
  const pa = Number((walk[2] >> 10n) & ((1n << 44n) - 1n)) * 4096 + 0x123;
  assert.match(out, new RegExp(`^pa 0x${pa.toString(16)} `, "m"));
  assert.match(r.out, /^--- pagewalk exit 0$/m);
  // An address in the VMA that was never touched: the level-0 PTE is invalid, exit 1.
  const miss = r.out.slice(r.out.indexOf(`--- pagewalk 0x${(p.anon + 10 * 4096).toString(16)}\n`));
  assert.match(miss, /^L0  index +\d+  pte@0x[0-9a-f]+ = 0x0000000000000000  ppn 0x0  --------  invalid: /m, miss);
  assert.match(miss, /^--- pagewalk exit 1$/m);
});

test("one mapping split into 32 VMAs by page-wise mprotect and munmap, then a munmap across 8 of them: maps, data and the reverse map stay exact", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("mm_split", { dir: PROGS });
  assert.equal(r.status, 0, explain(r));
  const split = r.out.slice(r.out.indexOf("--- split\n"), r.out.indexOf("--- after\n"));
  const after = r.out.slice(r.out.indexOf("--- after\n"));
  const want = (from: number): string[] => {
    const out: string[] = [];
    for (let i = 0; i < 64; i += 2) if (i < 4 || i >= from) out.push(`vma ${i}-${i + 1} r--p`);
    return out;
  };
  assert.deepEqual([...split.matchAll(/^vma .*$/gm)].map((m) => m[0]), want(0), split);
  assert.deepEqual([...after.matchAll(/^vma .*$/gm)].map((m) => m[0]), want(20), after);
  assert.match(r.out, /^mprotect_over_hole ENOMEM$/m);
  // Pages 20, 22, ..., 62 kept their bytes.
  let sum = 0;
  for (let i = 20; i < 64; i += 2) sum += i;
  assert.match(r.out, new RegExp(`^sum ${sum}$`, "m"));
  assert.equal(r.k.pm.rmap.misses, 0, "every unmapped PTE had its reverse-map entry");
});
