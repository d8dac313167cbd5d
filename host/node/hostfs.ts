// Node host adapter for hostfs: the HostFs interface (host/hostfs.ts) over a
// directory of the host. Two modes (NodeHostFsOptions.io):
//   - "sync" (the default, `tsix run --mount-io sync`): Node's synchronous fs
//     calls; every operation answers at once (the fast path).
//   - "async" (`--mount-io async`): Node's asynchronous fs calls (the libuv
//     thread pool); every operation but root(), the root's stat and close
//     answers later with a ticket, the way a browser host (OPFS, fetch)
//     must. It exercises the kernel's sleep-and-rerun path end to end. The
//     share's root is opened when the adapter is made, so that the mount at
//     boot - when no task could wait - has its answers at once.
// Node error codes become Linux errno values. Files owned by the user running
// tsix show up as owned by root (uid/gid 0) in the guest.
//
// Isolation by construction: every handle this adapter gives out is a host
// file descriptor, and every name is looked up in a directory DESCRIPTOR,
// never along a host path. Node has no openat(), so a directory descriptor D
// is used through Linux's magic link "/proc/self/fd/D/NAME": the host kernel
// resolves /proc/self/fd/D to the directory object D was opened on (not to a
// path name that could have changed since), then looks up NAME in it. The
// last component is never followed (O_NOFOLLOW, lstat, link/unlink/rename
// semantics), names with "/" or "." / ".." are refused, and objects are
// acted on through their own descriptor ("/proc/self/fd/H" for chmod,
// truncate, utimes, reopening for I/O). So a symbolic link swapped in under
// a name, a directory renamed or replaced by a link, or ".." can never lead
// the guest to an object outside the shared directory: symbolic links are
// the guest VFS's business only (it reads them and walks them in the guest's
// own name space).
//
// Handles are O_PATH descriptors (O_PATH = 0o10000000 on Linux; fs.constants
// does not have it): they pin the object without opening it for I/O, work for
// directories, files and symbolic links alike, and need no read permission.
import * as fs from "node:fs";
import type { HostFs, HostStat, HostDirEntry, HostHandle, HostPending, HostCompletion, HostResult } from "../hostfs.js";

const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, EIO: 5, ENXIO: 6, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16,
  EEXIST: 17, EXDEV: 18, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ETXTBSY: 26,
  EFBIG: 27, ENOSPC: 28, ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, ENAMETOOLONG: 36, ENOSYS: 38,
  ENOTEMPTY: 39, ELOOP: 40, EOPNOTSUPP: 95, ENOTSUP: 95, ESTALE: 116, EDQUOT: 122,
};

const EBADF = 9, EINVAL = 22, ENOENT = 2, EROFS = 30;
/** Linux open(2) flags this adapter needs (fs.constants lacks O_PATH). */
const O_PATH = 0o10000000;
const { O_RDONLY, O_WRONLY, O_RDWR, O_NOFOLLOW, O_DIRECTORY, O_CREAT, O_EXCL, O_CLOEXEC = 0o2000000 } = fs.constants as typeof fs.constants & { O_CLOEXEC?: number };

/** A Node error as -errno. */
function errno(e: unknown): number {
  const code = (e as { code?: string }).code;
  return -(code !== undefined ? ERRNO[code] ?? 5 : 5);
}

/** The DT_* type of a directory entry (a Dirent of either name encoding). */
function dtOf(d: Pick<fs.Dirent, "isDirectory" | "isFile" | "isSymbolicLink" | "isFIFO" | "isCharacterDevice" | "isBlockDevice" | "isSocket">): number {
  if (d.isDirectory()) return 4;
  if (d.isFile()) return 8;
  if (d.isSymbolicLink()) return 10;
  if (d.isFIFO()) return 1;
  if (d.isCharacterDevice()) return 2;
  if (d.isBlockDevice()) return 6;
  if (d.isSocket()) return 12;
  return 0;
}

