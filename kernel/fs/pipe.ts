// Pipes and FIFOs: a ring buffer (64 KiB by default, F_SETPIPE_SZ changes
// it) between writers and readers, with one wait queue for everything that
// waits on the pipe (readers, writers, FIFO openers, poll).
//   - read: returns what is there; an empty pipe blocks (or EAGAIN with
//     O_NONBLOCK), and reads 0 (end of file) once no writer is left.
//   - write: with no reader left fails with EPIPE and sends SIGPIPE; writes of
//     at most PIPE_BUF (4096) bytes are atomic (all or wait); larger ones
//     move what fits and the syscall layer keeps going.
//   - A FIFO (named pipe) opened for reading waits for a writer and vice
//     versa, unless O_NONBLOCK (then a writer without readers gets ENXIO);
//     O_RDWR never waits. Counters of opens let a waiting reader notice a
//     writer that came and went while it slept.
// pipe2() makes an anonymous pipe on the internal pipefs; a FIFO is a pipe
// attached to a file-system inode at its first open.
//
// Concepts: C40 (pipes: a bounded buffer between a producer and a
// consumer, blocking both ways), C41 (named pipes), C34 (waiting, not
// busy-waiting), C44 (SIGPIPE).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File, Inode, Dentry, Mount, IoCtx } from "./vfs.js";
import type { Iov } from "./read_write.js";
import type { MmContext } from "../mm/mm.js";
import { type WaitQueue, createWaitQueue, wakeUp, sleepOn } from "../sched/wait.js";
import { sendSignalTask } from "../signal/signal.js";
import { signalPending } from "./poll.js";
import { SIGPIPE } from "../abi/signal.js";
import { putUser32, userPage, userRun } from "../mm/uaccess.js";
import { createPseudoFs, newInode } from "./tmpfs/tmpfs.js";
import { iput } from "./inode.js";
import { O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR, O_NONBLOCK, S_IFIFO, PIPE_BUF, PIPE_DEF_SIZE, PIPE_MAX_SIZE, PIPEFS_MAGIC, POLLIN, POLLRDNORM, POLLOUT, POLLWRNORM, POLLHUP, POLLERR } from "../abi/fs.js";
import { FIONREAD } from "../abi/ioctls.js";
import { EAGAIN, EPIPE, ENXIO, EBUSY, EPERM, EINVAL, ENOTTY, EFAULT, ERESTARTSYS, ENFILE, ENOMEM } from "../abi/errno.js";
import { SYS_openat } from "../abi/sysno.js";
import { type PhysMem, PAGE_SIZE, PAGE_SHIFT, RAM_BASE, putFrame } from "../mm/phys.js";
import { kmemAllocFrame, kmemFits, KMEM_FILE, KMEM_INODE } from "../mm/kmem.js";
import { fileAccount, fileUnaccount, fileAllocCheck } from "./file_table.js";
import { fileOps, defineFileOps } from "../lib/fsops.js";
import { fsnotifyAccess, fsnotifyModify } from "./fsnotify.js";
import { completeCall, userToUser } from "./rw_complete.js";

export interface Pipe {
  /**
   * The ring's storage: guest frames (physical addresses), one for each
   * PAGE_SIZE of `size`, made when a write first reaches them and freed
   * when the last end closes - as Linux keeps pipe data in pages. So buffered data is
   * guest memory: it counts against --mem, shows in MemFree, and costs the
   * host nothing beyond the machine's RAM. A missing entry is no frame yet.
   */
  pages: number[];
  /** How many entries of `pages` hold a frame: all of the ring's once it is `size` / PAGE_SIZE, and a write need make none. */
  made: number;
  /** Capacity of the ring in bytes (F_GETPIPE_SZ): a power-of-two number of pages. */
  size: number;
  /** Index of the first unread byte, and how many bytes are buffered. */
  head: number;
  len: number;
  readers: number;
  writers: number;
  /** Opens for reading / writing so far (a FIFO opener waits for the other counter to move). */
  rCounter: number;
  wCounter: number;
  /** Tasks in a FIFO open waiting for a partner; `granted` once one came (and they were counted). */
  opening: { task: Task; write: boolean; granted: boolean }[];
  wq: WaitQueue;
  /** The read(2) asleep on the empty pipe, for a writer to fill straight (pipeHandOff); null when none. */
  reader: PendingRead | null;
  /** The write(2) that found the ring full and sleeps (or was woken and has not run yet), for a reader to empty straight (pipeTakeOver); null when none. */
  writer: PendingWrite | null;
}

