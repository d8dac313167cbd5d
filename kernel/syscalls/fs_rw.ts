// Data transfer system calls: read, write, readv, writev, pread64,
// pwrite64, preadv, pwritev (and the *v2 forms), lseek, sendfile and
// copy_file_range. Each decodes and checks its arguments (fd, offsets, flag
// bits, iovec arrays) and hands the transfer to the engine in
// kernel/fs/read_write.ts (access checks, blocking, partial progress, the
// per-trap work budget).
//
// Concepts: C66 (the open file's offset), C67 (fds 0/1/2), C04 (the syscall
// layer decodes; the fs does the work).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File } from "../fs/vfs.js";
import { type SyscallTable, argU, argInt, argS64 } from "./args.js";
import * as N from "../abi/sysno.js";
import { getUser64, putUser64 } from "../mm/uaccess.js";
import { fdFileIO } from "./fs_util.js";

import { vfsLlseek } from "../fs/file.js";
import { fileReadable, fileWritable } from "../fs/file_table.js";
import { isDir, isReg, isBlk } from "../fs/inode.js";
import { O_APPEND, MAX_RW_COUNT, MAX_LFS_FILESIZE } from "../abi/fs.js";
import { EBADF, EFAULT, EINVAL, EISDIR, ESPIPE, EOVERFLOW, EXDEV, EOPNOTSUPP } from "../abi/errno.js";
import { fopsOf } from "../lib/fsops.js";
import { readIovec, positional, doReadv, doWritev, copyLoop } from "../fs/read_write.js";

function sysRead(k: Kernel, t: Task): number {
  const fd = argInt(k, 0);
  const f = fdFileIO(t, fd);
  if (typeof f === "number") return f;
  return doReadv(k, t, f, fd, [{ base: argU(k, 1), len: argU(k, 2) }], null, N.SYS_read);
}

function sysWrite(k: Kernel, t: Task): number {
  const fd = argInt(k, 0);
  const f = fdFileIO(t, fd);
  if (typeof f === "number") return f;
  return doWritev(k, t, f, fd, [{ base: argU(k, 1), len: argU(k, 2) }], null, N.SYS_write);
}

function sysReadv(k: Kernel, t: Task): number {
  const fd = argInt(k, 0);
  const f = fdFileIO(t, fd);
  if (typeof f === "number") return f;
  const iov = readIovec(k, t, argU(k, 1), argInt(k, 2));
  if (typeof iov === "number") return iov;
  return doReadv(k, t, f, fd, iov, null, N.SYS_readv);
}

function sysWritev(k: Kernel, t: Task): number {
  const fd = argInt(k, 0);
  const f = fdFileIO(t, fd);
  if (typeof f === "number") return f;
  const iov = readIovec(k, t, argU(k, 1), argInt(k, 2));
  if (typeof iov === "number") return iov;
  return doWritev(k, t, f, fd, iov, null, N.SYS_writev);
}

/** The offset argument of a positional call, validated. */
function checkPos(f: File, pos: number): number {
  if (!positional(f)) return -ESPIPE;
  if (pos < 0) return -EINVAL;
  return 0;
}

function sysPread64(k: Kernel, t: Task): number {
  const fd = argInt(k, 0);
  const f = fdFileIO(t, fd);
  if (typeof f === "number") return f;
  const pos = argS64(k, 3);
  if (!fileReadable(f)) return -EBADF;
  const c = checkPos(f, pos);
  if (c < 0) return c;
  return doReadv(k, t, f, fd, [{ base: argU(k, 1), len: argU(k, 2) }], pos, N.SYS_pread64);
}

function sysPwrite64(k: Kernel, t: Task): number {
  const fd = argInt(k, 0);
  const f = fdFileIO(t, fd);
  if (typeof f === "number") return f;
  const pos = argS64(k, 3);
  if (!fileWritable(f)) return -EBADF;
  const c = checkPos(f, pos);
  if (c < 0) return c;
  return doWritev(k, t, f, fd, [{ base: argU(k, 1), len: argU(k, 2) }], pos, N.SYS_pwrite64);
}

const RWF_VALID = 0x1f; // HIPRI | DSYNC | SYNC | NOWAIT | APPEND

function preadvCommon(k: Kernel, t: Task, v2: boolean): number {
  const fd = argInt(k, 0);
  const f = fdFileIO(t, fd);
  if (typeof f === "number") return f;
  const iov = readIovec(k, t, argU(k, 1), argInt(k, 2));
  if (typeof iov === "number") return iov;
  const pos = argS64(k, 3);
  if (v2 && (argInt(k, 5) & ~RWF_VALID)) return -EOPNOTSUPP;
  if (!fileReadable(f)) return -EBADF;
  const nr = v2 ? N.SYS_preadv2 : N.SYS_preadv;
  if (v2 && pos === -1) return doReadv(k, t, f, fd, iov, null, nr);
  const c = checkPos(f, pos);
  if (c < 0) return c;
  return doReadv(k, t, f, fd, iov, pos, nr);
}

