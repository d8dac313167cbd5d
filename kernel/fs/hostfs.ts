// hostfs: a directory of the host mounted in the guest (`tsix run --mount
// HOST:GUEST`, or `mount -t hostfs SOURCE DIR` for a source the host
// registered). Every operation is passed to a HostFs - a small synchronous
// interface the host adapter implements (host/node/hostfs.ts with Node's
// fs.*Sync) - so the kernel itself imports nothing from Node. Paths given
// to the HostFs are relative to the mount's root ("/", "/a/b").
//
// Data is read and written through to the host. Pages are cached only
// when something maps the file (getPage, filled from the host); writes also
// update cached pages so that mappings stay coherent, and the cache is
// written back and dropped at fsync and when the last user goes away.
//
// Concepts: C68 (a VFS over a foreign file system), C46 (mmap of a file
// whose data lives elsewhere), C74 (page cache, write-back).
import type { Kernel } from "../kernel.js";
import type { Inode, InodeOps, FileOps, SuperBlock, DirEntry, StatFs } from "./vfs.js";
import { registerFsType, makedev } from "./fstypes.js";
import { allocAnonDev, currentTime } from "./inode.js";
import {
  type PageCache, type PageFill, createPageCache, pcRead, pcGetPage, pcTruncate, pcFree, pcUpdateCached, pcCachedPages,
} from "./pagecache.js";
import {
  S_IFMT, S_IFDIR, S_IFREG, S_IFLNK, S_IALLUGO, DT_DIR, DT_UNKNOWN, dtype, HOSTFS_SUPER_MAGIC, NAME_MAX,
} from "./fsabi.js";
import { ENOENT, EPERM, EEXIST, ENOTDIR } from "../abi/errno.js";
import { PAGE_SIZE } from "../mm/phys.js";