/** A blocking read of a pipe that found it empty: where its bytes go, and the call to complete (Task.io). */
interface PendingRead { task: Task; file: File; iov: readonly Iov[]; skip: number; want: number; nr: number; fd: number; pc: number }

/** A blocking write that found the ring full: where its bytes are (`total` in all, from byte 0 of the iovecs), and the call to complete (Task.io). */
interface PendingWrite { task: Task; file: File; iov: readonly Iov[]; total: number; nr: number; fd: number; pc: number }

/** Per-open state of a pipe end: the writer-open counter a reader saw (no POLLHUP while it is unchanged), or -1. */
interface PipeEnd { wSeen: number }

/** Largest ring even root may ask for. */
const PIPE_HARD_MAX = 16 * 1024 * 1024;

function createPipe(): Pipe {
  return {
    pages: [], made: 0, size: PIPE_DEF_SIZE, head: 0, len: 0, readers: 0, writers: 0, rCounter: 0, wCounter: 0,
    opening: [], wq: createWaitQueue("pipe"), reader: null, writer: null,
  };
}

function pipeOf(ino: Inode): Pipe {
  if (!ino.pipe) ino.pipe = createPipe();
  return ino.pipe;
}

function canRead(f: File): boolean {
  const a = f.flags & O_ACCMODE;
  return a === O_RDONLY || a === O_RDWR;
}
function canWrite(f: File): boolean {
  const a = f.flags & O_ACCMODE;
  return a === O_WRONLY || a === O_RDWR;
}

// --- the ring ---

/** Free every page of the ring (it is empty, or its data is discarded). */
function freeRing(pm: PhysMem, p: Pipe): void {
  for (const fr of p.pages) if (fr) putFrame(pm, fr);
  p.pages = [];
  p.made = 0;
}

/**
 * Copy `buf.length` bytes between `buf` and the ring at offset `at`, page by
 * page: into the ring (`toRing`), or out of it. The pages exist: a write
 * made them before copying in, and the bytes copied out were written.
 */
function ringCopy(pm: PhysMem, p: Pipe, at: number, buf: Uint8Array, toRing: boolean): void {
  for (let done = 0; done < buf.length;) {
    const pos = (at + done) % p.size;
    const inPage = pos & (PAGE_SIZE - 1);
    const len = Math.min(buf.length - done, PAGE_SIZE - inPage);
    const off = p.pages[pos >>> PAGE_SHIFT] - RAM_BASE + inPage;
    if (toRing) pm.ram.set(buf.subarray(done, done + len), off);
    else buf.set(pm.ram.subarray(off, off + len), done);
    done += len;
  }
}

/**
 * Take up to dst.length bytes off the ring. A drained ring keeps its pages
 * (a busy pipe would otherwise free and remake them on every round trip);
 * they go back when the last end closes.
 */
function ringRead(pm: PhysMem, p: Pipe, dst: Uint8Array): number {
  const n = Math.min(dst.length, p.len);
  ringCopy(pm, p, p.head, dst.subarray(0, n), false);
  p.head = (p.head + n) % p.size;
  p.len -= n;
  if (p.len === 0) p.head = 0;
  return n;
}

/**
 * Append up to src.length bytes (as many as fit). Pages are made as the
 * data reaches them; when RAM has no frame left for kernel use (kmem.ts
 * keeps a reserve for page faults) the write stops there. Returns the bytes
 * written, or -ENOMEM when none could be, or when an atomic write (at most
 * PIPE_BUF) could not get all of its pages.
 */
function ringWrite(mm: MmContext, p: Pipe, src: Uint8Array): number {
  const n = ringReserve(mm, p, src.length);
  if (n < 0) return n;
  ringCopy(mm.pm, p, (p.head + p.len) % p.size, src.subarray(0, n), true);
  p.len += n;
  return n;
}

