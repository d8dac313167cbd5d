// The mount table: which file system's root covers which directory. A Mount
// is glued onto a (parent mount, inode) pair; the path walk crosses onto the
// topmost mount whenever it steps on a covered inode, and ".." from a mount's
// root climbs back out. mount(2) by file-system type name (fstypes.ts), bind
// mounts, remount and umount (EBUSY while something is in use below it) live
// here, and /proc/mounts reads mountList.
//
// Concepts: C68 (VFS, mount points, unmount), C10 (the root file system).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Dentry, Inode, Mount, SuperBlock } from "./vfs.js";
import { type WaitQueue, createWaitQueue } from "../sched/wait.js";
import type { AnonFs } from "./file.js";
import type { FilesStat } from "./file_table.js";
import type { LockOwner } from "./locks.js";
import type { PipeFs } from "./pipe.js";
import type { DevFs } from "./devfs/devfs.js";
import type { HostfsState } from "./hostfs/hostfs.js";
import type { InotifyState } from "./fsnotify.js";
import type { CharDevice } from "./chardev.js";
import { lookupFsType } from "./fstypes.js";
import { sopsOf } from "../lib/fsops.js";
import { isDir } from "./inode.js";
import { EBUSY, EINVAL, ENODEV, ENOTDIR, EPERM } from "../abi/errno.js";
import { MNT_FLAGS, MS_BIND, MS_REMOUNT, MS_RDONLY, MS_MOVE, MS_REC, MNT_DETACH, MNT_FORCE, MNT_EXPIRE, UMOUNT_NOFOLLOW } from "../abi/fs.js";

/**
 * The file-system layer's state (k.vfs): plain data, made at boot. Members
 * that exist only once used (the internal pipe and anonymous-inode mounts,
 * the proc and sysfs superblocks, /dev) are null until then.
 */
export interface VfsState {
  /** Mounts in the order they were made (parents before children). */
  mounts: Mount[];
  nextMountId: number;
  /** Names of the file-system types registered in this kernel (their code: fstypes.ts's table). */
  fsTypes: string[];
  /** Next minor of an anonymous device number (get_anon_bdev). */
  nextAnonMinor: number;
  /** Open files in the system (fs.file-nr). */
  files: FilesStat;
  /** Inodes that have (or had) record locks (/proc/locks). */
  lockedInodes: Set<Inode>;
  /** The waits-for graph of blocked F_SETLKW callers (deadlock detection). */
  lockWaits: Map<LockOwner, LockOwner>;
  /** The queue each polling task sleeps on (one per task, reused). */
  pollQueues: Map<Task, WaitQueue>;
  pipefs: PipeFs | null;
  /** Where pollers of pidfds wait for an exit (fs/pidfd.ts), made at first use. */
  pidfdWq?: WaitQueue;
  anonInodeFs: AnonFs | null;
  /** The internal tmpfs behind memfd_create. */
  memfdMount: Mount | null;
  procSb: SuperBlock | null;
  sysfsSb: SuperBlock | null;
  devfs: DevFs | null;
  hostfs: HostfsState;
  /** Character devices by major * 0x100000 + minor. */
  charDevices: Map<number, CharDevice>;
  /** Pages held by page caches (Cached: in /proc/meminfo). */
  pageCacheFrames: number;
  /** inotify watches and limits (fs/fsnotify.ts), made at first use. */
  inotify?: InotifyState;
}

export function createVfsState(): VfsState {
  return {
    mounts: [], nextMountId: 1, fsTypes: [], nextAnonMinor: 1, files: { nr: 0 },
    lockedInodes: new Set(), lockWaits: new Map(), pollQueues: new Map(),
    pipefs: null, anonInodeFs: null, memfdMount: null, procSb: null, sysfsSb: null, devfs: null,
    hostfs: { sbs: [], armed: false, caller: 0, background: 0, journals: new Map(), inflight: new Map(), wait: createWaitQueue("hostfs") }, charDevices: new Map(), pageCacheFrames: 0,
  };
}

export function vfsState(k: Kernel): VfsState {
  return k.vfs;
}

/** Every mounted file system, parents first (for /proc/mounts, umount, statfs). */
export function mountList(k: Kernel): readonly Mount[] {
  return vfsState(k).mounts;
}

