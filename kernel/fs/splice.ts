// splice, tee and vmsplice: moving data through a pipe without a trip
// through a user buffer (Linux's fs/splice.c, with a byte ring instead of
// page references: tsix copies between the ring's frames and the file, so a
// vmspliced buffer is snapshotted at the call, which is what a program that
// follows the man page's advice - do not touch the buffer until it is read -
// sees anyway).
//   - splice(in, off_in, out, off_out, len, flags): one end must be a pipe.
//     pipe -> file/socket moves what the pipe holds (up to len); file/socket
//     -> pipe moves what fits in the pipe; pipe -> pipe both. The pipe's bytes
//     are looked at first and consumed only once the other side took them,
//     so a short write or a full socket loses nothing.
//   - tee(in, out, len, flags): pipe to pipe, the input keeps its data.
//   - vmsplice(fd, iov, n, flags): user memory into a pipe (a write end), or
//     out of it (a read end).
// A call waits (sleeps on the pipe's or the file's wait queue and reruns,
// C22) for data in the input pipe and room in the output pipe, unless
// SPLICE_F_NONBLOCK or the pipe's O_NONBLOCK says otherwise (EAGAIN). One
// call moves at most one ring's worth, so none holds the hart for long.
// The syscalls that decode the arguments are kernel/syscalls/splice.ts.
//
// Concepts: C40 (pipes: splice and tee move a bounded buffer's bytes to and
// from files, sockets and other pipes), C22 (blocking is a state: the call
// sleeps on a wait queue and restarts), C44 (SIGPIPE).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File, IoCtx } from "./vfs.js";
import type { Iov } from "./read_write.js";
import { type Pipe, pipeInfo, pipePeek, pipeConsume, pipeReserve, pipeAppend, pipeReadUser, pipeWriteUser, isPipeFile } from "./pipe.js";
import { blockOn } from "./poll.js";
import { positional, checkIov, iovTotal } from "./read_write.js";
import { fileReadable, fileWritable } from "./file_table.js";
import { isDir } from "./inode.js";
import { fopsOf } from "../lib/fsops.js";
import { sendSignalTask } from "../signal/signal.js";
import { SIGPIPE } from "../abi/signal.js";
import { O_APPEND, O_NONBLOCK } from "../abi/fs.js";
import { EAGAIN, EBADF, EINVAL, EPIPE, ESPIPE } from "../abi/errno.js";
import { WORK_BUDGET_BYTES } from "../sched/budget.js";
import { fsnotifyAccess, fsnotifyModify } from "./fsnotify.js";

export const SPLICE_F_MOVE = 1;
export const SPLICE_F_NONBLOCK = 2;
export const SPLICE_F_MORE = 4;
export const SPLICE_F_GIFT = 8;
export const SPLICE_F_ALL = 0xf;

/** An offset given by pointer (off_in/off_out): the value read from user memory, or null for "use and advance f.pos". */
export type SpliceOff = number | null;

function epipe(k: Kernel, t: Task): number {
  sendSignalTask(k, t, { signo: SIGPIPE, code: 0, addr: 0, pid: t.tg.pid, uid: t.tg.creds.uid, status: 0 });
  return -EPIPE;
}

/** Wait for data in `p` (ipipe_prep): 0 when there is some or no writer is left, else EAGAIN or a sleep. */
function waitData(k: Kernel, t: Task, p: Pipe, nb: boolean): number {
  if (p.len > 0 || p.writers === 0) return 0;
  if (nb) return -EAGAIN;
  return blockOn(k, t, p.wq);
}

/** Wait for room in `p` (opipe_prep / wait_for_space): EPIPE and SIGPIPE with no reader, EAGAIN or a sleep when full. */
function waitRoom(k: Kernel, t: Task, p: Pipe, nb: boolean): number {
  if (p.readers === 0) return epipe(k, t);
  if (p.len < p.size) return 0;
  if (nb) return -EAGAIN;
  return blockOn(k, t, p.wq);
}

/** The result of a splice: bytes moved (or -errno), and the offsets after it. */
export interface SpliceResult { n: number; offIn: SpliceOff; offOut: SpliceOff }

/**
 * splice between `inp` and `out` (at least one a pipe). Offsets were read
 * by the caller (ESPIPE for a pipe's was checked there); the new ones come
 * back for it to store. Returns -ERESTARTSYS after putting the task to sleep.
 */
export function doSplice(k: Kernel, t: Task, inp: File, offIn: SpliceOff, out: File, offOut: SpliceOff, len: number, flags: number): SpliceResult {
  const res: SpliceResult = { n: 0, offIn, offOut };
  if (!fileReadable(inp) || !fileWritable(out)) { res.n = -EBADF; return res; }
  const ip = isPipeFile(inp), op = isPipeFile(out);
  if (ip && op) {
    const a = pipeInfo(inp), b = pipeInfo(out);
    if (a === b) { res.n = -EINVAL; return res; }
    const nb = (flags & SPLICE_F_NONBLOCK) !== 0 || ((inp.flags | out.flags) & O_NONBLOCK) !== 0;
    let e = waitData(k, t, a, nb);
    if (e === 0) e = waitRoom(k, t, b, nb);
    if (e < 0) { res.n = e; return res; }
    if (a.len === 0) return res; // no writer left: end of file
    const buf = new Uint8Array(Math.min(len, a.len, b.size - b.len));
    pipePeek(k, a, buf);
    const w = pipeAppend(k, b, buf);
    if (w > 0) { pipeConsume(k, a, w); fsnotifyAccess(k, inp); fsnotifyModify(k, out); }
    res.n = w;
    return res;
  }
  if (ip) return pipeToFile(k, t, inp, out, res, len, flags);
  if (op) return fileToPipe(k, t, inp, out, res, len, flags);
  res.n = -EINVAL;
  return res;
}

