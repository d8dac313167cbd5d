// tmpfs: a file system that lives in memory - the root file system (unpacked
// from the initramfs), /tmp, /dev/shm and /dev. Directories are maps from
// names to inodes (in creation order, each entry with a stable getdents
// cookie); a regular file's data lives in guest frames (its page cache IS
// its storage, see pagecache.ts); a symbolic link keeps its target in the
// inode; device nodes, FIFOs and sockets are just typed inodes that the VFS
// opens through the device table or the pipe code. Link counts, the three
// timestamps, hard links and unlinked-but-open files (storage freed by evict
// with the last reference) behave as on Linux.
//
// Concepts: C62 (a file system: metadata + data), C63 (inode contents),
// C64 (directories, hard and symbolic links; fast symlinks in the inode),
// C66 (deleting an open file), C68 (one of the VFS's file systems).
import type { Kernel } from "../../kernel.js";
import type { Task } from "../../proc/task.js";
import type { Inode, InodeOps, FileOps, SuperBlock, DirEntry, File, IoCtx, StatFs, Mount } from "../vfs.js";
import { defineFsType, registerFsType, makedev } from "../fstypes.js";
import { allocAnonDev, currentTime, touch, maybeEvict, initOwner, isDir } from "../inode.js";
import { internalMount } from "../mount.js";
import {
  type PageCache, createPageCache, pcRead, pcWrite, pcGetPage, pcTruncate, pcFree, pcZero, pcDropPages, pcSwapInPage,
} from "../pagecache.js";
import { freeFrames, putFrame, PAGE_SIZE } from "../../mm/phys.js";
import { tmpfsSwapRegister } from "../../mm/tmpfs_swap.js";
import { KMEM_INODE, kmemFits, kmemForceCharge, kmemUncharge } from "../../mm/kmem.js";
import {
  S_IFMT, S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR, S_IFBLK, S_ISUID, S_ISGID, S_IALLUGO,
  TMPFS_MAGIC, NAME_MAX, dtype, DT_DIR, RENAME_EXCHANGE, RENAME_NOREPLACE, O_NOATIME,
} from "../../abi/fs.js";
import { EEXIST, ENOENT, ENOTEMPTY, ENOSPC, EINVAL, EFBIG, EISDIR, ENOTDIR, ENOMEM, ENODATA } from "../../abi/errno.js";
import { simpleXattrSet } from "../xattr.js";
import { defineFileOps, defineInodeOps, defineSuperOps, NO_FOPS } from "../../lib/fsops.js";

export interface TmpfsSb {
  nextIno: number;
  /** Inodes alive (for statfs f_files). */
  inodes: number;
  /** Most pages the instance may hold (mount -o size=); 0 = no limit but free memory. */
  maxPages: number;
  pagesUsed: number;
  /** Most inodes (mount -o nr_inodes=); 0 = no limit but free memory. */
  maxInodes: number;
  /** The root directory (freed with everything else when the instance is unmounted). */
  root?: Inode;
}

interface DirEnt { inode: Inode; off: number }

export interface TmpDir { kind: "dir"; entries: Map<string, DirEnt>; nextOff: number; parent: Inode }
export interface TmpReg { kind: "reg"; pc: PageCache }
export interface TmpLnk { kind: "lnk"; target: string }
export interface TmpOther { kind: "other" }
export type TmpInfo = (TmpDir | TmpReg | TmpLnk | TmpOther) & TmpXattrs;
/** Extended attributes of any tmpfs inode (fs/xattr.ts; Linux's simple_xattr), made at the first setxattr. */
export interface TmpXattrs { xattr?: Map<string, Uint8Array> }

/** Largest tmpfs file (keeps offsets exact in doubles). */
const MAX_FILE = 2 ** 52;
/** Bytes a directory entry adds to the directory's size (Linux tmpfs's BOGO_DIRENT_SIZE). */
const BOGO_DIRENT_SIZE = 20;