/** A root dentry for a file system root (or a bind mount's subtree). */
export function rootDentry(m: Mount, inode: Inode): Dentry {
  return { name: "/", parent: null, inode, mount: m };
}

/** Make a Mount of `sb` whose root is `root`; attach it with attachMount (or use it as the root). */
export function createMount(k: Kernel, sb: SuperBlock, root: Inode, source: string, flags: number): Mount {
  const s = vfsState(k);
  const m: Mount = { id: s.nextMountId++, sb, root: null as unknown as Dentry, mountpoint: null, parent: null, source, flags: flags & MNT_FLAGS };
  m.root = rootDentry(m, root);
  return m;
}

/** A mount that is in no tree (pipes, anonymous inodes): never listed, never crossed. */
export function internalMount(k: Kernel, sb: SuperBlock, root: Inode, name: string): Mount {
  return createMount(k, sb, root, name, 0);
}

/** Glue `m` over the dentry `mp` (in mount mp.mount). */
export function attachMount(k: Kernel, m: Mount, mp: Dentry | null): void {
  m.mountpoint = mp;
  m.parent = mp ? mp.mount : null;
  if (mp) mp.inode.mounted = (mp.inode.mounted ?? 0) + 1;
  vfsState(k).mounts.push(m);
}

function detachMount(k: Kernel, m: Mount): void {
  const s = vfsState(k);
  s.mounts = s.mounts.filter((x) => x !== m);
  if (m.mountpoint) m.mountpoint.inode.mounted = Math.max(0, (m.mountpoint.inode.mounted ?? 1) - 1);
}

/** The topmost mount on `inode` as seen from mount `parent`. */
export function lookupMount(k: Kernel, parent: Mount, inode: Inode): Mount | undefined {
  const ms = vfsState(k).mounts;
  for (let i = ms.length - 1; i >= 0; i--) {
    const m = ms[i];
    if (m.parent === parent && m.mountpoint && m.mountpoint.inode === inode) return m;
  }
  return undefined;
}

/** If something is mounted on `d`, the dentry of the (topmost) mounted root, named and parented like `d`. */
export function crossMounts(k: Kernel, d: Dentry): Dentry {
  for (let guard = 0; d.inode.mounted && guard < 64; guard++) {
    const m = lookupMount(k, d.mount, d.inode);
    if (!m) break;
    d = { name: d.name, parent: d.parent, inode: m.root.inode, mount: m };
  }
  return d;
}

/** Whether a dentry is the root of its mount. */
export function isMountRoot(d: Dentry): boolean {
  return d.inode === d.mount.root.inode;
}

/** Absolute path of a mount's mountpoint (for /proc/mounts). */
export function mountPath(m: Mount): string {
  const parts: string[] = [];
  let d: Dentry | null = m.mountpoint;
  while (d && d.parent) { parts.unshift(d.name); d = d.parent; }
  return m.mountpoint ? "/" + parts.join("/") : "/";
}

/**
 * Mount options as /proc/mounts shows them: the mount's flags, then the
 * file system's own options ("size=1024k") unless `withFs` is false
 * (mountinfo shows those among the superblock's options).
 */
export function mountOptions(m: Mount, withFs = true): string {
  // A file system that went read-only by itself (ext2 errors=remount-ro, a journal abort) shows ro, as Linux's show_vfsmnt.
  const o = [m.flags & MS_RDONLY || m.sb.readOnly ? "ro" : "rw"];
  if (m.flags & 2) o.push("nosuid");
  if (m.flags & 4) o.push("nodev");
  if (m.flags & 8) o.push("noexec");
  if (m.flags & 1024) o.push("noatime");
  else o.push("relatime");
  const fsOpts = withFs ? sopsOf(m.sb).showOptions?.(m.sb) : "";
  if (fsOpts) o.push(fsOpts);
  return o.join(",");
}