/** File attributes as the host reports them (lstat: links are not followed). */
export interface HostStat {
  mode: number;      // S_IFMT type bits | permission bits
  size: number;
  nlink: number;
  ino: number;
  uid: number;
  gid: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface HostDirEntry { name: string; type: number /* DT_* */; ino?: number }

/**
 * The host side of a hostfs mount. Every call is synchronous and returns a
 * value or -errno (Linux numbering). Paths are relative to the mounted
 * host directory and always start with "/".
 */
export interface HostFs {
  lstat(path: string): HostStat | number;
  readdir(path: string): HostDirEntry[] | number;
  read(path: string, pos: number, buf: Uint8Array): number;
  write(path: string, pos: number, data: Uint8Array): number;
  /** Create a regular file that must not exist yet (O_CREAT | O_EXCL). */
  create(path: string, mode: number): number;
  mkdir(path: string, mode: number): number;
  unlink(path: string): number;
  rmdir(path: string): number;
  rename(from: string, to: string): number;
  readlink(path: string): string | number;
  symlink(target: string, path: string): number;
  link(from: string, to: string): number;
  truncate(path: string, size: number): number;
  chmod(path: string, mode: number): number;
  utimes(path: string, atimeMs: number, mtimeMs: number): number;
  statfs?(): { bsize: number; blocks: number; bfree: number; bavail: number; files: number; ffree: number } | number;
  readOnly?: boolean;
}

interface HostSb { host: HostFs; inodes: Map<string, Inode> }
interface HostInode { path: string; pc: PageCache | null; uid: number | null; gid: number | null }

function sbOf(ino: Inode): HostSb { return ino.sb.info as HostSb; }
function hi(ino: Inode): HostInode { return ino.info as HostInode; }
function hostOf(ino: Inode): HostFs { return sbOf(ino).host; }

function join(dir: string, name: string): string {
  return dir === "/" ? "/" + name : dir + "/" + name;
}

function msToTs(ms: number): { sec: number; nsec: number } {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
}

/** Copy host attributes into the inode (guest-side chown overrides are kept). */
function applyStat(ino: Inode, st: HostStat): void {
  ino.mode = st.mode;
  ino.size = st.size;
  ino.nlink = st.nlink;
  ino.uid = hi(ino).uid ?? st.uid;
  ino.gid = hi(ino).gid ?? st.gid;
  ino.atime = msToTs(st.atimeMs);
  ino.mtime = msToTs(st.mtimeMs);
  ino.ctime = msToTs(st.ctimeMs);
}

/** The inode of host path `path` (cached by path), refreshed from `st`. */
function inodeFor(sb: SuperBlock, path: string, st: HostStat): Inode {
  const s = sb.info as HostSb;
  let ino = s.inodes.get(path);
  if (ino && (ino.mode & S_IFMT) !== (st.mode & S_IFMT)) {
    s.inodes.delete(path);
    ino = undefined;
  }
  if (!ino) {
    const type = st.mode & S_IFMT;
    ino = {
      ino: st.ino || 1, sb, mode: st.mode, uid: st.uid, gid: st.gid, nlink: st.nlink, size: st.size,
      atime: msToTs(st.atimeMs), mtime: msToTs(st.mtimeMs), ctime: msToTs(st.ctimeMs), rdev: 0,
      iops: type === S_IFDIR ? dirIops : type === S_IFLNK ? lnkIops : type === S_IFREG ? regIops : otherIops,
      fops: type === S_IFREG ? regFops : {},
      info: { path, pc: null, uid: null, gid: null } satisfies HostInode,
      refs: 0,
    };
    s.inodes.set(path, ino);
  }
  applyStat(ino, st);
  return ino;
}

function statPath(ino: Inode, path: string): Inode | number {
  const st = hostOf(ino).lstat(path);
  if (typeof st === "number") return st;
  return inodeFor(ino.sb, path, st);
}

function revalidate(_k: Kernel, ino: Inode): void {
  const st = hostOf(ino).lstat(hi(ino).path);
  if (typeof st !== "number") applyStat(ino, st);
}

/** Page filler reading from the host file. */
function filler(ino: Inode): PageFill {
  const host = hostOf(ino), path = hi(ino).path;
  return (index, dst) => { host.read(path, index * PAGE_SIZE, dst); };
}

/**
 * Write the cached pages back to the host (within the file's size). Stores
 * through shared mappings leave no trace the kernel sees, so each page is
 * compared with the host's copy and only pages that differ are written (an
 * executable that was only mapped is never rewritten).
 */
function writeBack(k: Kernel, ino: Inode): number {
  const pc = hi(ino).pc;
  if (!pc) return 0;
  const host = hostOf(ino), path = hi(ino).path;
  const theirs = new Uint8Array(PAGE_SIZE);
  for (const { index, bytes } of pcCachedPages(k, pc)) {
    const start = index * PAGE_SIZE;
    if (start >= ino.size) continue;
    const mine = bytes.subarray(0, Math.min(PAGE_SIZE, ino.size - start));
    const n = host.read(path, start, theirs.subarray(0, mine.length));
    if (n === mine.length && sameBytes(mine, theirs.subarray(0, n))) continue;
    const r = host.write(path, start, mine);
    if (r < 0) return r;
  }
  return 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// --- directories ---

/** Rename every cached inode at or below `from` to live below `to`. */
function movePaths(s: HostSb, from: string, to: string): void {
  const moved: [string, Inode][] = [];
  for (const [p, ino] of s.inodes) {
    if (p === from || p.startsWith(from + "/")) moved.push([p, ino]);
  }
  for (const [p, ino] of moved) {
    s.inodes.delete(p);
    const np = to + p.slice(from.length);
    hi(ino).path = np;
    s.inodes.set(np, ino);
  }
}

function forget(s: HostSb, path: string): void {
  const ino = s.inodes.get(path);
  if (ino) {
    s.inodes.delete(path);
    ino.nlink = Math.max(0, ino.nlink - 1);
  }
}

const dirIops: InodeOps = {
  lookup(_k, dir, name) {
    return statPath(dir, join(hi(dir).path, name));
  },
  create(_k, dir, name, mode) {
    const path = join(hi(dir).path, name);
    const r = hostOf(dir).create(path, mode & S_IALLUGO);
    if (r < 0) return r;
    return statPath(dir, path);
  },
  mknod(_k, dir, name, mode) {
    // Only regular files can be made on the host; FIFOs and devices are refused.
    if ((mode & S_IFMT) !== S_IFREG) return -EPERM;
    const path = join(hi(dir).path, name);
    const r = hostOf(dir).create(path, mode & S_IALLUGO);
    if (r < 0) return r;
    return statPath(dir, path);
  },
  mkdir(_k, dir, name, mode) {
    const path = join(hi(dir).path, name);
    const r = hostOf(dir).mkdir(path, mode & S_IALLUGO);
    if (r < 0) return r;
    return statPath(dir, path);
  },
  symlink(_k, dir, name, target) {
    const path = join(hi(dir).path, name);
    const r = hostOf(dir).symlink(target, path);
    if (r < 0) return r;
    return statPath(dir, path);
  },
  link(_k, target, dir, name) {
    const r = hostOf(dir).link(hi(target).path, join(hi(dir).path, name));
    if (r < 0) return r;
    target.nlink++;
    return 0;
  },
  unlink(_k, dir, name) {
    const path = join(hi(dir).path, name);
    const r = hostOf(dir).unlink(path);
    if (r < 0) return r;
    forget(sbOf(dir), path);
    return 0;
  },
  rmdir(_k, dir, name) {
    const path = join(hi(dir).path, name);
    const r = hostOf(dir).rmdir(path);
    if (r < 0) return r;
    forget(sbOf(dir), path);
    return 0;
  },
  rename(_k, oldDir, oldName, newDir, newName, flags) {
    const from = join(hi(oldDir).path, oldName), to = join(hi(newDir).path, newName);
    const host = hostOf(oldDir);
    if (flags & 1 /* RENAME_NOREPLACE */) {
      if (typeof host.lstat(to) !== "number") return -EEXIST;
    }
    if (flags & 2 /* RENAME_EXCHANGE */) {
      const tmp = to + ".tsix-exchange";
      let r = host.rename(to, tmp);
      if (r < 0) return r;
      r = host.rename(from, to);
      if (r < 0) { host.rename(tmp, to); return r; }
      r = host.rename(tmp, from);
      if (r < 0) return r;
      const s = sbOf(oldDir);
      movePaths(s, to, tmp);
      movePaths(s, from, to);
      movePaths(s, tmp, from);
      return 0;
    }
    const r = host.rename(from, to);
    if (r < 0) return r;
    const s = sbOf(oldDir);
    forget(s, to);
    movePaths(s, from, to);
    return 0;
  },
  readdir(_k, dir) {
    const path = hi(dir).path;
    const list = hostOf(dir).readdir(path);
    if (typeof list === "number") return list;
    const out: DirEntry[] = [
      { name: ".", ino: dir.ino, type: DT_DIR },
      { name: "..", ino: dir.ino, type: DT_DIR },
    ];
    for (const e of list) {
      const cached = sbOf(dir).inodes.get(join(path, e.name));
      out.push({ name: e.name, ino: cached?.ino ?? e.ino ?? 1, type: cached ? dtype(cached.mode) : e.type ?? DT_UNKNOWN });
    }
    return out;
  },
  setattr: hostSetattr,
  revalidate,
  idle(_k, ino) { void ino; },
};

function hostSetattr(_k: Kernel, ino: Inode, attr: { mode?: number; uid?: number; gid?: number; atime?: { sec: number; nsec: number }; mtime?: { sec: number; nsec: number } }): number {
  const host = hostOf(ino), path = hi(ino).path;
  if (attr.mode !== undefined && (ino.mode & S_IFMT) !== S_IFLNK) {
    const r = host.chmod(path, attr.mode & S_IALLUGO);
    if (r < 0) return r;
  }
  if (attr.atime || attr.mtime) {
    const a = attr.atime ?? ino.atime, m = attr.mtime ?? ino.mtime;
    const r = host.utimes(path, a.sec * 1000 + a.nsec / 1e6, m.sec * 1000 + m.nsec / 1e6);
    if (r < 0) return r;
  }
  // Ownership cannot change on the host: kept in the guest's view only.
  if (attr.uid !== undefined) hi(ino).uid = attr.uid;
  if (attr.gid !== undefined) hi(ino).gid = attr.gid;
  return 0;
}

// --- regular files ---

const regFops: FileOps = {
  read(k, _t, f, buf, pos) {
    const ino = f.inode;
    const pc = hi(ino).pc;
    if (pc && pc.count > 0) {
      revalidate(k, ino);
      return pcRead(k, pc, ino.size, buf, pos, filler(ino));
    }
    return hostOf(ino).read(hi(ino).path, pos, buf);
  },
  write(k, _t, f, buf, pos) {
    const ino = f.inode;
    const n = hostOf(ino).write(hi(ino).path, pos, buf);
    if (n <= 0) return n;
    const pc = hi(ino).pc;
    if (pc) pcUpdateCached(k, pc, buf.subarray(0, n), pos);
    if (pos + n > ino.size) ino.size = pos + n;
    const now = currentTime(k);
    ino.mtime = { ...now };
    ino.ctime = { ...now };
    return n;
  },
  fsync(k, f) {
    return writeBack(k, f.inode);
  },
};

const regIops: InodeOps = {
  truncate(k, ino, size) {
    const r = hostOf(ino).truncate(hi(ino).path, size);
    if (r < 0) return r;
    const pc = hi(ino).pc;
    if (pc) pcTruncate(k, pc, ino.size, size);
    ino.size = size;
    const now = currentTime(k);
    ino.mtime = { ...now };
    ino.ctime = { ...now };
    return 0;
  },
  getPage(k, ino, index) {
    const info = hi(ino);
    if (!info.pc) info.pc = createPageCache(null);
    return pcGetPage(k, info.pc, index, filler(ino));
  },
  idle(k, ino) {
    const info = hi(ino);
    if (info.pc) {
      writeBack(k, ino);
      pcFree(k, info.pc);
      info.pc = null;
    }
  },
  evict(k, ino) {
    const info = hi(ino);
    if (info.pc) { pcFree(k, info.pc); info.pc = null; }
  },
  setattr: hostSetattr,
  revalidate,
};

const lnkIops: InodeOps = {
  readlink(_k, ino) {
    return hostOf(ino).readlink(hi(ino).path);
  },
  setattr: hostSetattr,
  revalidate,
};

const otherIops: InodeOps = { setattr: hostSetattr, revalidate };

// --- mounting ---

/** Host directories the guest may mount by source name. */
function hostDirs(k: Kernel): Map<string, HostFs> {
  let m = k.sub.hostDirs as Map<string, HostFs> | undefined;
  if (!m) { m = new Map(); k.sub.hostDirs = m; }
  return m;
}

/** Let the guest mount `host` as `mount -t hostfs SOURCE DIR`. */
export function registerHostDir(k: Kernel, source: string, host: HostFs): void {
  hostDirs(k).set(source, host);
}

/** A superblock and root inode for a host directory, or -errno. */
export function hostfsSuper(k: Kernel, host: HostFs, readOnly = false): { sb: SuperBlock; root: Inode } | number {
  const st = host.lstat("/");
  if (typeof st === "number") return st;
  if ((st.mode & S_IFMT) !== S_IFDIR) return -ENOTDIR;
  const info: HostSb = { host, inodes: new Map() };
  const sb: SuperBlock = {
    dev: makedev(0, allocAnonDev(k)), fsType: "hostfs", readOnly: readOnly || host.readOnly === true, info,
    magic: HOSTFS_SUPER_MAGIC,
    statfs(): StatFs {
      const s = host.statfs?.();
      if (!s || typeof s === "number") return { bsize: PAGE_SIZE, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: NAME_MAX };
      return { ...s, namelen: NAME_MAX };
    },
  };
  const root = inodeFor(sb, "/", st);
  return { sb, root };
}

/** Register "hostfs" (the source must have been registered with registerHostDir). */
export function registerHostfs(k: Kernel): void {
  registerFsType(k, {
    name: "hostfs",
    mount(k2, source, flags) {
      const host = hostDirs(k2).get(source);
      if (!host) return -ENOENT;
      return hostfsSuper(k2, host, (flags & 1) !== 0);
    },
    unmount(k2, sb) {
      for (const ino of (sb.info as HostSb).inodes.values()) {
        if (hi(ino).pc) writeBack(k2, ino);
      }
    },
  });
}

