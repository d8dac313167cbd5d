// The registry of file-system types that mount(2) and boot can mount by name
// ("tmpfs", "proc", "sysfs", "devtmpfs", "hostfs", later "ext2"). Each file
// system registers itself; the VFS looks the type up and calls its mount.
//
// Concepts: C68 (VFS: one interface, many file systems).
import type { Kernel } from "../kernel.js";
import type { SuperBlock, Inode } from "./vfs.js";

export interface FsType {
  readonly name: string;
  /** Create (or find) a superblock and its root inode; -errno on failure. */
  mount(k: Kernel, source: string, flags: number, data: string): { sb: SuperBlock; root: Inode } | number;
  /** Optional: write dirty data back to the backing store (sync, syncfs, halt); 0 or -errno. */
  sync?(k: Kernel, sb: SuperBlock): number;
  /** Optional: called at unmount (flush dirty data). */
  unmount?(k: Kernel, sb: SuperBlock): void;
  /** Optional: mount -o remount,OPTIONS changes the file system's own options (0 or -errno). */
  remount?(k: Kernel, sb: SuperBlock, flags: number, data: string): number;
}

export function fsTypes(k: Kernel): Map<string, FsType> {
  let m = k.sub.fsTypes as Map<string, FsType> | undefined;
  if (!m) { m = new Map(); k.sub.fsTypes = m; }
  return m;
}

export function registerFsType(k: Kernel, t: FsType): void {
  fsTypes(k).set(t.name, t);
}

/** A device number as Linux encodes it in st_rdev/st_dev (new_encode_dev). */
export function makedev(major: number, minor: number): number {
  return ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0;
}
export function major(dev: number): number { return (dev >>> 8) & 0xfff; }
export function minor(dev: number): number { return (dev & 0xff) | ((dev >>> 12) & 0xfff00); }
