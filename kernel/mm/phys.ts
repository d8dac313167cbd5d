// Physical memory as the kernel sees it: guest RAM (a view of the machine's
// WebAssembly.Memory) and the frame allocator with a reference count per
// 4 KiB frame. A frame mapped by several page tables (COW after fork, shared
// libraries' page-cache pages, MAP_SHARED) is freed when its last user lets go.
//
// Concepts: C15 (RAM), C50 (physical frames), C59 (shared frames with
// reference counts).

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const RAM_BASE = 0x80000000;

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
}

export function createPhysMem(ram: Uint8Array, reservedBytes = 0): PhysMem {
  if (ram.byteOffset % 8 !== 0) throw new Error("guest RAM view must be 8-byte aligned");
  const frames = Math.floor(ram.length / PAGE_SIZE);
  const reserved = Math.ceil(reservedBytes / PAGE_SIZE);
  const freeStack = new Int32Array(frames);
  let top = 0;
  // Push high frames first so that allocation starts at low addresses.
  for (let f = frames - 1; f >= reserved; f--) freeStack[top++] = f;
  return {
    ram, ram32: new Uint32Array(ram.buffer, ram.byteOffset, ram.length >>> 2),
    frames, refs: new Uint16Array(frames), freeStack, freeTop: top, reserved, kmemBytes: 0, kmemPages: 0,
  };
}

/** Allocate a zeroed frame; returns its physical address, or 0 when memory is exhausted. */
export function allocFrame(pm: PhysMem): number {
  if (pm.freeTop <= pm.kmemPages) return 0;
  const f = pm.freeStack[--pm.freeTop];
  pm.refs[f] = 1;
  pm.ram.fill(0, f * PAGE_SIZE, (f + 1) * PAGE_SIZE);
  return RAM_BASE + f * PAGE_SIZE;
}

/** Allocate a frame without clearing it (the caller overwrites all of it). */
export function allocFrameNoZero(pm: PhysMem): number {
  if (pm.freeTop <= pm.kmemPages) return 0;
  const f = pm.freeStack[--pm.freeTop];
  pm.refs[f] = 1;
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
  if (--pm.refs[f] === 0) pm.freeStack[pm.freeTop++] = f;
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