/** Node's attributes as the guest sees them (the user running tsix shows as root). */
function hostStat(st: fs.BigIntStats, myUid: number, myGid: number): HostStat {
  return {
    mode: Number(st.mode), size: Number(st.size), nlink: Number(st.nlink), ino: Number(st.ino),
    uid: Number(st.uid) === myUid ? 0 : Number(st.uid), gid: Number(st.gid) === myGid ? 0 : Number(st.gid),
    atimeMs: Number(st.atimeNs) / 1e6, mtimeMs: Number(st.mtimeNs) / 1e6, ctimeMs: Number(st.ctimeNs) / 1e6,
    // Identity: device and inode number, and the birth time where the file system keeps one
    // (so that an inode number reused for a new file is not taken for the old one).
    id: `${st.dev}:${st.ino}:${st.birthtimeNs}`,
  };
}

/** A single path component the host may look up: never empty, ".", ".." or containing "/" or NUL. */
function badName(name: string): boolean {
  return name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0");
}

export interface NodeHostFsOptions {
  readOnly?: boolean;
  /** "sync" (default): every answer at once; "async": answers come later, from the event loop. */
  io?: "sync" | "async";
  /** async only: hold each answer back this many milliseconds more (tests: a slow host). */
  delayMs?: number;
}

/**
 * A HostFs serving the host directory `root`. The directory is opened here,
 * once: the share is that directory object from now on, even if its host
 * path is later renamed or replaced.
 */
export function nodeHostFs(root: string, opts: NodeHostFsOptions = {}): NodeHostFs {
  return opts.io === "async" ? nodeHostFsAsync(root, opts) : nodeHostFsSync(root, opts);
}

/** The Node adapter: a HostFs, and a way to let go of every descriptor it gave out (a process that ends, a restore test). */
export interface NodeHostFs extends HostFs {
  /** Close every handle and descriptor this adapter gave out, the share's root too: later calls get EBADF. */
  closeAll(): void;
}