function sbInfo(sb: SuperBlock): TmpfsSb {
  return sb.info as TmpfsSb;
}
function dirInfo(ino: Inode): TmpDir {
  return ino.info as TmpDir;
}
function regInfo(ino: Inode): TmpReg {
  return ino.info as TmpReg;
}

/**
 * Linux's default size of a mounted tmpfs: half of RAM, and as many inodes
 * as half of RAM has pages. Internal instances (pipes, memfd, anonymous
 * inodes) have no limit but RAM itself, as Linux's kernel-internal mounts.
 */
export function tmpfsDefaultLimits(k: Kernel): { maxPages: number; maxInodes: number } {
  const half = Math.floor(k.pm.frames / 2);
  return { maxPages: half, maxInodes: half };
}

/** A new, empty tmpfs instance with a root directory of `mode`. */
export function createTmpfs(k: Kernel, mode = 0o1777, uid = 0, gid = 0, maxPages = 0, maxInodes = 0): { sb: SuperBlock; root: Inode } {
  const info: TmpfsSb = { nextIno: 1, inodes: 0, maxPages, pagesUsed: 0, maxInodes };
  const sb: SuperBlock = { dev: makedev(0, allocAnonDev(k)), fsType: "tmpfs", readOnly: false, info, magic: TMPFS_MAGIC, sops: TMPFS_SOPS };
  const root = newInode(k, sb, S_IFDIR | (mode & S_IALLUGO), uid, gid, 0);
  dirInfo(root).parent = root;
  info.root = root;
  root.nlink = 2;
  return { sb, root };
}

/**
 * A kernel-internal pseudo file system (pipefs, sockfs, anon_inodefs): a
 * private tmpfs under its own type name and statfs magic, mounted where no
 * path reaches it. Its inodes are what fstat on a pipe, socket or epoll file
 * describes.
 */
export function createPseudoFs(k: Kernel, fsType: string, magic: number): { sb: SuperBlock; mount: Mount } {
  const { sb, root } = createTmpfs(k, 0o700);
  sb.fsType = fsType;
  sb.magic = magic;
  return { sb, mount: internalMount(k, sb, root, fsType) };
}

/** statfs: the size limit and what is left of it (as Linux's shmem_statfs); without a limit, RAM. */
function tmpfsStatfs(k: Kernel, sb: SuperBlock): StatFs {
  const s = sbInfo(sb);
  const free = freeFrames(k.pm);
  const total = s.maxPages || k.pm.frames;
  const bfree = s.maxPages ? Math.max(0, s.maxPages - s.pagesUsed) : free;
  const files = s.maxInodes || k.pm.frames;
  return { bsize: PAGE_SIZE, blocks: total, bfree, bavail: bfree, files, ffree: Math.max(0, files - s.inodes), namelen: NAME_MAX };
}

/** The size options /proc/mounts shows for a limited instance ("size=1024k,nr_inodes=8192"). */
function tmpfsShowOptions(sb: SuperBlock): string {
  const s = sbInfo(sb);
  const o: string[] = [];
  if (s.maxPages) o.push(`size=${s.maxPages * (PAGE_SIZE / 1024)}k`);
  if (s.maxInodes) o.push(`nr_inodes=${s.maxInodes}`);
  return o.join(",");
}

/**
 * Room for one more inode with a directory entry of `name`? ENOSPC past
 * nr_inodes, ENOMEM when RAM cannot hold its kernel objects (kmem.ts).
 */
function inodeRoom(k: Kernel, sb: SuperBlock, name: string, extra = 0): number {
  const s = sbInfo(sb);
  if (s.maxInodes && s.inodes >= s.maxInodes) return -ENOSPC;
  return kmemFits(k.mmctx, KMEM_INODE + direntBytes(name) + extra) ? 0 : -ENOMEM;
}