function pwritevCommon(k: Kernel, t: Task, v2: boolean): number {
  const fd = argInt(k, 0);
  const f = fdFileIO(t, fd);
  if (typeof f === "number") return f;
  const iov = readIovec(k, t, argU(k, 1), argInt(k, 2));
  if (typeof iov === "number") return iov;
  const pos = argS64(k, 3);
  if (v2 && (argInt(k, 5) & ~RWF_VALID)) return -EOPNOTSUPP;
  if (!fileWritable(f)) return -EBADF;
  const nr = v2 ? N.SYS_pwritev2 : N.SYS_pwritev;
  if (v2 && pos === -1) return doWritev(k, t, f, fd, iov, null, nr);
  const c = checkPos(f, pos);
  if (c < 0) return c;
  return doWritev(k, t, f, fd, iov, pos, nr);
}

function sysLseek(k: Kernel, t: Task): number {
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  const off = argS64(k, 1), whence = argInt(k, 2);
  if (whence < 0 || whence > 4) return -EINVAL;
  return vfsLlseek(k, f, off, whence);
}

/**
 * sendfile(out, in, offset*, count): copy from a regular file to anything.
 * Moves one chunk per step; when the output would block and nothing was
 * moved yet the call sleeps, otherwise it returns the short count.
 */
function sysSendfile(k: Kernel, t: Task): number {
  const outFd = argInt(k, 0);
  const out = fdFileIO(t, outFd);
  const inp = fdFileIO(t, argInt(k, 1));
  if (typeof out === "number") return out;
  if (typeof inp === "number") return inp;
  const offp = argU(k, 2);
  const count = Math.min(argU(k, 3), MAX_RW_COUNT);
  if (!fileReadable(inp) || !fileWritable(out)) return -EBADF;
  if (!isReg(inp.inode) && !isBlk(inp.inode)) return -EINVAL;
  if ((out.flags & O_APPEND) || !fopsOf(inp).read || !fopsOf(out).write) return -EINVAL;
  let pos: number;
  if (offp) {
    const p = getUser64(k.mmctx, t.mm!, offp);
    if (p === null) return -EFAULT;
    if (p > MAX_LFS_FILESIZE) return -EINVAL;
    pos = p;
  } else pos = inp.pos;
  return copyLoop(k, t, inp, out, pos, count, (newPos) => {
    if (offp) return putUser64(k.mmctx, t.mm!, offp, newPos) < 0 ? -EFAULT : 0;
    inp.pos = newPos;
    return 0;
  }, null, N.SYS_sendfile, outFd);
}

/** copy_file_range(in, off_in*, out, off_out*, len, flags): regular file to regular file. */
function sysCopyFileRange(k: Kernel, t: Task): number {
  const inp = fdFileIO(t, argInt(k, 0));
  const outFd = argInt(k, 2);
  const out = fdFileIO(t, outFd);
  if (typeof inp === "number") return inp;
  if (typeof out === "number") return out;
  const offIn = argU(k, 1), offOut = argU(k, 3);
  const len = Math.min(argU(k, 4), MAX_RW_COUNT);
  if (argU(k, 5) !== 0) return -EINVAL;
  if (!fileReadable(inp) || !fileWritable(out) || (out.flags & O_APPEND)) return -EBADF;
  if (isDir(inp.inode) || isDir(out.inode)) return -EISDIR;
  if (!isReg(inp.inode) || !isReg(out.inode) || !fopsOf(inp).read || !fopsOf(out).write) return -EINVAL;
  if (inp.inode.sb !== out.inode.sb && inp.inode.sb.fsType !== out.inode.sb.fsType) return -EXDEV;
  let pin: number, pout: number;
  if (offIn) { const p = getUser64(k.mmctx, t.mm!, offIn); if (p === null) return -EFAULT; pin = p; } else pin = inp.pos;
  if (offOut) { const p = getUser64(k.mmctx, t.mm!, offOut); if (p === null) return -EFAULT; pout = p; } else pout = out.pos;
  if (pin < 0 || pout < 0) return -EINVAL;
  if (pin + len > MAX_LFS_FILESIZE || pout + len > MAX_LFS_FILESIZE) return -EOVERFLOW;
  if (inp.inode === out.inode && pin < pout + len && pout < pin + len) return -EINVAL;
  return copyLoop(k, t, inp, out, pin, len,
    (p) => { if (offIn) return putUser64(k.mmctx, t.mm!, offIn, p) < 0 ? -EFAULT : 0; inp.pos = p; return 0; },
    { at: pout, set: (p) => { if (offOut) return putUser64(k.mmctx, t.mm!, offOut, p) < 0 ? -EFAULT : 0; out.pos = p; return 0; } },
    N.SYS_copy_file_range, outFd);
}

export function registerRwSyscalls(table: SyscallTable): void {
  table[N.SYS_read] = sysRead;
  table[N.SYS_write] = sysWrite;
  table[N.SYS_readv] = sysReadv;
  table[N.SYS_writev] = sysWritev;
  table[N.SYS_pread64] = sysPread64;
  table[N.SYS_pwrite64] = sysPwrite64;
  table[N.SYS_preadv] = (k, t) => preadvCommon(k, t, false);
  table[N.SYS_pwritev] = (k, t) => pwritevCommon(k, t, false);
  table[N.SYS_preadv2] = (k, t) => preadvCommon(k, t, true);
  table[N.SYS_pwritev2] = (k, t) => pwritevCommon(k, t, true);
  table[N.SYS_lseek] = sysLseek;
  table[N.SYS_sendfile] = sysSendfile;
  table[N.SYS_copy_file_range] = sysCopyFileRange;
}
