// The data-transfer engine of read, write and their vector, positional and
// copying forms: it moves bytes between a file's read/write operations and
// user buffers (iovecs) through a kernel buffer.
//   - The user range is checked first, as Linux's access_ok: a count that
//     reaches past the user half (read(fd, buf, SIZE_MAX)) is EFAULT.
//   - A stream (pipe, tty, eventfd, host stdin...) is asked for no more bytes
//     than the user buffer can take, so a bad buffer leaves the data in the
//     stream instead of consuming and losing it.
//   - A call that would block sleeps on the queue the file named and runs
//     again when woken; a blocking write that moved part of its data keeps
//     the count in t.io so that the rerun continues where it stopped (a pipe
//     write larger than the pipe).
//   - No call moves more than WORK_BUDGET_BYTES per trap: a longer one saves
//     its progress in t.io and yields (RESTART_YIELD), so timers, signals and
//     other tasks run while it goes on, and kill -9 ends it at once.
// The syscalls that decode the arguments are kernel/syscalls/fs_rw.ts.
//
// Concepts: C66 (the open file's offset, shared by dup'ed descriptors),
// C40 (blocking I/O on pipes), C06 (bad buffers EFAULT), C22 (blocking is a
// state, syscalls restart), C12 (no syscall keeps the CPU).
import { getU32, getU64 } from "../abi/le.js";
import { IOVEC, O_APPEND, O_NONBLOCK, MAX_RW_COUNT, IOV_MAX, SIZEOF_IOVEC } from "../abi/fs.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File, IoCtx } from "./vfs.js";
import { WORK_BUDGET_BYTES, chargeWork } from "../sched/budget.js";
import { RESTART_YIELD, EAGAIN, EBADF, EFAULT, EINVAL, EISDIR, ERESTARTSYS, ERESTARTNOINTR } from "../abi/errno.js";
import * as N from "../abi/sysno.js";
import { copyinUpTo, copyoutUpTo, accessOk, userPage, userBytes } from "../mm/uaccess.js";
import { PAGE_SIZE } from "../mm/phys.js";
import { signalPending, blockOn } from "./poll.js";
import { fatalSignalPending } from "../signal/signal.js";
import { fileReadable, fileWritable } from "./file_table.js";
import { isDir, isReg, isFifo, isSock, isChr, isBlk } from "./inode.js";
import { isPipeFile, pipeGetSize, pipeReadUser, pipeWriteUser } from "./pipe.js";
import { iopsOf, fopsOf } from "../lib/fsops.js";
import { fsnotifyAccess, fsnotifyModify } from "./fsnotify.js";

/** Largest kernel buffer used for one step of a transfer. */
export const CHUNK = 1 << 20;

/** One user buffer. */
export interface Iov { base: number; len: number }

/**
 * Read an iovec array (EINVAL for too many or a length past SSIZE_MAX).
 * Every readv/writev does this, so the fields are read at the layout's
 * offsets as plain numbers (no BigInt per iovec), and an array that lies
 * within one page is read where it is in guest RAM, with no copy at all
 * (mm/uaccess.ts userBytes; syscalls/socket.ts reads a msghdr's iovecs here too).
 */
export function readIovec(k: Kernel, t: Task, va: number, cnt: number): Iov[] | number {
  if (cnt < 0 || cnt > IOV_MAX) return -EINVAL;
  if (cnt === 0) return [];
  const w = userBytes(k.mmctx, t.mm!, va, cnt * SIZEOF_IOVEC);
  if (w === null) return -EFAULT;
  const b = w.b;
  let at = w.at;
  const out: Iov[] = [];
  const base = IOVEC.fields.iov_base[0], len = IOVEC.fields.iov_len[0];
  for (let i = 0; i < cnt; i++, at += SIZEOF_IOVEC) {
    if (getU32(b, at + len + 4) >= 0x80000000) return -EINVAL; // longer than SSIZE_MAX
    out.push({ base: getU64(b, at + base), len: getU64(b, at + len) });
  }
  return out;
}

