// Boot-time VFS setup and the helpers the rest of the kernel calls:
//   vfsInit     - the root file system: a tmpfs filled from the
//                 initramfs (cpio newc: modes, owners, times, symlinks,
//                 device nodes, FIFOs, hard links; file data stays in the
//                 archive until first written or mapped), then /dev (devfs),
//                 /proc and /sys (fs/proc/root.ts, fs/sysfs/sysfs.ts), /dev/pts when a
//                 "devpts" type is registered, and /tmp with mode 1777.
//   openExec    - what execve needs from a path: the file's pages for the
//                 loader, after the exec permission checks.
//   stdioFiles  - descriptors 0, 1, 2 of PID 1: /dev/console.
//
// Concepts: C10 (boot: unpacking the initramfs, mounting the first file
// systems), C68 (the mount tree), C14 (/dev), C72 (exec permission).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Dentry, File, FsContext, Inode, FdTable, Mount } from "./vfs.js";
import type { ExecFile } from "../proc/exec.js";
import { parseCpio, type CpioEntry } from "./cpio.js";
import { lookupFsType, makedev } from "./fstypes.js";
import { createTmpfs, registerTmpfs, tmpfsAdd, tmpfsLink, tmpfsLookup, tmpfsDefaultLimits } from "./tmpfs/tmpfs.js";
import { devfs, registerDevfs } from "./devfs/devfs.js";
import { registerExt2, ext2Mount } from "./ext2/ops.js";
import { registerVfat } from "./vfat/ops.js";
import { registerHostfs, registerHostDir, hostfsSuper, type HostFs } from "./hostfs/hostfs.js";
import { registerProcFs } from "./proc/root.js";
import { registerSysFs } from "./sysfs/sysfs.js";
import { createMount, attachMount, mountList } from "./mount.js";
import { lookupAt, resolveAt, LOOKUP_FOLLOW, dentryPath, displayPath } from "./namei.js";
import { isReg, isDir } from "./inode.js";
import { permission, fsCred } from "./perm.js";
import { newFile } from "./file_table.js";
import { inodeMapping } from "./mapping.js";
import { lookupCharDevice } from "./chardev.js";
import { consoleSinkFops } from "./devfs/mem.js";
import { createFdTable, installFd } from "./fdtable.js";
import { logInfo } from "../log.js";
import { rootCreds } from "../proc/task.js";
import {
  AT_FDCWD, MAY_EXEC, MS_NOEXEC, MS_RDONLY, MS_NOSUID, MS_NODEV, MS_RELATIME, O_RDONLY, O_RDWR, O_LARGEFILE,
  S_IFMT, S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK,
} from "../abi/fs.js";
import { EACCES, ENOEXEC, ENOTDIR, EPERM, ENOENT, errnoName } from "../abi/errno.js";
import { iopsOf, inodeFops, fileOps } from "../lib/fsops.js";

/** Find or make the directory `parts` below `root` (missing ones get mode 0755). */
function ensureDir(k: Kernel, root: Inode, parts: string[]): Inode | null {
  let dir = root;
  for (const p of parts) {
    let next = tmpfsLookup(dir, p);
    if (!next) {
      const r = tmpfsAdd(k, dir, p, S_IFDIR | 0o755, 0, 0);
      if (typeof r === "number") return null;
      next = r;
    }
    if (!isDir(next)) return null;
    dir = next;
  }
  return dir;
}

