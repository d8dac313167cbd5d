// The registry of file-system types that mount(2) and boot can mount by name
// ("tmpfs", "proc", "sysfs", "devtmpfs", "hostfs", later "ext2"). Each file
// system defines its type's code at load time (a registry of code, see
// lib/registry.ts); a kernel registers the names it offers (k.vfs.fsTypes,
// /proc/filesystems), and the VFS looks the type up and calls its mount.
//
// Concepts: C68 (VFS: one interface, many file systems).
import type { Kernel } from "../kernel.js";
import type { SuperBlock, Inode } from "./vfs.js";
import { createRegistry, define } from "../lib/registry.js";

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

const FS_TYPES = createRegistry<FsType>("file-system type");

/** Define a file-system type's code (at module load). */
export function defineFsType(t: FsType): string {
  return define(FS_TYPES, t.name, t);
}

/** Offer the type named `name` in kernel `k` (mount -t NAME, /proc/filesystems). */
export function registerFsType(k: Kernel, name: string): void {
  if (!FS_TYPES.byName.has(name)) throw new Error(`no file-system type named '${name}'`);
  if (!k.vfs.fsTypes.includes(name)) k.vfs.fsTypes.push(name);
}

/** The names registered in `k`, in registration order. */
export function fsTypeNames(k: Kernel): readonly string[] {
  return k.vfs.fsTypes;
}

/** The type `name` if kernel `k` offers it. */
export function lookupFsType(k: Kernel, name: string): FsType | undefined {
  return k.vfs.fsTypes.includes(name) ? FS_TYPES.byName.get(name) : undefined;
}

/** A device number as Linux encodes it in st_rdev/st_dev (new_encode_dev). */
export function makedev(major: number, minor: number): number {
  return ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0;
}
export function major(dev: number): number { return (dev >>> 8) & 0xfff; }
export function minor(dev: number): number { return (dev & 0xff) | ((dev >>> 12) & 0xfff00); }