/** access_ok on every buffer (Linux checks each iovec): EFAULT for a range that leaves the user half. */
// These two run at every read and write: indexed loops, since a for-of makes
// an iterator and a result object per element until V8 has optimized the
// caller (the first thousands of calls: a pipe's first megabytes).
export function checkIov(iov: Iov[]): number {
  for (let i = 0; i < iov.length; i++) if (!accessOk(iov[i].base, iov[i].len)) return -EFAULT;
  return 0;
}

export function iovTotal(iov: Iov[]): number {
  let n = 0;
  for (let i = 0; i < iov.length; i++) n += iov[i].len;
  return Math.min(n, MAX_RW_COUNT);
}

/** Bytes left in the iovec that holds offset `skip` (0 past the end). */
export function segmentLeft(iov: Iov[], skip: number): number {
  for (const v of iov) {
    if (skip < v.len) return v.len - skip;
    skip -= v.len;
  }
  return 0;
}

/**
 * How many of the `want` bytes from offset `skip` of the iovecs can be
 * written: page by page through the page tables, faulting pages in as
 * copyout would, up to the first page that cannot be. Asked before a
 * stream gives up its data, so that only what can be copied is consumed.
 */
export function writableBytes(k: Kernel, t: Task, iov: Iov[], skip: number, want: number): number {
  let ok = 0;
  for (const v of iov) {
    if (ok >= want) break;
    if (skip >= v.len) { skip -= v.len; continue; }
    const n = Math.min(v.len - skip, want - ok);
    let va = v.base + skip;
    const end = va + n;
    while (va < end) {
      if (userPage(k.mmctx, t.mm!, va, true) < 0) return ok;
      const next = Math.min(end, (Math.floor(va / PAGE_SIZE) + 1) * PAGE_SIZE);
      ok += next - va;
      va = next;
    }
    skip = 0;
  }
  return Math.min(ok, want);
}

/**
 * Bytes an earlier run of this very syscall already moved (it slept or
 * yielded; t.io), or 0 for a new call. The record is taken: a run that stops
 * again saves a new one.
 */
export function resumeIo(t: Task, nr: number, fd: number, file: File): number {
  const p = t.io;
  t.io = null;
  return p !== null && p.nr === nr && p.fd === fd && p.file === file ? p.done : 0;
}

/**
 * Whether a call resumed with `done` bytes moved should stop and return them
 * now: a signal came. A regular file stops only for a fatal one (as Linux's
 * page-cache loops); a stream for any (as pipe_write).
 */
export function stopForSignal(t: Task, f: File, done: number): boolean {
  if (done === 0) return false;
  return isReg(f.inode) || isBlk(f.inode) ? fatalSignalPending(t) : signalPending(t);
}

/** Copy `src` to the iovecs starting `skip` bytes in, up to the first page that fails; returns the bytes copied. */
export function scatterUpTo(k: Kernel, t: Task, iov: Iov[], skip: number, src: Uint8Array): number {
  let off = 0;
  for (const v of iov) {
    if (off >= src.length) break;
    if (skip >= v.len) { skip -= v.len; continue; }
    const n = Math.min(v.len - skip, src.length - off);
    const c = copyoutUpTo(k.mmctx, t.mm!, v.base + skip, src.subarray(off, off + n));
    off += c;
    if (c < n) return off;
    skip = 0;
  }
  return off;
}

/** Copy `src` to the iovecs starting `skip` bytes in. Returns 0 or -EFAULT. */
export function scatter(k: Kernel, t: Task, iov: Iov[], skip: number, src: Uint8Array): number {
  return scatterUpTo(k, t, iov, skip, src) === src.length ? 0 : -EFAULT;
}