/**
 * Make the pages for up to `want` more bytes at the ring's tail (as many as
 * fit). Returns how many bytes have pages, or -ENOMEM (none, or an atomic
 * write of at most PIPE_BUF bytes that could not get all of its pages).
 */
function ringReserve(mm: MmContext, p: Pipe, want: number): number {
  let n = Math.min(want, p.size - p.len);
  if (p.made === p.size >>> PAGE_SHIFT) return n; // every page of the ring is there (a busy pipe's usual case)
  const tail = (p.head + p.len) % p.size;
  // Make the pages first, so that an atomic write is all or nothing.
  for (let done = 0; done < n;) {
    const pos = (tail + done) % p.size;
    const idx = pos >>> PAGE_SHIFT;
    if (!p.pages[idx]) {
      const fr = kmemAllocFrame(mm);
      if (fr === 0) {
        if (want <= PIPE_BUF || done === 0) return -ENOMEM;
        n = done;
        break;
      }
      p.pages[idx] = fr;
      p.made++;
    }
    done += PAGE_SIZE - (pos & (PAGE_SIZE - 1));
  }
  return n;
}

// --- straight between user memory and the ring ---
// read(2) and write(2) on a pipe copy between the caller's pages and the
// ring's pages with one copyWithin per stretch that is contiguous in RAM on
// both sides (a page at least; more when neighbouring pages sit in
// neighbouring frames, as freshly allocated ones do): both are frames of the
// same guest RAM, so there is no kernel buffer to allocate and fill (that
// buffer, 64 KiB per call, and the second copy through it held pipe
// throughput to a tenth of qemu-riscv64's). The checks
// and results are those of pipeFops.read/write below, which other kernel
// callers (splice-like copies, sendfile) still use.

/**
 * Copy `n` bytes between the ring at `at` and the iovecs from offset `skip`:
 * into the ring (`toRing`, the user pages read) or out of it (user pages
 * written, faulted in as copyout would). Stops at the first user page that
 * cannot be had; returns the bytes copied.
 */
function ringUserCopy(k: Kernel, t: Task, p: Pipe, at: number, iov: readonly Iov[], skip: number, n: number, toRing: boolean): number {
  const ram = k.pm.ram;
  const ringPages = p.size >>> PAGE_SHIFT;
  let done = 0;
  for (let i = 0; i < iov.length && done < n; i++) {
    const v = iov[i];
    if (skip >= v.len) { skip -= v.len; continue; }
    let va = v.base + skip;
    let segLeft = v.len - skip;
    skip = 0;
    while (segLeft > 0 && done < n) {
      const want = Math.min(n - done, segLeft);
      // The ring side: its pages from pos while they follow each other in RAM (they exist: written, or reserved).
      const pos = (at + done) % p.size;
      let idx = pos >>> PAGE_SHIFT;
      const r = p.pages[idx] - RAM_BASE + (pos & (PAGE_SIZE - 1));
      let rlen = PAGE_SIZE - (pos & (PAGE_SIZE - 1));
      while (rlen < want && idx + 1 < ringPages && p.pages[idx + 1] === p.pages[idx] + PAGE_SIZE) { idx++; rlen += PAGE_SIZE; }
      // The user side: the pages from va that follow each other in RAM, as far as the ring's run goes.
      const uo = userPage(k.mmctx, t.mm!, va, !toRing);
      if (uo < 0) return done;
      const len = userRun(k.mmctx, t.mm!, va, uo, !toRing, Math.min(want, rlen));
      if (toRing) ram.copyWithin(r, uo, uo + len);
      else ram.copyWithin(uo, r, r + len);
      done += len;
      va += len;
      segLeft -= len;
    }
  }
  return done;
}

/**
 * read(2) of up to `want` bytes of a pipe into the iovecs from offset
 * `skip`: what pipeFops.read does, straight into user memory. Only the
 * bytes copied are consumed (a bad buffer leaves the rest in the pipe);
 * -EFAULT when none could be. `fd` and `nr` name the read(2)/readv(2) call
 * (doReadv), so that a writer can complete it while it sleeps (pipeHandOff).
 */
