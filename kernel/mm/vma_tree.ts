// The VMA set of an address space as a counted B-tree (Linux keeps its VMAs
// in a maple tree for the same reason): find, insert and remove cost
// O(log n) however many VMAs there are, where the sorted array they lived in
// before moved every later VMA on each insertion or removal (stress-ng
// --mmap unmaps and remaps a 256 MiB area page by page in random order, tens
// of thousands of VMAs, and spent its time in those moves).
//
// The tree is plain data (structuredClone copies it: snapshots): a node is
// { leaf, size, items, kids } - a leaf holds up to MAX VMAs in address order,
// an inner node up to MAX children; `size` counts the VMAs below a node, so
// the i-th VMA is found by descending on sizes (the API is by index, as the
// array's was). No node caches an address: callers change a VMA's start or
// end in place (merging, stack growth) without telling the tree, which stays
// right because those changes never reorder VMAs; a search reads addresses
// from the VMAs themselves (a subtree's first VMA, down its leftmost path).
// Removal merges a node that fell under MAX/4 into a neighbour when they fit
// together, and an empty node goes, so the height stays logarithmic.
//
// Concepts: C57 (VMAs: the segment view of an address space).
import type { Vma } from "./mm.js";

/** Most VMAs in a leaf, and children of an inner node. */
const MAX = 32;
const MIN = MAX / 4;

export interface VmaNode {
  leaf: boolean;
  /** VMAs in this subtree. */
  size: number;
  /** A leaf's VMAs, in address order (empty for an inner node). */
  items: Vma[];
  /** An inner node's children, in address order (empty for a leaf). */
  kids: VmaNode[];
}

export function vtCreate(): VmaNode {
  return { leaf: true, size: 0, items: [], kids: [] };
}

/** A tree holding `vmas` (sorted, disjoint), built bottom-up. */
export function vtFromArray(vmas: readonly Vma[]): VmaNode {
  if (vmas.length <= MAX) return { leaf: true, size: vmas.length, items: vmas.slice(), kids: [] };
  const per = (MAX * 3) >>> 2; // leave room in each node for insertions
  let level: VmaNode[] = [];
  for (let i = 0; i < vmas.length; i += per) {
    const items = vmas.slice(i, i + per);
    level.push({ leaf: true, size: items.length, items, kids: [] });
  }
  while (level.length > 1) {
    const up: VmaNode[] = [];
    for (let i = 0; i < level.length; i += per) {
      const kids = level.slice(i, i + per);
      let size = 0;
      for (const c of kids) size += c.size;
      up.push({ leaf: false, size, items: [], kids });
    }
    level = up;
  }
  return level[0];
}

export function vtCount(t: VmaNode): number {
  return t.size;
}

/** The i-th VMA (0 <= i < size). */
export function vtAt(t: VmaNode, i: number): Vma {
  let n = t;
  while (!n.leaf) {
    let j = 0;
    while (i >= n.kids[j].size) { i -= n.kids[j].size; j++; }
    n = n.kids[j];
  }
  return n.items[i];
}

/** The first VMA of a non-empty subtree. */
function firstOf(n: VmaNode): Vma {
  while (!n.leaf) n = n.kids[0];
  return n.items[0];
}

/** How many VMAs start at or below `addr`. */
function countStartingAtOrBelow(t: VmaNode, addr: number): number {
  let n = t, before = 0;
  while (!n.leaf) {
    // The last child whose first VMA starts at or below addr (binary search; children are never empty).
    let lo = 0, hi = n.kids.length - 1, pick = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (firstOf(n.kids[mid]).start <= addr) { pick = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (pick < 0) return before;
    for (let j = 0; j < pick; j++) before += n.kids[j].size;
    n = n.kids[pick];
  }
  const v = n.items;
  let lo = 0, hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v[mid].start <= addr) lo = mid + 1; else hi = mid;
  }
  return before + lo;
}

/** Index of the first VMA that ends after `addr` (size when none does). */
export function vtIndexAfter(t: VmaNode, addr: number): number {
  const c = countStartingAtOrBelow(t, addr);
  // VMAs are disjoint and sorted: the one starting at or below addr contains it, or the next one is the first after.
  return c > 0 && vtAt(t, c - 1).end > addr ? c - 1 : c;
}

/**
 * The VMA containing `va`, or undefined: one descent (the page-fault path),
 * into the last child whose first VMA starts at or below va, then the last
 * VMA of the leaf that does; the next VMA, in this leaf or the next, starts
 * above va.
 */