/** Unpack an initramfs into the tmpfs whose root is `root`. Returns the number of members. */
export function unpackInitramfs(k: Kernel, root: Inode, cpio: Uint8Array): number {
  const entries: CpioEntry[] = parseCpio(cpio, "bytes"); // names as byte strings (lib/bytestr.ts)
  const byPath = new Map<string, Inode>();
  // Directory times are set at the end: adding entries to a directory changes its mtime.
  const dirTimes: [Inode, { sec: number; nsec: number }][] = [];
  let n = 0;
  for (const e of entries) {
    const time = { sec: e.mtime, nsec: 0 };
    if (e.path === ".") {
      root.mode = S_IFDIR | (e.mode & 0o7777);
      root.uid = e.uid;
      root.gid = e.gid;
      dirTimes.push([root, time]);
      continue;
    }
    const parts = e.path.split("/");
    const name = parts.pop()!;
    const dir = ensureDir(k, root, parts);
    if (!dir) { logInfo(k, `initramfs: cannot place ${e.path}: a parent is not a directory`); continue; }
    if (e.hardlinkOf && byPath.has(e.hardlinkOf)) {
      const target = byPath.get(e.hardlinkOf)!;
      if (tmpfsLookup(dir, name) === undefined && tmpfsLink(k, dir, name, target) === 0) { n++; continue; }
    }
    const type = e.mode & S_IFMT;
    let ino: Inode | number;
    switch (type) {
      case S_IFDIR: case S_IFREG: case S_IFLNK: case S_IFIFO: case S_IFSOCK:
        ino = tmpfsAdd(k, dir, name, e.mode, e.uid, e.gid, { data: e.data, target: e.target });
        break;
      case S_IFCHR: case S_IFBLK:
        ino = tmpfsAdd(k, dir, name, e.mode, e.uid, e.gid, { rdev: makedev(e.rdevMajor ?? 0, e.rdevMinor ?? 0) });
        break;
      default:
        continue;
    }
    if (typeof ino === "number") { logInfo(k, `initramfs: cannot create ${e.path} (${ino})`); continue; }
    ino.mtime = { ...time };
    ino.atime = { ...time };
    ino.ctime = { ...time };
    if (type === S_IFREG) byPath.set(e.path, ino);
    if (type === S_IFDIR) dirTimes.push([ino, time]);
    n++;
  }
  for (const [ino, time] of dirTimes) { ino.mtime = { ...time }; ino.ctime = { ...time }; ino.atime = { ...time }; }
  return n;
}

/** The file system types a booting kernel offers (mount -t, /proc/filesystems). */
function registerBootFsTypes(k: Kernel): void {
  registerTmpfs(k);
  registerDevfs(k);
  registerHostfs(k);
  registerExt2(k);
  registerVfat(k);
  registerProcFs(k);
  registerSysFs(k);
}