/** Fill `dst` from the iovecs starting `skip` bytes in, up to the first page that fails; returns the bytes copied. */
export function gatherUpTo(k: Kernel, t: Task, iov: Iov[], skip: number, dst: Uint8Array): number {
  let off = 0;
  for (const v of iov) {
    if (off >= dst.length) break;
    if (skip >= v.len) { skip -= v.len; continue; }
    const n = Math.min(v.len - skip, dst.length - off);
    const c = copyinUpTo(k.mmctx, t.mm!, v.base + skip, dst, off, n);
    off += c;
    if (c < n) return off;
    skip = 0;
  }
  return off;
}

/** Fill `dst` from the iovecs starting `skip` bytes in. Returns 0 or -EFAULT. */
export function gather(k: Kernel, t: Task, iov: Iov[], skip: number, dst: Uint8Array): number {
  return gatherUpTo(k, t, iov, skip, dst) === dst.length ? 0 : -EFAULT;
}

/**
 * Bytes moved per step: a pipe never takes or gives more than its buffer,
 * so bigger kernel buffers would only be copied in vain.
 */
export function stepOf(f: File): number {
  return isPipeFile(f) ? pipeGetSize(f) : CHUNK;
}

/** Whether the file has a position that pread/pwrite can use. */
export function positional(f: File): boolean {
  const ino = f.inode;
  if (isFifo(ino) || isSock(ino)) return false;
  if (isChr(ino) && !fopsOf(f).llseek) return false;
  return true;
}

/**
 * Read into the iovecs from `pos` (null: the file's offset, which advances).
 * Sleeps (returning -ERESTARTSYS) when the file would block; yields
 * (RESTART_YIELD) after WORK_BUDGET_BYTES, to carry on when it runs again.
 */
export function doReadv(k: Kernel, t: Task, f: File, fd: number, iov: Iov[], pos: number | null, nr: number): number {
  if (!fileReadable(f)) return -EBADF;
  const bad = checkIov(iov);
  if (bad < 0) return bad;
  if (isDir(f.inode)) return -EISDIR;
  const read = fopsOf(f).read;
  if (!read) return -EINVAL;
  const total = iovTotal(iov);
  let done = resumeIo(t, nr, fd, f);
  if (stopForSignal(t, f, done)) return done;
  let at = pos === null ? f.pos : pos + done;
  const regular = isReg(f.inode) || isBlk(f.inode);
  const record = fopsOf(f).recordSize ?? 0;
  const step = record > 0 ? record : stepOf(f);
  let budget = WORK_BUDGET_BYTES;
  const io: IoCtx = { wait: null };
  // A stream that copies straight into the user's pages - a pipe's ring (fs/pipe.ts) or a socket's
  // queued message - with no kernel buffer: only what was copied is consumed.
  const readUser = isPipeFile(f) ? pipeReadUser : fopsOf(f).readUser;
  do {
    let want = Math.min(total - done, step);
    if (readUser) {
      io.wait = null;
      const n = readUser === pipeReadUser ? pipeReadUser(k, t, f, iov, done, want, io, fd, nr) : readUser(k, t, f, iov, done, want, io);
      if (n < 0) {
        if (done > 0) break;
        if (n === -EAGAIN && io.wait && !(f.flags & O_NONBLOCK)) return blockOn(k, t, io.wait);
        return n;
      }
      done += n;
      chargeWork(k, n);
      break;
    }
    if (!regular && want > 0) {
      // A stream consumes what it returns: ask for no more than the buffer can take.
      want = writableBytes(k, t, iov, done, want);
      if (want === 0) {
        if (done > 0) break;
        return -EFAULT;
      }
    }
    const buf = new Uint8Array(want);
    io.wait = null;
    const n = read(k, t, f, buf, at, io);
    if (n < 0) {
      // A block device's chunk waits for the disk (the task sleeps in D): carry on from here when the read restarts.
      if (n === -ERESTARTSYS && done > 0 && isBlk(f.inode)) {
        if (pos === null) f.pos = at;
        t.io = { nr, fd, file: f, done };
        return n;
      }
      if (done > 0) break;
      if (n === -EAGAIN && io.wait && !(f.flags & O_NONBLOCK)) return blockOn(k, t, io.wait);
      return n;
    }
    if (n > 0) {
      const c = scatterUpTo(k, t, iov, done, buf.subarray(0, n));
      if (c < n) {
        // A user page on swap that the disk sends later (mm/uaccess.ts: the task sleeps in D): keep what
        // was copied and go on from there when the call restarts, so that a buffer larger than memory
        // still fills (the file is read again from the first byte not copied).
        if (k.mmctx.vm.swap.uaccessWait && regular) {
          done += c;
          chargeWork(k, c);
          if (pos === null) f.pos = at + c;
          if (done > 0) t.io = { nr, fd, file: f, done };
          return -ERESTARTNOINTR;
        }
        if (done === 0) return -EFAULT;
        break;
      }
    }
    done += n;
    chargeWork(k, n);
    at += n;
    if (n < want || !regular) break;
    budget -= n;
    if (budget <= 0 && done < total) {
      if (pos === null) f.pos = at;
      t.io = { nr, fd, file: f, done };
      return RESTART_YIELD;
    }
  } while (done < total);
  if (pos === null) f.pos = at;
  if (done > 0) fsnotifyAccess(k, f);
  return done;
}

