// The VMA set's counted B-tree (kernel/mm/vma_tree.ts), against a sorted
// array doing the same operations (what mm.vmas was): a seeded random mix of
// inserts, removals and splices at random places, checked after every step
// (count, every index, find by address, first VMA ending after an address),
// the tree's own invariants (sizes, node widths, equal leaf depth), a height
// that stays logarithmic, and a structuredClone that is a working tree (the
// kernel's snapshots copy it). Then the mm API over it: 4096 one-page
// mappings at alternating protections (no merging) in random order, read
// back by findVma and unmapped in random order.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type VmaNode, vtAt, vtCount, vtCreate, vtFind, vtFromArray, vtIndexAfter, vtInsert, vtRemove, vtSplice, vtToArray,
} from "../../../kernel/mm/vma_tree.js";
import type { Vma } from "../../../kernel/mm/mm.js";
import { createMM, mapRegion, unmapRange, findVma, vmaCount, vmaList, vmaIndexAfter } from "../../../kernel/mm/mm.js";
import { PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED } from "../../../kernel/abi/mman.js";
import { loadCore } from "../../../host/node/core.js";
import { createVm } from "../../../vmm/vmm.js";

const PAGE = 4096;

function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 0x100000000; };
}

function vma(start: number, end: number): Vma {
  return { start, end, prot: 3, mayProt: 7, flags: MAP_PRIVATE | MAP_ANONYMOUS, backing: null, acct: false, pgoff: 0, name: "" };
}

/** Sizes add up, widths are within bounds, every leaf is at the same depth; returns the height. */
function checkInvariants(t: VmaNode): number {
  const depths = new Set<number>();
  const walk = (n: VmaNode, d: number, root: boolean): number => {
    if (n.leaf) {
      assert.ok(n.items.length <= 32 && n.kids.length === 0);
      assert.ok(root || n.items.length > 0, "no empty leaf below the root");
      depths.add(d);
      assert.equal(n.size, n.items.length);
      return n.size;
    }
    assert.ok(n.kids.length >= (root ? 2 : 1) && n.kids.length <= 32 && n.items.length === 0, `inner width ${n.kids.length}`);
    let s = 0;
    for (const c of n.kids) s += walk(c, d + 1, false);
    assert.equal(n.size, s);
    return s;
  };
  walk(t, 1, true);
  assert.equal(depths.size, 1, "every leaf at one depth");
  return [...depths][0];
}

/** The tree holds exactly `ref` (sorted), and answers every query as the array does. */
function same(t: VmaNode, ref: Vma[], r: () => number): void {
  assert.equal(vtCount(t), ref.length);
  assert.deepEqual(vtToArray(t), ref);
  for (let q = 0; q < 20 && ref.length > 0; q++) {
    const i = Math.floor(r() * ref.length);
    assert.deepEqual(vtAt(t, i), ref[i]);
    const addr = Math.floor(r() * (ref[ref.length - 1].end + 4 * PAGE));
    const want = ref.findIndex((v) => v.end > addr);
    assert.equal(vtIndexAfter(t, addr), want < 0 ? ref.length : want, `indexAfter ${addr}`);
    assert.deepEqual(vtFind(t, addr), ref.find((v) => v.start <= addr && addr < v.end));
  }
}