export function pipeReadUser(k: Kernel, t: Task, f: File, iov: readonly Iov[], skip: number, want: number, io: IoCtx, fd = -1, nr = -1): number {
  const p = pipeOf(f.inode);
  gcOpeners(p);
  if (p.reader !== null && p.reader.task === t) p.reader = null;
  if (want === 0) return 0;
  if (p.len === 0) {
    if (p.writers === 0) return 0;
    if (p.writer !== null) {
      const n = pipeTakeOver(k, t, p, iov, skip, want);
      if (n > 0) return n;
      // Our own page is on swap and the disk answers later: the call restarts once it is in (mm/uaccess.ts).
      if (k.mmctx.vm.swap.uaccessWait) return -EFAULT;
    }
    if (!(f.flags & O_NONBLOCK)) {
      io.wait = p.wq;
      // The caller (read_write.ts doReadv, which knows the descriptor) sleeps now: a writer may fill its buffer straight.
      if (fd >= 0 && nr >= 0) p.reader = { task: t, file: f, iov, skip, want, nr, fd, pc: t.sysPc };
    }
    return -EAGAIN;
  }
  const n = ringUserCopy(k, t, p, p.head, iov, skip, Math.min(want, p.len), false);
  if (n === 0) return -EFAULT;
  p.head = (p.head + n) % p.size;
  p.len -= n;
  if (p.len === 0) p.head = 0;
  wakeUp(k, p.wq);
  return n;
}

/**
 * write(2) of up to `want` bytes from the iovecs at offset `skip` into a
 * pipe: what pipeFops.write does (EPIPE and SIGPIPE, PIPE_BUF atomicity,
 * pages made first), straight from user memory. -EFAULT when no byte could
 * be read from the buffer. `fd`, `nr` and `total` (the call's whole count)
 * name the write(2)/writev(2) call (doWritev), so that a reader can take its
 * bytes while it sleeps (pipeTakeOver).
 */
export function pipeWriteUser(k: Kernel, t: Task, f: File, iov: readonly Iov[], skip: number, want: number, io: IoCtx, fd = -1, nr = -1, total = 0): number {
  const p = pipeOf(f.inode);
  gcOpeners(p);
  if (p.writer !== null && p.writer.task === t) p.writer = null;
  if (want === 0) return 0;
  if (p.readers === 0) {
    sendSignalTask(k, t, { signo: SIGPIPE, code: 0, addr: 0, pid: t.tg.pid, uid: t.tg.creds.uid, status: 0 });
    return -EPIPE;
  }
  if (p.len === 0 && p.reader !== null) {
    const n = pipeHandOff(k, t, p, iov, skip, want);
    if (n > 0) return n;
  }
  const free = p.size - p.len;
  if (free === 0 || (want <= PIPE_BUF && free < want)) {
    if (!(f.flags & O_NONBLOCK)) {
      io.wait = p.wq;
      // The caller (doWritev) sleeps now with total - skip bytes to go: a reader may take them straight.
      if (fd >= 0 && nr >= 0 && total > skip) p.writer = { task: t, file: f, iov, total, nr, fd, pc: t.sysPc };
    }
    return -EAGAIN;
  }
  const room = ringReserve(k.mmctx, p, want);
  if (room < 0) return room;
  const n = ringUserCopy(k, t, p, (p.head + p.len) % p.size, iov, skip, room, true);
  if (n === 0) return -EFAULT;
  p.len += n;
  wakeUp(k, p.wq);
  return n;
}

// --- a writer hands its bytes straight to the sleeping reader ---
// A read that found the pipe empty sleeps; the next write would copy its bytes
// into the ring and the reader, once it runs, out of it again. Instead the
// writer copies them once, from its pages into the reader's buffer, and
// completes the reader's call with that count: in its saved registers, so
// that it returns to user mode at once when it runs (fs/rw_complete.ts completeCall), or where
// that cannot be (a traced reader), in Task.io, as a read that slept after
// moving data: the call reruns, sees the count, and returns it with whatever
// the ring holds by then, as Linux's pipe_read returns what it found.
// A full ring's worth then moves with one copy instead of two, and
// the writer fills the ring behind it before it blocks, so the two tasks
// switch half as often per byte.
// Only where nobody could tell the difference: an anonymous pipe whose one
// read end is held by one descriptor of a single-threaded process with its
// own descriptor table (so no other reader, and nobody can close the
// descriptor under the sleeping call), asleep in that very read with no
// signal pending, and an empty ring (the bytes come in order). Only reader
// pages that are present and writable are filled (no fault is taken in
// another address space); anything else goes through the ring.