/** mount(2): `flags` MS_*, `fstype` a registered type name. The caller walked `target`. */
export function doMount(k: Kernel, t: Task, source: string, target: Dentry, fstype: string, flags: number, data: string, sourceDentry: Dentry | null): number {
  if (t.tg.creds.euid !== 0) return -EPERM;
  if (flags & MS_REMOUNT) {
    // Change the flags of the mount whose root is `target`.
    if (!isMountRoot(target)) return -EINVAL;
    const m = target.mount;
    if (!(flags & MS_BIND)) {
      const r = lookupFsType(k, m.sb.fsType)?.remount?.(k, m.sb, flags, data) ?? 0;
      if (r < 0) return r;
    }
    m.flags = flags & MNT_FLAGS;
    if (!(flags & MS_BIND)) m.sb.readOnly = (flags & MS_RDONLY) !== 0;
    return 0;
  }
  if (flags & MS_MOVE) {
    if (!sourceDentry || !isMountRoot(sourceDentry) || !sourceDentry.mount.mountpoint) return -EINVAL;
    if (!isDir(target.inode)) return -ENOTDIR;
    const m = sourceDentry.mount;
    detachMount(k, m);
    attachMount(k, m, target);
    return 0;
  }
  if ((flags & (1 << 18 | 1 << 19 | 1 << 20 | 1 << 17)) && !(flags & MS_BIND) && !fstype) {
    return 0; // propagation changes (MS_PRIVATE, MS_SHARED...): there is no propagation here
  }
  if (flags & MS_BIND) {
    if (!sourceDentry) return -EINVAL;
    if (isDir(sourceDentry.inode) !== isDir(target.inode)) return -ENOTDIR;
    const src = sourceDentry.mount;
    const m = createMount(k, src.sb, sourceDentry.inode, src.source, (flags & MS_REC ? 0 : 0) | src.flags);
    attachMount(k, m, target);
    return 0;
  }
  const type = lookupFsType(k, fstype);
  if (!type) return -ENODEV;
  if (!isDir(target.inode)) return -ENOTDIR;
  const r = type.mount(k, source, flags, data);
  if (typeof r === "number") return r;
  if (flags & MS_RDONLY) r.sb.readOnly = true;
  const m = createMount(k, r.sb, r.root, source || fstype, flags);
  attachMount(k, m, target);
  return 0;
}

/** umount2(2) of the mount whose root is `target`. */
export function doUmount(k: Kernel, t: Task, target: Dentry, flags: number): number {
  if (t.tg.creds.euid !== 0) return -EPERM;
  if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) return -EINVAL;
  if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH))) return -EINVAL;
  if (!isMountRoot(target)) return -EINVAL;
  const m = target.mount;
  if (!m.mountpoint) return -EBUSY; // the root file system
  const ms = vfsState(k).mounts;
  const lazy = (flags & MNT_DETACH) !== 0;
  if (!lazy) {
    if (ms.some((x) => x.parent === m)) return -EBUSY;
    if (mountInUse(k, m)) return -EBUSY;
  }
  // A lazy unmount takes the whole subtree of mounts with it.
  const doomed = [m];
  for (let i = 0; i < doomed.length; i++) for (const x of ms) if (x.parent === doomed[i]) doomed.push(x);
  for (const x of doomed.reverse()) {
    detachMount(k, x);
    if (!ms.some((y) => y !== x && y.sb === x.sb)) lookupFsType(k, x.sb.fsType)?.unmount?.(k, x.sb);
  }
  return 0;
}

/**
 * Write every file system's dirty data back to its backing store (sync(2),
 * and the kernel at halt). Each superblock once, even when mounted twice;
 * superblocks that are mounted nowhere any more flushed at their unmount.
 * Returns the first error, or 0.
 */
export function syncFilesystems(k: Kernel, only: SuperBlock | null = null): number {
  const seen = new Set<SuperBlock>();
  let err = 0;
  for (const m of vfsState(k).mounts) {
    if (seen.has(m.sb) || (only && m.sb !== only)) continue;
    seen.add(m.sb);
    const r = lookupFsType(k, m.sb.fsType)?.sync?.(k, m.sb) ?? 0;
    if (r < 0 && err === 0) err = r;
  }
  return err;
}

/** Whether any open file, working directory or root is inside mount `m`. */
function mountInUse(k: Kernel, m: Mount): boolean {
  for (const t of k.tasks.values()) {
    if (t.state === "X") continue;
    const fs = t.fs;
    if (fs && ((fs.cwd && fs.cwd.mount === m) || (fs.root && fs.root.mount === m))) return true;
    for (const e of t.files?.fds ?? []) if (e && e.file.dentry.mount === m) return true;
  }
  return false;
}
