// eventfd: a 64-bit counter in a file. write adds to it (blocking when it
// would overflow), read returns it and resets it to 0 (or, with
// EFD_SEMAPHORE, returns 1 and decrements), blocking while it is 0. Used as a
// wake-up signal between threads and processes and with poll/epoll.
// As on Linux (6.9 and later, checked under qemu-riscv64 on the host's
// kernel): a read of 8 bytes or more returns 8 (EINVAL below 8); a write must
// be exactly 8 bytes (EINVAL otherwise; writev: 8 per iovec); writing
// 0xffffffffffffffff is EINVAL. The file's recordSize makes the syscall layer
// hand over 8 bytes once, never loop over the count (a 16 MiB write once
// re-copied 1 MiB for every 8-byte step and froze the machine).
//
// Concepts: C47 (event notification through a pollable file), C34.
import { pack, unpackBig } from "../abi/layout.js";
import { EVENTFD_VALUE, O_NONBLOCK, POLLIN, POLLRDNORM, POLLOUT, POLLWRNORM, POLLERR, EFD_SEMAPHORE } from "../abi/fs.js";
import type { Kernel } from "../kernel.js";
import type { File } from "./vfs.js";
import { type WaitQueue, createWaitQueue, wakeUp } from "../sched/wait.js";
import { anonFile } from "./file.js";
import { EAGAIN, EINVAL } from "../abi/errno.js";
import { defineFileOps } from "../lib/fsops.js";

const MAX = 0xfffffffffffffffen;

interface EventFd { count: bigint; semaphore: boolean; wq: WaitQueue }

function efd(f: File): EventFd {
  return f.info as EventFd;
}

const eventfdFops = defineFileOps("eventfd", {
  read(k, _t, f, buf, _pos, io) {
    if (buf.length < 8) return -EINVAL;
    const e = efd(f);
    if (e.count === 0n) {
      if (!(f.flags & O_NONBLOCK)) io.wait = e.wq;
      return -EAGAIN;
    }
    const v = e.semaphore ? 1n : e.count;
    e.count -= v;
    pack(EVENTFD_VALUE, { value: v }, buf);
    wakeUp(k, e.wq);
    return 8;
  },
  write(k, _t, f, buf, _pos, io) {
    if (buf.length < 8) return -EINVAL;
    const v = unpackBig(EVENTFD_VALUE, buf, "value");
    if (v === 0xffffffffffffffffn) return -EINVAL;
    const e = efd(f);
    if (MAX - e.count < v) {
      if (!(f.flags & O_NONBLOCK)) io.wait = e.wq;
      return -EAGAIN;
    }
    e.count += v;
    wakeUp(k, e.wq);
    return 8;
  },
  poll(_k, _t, f, io) {
    const e = efd(f);
    io.wait = e.wq;
    let m = 0;
    if (e.count > 0n) m |= POLLIN | POLLRDNORM;
    if (e.count < MAX) m |= POLLOUT | POLLWRNORM;
    if (e.count === 0xffffffffffffffffn) m |= POLLERR;
    return m;
  },
  recordSize: 8,
});

export function createEventFd(k: Kernel, initval: number, flags: number): File {
  const e: EventFd = { count: BigInt(initval >>> 0), semaphore: (flags & EFD_SEMAPHORE) !== 0, wq: createWaitQueue("eventfd") };
  return anonFile(k, "[eventfd]", eventfdFops, flags & O_NONBLOCK, e);
}