/** Estimated host bytes of a directory entry (the map entry and its name). */
function direntBytes(name: string): number {
  return 64 + 2 * name.length;
}

/** Make an inode of any type on a tmpfs superblock. */
export function newInode(k: Kernel, sb: SuperBlock, mode: number, uid: number, gid: number, rdev: number, src: Uint8Array | null = null): Inode {
  const s = sbInfo(sb);
  const now = currentTime(k);
  const type = mode & S_IFMT;
  let info: TmpInfo;
  let iops = OTHER_IOPS, fops = NO_FOPS;
  let size = 0;
  switch (type) {
    case S_IFDIR:
      info = { kind: "dir", entries: new Map(), nextOff: 3, parent: null as unknown as Inode };
      iops = DIR_IOPS;
      size = 2 * BOGO_DIRENT_SIZE;
      break;
    case S_IFREG:
      info = { kind: "reg", pc: createPageCache(src) };
      // Its pages are its only storage: with swap on, reclaim may send them there (mm/tmpfs_swap.ts).
      tmpfsSwapRegister(k.mmctx, info.pc);
      iops = REG_IOPS; fops = REG_FOPS;
      size = src ? src.length : 0;
      break;
    case S_IFLNK:
      info = { kind: "lnk", target: "" };
      iops = LNK_IOPS;
      break;
    default:
      info = { kind: "other" };
  }
  s.inodes++;
  kmemForceCharge(k.pm, KMEM_INODE);
  return {
    ino: s.nextIno++, sb, mode, uid, gid, nlink: 1, size,
    atime: { ...now }, mtime: { ...now }, ctime: { ...now },
    rdev: type === S_IFCHR || type === S_IFBLK ? rdev : 0,
    iops, fops, info, refs: 0,
  };
}

// --- directories ---

function addEntry(k: Kernel, dir: Inode, name: string, ino: Inode): void {
  const d = dirInfo(dir);
  d.entries.set(name, { inode: ino, off: d.nextOff++ });
  kmemForceCharge(k.pm, direntBytes(name));
  dir.size += BOGO_DIRENT_SIZE;
  if (isDir(ino)) {
    dirInfo(ino).parent = dir;
    dir.nlink++;
  }
  touch(k, dir, "mc");
}

function removeEntry(k: Kernel, dir: Inode, name: string): Inode | undefined {
  const d = dirInfo(dir);
  const e = d.entries.get(name);
  if (!e) return undefined;
  d.entries.delete(name);
  kmemUncharge(k.pm, direntBytes(name));
  dir.size = Math.max(2 * BOGO_DIRENT_SIZE, dir.size - BOGO_DIRENT_SIZE);
  if (isDir(e.inode)) dir.nlink--;
  touch(k, dir, "mc");
  return e.inode;
}

/** Drop one link of a removed entry; free it when nothing refers to it any more. */
function dropLink(k: Kernel, ino: Inode): void {
  if (isDir(ino)) ino.nlink = 0;
  else if (ino.nlink > 0) ino.nlink--;
  touch(k, ino, "c");
  if (ino.nlink === 0) maybeEvict(k, ino);
}

function makeChild(k: Kernel, dir: Inode, name: string, mode: number, t: Task, rdev = 0, extra = 0): Inode | number {
  if (dirInfo(dir).entries.has(name)) return -EEXIST;
  const room = inodeRoom(k, dir.sb, name, extra);
  if (room < 0) return room;
  const o = initOwner(t, dir, mode);
  const ino = newInode(k, dir.sb, o.mode, o.uid, o.gid, rdev);
  if (isDir(ino)) ino.nlink = 2;
  addEntry(k, dir, name, ino);
  return ino;
}

