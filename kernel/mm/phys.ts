// Physical memory as the kernel sees it: guest RAM (a view of the machine's
// WebAssembly.Memory), the frame allocator, and the frame table - one record
// per 4 KiB frame kept in typed arrays (Linux's struct page array, mem_map):
//   refs   - reference count (0 = free); a frame mapped by several page
//            tables (COW after fork, shared libraries' page-cache pages,
//            MAP_SHARED) is freed when its last user lets go,
//   owner  - what the frame is for (FRAME_ANON, FRAME_PAGECACHE, ...), set
//            by whoever allocates it: what reclaim and /proc may look at,
//   flags  - FF_* bits,
// plus the reverse map (rmap.ts): frame -> the (mm, va) pairs that map it.
// All of it is plain data (typed arrays and numbers), so a snapshot copies it.
//
// Concepts: C15 (RAM), C50 (physical frames), C59 (shared frames with
// reference counts; the reverse map finds every mapping of a frame).

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const RAM_BASE = 0x80000000;

/** Frame owners (PhysMem.owner): who allocated the frame and what it holds. */
export const FRAME_FREE = 0;
/** Private anonymous memory (a zero page or a COW copy) mapped by user page tables. */
export const FRAME_ANON = 1;
/** A file's page in a page cache (fs/pagecache.ts, an exec image's pages). */
export const FRAME_PAGECACHE = 2;
/** A page of a shared anonymous object (mm/shmem.ts). */
export const FRAME_SHMEM = 3;
/** A page-table page (root or intermediate level). */
export const FRAME_PAGETABLE = 4;
/** Kernel data in guest RAM: pipe buffers, the signal trampoline. */
export const FRAME_KERNEL = 5;
/** Reserved at boot, never allocated. */
export const FRAME_RESERVED = 6;
export const FRAME_OWNER_NAMES = ["free", "anon", "pagecache", "shmem", "pagetable", "kernel", "reserved"] as const;

/** Frame flag: the frame may hold data newer than its backing store (written through a mapping or write()). */
export const FF_DIRTY = 1;
/** Frame flag: the kernel keeps this frame for its own life (the signal trampoline): never reclaimable. */
export const FF_PINNED = 2;

/**
 * The reverse map: for each frame, a singly linked list of (mm id, virtual
 * page number) entries in a pool of typed arrays. Entries are added where a
 * leaf PTE is installed and removed where one is cleared (rmap.ts).
 */
export interface Rmap {
  /** First entry of each frame's list (-1: none). */
  head: Int32Array;
  /** Pool: next entry in the same frame's list (-1 ends it; free entries chain through it too). */
  next: Int32Array;
  /** Pool: the mapping address space's MM.id. */
  mm: Int32Array;
  /** Pool: the virtual page number (va / PAGE_SIZE; user addresses are below 2^38, so it fits). */
  vpn: Int32Array;
  /** First free pool entry (-1: the pool is full and grows). */
  free: number;
  /** Entries in use. */
  used: number;
  /** Removals that found no entry (a PTE cleared that was never recorded): 0 unless there is a bug. */
  misses: number;
}

export interface PhysMem {
  /** Guest RAM; physical address RAM_BASE is ram[0]. */
  readonly ram: Uint8Array;
  readonly ram32: Uint32Array;
  readonly frames: number;
  /** Reference count per frame (0 = free). */
  readonly refs: Uint16Array;
  /** Stack of free frame numbers. */
  readonly freeStack: Int32Array;
  freeTop: number;
  /** Frames reserved at boot (never allocated): [0, reserved). */
  reserved: number;
  /**
   * Kernel memory kept outside guest frames (JS objects and buffers of
   * pipes, files, inodes, tasks) but charged to the machine's RAM
   * (kmem.ts): bytes charged, and the whole frames they hold back from the
   * free stack, so that the guest sees the memory as used and the host's
   * memory stays bounded by --mem.
   */
  kmemBytes: number;
  kmemPages: number;
  /** Frame table: owner kind per frame (FRAME_*). */
  readonly owner: Uint8Array;
  /** Frame table: FF_* flags per frame. */
  readonly flags: Uint8Array;
  /** Frame table: the reverse map. */
  rmap: Rmap;
  /**
   * Frames kernel objects may not take (vm.min_free_kbytes / 4; kmem.ts):
   * kept for page faults, so that running out of kernel memory fails a
   * syscall instead of waking the OOM killer.
   */
  minFree: number;
  /** Next MM.id to give out (ids name address spaces in the reverse map). */
  nextMmId: number;
  /** Frames handed out and given back since boot (/proc/vmstat pgalloc_normal, pgfree). */
  allocs: number;
  frees: number;
}