/**
 * Write the iovecs at `pos` (null: the file's offset; O_APPEND: the end).
 * A blocking file that takes only part of the data makes the call sleep and
 * continue later (only a pipe goes on after a short write: any other file's
 * short count is the result, as on Linux); a write longer than
 * WORK_BUDGET_BYTES yields and carries on. Progress is kept in t.io.
 */
export function doWritev(k: Kernel, t: Task, f: File, fd: number, iov: Iov[], pos: number | null, nr: number): number {
  if (!fileWritable(f)) return -EBADF;
  const write = fopsOf(f).write;
  if (!write) return -EINVAL;
  const bad = checkIov(iov);
  if (bad < 0) return bad;
  const total = iovTotal(iov);
  let done = resumeIo(t, nr, fd, f);
  const record = fopsOf(f).recordSize ?? 0;
  if (total === 0 && record === 0) return 0;
  if (stopForSignal(t, f, done)) return done;
  const append = (f.flags & O_APPEND) !== 0 && isReg(f.inode);
  const io: IoCtx = { wait: null };
  let at = pos === null ? f.pos : pos + done;
  const pipe = isPipeFile(f) || isSock(f.inode); // streams go on after a short write
  const step = stepOf(f);
  const direct = isPipeFile(f);
  const writeUser = fopsOf(f).writeUser;
  let budget = WORK_BUDGET_BYTES;
  let waiting = false;
  do {
    // A record file takes one whole record from each iovec (Linux loops ->write over them).
    const seg = record > 0 ? segmentLeft(iov, done) : 0;
    if (record > 0 && seg !== record) {
      if (done > 0) break;
      return -EINVAL;
    }
    const want = record > 0 ? record : Math.min(total - done, step);
    let n: number;
    io.wait = null;
    if (direct || writeUser) {
      // Straight from the user's pages into the ring (fs/pipe.ts) or a socket's message, with no kernel buffer.
      n = direct ? pipeWriteUser(k, t, f, iov, done, want, io, fd, nr, total) : writeUser!(k, t, f, iov, done, want, io);
      if (n === -EFAULT) {
        if (done > 0) break;
        return -EFAULT;
      }
    } else {
      let buf = new Uint8Array(want);
      const got = gatherUpTo(k, t, iov, done, buf);
      if (got < want) {
        // A user page on swap that the disk sends later (mm/uaccess.ts): write what was gathered, then
        // the call sleeps in D and goes on from there (t.io) when it restarts.
        waiting = k.mmctx.vm.swap.uaccessWait;
        if (!waiting) {
          if (done > 0) break;
          return -EFAULT;
        }
        if (got === 0) {
          if (done > 0) t.io = { nr, fd, file: f, done };
          return -ERESTARTNOINTR;
        }
        buf = buf.subarray(0, got);
      }
      if (append) {
        iopsOf(f.inode).revalidate?.(k, f.inode);
        at = f.inode.size;
      }
      n = write(k, t, f, buf, at, io);
    }
    if (n < 0) {
      if (n === -EAGAIN && io.wait && !(f.flags & O_NONBLOCK)) {
        const b = blockOn(k, t, io.wait);
        const asleep = t.state !== "R";
        if (!asleep && done > 0) return done; // a signal ends the write with what was written
        if (asleep && done > 0) t.io = { nr, fd, file: f, done };
        return b;
      }
      if (n === -ERESTARTSYS && done > 0 && isBlk(f.inode)) { t.io = { nr, fd, file: f, done }; return n; } // waits for the disk mid-write
      if (done > 0) break;
      return n;
    }
    done += n;
    chargeWork(k, n);
    at += n;
    if (pos === null) f.pos = at;
    if (waiting) {
      t.io = { nr, fd, file: f, done };
      return -ERESTARTNOINTR;
    }
    if (n === 0) break;
    if (record > 0 ? n < seg : n < want && !pipe) break;
    budget -= want;
    if (budget <= 0 && done < total) {
      t.io = { nr, fd, file: f, done };
      return RESTART_YIELD;
    }
  } while (done < total);
  if (pos === null) f.pos = at;
  if (done > 0) fsnotifyModify(k, f);
  return done;
}