function pipeHandOff(k: Kernel, t: Task, p: Pipe, iov: readonly Iov[], skip: number, want: number): number {
  const rd = p.reader!;
  const r = rd.task;
  p.reader = null;
  if (r === t || r.state !== "S" || r.waitingOn !== p.wq || r.sysNr !== rd.nr || r.sysPc !== rd.pc || r.io !== null
    || signalPending(r) || !r.mm || r.tg.threads.length !== 1 || r.files.refs !== 1
    || p.readers !== 1 || rd.file.refs !== 1 || rd.file.inode.sb.magic !== PIPEFS_MAGIC) return 0;
  const n = userToUser(k, t, iov, skip, r, rd.iov, rd.skip, Math.min(want, rd.want), true);
  if (n === 0) return 0;
  if (completeCall(k, r, n)) fsnotifyAccess(k, rd.file);
  else r.io = { nr: rd.nr, fd: rd.fd, file: rd.file, done: n };
  wakeUp(k, p.wq);
  return n;
}

// --- a reader takes its bytes straight from the sleeping writer ---
// The mirror of pipeHandOff. A write larger than the free room fills the ring
// and sleeps with the rest; the reader empties the ring (waking the writer)
// and reads again. Rather than sleep until the writer has run and copied the
// next ring's worth in, the reader copies the writer's next bytes straight
// from its pages into its own buffer, and advances the writer's call by that
// count (Task.io, as a write that slept after moving data: when the writer
// runs, its call reruns from there), or, when that was the last of its
// bytes, completes the call in its saved registers (fs/rw_complete.ts completeCall) with the
// whole count. So one switch moves the ring's worth and the writer's pending
// bytes, and they are copied once instead of twice.
// Only where nobody could tell the difference: the ring is empty (the
// writer's bytes are the next in the stream), the pipe has one write end held
// by one descriptor of a single-threaded, untraced process with its own
// descriptor table (no other writer can put bytes in between, so PIPE_BUF
// atomicity holds, and nobody can close the descriptor under the sleeping
// call), and the writer is still in that very write with no signal pending:
// asleep on this pipe, or woken and not yet run (on no hart, its call still
// to rerun). Only writer pages that are present and readable are taken (no
// fault is taken in another address space); otherwise the reader waits as
// before.

function pipeTakeOver(k: Kernel, t: Task, p: Pipe, iov: readonly Iov[], skip: number, want: number): number {
  const wr = p.writer!;
  const w = wr.task;
  const asleep = w.state === "S" && w.waitingOn === p.wq;
  const woken = w.state === "R" && w.cpu === -1 && w.sysRestart !== 0;
  const prev = w.io;
  if (w === t || !(asleep || woken) || w.sysNr !== wr.nr || w.sysPc !== wr.pc || w.sysA0Lo !== wr.fd
    || (prev !== null && (prev.nr !== wr.nr || prev.fd !== wr.fd || prev.file !== wr.file))
    || signalPending(w) || !w.mm || w.ptrace || w.tg.threads.length !== 1 || w.files.refs !== 1
    || p.writers !== 1 || wr.file.refs !== 1 || wr.file.inode.sb.magic !== PIPEFS_MAGIC) {
    p.writer = null;
    return 0;
  }
  const done = prev === null ? 0 : prev.done;
  const n = userToUser(k, w, wr.iov, done, t, iov, skip, Math.min(want, wr.total - done), false);
  if (n === 0) return 0;
  if (done + n < wr.total || !completeCall(k, w, done + n)) w.io = { nr: wr.nr, fd: wr.fd, file: wr.file, done: done + n };
  else fsnotifyModify(k, wr.file);
  if (done + n >= wr.total) p.writer = null;
  // Asleep: it has its count (or room in the ring for the rest) now.
  if (asleep) wakeUp(k, p.wq);
  return n;
}

