// signalfd: a file that reads the caller's pending signals (those in its
// mask) as struct signalfd_siginfo records, 128 bytes each, instead of having
// them delivered; it polls readable while one is pending. Programs block the
// signals and read them in their event loop (util-linux's script, systemd).
// As Linux: a read of less than 128 bytes is EINVAL; the records are the
// reading task's own signals (thread-private first, then the process's),
// whoever created the file; SIGKILL and SIGSTOP never appear in the mask.
// Readers and pollers sleep on the process's signalfd wait queue
// (SigHand.signalfdWait), which sending any signal wakes.
//
// Concepts: C44 (signals), C47 (event notification through a pollable file).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File } from "./vfs.js";
import { anonFile } from "./file.js";
import { defineFileOps } from "../lib/fsops.js";
import { createWaitQueue, type WaitQueue } from "../sched/wait.js";
import { dequeueFromSet, type SigInfo } from "../signal/signal.js";
import { EAGAIN, EINVAL } from "../abi/errno.js";
import { O_NONBLOCK, POLLIN, POLLRDNORM } from "../abi/fs.js";
import { UNBLOCKABLE } from "../abi/signal.js";
import { putU32, putU64 } from "../abi/le.js";

/** sizeof(struct signalfd_siginfo). */
export const SIGNALFD_SIGINFO_SIZE = 128;

interface SignalFd { mask: bigint }

function sfd(f: File): SignalFd {
  return f.info as SignalFd;
}

function waitQueue(t: Task): WaitQueue {
  return (t.tg.sighand.signalfdWait ??= createWaitQueue("signalfd"));
}

/** struct signalfd_siginfo (linux/signalfd.h) of one signal. */
function encode(b: Uint8Array, off: number, i: SigInfo): void {
  putU32(b, off + 0, i.signo);
  putU32(b, off + 8, i.code);
  putU32(b, off + 12, i.pid);
  putU32(b, off + 16, i.uid);
  putU32(b, off + 40, i.status);
  putU32(b, off + 44, i.value ?? 0);
  putU64(b, off + 48, i.value ?? 0);
  putU64(b, off + 56, Math.max(0, i.utime ?? 0));
  putU64(b, off + 64, Math.max(0, i.stime ?? 0));
  putU64(b, off + 72, i.addr);
}

const signalfdFops = defineFileOps("signalfd", {
  read(_k, t, f, buf, _pos, io) {
    if (buf.length < SIGNALFD_SIGINFO_SIZE) return -EINVAL;
    const mask = sfd(f).mask;
    let n = 0;
    while (n + SIGNALFD_SIGINFO_SIZE <= buf.length) {
      const info = dequeueFromSet(t, mask);
      if (!info) break;
      buf.fill(0, n, n + SIGNALFD_SIGINFO_SIZE);
      encode(buf, n, info);
      n += SIGNALFD_SIGINFO_SIZE;
    }
    if (n > 0) return n;
    if (!(f.flags & O_NONBLOCK)) io.wait = waitQueue(t);
    return -EAGAIN;
  },
  poll(_k, t, f, io) {
    io.wait = waitQueue(t);
    const mask = sfd(f).mask;
    return ((t.pending | t.tg.sharedPending) & mask) !== 0n ? POLLIN | POLLRDNORM : 0;
  },
});

/** A new signalfd reading the signals of `mask`. */
export function createSignalFd(k: Kernel, mask: bigint, flags: number): File {
  return anonFile(k, "[signalfd]", signalfdFops, flags & O_NONBLOCK, { mask: mask & ~UNBLOCKABLE } satisfies SignalFd);
}

/** signalfd4 on an existing descriptor: a new mask, or -EINVAL when `f` is no signalfd. */
export function updateSignalFd(f: File, mask: bigint): number {
  if (f.ops !== signalfdFops) return -EINVAL;
  sfd(f).mask = mask & ~UNBLOCKABLE;
  return 0;
}