/**
 * Copy `count` bytes from `inp` at `pos` to `out` (at outPos, or its offset).
 * The positions are stored as it goes, so a rerun after a sleep or a yield
 * (t.io keeps the bytes already copied, keyed by the output fd) reads them
 * back and copies what is left.
 */
export function copyLoop(
  k: Kernel, t: Task, inp: File, out: File, pos: number, count: number,
  setPos: (p: number) => number, outPos: { at: number; set: (p: number) => number } | null,
  nr: number, outFd: number,
): number {
  const before = resumeIo(t, nr, outFd, out);
  if (before > 0 && (before >= count || stopForSignal(t, out, before))) return before;
  count -= before;
  let done = 0;
  let budget = WORK_BUDGET_BYTES;
  const io: IoCtx = { wait: null };
  const step = stepOf(out);
  while (done < count) {
    const want = Math.min(count - done, step);
    const buf = new Uint8Array(want);
    const n = fopsOf(inp).read!(k, t, inp, buf, pos, { wait: null });
    if (n < 0) { if (done > 0) break; return before > 0 ? before : n; }
    if (n === 0) break;
    io.wait = null;
    const at = outPos ? outPos.at : out.pos;
    const w = fopsOf(out).write!(k, t, out, buf.subarray(0, n), at, io);
    if (w < 0) {
      if (done > 0) break;
      if (w === -EAGAIN && io.wait && !(out.flags & O_NONBLOCK)) {
        const b = blockOn(k, t, io.wait);
        const asleep = t.state !== "R";
        if (!asleep && before > 0) return before; // a signal ends the transfer with what was moved
        if (asleep && before > 0) t.io = { nr, fd: outFd, file: out, done: before };
        return b;
      }
      return before > 0 ? before : w;
    }
    if (outPos) { outPos.at += w; const e = outPos.set(outPos.at); if (e < 0) return e; }
    else out.pos += w;
    done += w;
    chargeWork(k, 2 * w); // read in, written out
    pos += w;
    const e = setPos(pos);
    if (e < 0) return e;
    if (w < n) break;
    budget -= 2 * n;
    if (budget <= 0 && done < count) {
      t.io = { nr, fd: outFd, file: out, done: before + done };
      return RESTART_YIELD;
    }
  }
  if (done > 0) { fsnotifyAccess(k, inp); fsnotifyModify(k, out); }
  return before + done;
}