test("the counted B-tree matches a sorted array through 6000 random inserts, removals and splices; height stays logarithmic; structuredClone copies a working tree", () => {
  const r = rng(12345);
  let t = vtCreate();
  const ref: Vma[] = [];
  // Slots of 4 pages: VMA k covers [k*4 + a, k*4 + b) pages, so any order of distinct slots is sorted and disjoint.
  const used = new Set<number>();
  const slotVma = (k: number): Vma => vma((k * 4 + 1) * PAGE, (k * 4 + 3) * PAGE);
  const pos = (k: number): number => ref.findIndex((v) => v.start > slotVma(k).start) < 0 ? ref.length : ref.findIndex((v) => v.start > slotVma(k).start);
  let maxHeight = 0;
  for (let step = 0; step < 6000; step++) {
    const op = r();
    if (op < 0.55 || ref.length === 0) {
      // Insert at a free slot; phases with a bias to the end exercise appends.
      const k = step < 2000 ? used.size : Math.floor(r() * 20000);
      if (used.has(k)) continue;
      used.add(k);
      const v = slotVma(k), i = pos(k);
      ref.splice(i, 0, v);
      t = vtInsert(t, i, v);
    } else if (op < 0.85) {
      const i = Math.floor(r() * ref.length);
      used.delete((ref[i].start / PAGE - 1) / 4);
      ref.splice(i, 1);
      t = vtRemove(t, i);
    } else {
      // Replace a run by its pieces (what unmapRange/protectRange do): same slots, new objects, maybe fewer.
      const i = Math.floor(r() * ref.length), del = Math.min(ref.length - i, 1 + Math.floor(r() * 3));
      const add = ref.slice(i, i + del).filter(() => r() < 0.7).map((v) => ({ ...v }));
      for (const v of ref.slice(i, i + del)) used.delete((v.start / PAGE - 1) / 4);
      for (const v of add) used.add((v.start / PAGE - 1) / 4);
      ref.splice(i, del, ...add);
      t = vtSplice(t, i, del, add);
    }
    if (step % 50 === 0 || step > 5950) {
      same(t, ref, r);
      maxHeight = Math.max(maxHeight, checkInvariants(t));
    }
  }
  // A few thousand VMAs: 32-wide nodes (merged when under 8) need at most 5 levels.
  assert.ok(maxHeight <= 5, `height ${maxHeight}`);
  const c = structuredClone(t);
  same(c, ref.map((v) => ({ ...v })), rng(1));
  // Emptied, it is an empty leaf again.
  while (vtCount(t) > 0) t = vtRemove(t, Math.floor(r() * vtCount(t)));
  assert.deepEqual(t, vtCreate());
  // Built bottom-up from a long list (fork) it holds the same and keeps its invariants.
  const many = Array.from({ length: 5000 }, (_, k) => slotVma(k));
  const b = vtFromArray(many);
  checkInvariants(b);
  same(b, many, r);
});

test("mm over the tree: 4096 one-page mappings (no two mergeable neighbours) in random order, found, then unmapped in random order", () => {
  const vm = createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 64 << 20 });
  const ctx = vm.kernel.mmctx;
  const mm = createMM(ctx)!;
  const base = 0x10000000;
  const r = rng(777);
  const order = Array.from({ length: 4096 }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  // Alternating protections keep neighbours apart (an anonymous VMA only merges with an equal one).
  for (const i of order) {
    const prot = i % 2 ? PROT_READ : PROT_READ | PROT_WRITE;
    assert.equal(mapRegion(ctx, mm, base + i * PAGE, PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0), base + i * PAGE);
  }
  assert.equal(vmaCount(mm), 4096);
  const list = vmaList(mm);
  for (let i = 0; i < 4096; i++) {
    assert.equal(list[i].start, base + i * PAGE);
    const v = findVma(mm, base + i * PAGE + 100)!;
    assert.equal(v.start, base + i * PAGE);
    assert.equal(v.prot, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE);
  }
  assert.equal(findVma(mm, base - 1), undefined);
  assert.equal(vmaIndexAfter(mm, base + 4096 * PAGE), 4096);
  // Unmap half in random order, then a range across what is left.
  for (const i of order.slice(0, 2048)) unmapRange(ctx, mm, base + i * PAGE, base + (i + 1) * PAGE);
  const left = new Set(order.slice(2048));
  assert.equal(vmaCount(mm), 2048);
  for (let i = 0; i < 4096; i++) assert.equal(findVma(mm, base + i * PAGE) !== undefined, left.has(i), `page ${i}`);
  unmapRange(ctx, mm, base + 100 * PAGE, base + 4000 * PAGE);
  const rest = [...left].filter((i) => i < 100 || i >= 4000).sort((a, b) => a - b);
  assert.deepEqual(vmaList(mm).map((v) => (v.start - base) / PAGE), rest);
});
