// What a VMA maps, as plain data: a VMA's backing is a {kind, id} reference
// into a table the memory manager keeps in its state (vmstate.ts), never an
// object with functions. Page-ins dispatch on the kind:
//   shmem - a shared anonymous object (MAP_SHARED | MAP_ANONYMOUS, mmap of
//           /dev/zero): its frames live in the table entry, made on first
//           touch and freed when the last VMA lets go (Linux's shmem file);
//   file  - a mapped inode: pages come from its file system's getPage (the
//           page cache); the entry holds one inode reference per VMA;
//   image - an executable held as bytes by the kernel's caller (boot before
//           a file system exists, tests), with its own little page cache;
//   vdso  - the signal trampoline page, one frame per kernel.
// Private anonymous memory has no backing (null).
//
// Code above mm/ describes what it wants mapped with a BackingSource (a
// "new-*" record, or an existing backing); mapRegion turns it into a table
// entry. Copying a VMA (fork, a split) takes another hold on the same id.
//
// Concepts: C43 (shared memory: one object's frames in many page tables),
// C46 (memory-mapped files), C53 (demand paging dispatched by backing kind),
// C59 (frames with reference counts).
import type { Kernel } from "../kernel.js";
import type { Inode } from "../fs/vfs.js";
import {
  type PhysMem, PAGE_SIZE, RAM_BASE, FRAME_SHMEM, FRAME_PAGECACHE, FRAME_KERNEL, FF_PINNED,
  allocFrame, allocFrameNoZero, getFrame, putFrame, frameIndex,
} from "./phys.js";
import {
  iopsOf,
} from "../lib/fsops.js";
import { putU32 } from "../abi/le.js";
import type { Task } from "../proc/task.js";
import { shmemSwapIn, shmemSwapRelease } from "./shmem_swap.js";

export type BackingKind = "shmem" | "file" | "image" | "vdso";

/** A VMA's backing: a reference into the table of its kind (vdso has one frame per kernel, id 0). */
export interface VmaBacking {
  readonly kind: BackingKind;
  readonly id: number;
}

/** An executable's bytes and the frames made from them (kept for the kernel's life, as before). */
export interface ExecImage {
  readonly bytes: Uint8Array;
  readonly path: string;
  /** Page index -> frame. */
  readonly pages: Map<number, number>;
  /** Table id once mapped (0 before). */
  id: number;
}

/** What to map: a new shared anonymous object, a new mapping of an inode, an image, or an existing backing. */
export type BackingSource =
  | VmaBacking
  | { readonly kind: "new-shmem"; readonly size: number; readonly path: string; readonly dev: number }
  | { readonly kind: "new-file"; readonly inode: Inode; readonly path: string }
  | { readonly kind: "new-image"; readonly image: ExecImage };

export interface ShmemObject {
  size: number;
  /** Page index -> frame (one reference held by the object). */
  frames: Map<number, number>;
  /** Page index -> swap entry, for the pages out on swap (shmem_swap.ts). */
  swapped: Map<number, number>;
  /** VMAs that map it. */
  refs: number;
  path: string;
  dev: number;
  /**
   * Set for a System V segment (kernel/ipc/shm.ts): the inode number
   * /proc/PID/maps shows (Linux shows the shmid), and that the segment
   * does its own commit accounting (charged at shmget unless SHM_NORESERVE),
   * so that its mappings are never charged.
   */
  ino?: number;
  charged?: boolean;
  /** SHM_LOCK: its pages are not swapped out. */
  locked?: boolean;
}

export interface MappedFile {
  inode: Inode;
  path: string;
  /** VMAs that map it (each stands for one inode reference). */
  refs: number;
}

/** The tables VMA backings point into. */
export interface BackingTables {
  shmem: Map<number, ShmemObject>;
  files: Map<number, MappedFile>;
  images: Map<number, ExecImage>;
  /** The trampoline frame (0 until first mapped). */
  vdsoFrame: number;
  nextId: number;
}

export function createBackingTables(): BackingTables {
  return { shmem: new Map(), files: new Map(), images: new Map(), vdsoFrame: 0, nextId: 1 };
}

/** Turn a source into a backing held once more (the new VMA's hold). */
export function backingAcquire(bt: BackingTables, src: BackingSource): VmaBacking {
  switch (src.kind) {
    case "new-shmem": {
      const id = bt.nextId++;
      bt.shmem.set(id, { size: src.size, frames: new Map(), swapped: new Map(), refs: 1, path: src.path, dev: src.dev });
      return { kind: "shmem", id };
    }
    case "new-file": {
      const id = bt.nextId++;
      src.inode.refs++;
      bt.files.set(id, { inode: src.inode, path: src.path, refs: 1 });
      return { kind: "file", id };
    }
    case "new-image": {
      const img = src.image;
      if (img.id === 0) { img.id = bt.nextId++; bt.images.set(img.id, img); }
      return { kind: "image", id: img.id };
    }
    default:
      backingHold(bt, src);
      return src;
  }
}

/** Another VMA maps the same backing (fork, a VMA split in two). */
export function backingHold(bt: BackingTables, b: VmaBacking): void {
  if (b.kind === "shmem") bt.shmem.get(b.id)!.refs++;
  else if (b.kind === "file") { const f = bt.files.get(b.id)!; f.refs++; f.inode.refs++; }
}

