// A stream socket's sender hands its bytes straight to a reader that sleeps
// in recv/read on an empty queue: one copy from the sender's pages into the
// reader's buffer, instead of one into a queued message and a second out of
// it once the reader runs (net/unix.ts: unixWriteUser calls handOff).
// The reader's call is completed through Task.io, as a read that slept after
// moving data: it reruns, sees the count and returns it (with whatever the
// queue holds by then for a plain read; MSG_WAITALL goes on waiting for the
// rest). A 1-byte ping-pong then queues and frees nothing, and a stream
// moves its first piece after every sleep with one copy.
//
// Only where no program could tell this from "the message was queued and
// the reader ran at once and took it": the reader is the only task waiting
// on the socket (no other reader, no poll/select/epoll waiter), it is
// single-threaded with a descriptor table of its own (nobody can close or
// replace its descriptor under the sleeping call), asleep in that very call
// (same syscall, same ecall, same descriptor and file) with no signal
// pending, and the read asked for nothing but bytes: no MSG_PEEK or
// MSG_TRUNC, no address (reads register only from those plain paths:
// net/unix.ts and syscalls/socket.ts doRecv). The socket does not pass
// credentials (SO_PASSCRED off) nor wait for more than a byte (SO_RCVLOWAT),
// and the sender's bytes carry no descriptors or claimed credentials
// (syscalls/socket.ts sends those through a queued message); net/unix.ts
// checks these. A hand-off moves at most what one queued message could hold,
// so a reader never gets more in one call than it could have found queued; a
// larger send is handed over in that piece and the rest is queued (or waits)
// as usual. Only reader pages that are present and writable are filled (no
// fault is taken in another address space): anything else is queued.
//
// Concepts: C45 (sockets), C40 (a bounded buffer between producer and
// consumer), C34 (waiting, not busy-waiting: one wake-up per piece).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File } from "../fs/vfs.js";
import type { Iov } from "../fs/read_write.js";
import { getFile } from "../fs/fdtable.js";
import { signalPending } from "../fs/poll.js";
import { userPage, userRun, userLeafTable, userPageVia } from "../mm/uaccess.js";

/**
 * A blocking stream read that found its socket's queue empty and sleeps:
 * where its bytes go (iovecs from byte `skip`, at most `want` bytes) and the
 * call to complete (syscall `nr` at ecall `pc` on descriptor `fd`, Task.io).
 * Plain data, hung on the reading socket (UnixSock.reader).
 */
export interface SockRead { task: Task; file: File; iov: readonly Iov[]; skip: number; want: number; nr: number; fd: number; pc: number }

/**
 * A read of `f` by `t` (the running call: t.sysNr at t.sysPc, descriptor
 * `fd`) is about to sleep with `skip` bytes already moved: its record for a
 * sender to fill, or null when the task is not one a hand-off may complete.
 */
export function sockReadRecord(t: Task, f: File, fd: number, iov: readonly Iov[], skip: number, want: number): SockRead | null {
  if (!t.mm || t.tg.threads.length !== 1 || t.files.refs !== 1 || getFile(t.files, fd) !== f) return null;
  return { task: t, file: f, iov, skip, want, nr: t.sysNr, fd, pc: t.sysPc };
}

/**
 * Can sender `t` complete the sleeping read `rd` now? It must still be in
 * that call, asleep on `wq` and alone there, with no signal pending, and its
 * call's progress (Task.io) must be the `skip` it registered with.
 */
export function handOffReady(t: Task, rd: SockRead, wq: { waiters: Task[]; pollers?: unknown[] }): boolean {
  const r = rd.task;
  if (r === t || r.state !== "S" || r.waitingOn !== wq || r.sysNr !== rd.nr || r.sysPc !== rd.pc || signalPending(r)) return false;
  if (wq.waiters.length !== 1 || (wq.pollers !== undefined && wq.pollers.length > 0)) return false;
  if (!r.mm || r.tg.threads.length !== 1 || r.files.refs !== 1 || getFile(r.files, rd.fd) !== rd.file) return false;
  const io = r.io;
  return io === null ? rd.skip === 0 : io.nr === rd.nr && io.fd === rd.fd && io.file === rd.file && io.done === rd.skip;
}

/** Complete `rd`'s call with `n` more bytes (it reruns and returns them, or waits on for MSG_WAITALL's rest). */
export function handOffDone(rd: SockRead, n: number): void {
  rd.task.io = { nr: rd.nr, fd: rd.fd, file: rd.file, done: rd.skip + n };
}

/**
 * Copy up to `n` bytes from `from`'s iovecs (from byte `fskip`) to `to`'s
 * (from byte `tskip`), one copyWithin per stretch contiguous in RAM on both
 * sides (mm/uaccess.ts userRun). The source pages are faulted in as copyin
 * would; the destination's must be present and writable (another task's
 * address space: no fault is taken there). Returns the bytes copied,
 * stopping at the first page that cannot be had.
 */
export function copyUserToUser(k: Kernel, from: Task, fiov: readonly Iov[], fskip: number, to: Task, tiov: readonly Iov[], tskip: number, n: number): number {
  const ram = k.pm.ram;
  const ctx = k.mmctx;
  let fi = 0, ti = 0, done = 0;
  while (fi < fiov.length && fskip >= fiov[fi].len) fskip -= fiov[fi++].len;
  while (ti < tiov.length && tskip >= tiov[ti].len) tskip -= tiov[ti++].len;
  while (done < n && fi < fiov.length && ti < tiov.length) {
    const fva = fiov[fi].base + fskip, tva = tiov[ti].base + tskip;
    const want = Math.min(n - done, fiov[fi].len - fskip, tiov[ti].len - tskip);
    const to0 = userPageVia(ctx, userLeafTable(ctx, to.mm!, tva), tva, true);
    if (to0 < 0) break;
    const tlen = userRun(ctx, to.mm!, tva, to0, true, want);
    const fo = userPage(ctx, from.mm!, fva, false);
    if (fo < 0) break;
    const len = userRun(ctx, from.mm!, fva, fo, false, tlen);
    ram.copyWithin(to0, fo, fo + len);
    done += len;
    fskip += len;
    tskip += len;
    if (fskip === fiov[fi].len) { fi++; fskip = 0; }
    if (tskip === tiov[ti].len) { ti++; tskip = 0; }
  }
  return done;
}