export function vtFind(t: VmaNode, va: number): Vma | undefined {
  let n = t;
  while (!n.leaf) {
    const kids = n.kids;
    let lo = 1, hi = kids.length - 1, pick = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (firstOf(kids[mid]).start <= va) { pick = mid; lo = mid + 1; } else hi = mid - 1;
    }
    n = kids[pick];
  }
  const v = n.items;
  let lo = 0, hi = v.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = v[mid];
    if (va < x.start) hi = mid - 1;
    else if (va >= x.end) lo = mid + 1;
    else return x;
  }
  return undefined;
}

/** Split child j of `n` in two halves (it holds more than MAX). */
function splitKid(n: VmaNode, j: number): void {
  const c = n.kids[j];
  const half = c.leaf ? c.items.length >>> 1 : c.kids.length >>> 1;
  let right: VmaNode;
  if (c.leaf) {
    right = { leaf: true, size: 0, items: c.items.splice(half), kids: [] };
    right.size = right.items.length;
  } else {
    right = { leaf: false, size: 0, items: [], kids: c.kids.splice(half) };
    for (const k of right.kids) right.size += k.size;
  }
  c.size -= right.size;
  n.kids.splice(j + 1, 0, right);
}

function insertIn(n: VmaNode, i: number, v: Vma): void {
  n.size++;
  if (n.leaf) { n.items.splice(i, 0, v); return; }
  let j = 0;
  // Position i goes at the end of a child rather than the start of the next (i === kid size): appends stay in one leaf.
  while (j < n.kids.length - 1 && i > n.kids[j].size) { i -= n.kids[j].size; j++; }
  const c = n.kids[j];
  insertIn(c, i, v);
  if ((c.leaf ? c.items.length : c.kids.length) > MAX) splitKid(n, j);
}

/** Insert `v` as the i-th VMA (0 <= i <= size): the caller keeps the order. Returns the root (it may grow a level). */
export function vtInsert(t: VmaNode, i: number, v: Vma): VmaNode {
  insertIn(t, i, v);
  if ((t.leaf ? t.items.length : t.kids.length) <= MAX) return t;
  const root: VmaNode = { leaf: false, size: t.size, items: [], kids: [t] };
  splitKid(root, 0);
  return root;
}

function width(n: VmaNode): number {
  return n.leaf ? n.items.length : n.kids.length;
}

/** Child j of `n` lost an entry: drop it when empty, or merge it with a neighbour when small and they fit. */
function fixKid(n: VmaNode, j: number): void {
  const c = n.kids[j];
  if (width(c) === 0) { n.kids.splice(j, 1); return; }
  if (width(c) >= MIN) return;
  const k = j > 0 && width(n.kids[j - 1]) + width(c) <= MAX ? j - 1
    : j + 1 < n.kids.length && width(n.kids[j + 1]) + width(c) <= MAX ? j : -1;
  if (k < 0) return;
  const a = n.kids[k], b = n.kids[k + 1];
  if (a.leaf) a.items.push(...b.items); else a.kids.push(...b.kids);
  a.size += b.size;
  n.kids.splice(k + 1, 1);
}

function removeIn(n: VmaNode, i: number): Vma {
  n.size--;
  if (n.leaf) return n.items.splice(i, 1)[0];
  let j = 0;
  while (i >= n.kids[j].size) { i -= n.kids[j].size; j++; }
  const v = removeIn(n.kids[j], i);
  fixKid(n, j);
  return v;
}

/** Remove the i-th VMA. Returns the root (it may lose a level). */
export function vtRemove(t: VmaNode, i: number): VmaNode {
  removeIn(t, i);
  let r = t;
  while (!r.leaf && r.kids.length === 1) r = r.kids[0];
  if (!r.leaf && r.kids.length === 0) return vtCreate();
  return r;
}

/** Replace `del` VMAs from index i with `add` (as Array.prototype.splice). Returns the root. */
export function vtSplice(t: VmaNode, i: number, del: number, add: readonly Vma[]): VmaNode {
  let r = t;
  // Overwrite in place where counts allow: no structural change at all.
  const same = Math.min(del, add.length);
  for (let x = 0; x < same; x++) setAt(r, i + x, add[x]);
  for (let x = same; x < del; x++) r = vtRemove(r, i + same);
  for (let x = same; x < add.length; x++) r = vtInsert(r, i + x, add[x]);
  return r;
}

function setAt(t: VmaNode, i: number, v: Vma): void {
  let n = t;
  while (!n.leaf) {
    let j = 0;
    while (i >= n.kids[j].size) { i -= n.kids[j].size; j++; }
    n = n.kids[j];
  }
  n.items[i] = v;
}

/** Every VMA in address order (a new array). */
export function vtToArray(t: VmaNode): Vma[] {
  const out: Vma[] = [];
  const walk = (n: VmaNode): void => {
    if (n.leaf) { for (const v of n.items) out.push(v); return; }
    for (const c of n.kids) walk(c);
  };
  walk(t);
  return out;
}
