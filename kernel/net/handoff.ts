// A stream socket's sender hands its bytes straight to a reader that sleeps
// in recv/read on an empty queue: one copy from the sender's pages into the
// reader's buffer, instead of one into a queued message and a second out of
// it once the reader runs (net/unix.ts: unixWriteUser calls handOff).
// The reader's call is completed through Task.io, as a read that slept after
// moving data: it reruns, sees the count and returns it (with whatever the
// queue holds by then for a plain read; MSG_WAITALL goes on waiting for the
// rest); a read whose buffer the bytes filled is completed in its saved
// registers instead (handOffDone). A 1-byte ping-pong then queues and frees nothing, and a stream
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
// The mirror, the take-over (net/unix.ts takeOver): a send larger than the
// room left in the socket buffer queues what fits and sleeps with the rest.
// A reader that then empties the queue would wake the sender and sleep until
// it has run and queued its next piece; instead it copies the sender's next
// bytes straight from the sender's pages into its own buffer and advances the
// sleeping call by that count (Task.io, as a send that slept after moving
// data: its rerun goes on from there), or, when that was the last of them,
// completes it in its saved registers (fs/rw_complete.ts completeCall). Only
// where nobody could tell: the reader's queue is empty (the sender's bytes
// are the next in the stream), the sender is single-threaded, untraced, with
// a descriptor table of its own and the socket's only file reference (no
// other sender can put bytes in between, nobody can close the descriptor
// under the call), still in that very send (asleep on its socket, or woken
// and not yet run) with no signal pending, and the send carries nothing but
// bytes (syscalls/socket.ts sends descriptors and claimed credentials through
// a queued message; such a send never leaves its record). Only sender pages
// that are present and readable are taken: anything else waits as before.
// A reader of 64 KiB at a time then takes a large send's bytes with one copy
// each, as a pipe's reader does (fs/pipe.ts pipeTakeOver). A recv with
// MSG_WAITALL goes on taking, one send buffer's worth after another, until it
// is full or the send is over (syscalls/socket.ts doRecv): it would return
// only then anyway, and sleeping between the pieces would only cost two task
// switches each.
//
// Concepts: C45 (sockets), C40 (a bounded buffer between producer and
// consumer), C34 (waiting, not busy-waiting: one wake-up per piece).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File } from "../fs/vfs.js";
import type { Iov } from "../fs/read_write.js";
import { getFile } from "../fs/fdtable.js";
import { signalPending } from "../fs/poll.js";
import { completeCall } from "../fs/rw_complete.js";
import { fsnotifyAccess } from "../fs/fsnotify.js";
import { SYS_read, SYS_readv, SYS_recvfrom } from "../abi/sysno.js";

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

/**
 * Complete `rd`'s call with `n` more bytes: it reruns and returns them (with
 * what is queued by then, or waits on for MSG_WAITALL's rest). A read(2),
 * readv(2) or recvfrom(2) whose buffer they filled has nothing left to do
 * but return the count: it is completed in its saved registers instead
 * (fs/rw_complete.ts completeCall, as a pipe's hand-off does), sparing it the
 * second trip through the syscall. Not recvmsg, whose rerun also stores
 * msg_flags and msg_controllen.
 */
export function handOffDone(k: Kernel, rd: SockRead, n: number): void {
  const done = rd.skip + n;
  if (n === rd.want && (rd.nr === SYS_read || rd.nr === SYS_readv || rd.nr === SYS_recvfrom) && completeCall(k, rd.task, done)) {
    if (rd.nr !== SYS_recvfrom) fsnotifyAccess(k, rd.file); // what read(2)'s rerun would report (fs/read_write.ts doReadv)
    return;
  }
  rd.task.io = { nr: rd.nr, fd: rd.fd, file: rd.file, done };
}

/**
 * A blocking stream send that found its send buffer full and sleeps: its
 * bytes (`total` in all, from byte 0 of the iovecs; Task.io says how many
 * moved) and the call (syscall `nr` at ecall `pc` on descriptor `fd`). Plain
 * data, hung on the sending socket (UnixSock.writer).
 */
export interface SockWrite { task: Task; file: File; iov: readonly Iov[]; total: number; nr: number; fd: number; pc: number }

/**
 * The send on `f` by `t` (the running call: t.sysNr at t.sysPc, descriptor
 * `fd`, `total` bytes in all) is about to sleep on a full send buffer: its
 * record for the peer's reader to take from, or null when no take-over may
 * complete it.
 */
export function sockWriteRecord(t: Task, f: File, fd: number, iov: readonly Iov[], total: number): SockWrite | null {
  if (!t.mm || t.ptrace || t.tg.threads.length !== 1 || t.files.refs !== 1 || f.refs !== 1 || getFile(t.files, fd) !== f) return null;
  return { task: t, file: f, iov, total, nr: t.sysNr, fd, pc: t.sysPc };
}

/**
 * May reader `t` take bytes of the send `wr` now? Its task must still be in
 * that call, asleep on `wq` (its socket's queue) or woken and on no hart yet,
 * untraced, with no signal pending, and its progress (Task.io) must belong to
 * that call. Returns the bytes the call has moved so far, or -1 when not.
 */
export function takeOverReady(t: Task, wr: SockWrite, wq: { waiters: Task[] }): number {
  const w = wr.task;
  const asleep = w.state === "S" && w.waitingOn === wq;
  const woken = w.state === "R" && w.cpu === -1 && w.sysRestart !== 0;
  const prev = w.io;
  if (w === t || !(asleep || woken) || w.sysNr !== wr.nr || w.sysPc !== wr.pc || (w.sysA0Lo | 0) !== wr.fd
    || (prev !== null && (prev.nr !== wr.nr || prev.fd !== wr.fd || prev.file !== wr.file))
    || signalPending(w) || !w.mm || w.ptrace || w.tg.threads.length !== 1 || w.files.refs !== 1
    || wr.file.refs !== 1 || getFile(w.files, wr.fd) !== wr.file) return -1;
  return prev === null ? 0 : prev.done;
}

/**
 * `done` bytes of the send `wr` have now moved: the last of them completes
 * its call (in its registers when it can, else through Task.io), anything
 * less leaves the count for its rerun. Returns true when the call is over.
 */
export function takeOverDone(k: Kernel, wr: SockWrite, done: number): boolean {
  if (done < wr.total) {
    wr.task.io = { nr: wr.nr, fd: wr.fd, file: wr.file, done };
    return false;
  }
  if (!completeCall(k, wr.task, done)) wr.task.io = { nr: wr.nr, fd: wr.fd, file: wr.file, done };
  return true;
}