function nodeHostFsSync(root: string, opts: NodeHostFsOptions): NodeHostFs {
  const myUid = typeof process.getuid === "function" ? process.getuid() : 0;
  const myGid = typeof process.getgid === "function" ? process.getgid() : 0;
  const ro = opts.readOnly === true;
  // A directory that cannot be opened makes root() fail: the mount fails with that errno (one line at boot).
  let base = -1, baseErr = 0;
  try { base = fs.openSync(root, O_PATH | O_DIRECTORY | O_CLOEXEC); } catch (e) { baseErr = errno(e); }
  /** Descriptors this adapter gave out: a number the kernel passes back must be one of them. */
  const mine = new Set<number>();
  const fdPath = (h: number): string => `/proc/self/fd/${h}`;
  // Names are the kernel's byte strings (one char per byte): latin1 Buffers give the host those exact bytes.
  const at = (dir: number, name: string): Buffer => Buffer.from(`/proc/self/fd/${dir}/${name}`, "latin1");
  const own = (h: HostHandle): boolean => mine.has(h);
  const track = (fd: number): number => { mine.add(fd); return fd; };
  const stat = (st: fs.BigIntStats): HostStat => hostStat(st, myUid, myGid);
  /** Run a modifying call in directory `dir` on `name`; 0 or -errno. */
  const modify = (dir: HostHandle, names: string[], f: () => void): number => {
    if (ro) return -EROFS;
    if (!own(dir)) return -EBADF;
    for (const n of names) if (badName(n)) return -EINVAL;
    try { f(); return 0; } catch (e) { return errno(e); }
  };
  return {
    readOnly: ro,
    closeAll() {
      for (const h of mine) { try { fs.closeSync(h); } catch { /* gone */ } }
      mine.clear();
      if (base >= 0) { try { fs.closeSync(base); } catch { /* gone */ } base = -1; baseErr = -EBADF; }
    },
    root() {
      if (base < 0) return baseErr;
      try { return track(fs.openSync(fdPath(base), O_PATH | O_DIRECTORY | O_CLOEXEC)); } catch (e) { return errno(e); }
    },
    lookup(dir, name) {
      if (!own(dir)) return -EBADF;
      if (badName(name)) return -ENOENT;
      try { return track(fs.openSync(at(dir, name), O_PATH | O_NOFOLLOW | O_CLOEXEC)); } catch (e) { return errno(e); }
    },
    stat(h) {
      if (!own(h)) return -EBADF;
      try { return stat(fs.fstatSync(h, { bigint: true })); } catch (e) { return errno(e); }
    },
    close(h) {
      if (!mine.delete(h)) return;
      try { fs.closeSync(h); } catch { /* already gone */ }
    },
    open(h, acc) {
      if (!own(h)) return -EBADF;
      const mode = acc === 1 ? O_WRONLY : acc === 2 ? O_RDWR : O_RDONLY;
      if (ro && mode !== O_RDONLY) return -EROFS;
      // Reopening through the descriptor's magic link opens the very object h pins
      // (even when it has been unlinked), never whatever now has its name. (O_NOFOLLOW
      // would refuse the magic link itself; a handle on a symbolic link gives ELOOP anyway.)
      try { return track(fs.openSync(fdPath(h), mode | O_CLOEXEC)); } catch (e) { return errno(e); }
    },
    read(fd, pos, buf) {
      if (!own(fd)) return -EBADF;
      try {
        let done = 0;
        while (done < buf.length) {
          const n = fs.readSync(fd, buf, done, buf.length - done, pos + done);
          if (n === 0) break;
          done += n;
        }
        return done;
      } catch (e) { return errno(e); }
    },
    write(fd, pos, data) {
      if (ro) return -EROFS;
      if (!own(fd)) return -EBADF;
      try {
        let done = 0;
        while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, pos + done);
        return done;
      } catch (e) { return errno(e); }
    },
    fsync(fd) {
      if (!own(fd)) return -EBADF;
      try { fs.fsyncSync(fd); return 0; } catch (e) { return errno(e); }
    },
    readdir(dir) {
      if (!own(dir)) return -EBADF;
      try {
        return fs.readdirSync(fdPath(dir), { withFileTypes: true, encoding: "buffer" }).map((d): HostDirEntry => {
          // Host names are bytes: read them as Buffers and hand the kernel byte strings (never UTF-8 decoded).
          const name = d.name.toString("latin1");
          let ino: number | undefined;
          try { ino = fs.lstatSync(at(dir, name)).ino; } catch { ino = undefined; }
          return { name, type: dtOf(d), ino };
        });
      } catch (e) { return errno(e); }
    },
    readlink(dir, name) {
      if (!own(dir)) return -EBADF;
      if (badName(name)) return -ENOENT;
      try { return fs.readlinkSync(at(dir, name), { encoding: "buffer" }).toString("latin1"); } catch (e) { return errno(e); }
    },
    // O_CREAT | O_EXCL never follows a symbolic link: it fails with EEXIST on one.
    create: (dir, name, mode) => modify(dir, [name], () => fs.closeSync(fs.openSync(at(dir, name), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode))),
    mkdir: (dir, name, mode) => modify(dir, [name], () => fs.mkdirSync(at(dir, name), { mode })),
    symlink: (target, dir, name) => modify(dir, [name], () => fs.symlinkSync(Buffer.from(target, "latin1"), at(dir, name))),
    // link(2) does not follow the old name's last component.
    link: (dir, name, newDir, newName) => (own(newDir) ? modify(dir, [name, newName], () => fs.linkSync(at(dir, name), at(newDir, newName))) : -EBADF),
    unlink: (dir, name) => modify(dir, [name], () => fs.unlinkSync(at(dir, name))),
    rmdir: (dir, name) => modify(dir, [name], () => fs.rmdirSync(at(dir, name))),
    rename: (dir, name, newDir, newName) => (own(newDir) ? modify(dir, [name, newName], () => fs.renameSync(at(dir, name), at(newDir, newName))) : -EBADF),
    // Through the object's own descriptor: the magic link lands on the object itself
    // (for a symbolic link: the link, whose own times change).
    truncate: (h, size) => modify(h, [], () => fs.truncateSync(fdPath(h), size)),
    chmod: (h, mode) => modify(h, [], () => fs.chmodSync(fdPath(h), mode)),
    utimes: (h, a, m) => modify(h, [], () => fs.utimesSync(fdPath(h), a / 1000, m / 1000)),
    statfs() {
      if (base < 0) return baseErr;
      try {
        const s = fs.statfsSync(fdPath(base));
        return { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree };
      } catch (e) { return errno(e); }
    },
  };
}