/** The pipe's bytes to a file or socket: at most len, and what the pipe holds. */
function pipeToFile(k: Kernel, t: Task, inp: File, out: File, res: SpliceResult, len: number, flags: number): SpliceResult {
  const write = fopsOf(out).write;
  if (res.offOut !== null && !positional(out)) { res.n = -EINVAL; return res; }
  if ((out.flags & O_APPEND) || !write) { res.n = -EINVAL; return res; }
  const at = res.offOut ?? out.pos;
  if (at < 0) { res.n = -EINVAL; return res; }
  const a = pipeInfo(inp);
  const nb = (flags & SPLICE_F_NONBLOCK) !== 0 || (inp.flags & O_NONBLOCK) !== 0;
  const e = waitData(k, t, a, nb);
  if (e < 0 || a.len === 0) { res.n = e; return res; }
  const buf = new Uint8Array(Math.min(len, a.len, WORK_BUDGET_BYTES));
  pipePeek(k, a, buf);
  const io: IoCtx = { wait: null };
  const w = write(k, t, out, buf, at, io);
  if (w < 0) {
    // A full socket (or tty) makes the call wait, unless the output itself is non-blocking.
    res.n = w === -EAGAIN && io.wait && !(out.flags & O_NONBLOCK) ? blockOn(k, t, io.wait) : w;
    return res;
  }
  pipeConsume(k, a, w);
  if (w > 0) fsnotifyModify(k, out);
  if (res.offOut !== null) res.offOut = at + w;
  else if (positional(out)) out.pos = at + w;
  res.n = w;
  return res;
}

/** A file's or socket's bytes into a pipe: at most len, and what fits. */
function fileToPipe(k: Kernel, t: Task, inp: File, out: File, res: SpliceResult, len: number, flags: number): SpliceResult {
  const read = fopsOf(inp).read;
  if (res.offIn !== null && !positional(inp)) { res.n = -EINVAL; return res; }
  if (isDir(inp.inode) || !read) { res.n = -EINVAL; return res; }
  const at = res.offIn ?? inp.pos;
  if (at < 0) { res.n = -EINVAL; return res; }
  const b = pipeInfo(out);
  const nb = (flags & SPLICE_F_NONBLOCK) !== 0 || (out.flags & O_NONBLOCK) !== 0;
  const e = waitRoom(k, t, b, nb);
  if (e < 0) { res.n = e; return res; }
  // The ring's pages are made before reading, so that every byte a stream gives up has a place.
  const room = pipeReserve(k, b, Math.min(len, b.size - b.len));
  if (room < 0) { res.n = room; return res; }
  const buf = new Uint8Array(room);
  const io: IoCtx = { wait: null };
  const r = read(k, t, inp, buf, at, io);
  if (r < 0) {
    res.n = r === -EAGAIN && io.wait && !nb && !(inp.flags & O_NONBLOCK) ? blockOn(k, t, io.wait) : r;
    return res;
  }
  if (r > 0) { pipeAppend(k, b, buf.subarray(0, r)); fsnotifyAccess(k, inp); }
  if (res.offIn !== null) res.offIn = at + r;
  else if (positional(inp)) inp.pos = at + r;
  res.n = r;
  return res;
}

/** tee: duplicate up to len bytes of pipe `inp` into pipe `out`; `inp` keeps them. */
export function doTee(k: Kernel, t: Task, inp: File, out: File, len: number, flags: number): number {
  if (!fileReadable(inp) || !fileWritable(out)) return -EBADF;
  if (!isPipeFile(inp) || !isPipeFile(out)) return -EINVAL;
  const a = pipeInfo(inp), b = pipeInfo(out);
  if (a === b) return -EINVAL;
  const nb = (flags & SPLICE_F_NONBLOCK) !== 0 || ((inp.flags | out.flags) & O_NONBLOCK) !== 0;
  let e = waitData(k, t, a, nb);
  if (e === 0) e = waitRoom(k, t, b, nb);
  if (e < 0) return e;
  if (a.len === 0) return 0;
  const buf = new Uint8Array(Math.min(len, a.len, b.size - b.len));
  pipePeek(k, a, buf);
  return pipeAppend(k, b, buf);
}

/**
 * vmsplice: the iovecs into a pipe opened for writing, or (a read-only end)
 * the pipe's bytes out to them. Waits for room or data unless
 * SPLICE_F_NONBLOCK (the file's O_NONBLOCK does not count, as on Linux);
 * then moves what fits or what is there.
 */
export function doVmsplice(k: Kernel, t: Task, f: File, iov: Iov[], flags: number): number {
  if (!isPipeFile(f)) return -EBADF;
  const bad = checkIov(iov);
  if (bad < 0) return bad;
  const total = iovTotal(iov);
  if (total === 0) return 0;
  const p = pipeInfo(f);
  const nb = (flags & SPLICE_F_NONBLOCK) !== 0;
  const io: IoCtx = { wait: null };
  if (fileWritable(f)) {
    const e = waitRoom(k, t, p, nb);
    if (e < 0) return e;
    // No more than is free: the PIPE_BUF all-or-nothing rule of write(2) does not apply.
    return pipeWriteUser(k, t, f, iov, 0, Math.min(total, p.size - p.len), io);
  }
  if (!fileReadable(f)) return -EBADF;
  const e = waitData(k, t, p, nb);
  if (e < 0 || p.len === 0) return e;
  return pipeReadUser(k, t, f, iov, 0, Math.min(total, p.len), io);
}

/** Whether the offset pointer of a pipe end was given (ESPIPE). */
export function spliceEspipe(f: File, offPtr: number): number {
  return offPtr !== 0 && isPipeFile(f) ? -ESPIPE : 0;
}