function rmapPool(n: number, from = 0, old?: Rmap): Pick<Rmap, "next" | "mm" | "vpn"> {
  const next = new Int32Array(n), mm = new Int32Array(n), vpn = new Int32Array(n);
  if (old) { next.set(old.next); mm.set(old.mm); vpn.set(old.vpn); }
  for (let i = from; i < n; i++) next[i] = i + 1 < n ? i + 1 : -1;
  return { next, mm, vpn };
}

export function createPhysMem(ram: Uint8Array, reservedBytes = 0): PhysMem {
  if (ram.byteOffset % 8 !== 0) throw new Error("guest RAM view must be 8-byte aligned");
  const frames = Math.floor(ram.length / PAGE_SIZE);
  const reserved = Math.ceil(reservedBytes / PAGE_SIZE);
  const freeStack = new Int32Array(frames);
  let top = 0;
  // Push high frames first so that allocation starts at low addresses.
  for (let f = frames - 1; f >= reserved; f--) freeStack[top++] = f;
  const owner = new Uint8Array(frames);
  owner.fill(FRAME_RESERVED, 0, Math.min(reserved, frames));
  const head = new Int32Array(frames).fill(-1);
  // One entry per frame to start with; the pool doubles when fork shares more.
  const pool = rmapPool(Math.max(64, frames));
  return {
    ram, ram32: new Uint32Array(ram.buffer, ram.byteOffset, ram.length >>> 2),
    frames, refs: new Uint16Array(frames), freeStack, freeTop: top, reserved, kmemBytes: 0, kmemPages: 0,
    owner, flags: new Uint8Array(frames),
    rmap: { head, ...pool, free: 0, used: 0, misses: 0 },
    minFree: Math.max(256, frames >> 5),
    nextMmId: 1, allocs: 0, frees: 0,
  };
}

/** Grow the reverse map's entry pool (rare: only when more mappings exist than ever before). */
export function rmapGrow(pm: PhysMem): void {
  const r = pm.rmap;
  const n = r.next.length;
  const pool = rmapPool(n * 2, n, r);
  r.next = pool.next; r.mm = pool.mm; r.vpn = pool.vpn;
  r.free = n;
}

/** Allocate a zeroed frame for `owner` (FRAME_*); returns its physical address, or 0 when memory is exhausted. */
export function allocFrame(pm: PhysMem, owner = FRAME_KERNEL): number {
  if (pm.freeTop <= pm.kmemPages) return 0;
  const f = pm.freeStack[--pm.freeTop];
  pm.allocs++;
  pm.refs[f] = 1;
  pm.owner[f] = owner;
  pm.flags[f] = 0;
  pm.ram.fill(0, f * PAGE_SIZE, (f + 1) * PAGE_SIZE);
  return RAM_BASE + f * PAGE_SIZE;
}

/** Allocate a frame without clearing it (the caller overwrites all of it). */
export function allocFrameNoZero(pm: PhysMem, owner = FRAME_KERNEL): number {
  if (pm.freeTop <= pm.kmemPages) return 0;
  const f = pm.freeStack[--pm.freeTop];
  pm.allocs++;
  pm.refs[f] = 1;
  pm.owner[f] = owner;
  pm.flags[f] = 0;
  return RAM_BASE + f * PAGE_SIZE;
}

export function frameIndex(pa: number): number {
  return (pa - RAM_BASE) >>> PAGE_SHIFT;
}

/** Take another reference to frame `pa`. */
export function getFrame(pm: PhysMem, pa: number): void {
  const f = frameIndex(pa);
  if (pm.refs[f] === 0) throw new Error(`getFrame on free frame 0x${pa.toString(16)}`);
  if (pm.refs[f] === 0xffff) throw new Error(`frame 0x${pa.toString(16)} has too many references`);
  pm.refs[f]++;
}

/** Drop a reference to frame `pa`; the frame is freed with its last reference. */
export function putFrame(pm: PhysMem, pa: number): void {
  const f = frameIndex(pa);
  if (pm.refs[f] === 0) throw new Error(`putFrame on free frame 0x${pa.toString(16)}`);
  if (--pm.refs[f] === 0) {
    pm.freeStack[pm.freeTop++] = f;
    pm.frees++;
    pm.owner[f] = FRAME_FREE;
    pm.flags[f] = 0;
  }
}

export function frameRefs(pm: PhysMem, pa: number): number {
  return pm.refs[frameIndex(pa)];
}

/** Frames a guest allocation can still get (kernel memory charges hold some back). */
export function freeFrames(pm: PhysMem): number {
  return Math.max(0, pm.freeTop - pm.kmemPages);
}

/** Copy one whole frame. */
export function copyFrame(pm: PhysMem, dst: number, src: number): void {
  const s = src - RAM_BASE;
  pm.ram.copyWithin(dst - RAM_BASE, s, s + PAGE_SIZE);
}