/**
 * The asynchronous adapter: the same checks as the synchronous one (handles
 * are descriptors it gave out, names are single components looked up in a
 * directory descriptor through /proc/self/fd, links never followed), each
 * operation started with Node's asynchronous fs and answered with a ticket.
 * root() and the stat of a root handle answer at once (see the top).
 */
function nodeHostFsAsync(root: string, opts: NodeHostFsOptions): NodeHostFs {
  const myUid = typeof process.getuid === "function" ? process.getuid() : 0;
  const myGid = typeof process.getgid === "function" ? process.getgid() : 0;
  const ro = opts.readOnly === true;
  const delayMs = opts.delayMs ?? 0;
  let base = -1, baseErr = 0;
  try { base = fs.openSync(root, O_PATH | O_DIRECTORY | O_CLOEXEC); } catch (e) { baseErr = errno(e); }
  const mine = new Set<number>();
  /** Root handles: their stat answers at once (the mount at boot needs it). */
  const roots = new Set<number>();
  const fdPath = (h: number): string => `/proc/self/fd/${h}`;
  // Names are the kernel's byte strings (one char per byte): latin1 Buffers give the host those exact bytes.
  const at = (dir: number, name: string): Buffer => Buffer.from(`/proc/self/fd/${dir}/${name}`, "latin1");
  const own = (h: HostHandle): boolean => mine.has(h);
  let nextTicket = 1;
  let started = 0;
  const done: HostCompletion[] = [];
  let notify: (() => void) | null = null;
  /** Descriptors to close once no operation is in flight (an operation may still be using one). */
  const closing: number[] = [];

  function finish(ticket: number, result: HostResult): void {
    const deliver = (): void => {
      started--;
      done.push({ ticket, result });
      if (started === 0) for (const fd of closing.splice(0)) fs.close(fd, () => {});
      notify?.();
    };
    if (delayMs > 0) setTimeout(deliver, delayMs); else deliver();
  }
  /** Start `run` (a promise of the answer; a rejection is a Node error, made -errno) and hand out its ticket. */
  function later(run: () => Promise<HostResult>): HostPending {
    const ticket = nextTicket++;
    started++;
    run().then((r) => finish(ticket, r), (e: unknown) => finish(ticket, errno(e)));
    return { pending: ticket };
  }
  /** A descriptor-giving open: the new descriptor becomes one of ours. */
  const openLater = (path: string | Buffer, flags: number, mode?: number): HostPending =>
    later(() => new Promise<HostResult>((res, rej) => fs.open(path, flags, mode, (e, fd) => (e ? rej(e) : res(((mine.add(fd), fd)))))));
  const cb = <T>(f: (done: (e: NodeJS.ErrnoException | null, v?: T) => void) => void): Promise<T> =>
    new Promise<T>((res, rej) => f((e, v) => (e ? rej(e) : res(v as T))));
  const modify = (dir: HostHandle, names: string[], f: () => Promise<unknown>): number | HostPending => {
    if (ro) return -EROFS;
    if (!own(dir)) return -EBADF;
    for (const n of names) if (badName(n)) return -EINVAL;
    return later(async () => { await f(); return 0; });
  };
  const fsp = fs.promises;
  return {
    readOnly: ro,
    closeAll() {
      for (const h of mine) { try { fs.closeSync(h); } catch { /* gone */ } }
      mine.clear();
      roots.clear();
      if (base >= 0) { try { fs.closeSync(base); } catch { /* gone */ } base = -1; baseErr = -EBADF; }
    },
    root() {
      if (base < 0) return baseErr;
      try {
        const h = fs.openSync(fdPath(base), O_PATH | O_DIRECTORY | O_CLOEXEC);
        mine.add(h);
        roots.add(h);
        return h;
      } catch (e) { return errno(e); }
    },
    lookup(dir, name) {
      if (!own(dir)) return -EBADF;
      if (badName(name)) return -ENOENT;
      return openLater(at(dir, name), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    },
    stat(h) {
      if (!own(h)) return -EBADF;
      if (roots.has(h)) {
        try { return hostStat(fs.fstatSync(h, { bigint: true }), myUid, myGid); } catch (e) { return errno(e); }
      }
      return later(async () => hostStat(await cb<fs.BigIntStats>((d) => fs.fstat(h, { bigint: true }, d)), myUid, myGid));
    },
    close(h) {
      if (!mine.delete(h)) return;
      roots.delete(h);
      if (started > 0) closing.push(h); // an operation in flight may be using it
      else fs.close(h, () => {});
    },
    open(h, acc) {
      if (!own(h)) return -EBADF;
      const mode = acc === 1 ? O_WRONLY : acc === 2 ? O_RDWR : O_RDONLY;
      if (ro && mode !== O_RDONLY) return -EROFS;
      return openLater(fdPath(h), mode | O_CLOEXEC);
    },
    read(fd, pos, buf) {
      if (!own(fd)) return -EBADF;
      // The answer is the bytes read, in a buffer of our own: `buf` is the kernel's only for this call.
      const n = buf.length;
      return later(async () => {
        const mine2 = new Uint8Array(n);
        let got = 0;
        while (got < n) {
          const r = await cb<number>((d) => fs.read(fd, mine2, got, n - got, pos + got, d));
          if (r === 0) break;
          got += r;
        }
        return mine2.subarray(0, got);
      });
    },
    write(fd, pos, data) {
      if (ro) return -EROFS;
      if (!own(fd)) return -EBADF;
      const copy = data.slice(); // ours from now on: the kernel's buffer may change before the write is done
      return later(async () => {
        let put = 0;
        while (put < copy.length) put += await cb<number>((d) => fs.write(fd, copy, put, copy.length - put, pos + put, d));
        return put;
      });
    },
    fsync(fd) {
      if (!own(fd)) return -EBADF;
      return later(async () => { await cb<void>((d) => fs.fsync(fd, d)); return 0; });
    },
    readdir(dir) {
      if (!own(dir)) return -EBADF;
      return later(async () => {
        const list = await fsp.readdir(fdPath(dir), { withFileTypes: true, encoding: "buffer" });
        const out: HostDirEntry[] = [];
        for (const d of list) {
          const name = d.name.toString("latin1"); // bytes, as in the synchronous adapter
          let ino: number | undefined;
          try { ino = (await fsp.lstat(at(dir, name))).ino; } catch { ino = undefined; }
          out.push({ name, type: dtOf(d), ino });
        }
        return out;
      });
    },
    readlink(dir, name) {
      if (!own(dir)) return -EBADF;
      if (badName(name)) return -ENOENT;
      return later(async () => (await fsp.readlink(at(dir, name), { encoding: "buffer" })).toString("latin1"));
    },
    create: (dir, name, mode) => modify(dir, [name], async () => {
      const fh = await fsp.open(at(dir, name), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);
      await fh.close();
    }),
    mkdir: (dir, name, mode) => modify(dir, [name], () => fsp.mkdir(at(dir, name), { mode })),
    symlink: (target, dir, name) => modify(dir, [name], () => fsp.symlink(Buffer.from(target, "latin1"), at(dir, name))),
    link: (dir, name, newDir, newName) => (own(newDir) ? modify(dir, [name, newName], () => fsp.link(at(dir, name), at(newDir, newName))) : -EBADF),
    unlink: (dir, name) => modify(dir, [name], () => fsp.unlink(at(dir, name))),
    rmdir: (dir, name) => modify(dir, [name], () => fsp.rmdir(at(dir, name))),
    rename: (dir, name, newDir, newName) => (own(newDir) ? modify(dir, [name, newName], () => fsp.rename(at(dir, name), at(newDir, newName))) : -EBADF),
    truncate: (h, size) => modify(h, [], () => fsp.truncate(fdPath(h), size)),
    chmod: (h, mode) => modify(h, [], () => fsp.chmod(fdPath(h), mode)),
    utimes: (h, a, m) => modify(h, [], () => fsp.utimes(fdPath(h), a / 1000, m / 1000)),
    statfs() {
      if (base < 0) return baseErr;
      return later(async () => {
        const s = await fsp.statfs(fdPath(base));
        return { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree };
      });
    },
    takeCompleted() {
      return done.splice(0);
    },
    inFlight() {
      return started + done.length;
    },
    onCompletion(f) {
      notify = f;
    },
  };
}