const dirIops: InodeOps = {
  evict(k, ino) {
    inodeGone(k, ino);
  },
  lookup(_k, dir, name) {
    return dirInfo(dir).entries.get(name)?.inode ?? -ENOENT;
  },
  create(k, dir, name, mode, t) {
    return makeChild(k, dir, name, S_IFREG | (mode & S_IALLUGO), t);
  },
  mknod(k, dir, name, mode, rdev, t) {
    return makeChild(k, dir, name, mode, t, rdev);
  },
  mkdir(k, dir, name, mode, t) {
    return makeChild(k, dir, name, S_IFDIR | (mode & S_IALLUGO), t);
  },
  symlink(k, dir, name, target, t) {
    const ino = makeChild(k, dir, name, S_IFLNK | 0o777, t, 0, 2 * target.length);
    if (typeof ino === "number") return ino;
    setTarget(k, ino, target);
    return ino;
  },
  link(k, target, dir, name) {
    if (dirInfo(dir).entries.has(name)) return -EEXIST;
    if (!kmemFits(k.mmctx, direntBytes(name))) return -ENOMEM;
    target.nlink++;
    touch(k, target, "c");
    addEntry(k, dir, name, target);
    return 0;
  },
  unlink(k, dir, name) {
    const ino = dirInfo(dir).entries.get(name)?.inode;
    if (!ino) return -ENOENT;
    if (isDir(ino)) return -EISDIR;
    removeEntry(k, dir, name);
    dropLink(k, ino);
    return 0;
  },
  rmdir(k, dir, name) {
    const ino = dirInfo(dir).entries.get(name)?.inode;
    if (!ino) return -ENOENT;
    if (!isDir(ino)) return -ENOTDIR;
    if (dirInfo(ino).entries.size > 0) return -ENOTEMPTY;
    removeEntry(k, dir, name);
    dropLink(k, ino);
    return 0;
  },
  rename(k, oldDir, oldName, newDir, newName, flags) {
    const src = dirInfo(oldDir).entries.get(oldName)?.inode;
    if (!src) return -ENOENT;
    const dst = dirInfo(newDir).entries.get(newName)?.inode;
    if (flags & RENAME_EXCHANGE) {
      if (!dst) return -ENOENT;
      removeEntry(k, oldDir, oldName);
      removeEntry(k, newDir, newName);
      addEntry(k, newDir, newName, src);
      addEntry(k, oldDir, oldName, dst);
      touch(k, src, "c");
      touch(k, dst, "c");
      return 0;
    }
    if (dst) {
      if (flags & RENAME_NOREPLACE) return -EEXIST;
      if (dst === src) return 0;
      if (isDir(dst)) {
        if (!isDir(src)) return -EISDIR;
        if (dirInfo(dst).entries.size > 0) return -ENOTEMPTY;
      } else if (isDir(src)) return -ENOTDIR;
      removeEntry(k, newDir, newName);
      dropLink(k, dst);
    }
    removeEntry(k, oldDir, oldName);
    addEntry(k, newDir, newName, src);
    touch(k, src, "c");
    return 0;
  },
  readdir(_k, dir) {
    const d = dirInfo(dir);
    const out: DirEntry[] = [
      { name: ".", ino: dir.ino, type: DT_DIR, off: 1 },
      { name: "..", ino: d.parent.ino, type: DT_DIR, off: 2 },
    ];
    for (const [name, e] of d.entries) out.push({ name, ino: e.inode.ino, type: dtype(e.inode.mode), off: e.off });
    return out;
  },
};

// --- regular files ---