// --- file operations (anonymous pipes and FIFOs alike) ---

export const pipeFops = defineFileOps("pipe", {
  read(k, _t, f, buf, _pos, io) {
    const p = pipeOf(f.inode);
    gcOpeners(p);
    if (buf.length === 0) return 0;
    if (p.len === 0) {
      if (p.writers === 0) return 0;
      if (!(f.flags & O_NONBLOCK)) io.wait = p.wq;
      return -EAGAIN;
    }
    const n = ringRead(k.pm, p, buf);
    wakeUp(k, p.wq);
    return n;
  },
  write(k, t, f, buf, _pos, io) {
    const p = pipeOf(f.inode);
    gcOpeners(p);
    if (buf.length === 0) return 0;
    if (p.readers === 0) {
      sendSignalTask(k, t, { signo: SIGPIPE, code: 0, addr: 0, pid: t.tg.pid, uid: t.tg.creds.uid, status: 0 });
      return -EPIPE;
    }
    const free = p.size - p.len;
    // Writes of PIPE_BUF bytes or less are atomic: all of it or nothing.
    if (free === 0 || (buf.length <= PIPE_BUF && free < buf.length)) {
      if (!(f.flags & O_NONBLOCK)) io.wait = p.wq;
      return -EAGAIN;
    }
    const n = ringWrite(k.mmctx, p, buf);
    if (n < 0) return n;
    wakeUp(k, p.wq);
    return n;
  },
  poll(_k, _t, f, io) {
    const p = pipeOf(f.inode);
    gcOpeners(p);
    io.wait = p.wq;
    let mask = 0;
    if (canRead(f)) {
      if (p.len > 0) mask |= POLLIN | POLLRDNORM;
      const end = f.info as PipeEnd | null;
      if (p.writers === 0 && (!end || end.wSeen !== p.wCounter)) mask |= POLLHUP;
    }
    if (canWrite(f)) {
      if (p.size - p.len >= PIPE_BUF) mask |= POLLOUT | POLLWRNORM;
      if (p.readers === 0) mask |= POLLERR;
    }
    return mask;
  },
  ioctl(k, t, f, cmd, arg) {
    if (cmd === FIONREAD) {
      return putUser32(k.mmctx, t.mm!, arg, pipeOf(f.inode).len) < 0 ? -EFAULT : 0;
    }
    return -ENOTTY;
  },
  release(k, f) {
    const p = pipeOf(f.inode);
    gcOpeners(p);
    if (canRead(f)) p.readers--;
    if (canWrite(f)) p.writers--;
    if (p.reader !== null && p.reader.file === f) p.reader = null;
    if (p.writer !== null && p.writer.file === f) p.writer = null;
    if (p.readers === 0 && p.writers === 0) {
      // Nobody has it open: a FIFO's unread data is discarded, as on Linux, and the ring freed.
      p.head = 0;
      p.len = 0;
      freeRing(k.pm, p);
      p.size = PIPE_DEF_SIZE;
    }
    wakeUp(k, p.wq);
  },
});

// --- FIFO open ---

/**
 * Forget openers that are no longer in their open() (killed, or the call
 * was abandoned for a signal). A granted one was already counted: uncount it.
 */
function gcOpeners(p: Pipe): void {
  if (p.opening.length === 0) return;
  p.opening = p.opening.filter((o) => {
    const t = o.task;
    if (t.state !== "Z" && t.state !== "X" && t.sysNr === SYS_openat) return true;
    if (o.granted) {
      if (o.write) p.writers--; else p.readers--;
    }
    return false;
  });
}

/** A partner arrived: every opener waiting for one becomes a counted reader (or writer) and is woken. */
function grant(p: Pipe, write: boolean): void {
  for (const o of p.opening) {
    if (o.write !== write || o.granted) continue;
    o.granted = true;
    if (write) { p.writers++; p.wCounter++; } else { p.readers++; p.rCounter++; }
  }
}

