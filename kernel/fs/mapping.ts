// What a VMA maps, as the file system describes it to mmap: an inode's pages
// (through its file system's getPage, which is the page cache) or shared
// anonymous memory (MAP_SHARED | MAP_ANONYMOUS, an unnamed object whose
// frames every sharer maps). The memory manager turns these descriptions
// into {kind, id} backings (mm/backing.ts).
//
// Concepts: C43 (shared memory frames), C46 (memory-mapped files), C59.
import type { Kernel } from "../kernel.js";
import type { File, Inode } from "./vfs.js";
import { PAGE_SIZE } from "../mm/phys.js";
import { iopsOf, fopsOf } from "../lib/fsops.js";
import type { BackingSource } from "../mm/backing.js";

/**
 * Zero-filled memory of `bytes` that every mapping of it shares (MAP_SHARED |
 * MAP_ANONYMOUS, mmap of /dev/zero): mapRegion makes it a shmem object in
 * the memory manager's table (mm/backing.ts), whose frames are created on
 * first touch and freed when the last mapping lets go.
 */
export function anonSharedMapping(bytes: number, path = "/dev/zero (deleted)", dev = 0): BackingSource {
  return { kind: "new-shmem", size: bytes, path, dev };
}

/** The mapping of an open file's inode, 0 when its file system cannot be mapped. */
export function fileMapping(k: Kernel, f: File): BackingSource | number {
  const mmap = fopsOf(f).mmap;
  if (mmap) return mmap(k, f);
  return inodeMapping(f.inode, pathOf(f));
}

/** An inode's pages (its file system's getPage: the page cache), 0 when they cannot be mapped. */
export function inodeMapping(ino: Inode, path: string): BackingSource | number {
  if (!iopsOf(ino).getPage) return 0;
  return { kind: "new-file", inode: ino, path };
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