function regWrite(k: Kernel, t: Task, f: File, buf: Uint8Array, pos: number, _io: IoCtx): number {
  const ino = f.inode;
  if (buf.length === 0) return 0;
  if (pos >= MAX_FILE) return -EFBIG;
  let data = pos + buf.length > MAX_FILE ? buf.subarray(0, MAX_FILE - pos) : buf;
  const s = sbInfo(ino.sb);
  const pc = regInfo(ino).pc;
  if (s.maxPages) data = withinLimit(s, pc, data, pos);
  if (data.length === 0) return -ENOSPC;
  const before = pc.count;
  const n = pcWrite(k, pc, data, pos);
  s.pagesUsed += pc.count - before;
  if (n <= 0) return n;
  if (pos + n > ino.size) ino.size = pos + n;
  touch(k, ino, "mc");
  // Writing clears set-user-ID (and group-executable set-group-ID) unless root writes.
  if ((ino.mode & (S_ISUID | S_ISGID)) && t.tg.creds.fsuid !== 0) {
    ino.mode &= ~S_ISUID;
    if (ino.mode & 0o010) ino.mode &= ~S_ISGID;
  }
  return n;
}

/** The part of a write at `pos` that fits in the instance's size limit (mount -o size=). */
function withinLimit(s: TmpfsSb, pc: PageCache, data: Uint8Array, pos: number): Uint8Array {
  let budget = s.maxPages - s.pagesUsed;
  const first = Math.floor(pos / PAGE_SIZE), last = Math.floor((pos + data.length - 1) / PAGE_SIZE);
  for (let i = first; i <= last; i++) {
    if (pc.pages.has(i) || (pc.swapped !== null && pc.swapped.has(i))) continue;
    if (budget-- <= 0) return data.subarray(0, Math.max(0, i * PAGE_SIZE - pos));
  }
  return data;
}

/** relatime: reading updates atime only when it is older than mtime or ctime. */
function readTouch(k: Kernel, ino: Inode): void {
  const a = ino.atime, m = ino.mtime, c = ino.ctime;
  const older = (x: { sec: number; nsec: number }): boolean => a.sec < x.sec || (a.sec === x.sec && a.nsec < x.nsec);
  if (older(m) || older(c)) ino.atime = currentTime(k);
}

const regFops: FileOps = {
  read(k, _t, f, buf, pos) {
    const ino = f.inode;
    const n = pcRead(k, regInfo(ino).pc, ino.size, buf, pos);
    if (n > 0 && !(f.flags & O_NOATIME)) readTouch(k, ino);
    return n;
  },
  write: regWrite,
  fsync() { return 0; },
};

function regTruncate(k: Kernel, ino: Inode, size: number): number {
  if (size > MAX_FILE) return -EFBIG;
  const s = sbInfo(ino.sb);
  const pc = regInfo(ino).pc;
  // The page the new end cuts is zeroed past it: if it is on swap, it comes back first (a sleep restarts the call).
  if (size < ino.size && size % PAGE_SIZE !== 0) {
    const r = pcSwapInPage(k, pc, Math.floor(size / PAGE_SIZE));
    if (r < 0) return r;
  }
  const before = pc.count;
  pcTruncate(k, pc, ino.size, size);
  s.pagesUsed += pc.count - before;
  ino.size = size;
  touch(k, ino, "mc");
  return 0;
}

const regIops: InodeOps = {
  truncate: regTruncate,
  getPage(k, ino, index) {
    const s = sbInfo(ino.sb);
    const pc = regInfo(ino).pc;
    // A new page the instance has no room for: the faulting access gets SIGBUS (shmem_fault's
    // VM_FAULT_SIGBUS). Pages of initramfs files are not new: they are the file's data (programs must run).
    const fromSrc = pc.src !== null && index * PAGE_SIZE < pc.src.length;
    const have = pc.pages.has(index) || (pc.swapped !== null && pc.swapped.has(index));
    if (s.maxPages && s.pagesUsed >= s.maxPages && !have && !fromSrc) return -ENOSPC;
    const before = pc.count;
    const fr = pcGetPage(k, pc, index);
    s.pagesUsed += pc.count - before;
    return fr;
  },
  evict(k, ino) {
    const s = sbInfo(ino.sb);
    const pc = regInfo(ino).pc;
    s.pagesUsed -= pc.count;
    pcFree(k, pc);
    inodeGone(k, ino);
  },
};

