// Node host adapter for hostfs: the HostFs interface (kernel/fs/hostfs.ts)
// over a directory of the host, with Node's synchronous fs calls. Node error
// codes become Linux errno values. Files owned by the user running tsix show
// up as owned by root (uid/gid 0) in the guest. Guest paths are resolved by
// the guest's own path walk, so ".." and symbolic links never lead outside
// the mounted directory.
import * as fs from "node:fs";
import { join } from "node:path";
import type { HostFs, HostStat, HostDirEntry } from "../../kernel/fs/hostfs.js";

const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, EIO: 5, ENXIO: 6, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16,
  EEXIST: 17, EXDEV: 18, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ETXTBSY: 26,
  EFBIG: 27, ENOSPC: 28, ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, ENAMETOOLONG: 36, ENOSYS: 38,
  ENOTEMPTY: 39, ELOOP: 40, EOPNOTSUPP: 95, ENOTSUP: 95, EDQUOT: 122,
};

/** A Node error as -errno. */
function errno(e: unknown): number {
  const code = (e as { code?: string }).code;
  return -(code !== undefined ? ERRNO[code] ?? 5 : 5);
}

function dtOf(d: fs.Dirent): number {
  if (d.isDirectory()) return 4;
  if (d.isFile()) return 8;
  if (d.isSymbolicLink()) return 10;
  if (d.isFIFO()) return 1;
  if (d.isCharacterDevice()) return 2;
  if (d.isBlockDevice()) return 6;
  if (d.isSocket()) return 12;
  return 0;
}

export interface NodeHostFsOptions { readOnly?: boolean }

/** A HostFs serving the host directory `root`. */
export function nodeHostFs(root: string, opts: NodeHostFsOptions = {}): HostFs {
  const myUid = typeof process.getuid === "function" ? process.getuid() : 0;
  const myGid = typeof process.getgid === "function" ? process.getgid() : 0;
  const ro = opts.readOnly === true;
  const host = (p: string): string => join(root, p);
  const guard = (): number => (ro ? -30 : 0);
  const stat = (st: fs.Stats): HostStat => ({
    mode: st.mode, size: st.size, nlink: st.nlink, ino: st.ino,
    uid: st.uid === myUid ? 0 : st.uid, gid: st.gid === myGid ? 0 : st.gid,
    atimeMs: st.atimeMs, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs,
  });
  const run = (f: () => void): number => {
    const g = guard();
    if (g < 0) return g;
    try { f(); return 0; } catch (e) { return errno(e); }
  };
  return {
    readOnly: ro,
    lstat(p) {
      try { return stat(fs.lstatSync(host(p))); } catch (e) { return errno(e); }
    },
    readdir(p) {
      try {
        return fs.readdirSync(host(p), { withFileTypes: true }).map((d): HostDirEntry => {
          let ino: number | undefined;
          try { ino = fs.lstatSync(join(host(p), d.name)).ino; } catch { ino = undefined; }
          return { name: d.name, type: dtOf(d), ino };
        });
      } catch (e) { return errno(e); }
    },
    read(p, pos, buf) {
      let fd = -1;
      try {
        fd = fs.openSync(host(p), "r");
        let done = 0;
        while (done < buf.length) {
          const n = fs.readSync(fd, buf, done, buf.length - done, pos + done);
          if (n === 0) break;
          done += n;
        }
        return done;
      } catch (e) { return errno(e); } finally { if (fd >= 0) fs.closeSync(fd); }
    },
    write(p, pos, data) {
      const g = guard();
      if (g < 0) return g;
      let fd = -1;
      try {
        fd = fs.openSync(host(p), "r+");
        let done = 0;
        while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, pos + done);
        return done;
      } catch (e) { return errno(e); } finally { if (fd >= 0) fs.closeSync(fd); }
    },
    create: (p, mode) => run(() => fs.closeSync(fs.openSync(host(p), "wx", mode))),
    mkdir: (p, mode) => run(() => fs.mkdirSync(host(p), { mode })),
    unlink: (p) => run(() => fs.unlinkSync(host(p))),
    rmdir: (p) => run(() => fs.rmdirSync(host(p))),
    rename: (a, b) => run(() => fs.renameSync(host(a), host(b))),
    readlink(p) {
      try { return fs.readlinkSync(host(p)); } catch (e) { return errno(e); }
    },
    symlink: (target, p) => run(() => fs.symlinkSync(target, host(p))),
    link: (a, b) => run(() => fs.linkSync(host(a), host(b))),
    truncate: (p, size) => run(() => fs.truncateSync(host(p), size)),
    chmod: (p, mode) => run(() => fs.chmodSync(host(p), mode)),
    utimes: (p, a, m) => run(() => fs.utimesSync(host(p), a / 1000, m / 1000)),
    statfs() {
      try {
        const s = fs.statfsSync(root);
        return { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree };
      } catch (e) { return errno(e); }
    },
  };
}