/**
 * Open a FIFO: count the new reader or writer, waking the other side;
 * wait for a partner unless O_NONBLOCK or O_RDWR. A sleeping opener is
 * counted as soon as its partner arrives (as Linux counts it while it
 * waits), so the partner may write before the reader's open returns.
 * Returns 0, -ENXIO, -ERESTARTSYS after putting the task to sleep, or
 * -ERESTARTSYS at once when it would sleep with a signal pending.
 * An anonymous pipe (pipefs) never waits.
 */
export function fifoOpen(k: Kernel, t: Task, f: File, signalPending: boolean): number {
  const ino = f.inode;
  const p = pipeOf(ino);
  gcOpeners(p);
  const acc = f.flags & O_ACCMODE;
  const nb = (f.flags & O_NONBLOCK) !== 0;
  const i = p.opening.findIndex((o) => o.task === t);
  const mine = i >= 0 ? p.opening[i] : null;
  if (mine) p.opening.splice(i, 1);
  // An anonymous pipe reopened through /proc/PID/fd/N (or /dev/fd/N) is not
  // a FIFO: its other side can never be opened again, so like Linux's
  // fifo_open (is_pipe) the open neither waits for a partner nor fails with
  // ENXIO: a reader with no writer left reads end of file, a writer with no
  // reader left gets EPIPE at its first write.
  const anon = ino.sb.magic === PIPEFS_MAGIC;
  // A non-blocking reader that saw no writer gets no POLLHUP until a writer has come and gone (Linux's f_version).
  const hupGuard = !anon && acc === O_RDONLY && nb && p.writers === 0 && !(mine && mine.granted);
  if (!(mine && mine.granted)) {
    const write = acc === O_WRONLY;
    if (!anon && (acc === O_RDONLY || acc === O_WRONLY)) {
      const partners = write ? p.readers : p.writers;
      const waiting = p.opening.some((o) => o.write !== write && !o.granted);
      if (partners === 0 && !waiting) {
        if (nb) {
          if (write) return -ENXIO;
        } else {
          if (signalPending) return -ERESTARTSYS;
          p.opening.push({ task: t, write, granted: false });
          sleepOn(t, p.wq);
          return -ERESTARTSYS;
        }
      }
    }
    if (acc !== O_WRONLY) { p.readers++; p.rCounter++; grant(p, true); }
    if (acc !== O_RDONLY) { p.writers++; p.wCounter++; grant(p, false); }
  }
  f.info = { wSeen: hupGuard ? p.wCounter : -1 } satisfies PipeEnd;
  wakeUp(k, p.wq);
  void k;
  return 0;
}

// --- anonymous pipes ---

export interface PipeFs { mount: Mount }

function pipefs(k: Kernel): PipeFs {
  let s = k.vfs.pipefs;
  if (!s) {
    s = { mount: createPseudoFs(k, "pipefs", PIPEFS_MAGIC).mount };
    k.vfs.pipefs = s;
  }
  return s;
}

/** Make an anonymous pipe: its read end and write end (each with one reference). */
export function createPipeFiles(k: Kernel, t: Task, flags: number): { r: File; w: File } | number {
  const fs = pipefs(k);
  const c = t.tg.creds;
  // Two open files and an inode, charged to RAM: a pipe bomb ends in ENFILE/ENOMEM, not in host exhaustion.
  const e = fileAllocCheck(k, t, 2);
  if (e < 0) return e;
  if (!kmemFits(k.mmctx, 2 * KMEM_FILE + KMEM_INODE)) return -ENOMEM;
  const ino = newInode(k, fs.mount.sb, S_IFIFO | 0o600, c.fsuid, c.fsgid, 0);
  if (!ino) return -ENFILE;
  ino.nlink = 0; // on no directory: freed (evicted) with its last open file, like Linux's pipefs inodes
  const p = pipeOf(ino);
  p.readers = 1;
  p.writers = 1;
  p.rCounter = 1;
  p.wCounter = 1;
  const dentry: Dentry = { name: `pipe:[${ino.ino}]`, parent: null, inode: ino, mount: fs.mount };
  const extra = flags & O_NONBLOCK;
  ino.refs += 2;
  const r: File = { dentry, inode: ino, flags: O_RDONLY | extra, pos: 0, refs: 1, ops: pipeFops, info: { wSeen: 0 } satisfies PipeEnd };
  const w: File = { dentry, inode: ino, flags: O_WRONLY | extra, pos: 0, refs: 1, ops: pipeFops, info: { wSeen: -1 } satisfies PipeEnd };
  fileAccount(k);
  fileAccount(k);
  return { r, w };
}

