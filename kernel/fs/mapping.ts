// What a VMA maps: an inode's pages (through its file system's getPage,
// which is the page cache) or shared anonymous memory (MAP_SHARED |
// MAP_ANONYMOUS, an unnamed object whose frames every sharer maps).
//
// Concepts: C43 (shared memory frames), C46 (memory-mapped files), C59.
import type { Kernel } from "../kernel.js";
import type { File, Inode } from "./vfs.js";
import type { MappableFile } from "../mm/mm.js";
import { allocFrame, getFrame, putFrame, PAGE_SIZE } from "../mm/phys.js";
import { iput } from "./inode.js";
import { iopsOf, fopsOf } from "./ops.js";

/**
 * Zero-filled memory of `bytes` that every mapping of it shares (MAP_SHARED |
 * MAP_ANONYMOUS, mmap of /dev/zero): frames are created on first touch and
 * freed when the last mapping lets go (each VMA holds it).
 */
export function anonSharedMapping(k: Kernel, bytes: number, path = "/dev/zero (deleted)", dev = 0): MappableFile {
  const frames: number[] = [];
  let holders = 0;
  return {
    path, dev, ino: 0,
    size: () => bytes,
    getPage(index: number): number {
      let f = frames[index];
      if (!f) {
        f = allocFrame(k.pm);
        if (f === 0) return 0;
        frames[index] = f;
      }
      getFrame(k.pm, f);
      return f;
    },
    hold() { holders++; },
    release() {
      if (--holders > 0) return;
      for (const f of frames) if (f) putFrame(k.pm, f);
      frames.length = 0;
    },
  };
}

/** The mapping of an open file's inode, 0 when its file system cannot be mapped. */
export function fileMapping(k: Kernel, f: File): MappableFile | number {
  const mmap = fopsOf(f).mmap;
  if (mmap) return mmap(k, f);
  return inodeMapping(k, f.inode, pathOf(f));
}

export function inodeMapping(k: Kernel, ino: Inode, path: string): MappableFile | number {
  const getPage = iopsOf(ino).getPage;
  if (!getPage) return 0;
  return {
    path, dev: ino.sb.dev, ino: ino.ino, inode: ino,
    size: () => ino.size,
    getPage: (index) => getPage(k, ino, index),
    hold() { ino.refs++; },
    release() { iput(k, ino); },
  };
}

/**
 * Absolute path of an open file's dentry (for /proc/PID/maps). A dentry
 * without a parent whose name is not "/" names a pseudo-file ("pipe:[12]",
 * "anon_inode:[eventpoll]") and is returned as is.
 */
export function pathOf(f: File): string {
  if (!f.dentry.parent && f.dentry.name !== "/") return f.dentry.name;
  const parts: string[] = [];
  let d: File["dentry"] | null = f.dentry;
  while (d && d.parent) { parts.unshift(d.name); d = d.parent; }
  return "/" + parts.join("/");
}

export const PAGE = PAGE_SIZE;