/** What every boot mounts under the root, whichever the root is: path, type, flags, options. */
const BOOT_MOUNTS: readonly (readonly [string, string, number, string])[] = [
  ["/dev", "devtmpfs", MS_NOSUID | MS_RELATIME, "mode=755"],
  ["/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME, ""],
  ["/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME, ""],
  ["/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC | MS_RELATIME, "gid=5,mode=620,ptmxmode=666"],
];

/** How both boots mount the POSIX message queue file system on /dev/mqueue. */
const MQUEUE_FLAGS = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME;

/** Mount a registered file system type on directory `path` of the root (boot time). */
function bootMount(k: Kernel, rootMount: Mount, rootIno: Inode, path: string, type: string, flags: number, data = ""): boolean {
  const fst = lookupFsType(k, type);
  if (!fst) return false;
  const parts = path.split("/").filter((p) => p !== "");
  const dirIno = ensureDir(k, rootIno, parts);
  if (!dirIno) return false;
  // The mountpoint dentry, with a parent chain back to the root.
  let d: Dentry = rootMount.root;
  let ino = rootIno;
  for (const p of parts) {
    ino = tmpfsLookup(ino, p)!;
    d = { name: p, parent: d, inode: ino, mount: d.mount };
    // Cross mounts made earlier on the way (e.g. /dev before /dev/pts).
    const over = mountList(k).filter((m) => m.parent === d.mount && m.mountpoint?.inode === ino).pop();
    if (over) { d = { name: p, parent: d.parent, inode: over.root.inode, mount: over }; ino = over.root.inode; }
  }
  if (!isDir(d.inode)) return false;
  const r = fst.mount(k, type, flags, data);
  if (typeof r === "number") { logInfo(k, `vfs: mounting ${type} on ${path} failed (${r})`); return false; }
  const m = createMount(k, r.sb, r.root, type, flags);
  attachMount(k, m, d);
  return true;
}

/**
 * Set up the file systems at boot from an initramfs image and return the
 * FsContext (root and working directory "/", umask 022) for PID 1.
 */
export function vfsInit(k: Kernel, cpio: Uint8Array | null): FsContext {
  registerBootFsTypes(k);
  // The root is a plain tmpfs (named so, not "rootfs": df skips "rootfs" and would not show /).
  // Linux's rootfs is a tmpfs with the default limits (half of RAM).
  const lim = tmpfsDefaultLimits(k);
  const { sb, root } = createTmpfs(k, 0o755, 0, 0, lim.maxPages, lim.maxInodes);
  const rootMount = createMount(k, sb, root, "tmpfs", MS_RELATIME);
  attachMount(k, rootMount, null);
  if (cpio && cpio.length > 0) {
    const n = unpackInitramfs(k, root, cpio);
    logInfo(k, `vfs: unpacked ${n} initramfs entries`);
  }
  for (const dir of ["dev", "proc", "sys", "tmp"]) ensureDir(k, root, [dir]);
  const tmp = tmpfsLookup(root, "tmp");
  if (tmp && isDir(tmp)) tmp.mode = S_IFDIR | 0o1777;
  devfs(k);
  for (const [path, type, flags, data] of BOOT_MOUNTS) bootMount(k, rootMount, root, path, type, flags, data);
  // POSIX message queues, where Debian mounts them (when the kernel offers "mqueue": kernel/ipc/mqueue.ts).
  bootMount(k, rootMount, root, "/dev/mqueue", "mqueue", MQUEUE_FLAGS);
  const rootD = rootMount.root;
  return { root: rootD, cwd: rootD, umask: 0o022, refs: 1 };
}

/**
 * Set up the file systems at boot with the root on a disk (root=/dev/vda1):
 * the ext2 file system on `source` is mounted as "/" (read-write), and
 * devtmpfs, proc, sysfs and devpts go on its /dev, /proc, /sys and /dev/pts
 * when those directories exist there. The initramfs is not used. Returns the
 * FsContext for PID 1, or a one-line reason the disk cannot be the root.
 */
export function vfsInitDisk(k: Kernel, source: string): FsContext | string {
  registerBootFsTypes(k);
  const r = ext2Mount(k, source, 0, "ext2");
  if (typeof r === "number") return `${source} holds no ext2 file system tsix can mount (${errnoName(-r)}; the kernel log says why)`;
  // With a usable journal the root is ext3 (as Linux's auto-detection names it in /proc/mounts).
  const rootType = (r.sb.info as { journalInfo?: unknown } | null)?.journalInfo ? "ext3" : "ext2";
  r.sb.fsType = rootType;
  const rootMount = createMount(k, r.sb, r.root, source, MS_RELATIME);
  attachMount(k, rootMount, null);
  devfs(k);
  const under = (parent: Dentry, name: string): Dentry | null => {
    const lookup = iopsOf(parent.inode).lookup;
    const ino = lookup ? lookup(k, parent.inode, name) : -ENOENT;
    if (typeof ino === "number" || !isDir(ino)) return null;
    const d: Dentry = { name, parent, inode: ino, mount: parent.mount };
    const over = mountList(k).filter((m) => m.parent === d.mount && m.mountpoint?.inode === ino).pop();
    return over ? { name, parent, inode: over.root.inode, mount: over } : d;
  };
  const mountOn = (path: string, type: string, flags: number, data: string): void => {
    let d: Dentry | null = rootMount.root;
    for (const p of path.split("/").filter((x) => x !== "")) d = d ? under(d, p) : null;
    if (!d) { logInfo(k, `vfs: no directory ${path} on the root disk: ${type} not mounted`); return; }
    const m = lookupFsType(k, type)?.mount(k, type, flags, data);
    if (!m || typeof m === "number") { logInfo(k, `vfs: mounting ${type} on ${path} failed`); return; }
    attachMount(k, createMount(k, m.sb, m.root, type, flags), d);
  };
  for (const [path, type, flags, data] of BOOT_MOUNTS) mountOn(path, type, flags, data);
  if (lookupFsType(k, "mqueue")) mountOn("/dev/mqueue", "mqueue", MQUEUE_FLAGS, "");
  logInfo(k, `VFS: mounted root (${rootType} filesystem) on device ${source}`);
  const rootD = rootMount.root;
  return { root: rootD, cwd: rootD, umask: 0o022, refs: 1 };
}

/** What execve gets for a path (see kernel/proc/execve.ts). */
export interface ExecTarget { file: ExecFile; path: string; inode: Inode }

/**
 * Look up `path` for execution by `t`: a regular file on a mount without
 * noexec, with execute permission (root needs some x bit). Returns the
 * loader's view of the file (its pages and random access) or -errno.
 */
export function openExec(k: Kernel, t: Task, path: string): ExecTarget | number {
  const d = lookupAt(k, t, AT_FDCWD, path, LOOKUP_FOLLOW);
  if (typeof d === "number") return d;
  const ino = d.inode;
  if (!isReg(ino)) return -EACCES;
  if (d.mount.flags & MS_NOEXEC) return -EACCES;
  const p = permission(fsCred(t), ino, MAY_EXEC);
  if (p < 0) return p;
  const read = inodeFops(ino).read;
  if (!read) return -ENOEXEC;
  const abs = dentryPath(d, t.fs.root) ?? displayPath(d, t.fs.root);
  const mapping = inodeMapping(ino, abs);
  if (typeof mapping === "number") return -ENOEXEC;
  iopsOf(ino).revalidate?.(k, ino);
  const prep = iopsOf(ino).prepareExec?.(k, ino) ?? 0;
  if (prep < 0) return prep;
  const probe: File = { dentry: d, inode: ino, flags: O_RDONLY, pos: 0, refs: 1, ops: ino.fops, info: null };
  const file: ExecFile = {
    mapping,
    size: ino.size,
    readAt(off: number, len: number): Uint8Array {
      const buf = new Uint8Array(Math.max(0, Math.min(len, ino.size - off)));
      if (buf.length === 0) return buf;
      const n = read(k, t, probe, buf, off, { wait: null });
      return n >= 0 ? buf.subarray(0, n) : new Uint8Array(0);
    },
  };
  return { file, path: abs, inode: ino };
}

/** The dentry of /dev/console (in the mounted devfs if it is mounted). */
function consoleDentry(k: Kernel): Dentry | null {
  const dev = devfs(k);
  const ino = tmpfsLookup(dev.root, "console");
  if (!ino) return null;
  const m = mountList(k).find((x) => x.sb === dev.sb);
  const rootM = mountList(k).find((x) => x.mountpoint === null);
  if (m && rootM) {
    const devD: Dentry = { name: "dev", parent: rootM.root, inode: dev.root, mount: m };
    return { name: "console", parent: devD, inode: ino, mount: m };
  }
  const mm = m ?? createMount(k, dev.sb, dev.root, "devtmpfs", 0);
  return { name: "console", parent: mm.root, inode: ino, mount: mm };
}

/**
 * The opener of files the kernel opens on nobody's behalf (PID 1's console
 * before PID 1 exists): root credentials, no session, no terminal.
 */
function kernelOpener(): Task {
  const tg = { pid: 0, sid: -1, pgid: 0, tty: 0, creds: rootCreds() };
  return { tid: 0, tg, comm: "kernel" } as unknown as Task;
}

/**
 * PID 1's standard input, output and error: one open file of /dev/console
 * (O_RDWR, like Linux's init), returned three times with three references.
 * When no console driver is registered for (5,1), the file writes to the
 * host console (k.host.consoleOut) and reads end-of-file. The driver's open runs
 * for `t` when given (else for the kernel itself).
 */
export function stdioFiles(k: Kernel, t?: Task): File[] {
  const d = consoleDentry(k);
  const dev = lookupCharDevice(k, 5, 1);
  const ops = dev ? dev.fops : consoleSinkFops;
  const dentry: Dentry = d ?? { name: "console", parent: null, inode: devfs(k).root, mount: createMount(k, devfs(k).sb, devfs(k).root, "devtmpfs", 0) };
  const f = newFile(k, dentry, ops, O_RDWR | O_LARGEFILE);
  const open = fileOps(ops).open;
  if (dev && open && open(k, t ?? kernelOpener(), f) < 0) {
    // The console driver refused: fall back to the host console.
    f.ops = consoleSinkFops;
    f.info = null;
  }
  f.refs = 3;
  return [f, f, f];
}

/** A descriptor table with 0, 1, 2 on the console (for spawnInit). */
export function stdioFdTable(k: Kernel, t?: Task): FdTable {
  const fdt = createFdTable();
  for (const f of stdioFiles(k, t)) installFd(fdt, f, false);
  return fdt;
}

/**
 * Mount a host directory at `guestPath` (made, with its parents, if
 * missing) - the `--mount HOST:GUEST` option. `t` supplies the root and
 * credentials for the walk (PID 1, before it runs). The source name is also
 * registered so that the guest can mount it again with mount -t hostfs.
 */
export function mountHost(k: Kernel, t: Task, guestPath: string, host: HostFs, source: string, readOnly = false): number {
  registerHostDir(k, source, host);
  const parts = guestPath.split("/").filter((p) => p !== "");
  let prefix = "";
  for (const p of parts) {
    prefix += "/" + p;
    const r = resolveAt(k, t, AT_FDCWD, prefix, LOOKUP_FOLLOW);
    if (typeof r === "number") return r;
    if (r.dentry) {
      if (!isDir(r.dentry.inode)) return -ENOTDIR;
      continue;
    }
    const mkdir = iopsOf(r.parent!.inode).mkdir;
    if (!mkdir) return -EPERM;
    const made = mkdir(k, r.parent!.inode, r.name, 0o755, t);
    if (typeof made === "number") return made;
  }
  const d = lookupAt(k, t, AT_FDCWD, guestPath || "/", LOOKUP_FOLLOW);
  if (typeof d === "number") return d;
  const sup = hostfsSuper(k, source, readOnly);
  if (typeof sup === "number") return sup;
  const m = createMount(k, sup.sb, sup.root, source, readOnly ? MS_RDONLY : 0);
  attachMount(k, m, d);
  return 0;
}