/** An inode's storage is freed: uncount it and give back its charge. */
function inodeGone(k: Kernel, ino: Inode): void {
  dropXattrs(k, ino);
  sbInfo(ino.sb).inodes--;
  kmemUncharge(k.pm, KMEM_INODE);
}

/** A symbolic link's target, charged with the inode (up to PATH_MAX bytes each). */
function setTarget(k: Kernel, ino: Inode, target: string): void {
  const l = ino.info as TmpLnk;
  kmemUncharge(k.pm, 2 * l.target.length);
  l.target = target;
  kmemForceCharge(k.pm, 2 * target.length);
  ino.size = target.length; // a byte string: its length is its size in bytes
}

/** Zero a byte range of a tmpfs file (fallocate PUNCH_HOLE / ZERO_RANGE): whole pages become holes. */
export function tmpfsZeroRange(k: Kernel, ino: Inode, from: number, to: number): void {
  if (ino.iops !== REG_IOPS) return;
  const s = sbInfo(ino.sb);
  const pc = regInfo(ino).pc;
  to = Math.min(to, ino.size);
  if (to <= from) return;
  const first = Math.ceil(from / PAGE_SIZE), last = Math.floor(to / PAGE_SIZE);
  const before = pc.count;
  // Pages still backed by archive bytes are materialized so that the zeros win over the source.
  for (let i = Math.floor(from / PAGE_SIZE); i * PAGE_SIZE < to; i++) {
    if (pc.src && i * PAGE_SIZE < pc.src.length && !pc.pages.has(i)) pcGetPageNoRef(k, pc, i);
  }
  pcZero(k, pc, from, to);
  let dropFrom = first;
  if (pc.src) dropFrom = Math.max(first, Math.ceil(pc.src.length / PAGE_SIZE));
  if (last > dropFrom) pcDropPages(k, pc, dropFrom, last);
  s.pagesUsed += pc.count - before;
}

function pcGetPageNoRef(k: Kernel, pc: PageCache, index: number): void {
  const fr = pcGetPage(k, pc, index);
  if (fr > 0) putFrame(k.pm, fr);
}

/** A tmpfs regular file's page cache (smaps counts its pages on swap), or null for any other inode. */
export function tmpfsPageCache(ino: Inode): PageCache | null {
  return ino.iops === REG_IOPS ? regInfo(ino).pc : null;
}

/** Whether an inode is a tmpfs regular file (fallocate knows how to punch holes in it). */
export function isTmpfsFile(ino: Inode): boolean {
  return ino.iops === REG_IOPS;
}

// --- symbolic links and the rest ---

const lnkIops: InodeOps = {
  readlink(_k, ino) {
    return (ino.info as TmpLnk).target;
  },
  evict(k, ino) {
    setTarget(k, ino, "");
    inodeGone(k, ino);
  },
};

const otherIops: InodeOps = {
  evict(k, ino) {
    inodeGone(k, ino);
  },
};

// --- extended attributes (every kind of inode; fs/xattr.ts decides who may) ---

const xattrOf = (ino: Inode): TmpXattrs => ino.info as TmpXattrs;
/** Kernel memory an attribute holds (charged like symlink targets). */
const xattrBytes = (name: string, value: Uint8Array): number => 32 + name.length + value.length;

const xattrIops: InodeOps = {
  getxattr(_k, ino, name) {
    return xattrOf(ino).xattr?.get(name) ?? -ENODATA;
  },
  setxattr(k, ino, name, value, flags) {
    const x = xattrOf(ino);
    const map = x.xattr ?? new Map<string, Uint8Array>();
    const old = map.get(name);
    const grow = xattrBytes(name, value) - (old ? xattrBytes(name, old) : 0);
    if (grow > 0 && !kmemFits(k.mmctx, grow)) return -ENOSPC;
    const r = simpleXattrSet(map, name, value, flags);
    if (r < 0) return r;
    if (grow > 0) kmemForceCharge(k.pm, grow); else kmemUncharge(k.pm, -grow);
    x.xattr = map;
    return 0;
  },
  listxattr(_k, ino) {
    return [...(xattrOf(ino).xattr?.keys() ?? [])];
  },
  removexattr(k, ino, name) {
    const map = xattrOf(ino).xattr;
    const old = map?.get(name);
    if (!map || !old) return -ENODATA;
    map.delete(name);
    kmemUncharge(k.pm, xattrBytes(name, old));
    return 0;
  },
};