/** Undo createPipeFiles when installing the descriptors failed. */
export function destroyPipeFiles(k: Kernel, r: File, w: File): void {
  const release = fileOps(pipeFops).release!;
  release(k, r);
  release(k, w);
  fileUnaccount(k);
  fileUnaccount(k);
  iput(k, r.inode);
  iput(k, w.inode);
}

/** Whether an open file is a pipe or FIFO (F_GETPIPE_SZ and friends work on it). */
export function isPipeFile(f: File): boolean {
  return f.ops === pipeFops;
}

export function pipeGetSize(f: File): number {
  return pipeOf(f.inode).size;
}

/** F_SETPIPE_SZ: round up to a power-of-two number of pages; refuse to drop buffered data. */
export function pipeSetSize(k: Kernel, t: Task, f: File, want: number): number {
  if (want < 0 || want > 0x7fffffff) return -EINVAL;
  let size = PAGE_SIZE;
  while (size < want) size *= 2;
  if (size > PIPE_MAX_SIZE && t.tg.creds.euid !== 0) return -EPERM;
  if (size > PIPE_HARD_MAX) return -ENOMEM; // a bound on one ring (its pages are guest memory, made as writes reach them)
  const p = pipeOf(f.inode);
  if (size === p.size) return size;
  if (p.len > size) return -EBUSY;
  // Move the data to the start of a new ring of the new size (new pages first: nothing is lost on ENOMEM).
  const pages: number[] = [];
  for (let i = 0; i * PAGE_SIZE < p.len; i++) {
    const fr = kmemAllocFrame(k.mmctx);
    if (fr === 0) {
      for (const x of pages) putFrame(k.pm, x);
      return -ENOMEM;
    }
    pages.push(fr);
  }
  for (let i = 0; i < pages.length; i++) {
    const off = pages[i] - RAM_BASE;
    ringCopy(k.pm, p, p.head + i * PAGE_SIZE, k.pm.ram.subarray(off, off + Math.min(PAGE_SIZE, p.len - i * PAGE_SIZE)), false);
  }
  freeRing(k.pm, p);
  p.pages = pages;
  p.made = pages.length;
  p.size = size;
  p.head = 0;
  wakeUp(k, p.wq);
  return size;
}

// --- for splice, tee and vmsplice (fs/splice.ts) ---
// They look at the ring without consuming it (tee, and splice before it
// knows how much the other side took), then consume or append exactly what
// moved, so that a stream never loses bytes to a short write.

/** The pipe behind an open pipe or FIFO (openers that left are forgotten first). */
export function pipeInfo(f: File): Pipe {
  const p = pipeOf(f.inode);
  gcOpeners(p);
  return p;
}

/** Copy the first dst.length buffered bytes (at most p.len) into `dst` without consuming them. */
export function pipePeek(k: Kernel, p: Pipe, dst: Uint8Array): number {
  const n = Math.min(dst.length, p.len);
  ringCopy(k.pm, p, p.head, dst.subarray(0, n), false);
  return n;
}

/** Drop the first `n` buffered bytes (they were moved elsewhere) and wake writers. */
export function pipeConsume(k: Kernel, p: Pipe, n: number): void {
  p.head = (p.head + n) % p.size;
  p.len -= n;
  if (p.len === 0) p.head = 0;
  wakeUp(k, p.wq);
}

/** Make pages for up to `want` more bytes: how many fit (with pages), or -ENOMEM. */
export function pipeReserve(k: Kernel, p: Pipe, want: number): number {
  return ringReserve(k.mmctx, p, want);
}

/** Append up to src.length bytes (no PIPE_BUF atomicity: splice fills what is free) and wake readers. */
export function pipeAppend(k: Kernel, p: Pipe, src: Uint8Array): number {
  const n = ringWrite(k.mmctx, p, src);
  if (n > 0) wakeUp(k, p.wq);
  return n;
}