/** A VMA of this backing went away; the last one frees a shared object's frames and drops the inode. */
export function backingRelease(k: Kernel, bt: BackingTables, b: VmaBacking): void {
  if (b.kind === "shmem") {
    const o = bt.shmem.get(b.id)!;
    if (--o.refs > 0) return;
    for (const fr of o.frames.values()) putFrame(k.pm, fr);
    if (o.swapped.size !== 0) shmemSwapRelease(k.mmctx, o);
    bt.shmem.delete(b.id);
  } else if (b.kind === "file") {
    const f = bt.files.get(b.id)!;
    inodePut(k, f.inode);
    if (--f.refs === 0) bt.files.delete(b.id);
  }
}

/**
 * Drop an inode reference the way fs/inode.ts iput does (mm/ sits below fs/
 * and cannot import it): the inode's own operations free or idle it when the
 * last reference goes.
 */
function inodePut(k: Kernel, ino: Inode): void {
  if (--ino.refs > 0) return;
  if (ino.refs < 0) ino.refs = 0;
  const ops = iopsOf(ino);
  if (ino.nlink === 0) ops.evict?.(k, ino);
  else ops.idle?.(k, ino);
}

/** Size in bytes of what the backing maps (pages at or past it fault with SIGBUS). */
export function backingSize(bt: BackingTables, b: VmaBacking): number {
  switch (b.kind) {
    case "shmem": return bt.shmem.get(b.id)!.size;
    case "file": return bt.files.get(b.id)!.inode.size;
    case "image": return bt.images.get(b.id)!.bytes.length;
    case "vdso": return PAGE_SIZE;
  }
}

/**
 * The frame holding page `index`, with a new reference for the caller; 0
 * when out of memory, negative when the object has no room for it (a full
 * tmpfs: SIGBUS, as on Linux), SHMEM_RETRY when a shared memory page's swap
 * read is in flight (`t`, the faulting task, sleeps in D until it is in).
 */
export function backingGetPage(k: Kernel, bt: BackingTables, b: VmaBacking, index: number, t: Task | null = null): number {
  const pm = k.pm;
  switch (b.kind) {
    case "shmem": {
      const o = bt.shmem.get(b.id)!;
      let fr = o.frames.get(index);
      if (fr === undefined && o.swapped.size !== 0 && o.swapped.has(index)) {
        // Out on swap (shmem_swap.ts): read it back into the object; SHMEM_RETRY while the disk has not answered.
        const r = shmemSwapIn(k.mmctx, o, index, t);
        if (r <= 0) return r;
        fr = r;
      }
      if (fr === undefined) {
        fr = allocFrame(pm, FRAME_SHMEM);
        if (fr === 0) return 0;
        o.frames.set(index, fr);
      }
      getFrame(pm, fr);
      return fr;
    }
    case "file": {
      const ino = bt.files.get(b.id)!.inode;
      const getPage = iopsOf(ino).getPage;
      return getPage ? getPage(k, ino, index) : 0;
    }
    case "image": return imagePage(pm, bt.images.get(b.id)!, index);
    case "vdso": {
      if (index !== 0 || bt.vdsoFrame === 0) return 0;
      getFrame(pm, bt.vdsoFrame);
      return bt.vdsoFrame;
    }
  }
}

function imagePage(pm: PhysMem, img: ExecImage, index: number): number {
  let fr = img.pages.get(index);
  if (fr === undefined) {
    fr = allocFrameNoZero(pm, FRAME_PAGECACHE);
    if (fr === 0) return 0;
    const off = fr - RAM_BASE;
    const src = img.bytes.subarray(index * PAGE_SIZE, Math.min(img.bytes.length, (index + 1) * PAGE_SIZE));
    pm.ram.set(src, off);
    pm.ram.fill(0, off + src.length, off + PAGE_SIZE);
    img.pages.set(index, fr);
  }
  getFrame(pm, fr);
  return fr;
}

/** The trampoline frame, made once with `code` in it; 0 when out of memory. */
export function vdsoFrame(pm: PhysMem, bt: BackingTables, code: readonly number[]): number {
  if (bt.vdsoFrame !== 0) return bt.vdsoFrame;
  const fr = allocFrame(pm, FRAME_KERNEL);
  if (fr === 0) return 0;
  pm.flags[frameIndex(fr)] |= FF_PINNED;
  code.forEach((insn, i) => putU32(pm.ram, fr - RAM_BASE + i * 4, insn));
  bt.vdsoFrame = fr;
  return fr;
}

/** What /proc/PID/maps shows for a backing: name, device, inode number. */
export function backingInfo(bt: BackingTables, b: VmaBacking): { path: string; dev: number; ino: number } {
  switch (b.kind) {
    case "shmem": { const o = bt.shmem.get(b.id)!; return { path: o.path, dev: o.dev, ino: o.ino ?? 0 }; }
    case "file": { const f = bt.files.get(b.id)!; return { path: f.path, dev: f.inode.sb.dev, ino: f.inode.ino }; }
    case "image": return { path: bt.images.get(b.id)!.path, dev: 0, ino: 0 };
    case "vdso": return { path: "[vdso]", dev: 0, ino: 0 };
  }
}

/** The inode a backing maps (msync writes it back), or null. */
export function backingInode(bt: BackingTables, b: VmaBacking | null): Inode | null {
  return b && b.kind === "file" ? bt.files.get(b.id)!.inode : null;
}