/** An inode's attributes go with it (evict). */
function dropXattrs(k: Kernel, ino: Inode): void {
  const map = xattrOf(ino).xattr;
  if (!map) return;
  for (const [n, v] of map) kmemUncharge(k.pm, xattrBytes(n, v));
  map.clear();
}

for (const ops of [dirIops, regIops, lnkIops, otherIops]) Object.assign(ops, xattrIops);

const DIR_IOPS = defineInodeOps("tmpfs.dir", dirIops);
const REG_IOPS = defineInodeOps("tmpfs.reg", regIops);
const REG_FOPS = defineFileOps("tmpfs.reg", regFops);
const LNK_IOPS = defineInodeOps("tmpfs.lnk", lnkIops);
const OTHER_IOPS = defineInodeOps("tmpfs.other", otherIops);
const TMPFS_SOPS = defineSuperOps("tmpfs", { statfs: tmpfsStatfs, showOptions: tmpfsShowOptions });

// --- building trees from the kernel (boot, devfs) ---

/** Add an entry without permission checks or a task (boot-time population). Returns the inode or -errno. */
export function tmpfsAdd(k: Kernel, dir: Inode, name: string, mode: number, uid: number, gid: number, opts: { rdev?: number; target?: string; data?: Uint8Array } = {}): Inode | number {
  if (!(dir.info as TmpInfo) || (dir.info as TmpInfo).kind !== "dir") return -ENOTDIR;
  const existing = dirInfo(dir).entries.get(name)?.inode;
  if (existing) {
    // An archive may list a directory twice, or replace a file.
    if (isDir(existing) && (mode & S_IFMT) === S_IFDIR) {
      existing.mode = mode; existing.uid = uid; existing.gid = gid;
      return existing;
    }
    removeEntry(k, dir, name);
    dropLink(k, existing);
  }
  const ino = newInode(k, dir.sb, mode, uid, gid, opts.rdev ?? 0, (mode & S_IFMT) === S_IFREG ? opts.data ?? null : null);
  if ((mode & S_IFMT) === S_IFLNK) setTarget(k, ino, opts.target ?? "");
  if (isDir(ino)) ino.nlink = 2;
  addEntry(k, dir, name, ino);
  return ino;
}

/** Add a hard link to an existing inode (boot-time). */
export function tmpfsLink(k: Kernel, dir: Inode, name: string, target: Inode): number {
  return dirIops.link!(k, target, dir, name);
}

/** The entries of a tmpfs directory (for boot code that walks trees). */
export function tmpfsLookup(dir: Inode, name: string): Inode | undefined {
  const info = dir.info as TmpInfo;
  return info && info.kind === "dir" ? info.entries.get(name)?.inode : undefined;
}

/** Register "tmpfs" (mount -t tmpfs [-o mode=,size=,nr_inodes=,uid=,gid=]; remount changes size and nr_inodes). */
export function registerTmpfs(k: Kernel): void {
  registerFsType(k, "tmpfs");
}

defineFsType({
    name: "tmpfs",
    mount(k2, _source, _flags, data) {
      const o = parseOptions(k2, data);
      if (typeof o === "number") return o;
      const d = tmpfsDefaultLimits(k2);
      return createTmpfs(k2, o.mode ?? 0o1777, o.uid ?? 0, o.gid ?? 0, o.maxPages ?? d.maxPages, o.maxInodes ?? d.maxInodes);
    },
    unmount(k2, sb) {
      // The instance goes away with its last mount: its files are freed (at once, or at the last close
      // of those still open), as Linux's kill_litter_super - else their frames would never come back.
      tmpfsDestroy(k2, sb);
    },
    remount(k2, sb, _flags, data) {
      const o = parseOptions(k2, data);
      if (typeof o === "number") return o;
      const s = sbInfo(sb);
      // Linux refuses to shrink below what is in use, and to turn a limit on where there was none.
      if (o.maxPages !== undefined && o.maxPages !== 0 && (o.maxPages < s.pagesUsed || s.maxPages === 0)) return -EINVAL;
      if (o.maxInodes !== undefined && o.maxInodes !== 0 && (o.maxInodes < s.inodes || s.maxInodes === 0)) return -EINVAL;
      if (o.maxPages !== undefined) s.maxPages = o.maxPages;
      if (o.maxInodes !== undefined) s.maxInodes = o.maxInodes;
      return 0;
    },
});

/** Unlink everything under the instance's root, depth first (a tmpfs being unmounted). */
function tmpfsDestroy(k: Kernel, sb: SuperBlock): void {
  const root = sbInfo(sb).root;
  if (!root) return;
  // A lazy unmount (MNT_DETACH) may leave processes working inside: then the tree stays as it is.
  for (const t of k.tasks.values()) {
    if (t.state !== "X" && t.fs && (t.fs.cwd.mount.sb === sb || t.fs.root.mount.sb === sb)) return;
  }
  const clear = (dir: Inode): void => {
    for (const [name, e] of [...dirInfo(dir).entries]) {
      if (isDir(e.inode)) clear(e.inode);
      removeEntry(k, dir, name);
      dropLink(k, e.inode);
    }
  };
  clear(root);
  dropLink(k, root);
}

/** A size with an optional k/m/g suffix, or N% of RAM; -1 when malformed. */
function parseSize(k: Kernel, v: string): number {
  const m = /^(\d+)([kKmMgG%]?)$/.exec(v);
  if (!m) return -1;
  const n = Number(m[1]);
  switch (m[2]) {
    case "k": case "K": return n * 1024;
    case "m": case "M": return n * 1024 * 1024;
    case "g": case "G": return n * 1024 * 1024 * 1024;
    case "%": return Math.floor((k.pm.frames * PAGE_SIZE * n) / 100);
    default: return n;
  }
}

interface TmpfsOptions { mode?: number; uid?: number; gid?: number; maxPages?: number; maxInodes?: number }

/** mount -o options; a size of 0 (size=0, nr_inodes=0) means no limit, as on Linux. */
function parseOptions(k: Kernel, data: string): TmpfsOptions | number {
  const o: TmpfsOptions = {};
  for (const opt of data.split(",")) {
    if (opt === "") continue;
    const [key, v = ""] = opt.split("=");
    switch (key) {
      case "mode": { const m = parseInt(v, 8); if (!(m >= 0 && m <= 0o7777)) return -EINVAL; o.mode = m; break; }
      case "uid": o.uid = Number(v) >>> 0; break;
      case "gid": o.gid = Number(v) >>> 0; break;
      case "size": {
        const sz = parseSize(k, v);
        if (sz < 0) return -EINVAL;
        o.maxPages = Math.ceil(sz / PAGE_SIZE);
        break;
      }
      case "nr_blocks": {
        const n = parseSize(k, v);
        if (n < 0 || v.endsWith("%")) return -EINVAL;
        o.maxPages = n;
        break;
      }
      case "nr_inodes": {
        const n = parseSize(k, v);
        if (n < 0 || v.endsWith("%")) return -EINVAL;
        o.maxInodes = n;
        break;
      }
      default: break; // huge=, inode64, mpol=...: accepted and ignored
    }
  }
  return o;
}
