// Host stdio: three character devices (major 240, minors 0-2) that carry a
// `tsix run` command's stdin, stdout and stderr straight to the host
// process's own, when those are not a terminal (a pipe or a file, as in
// scripts and tests). The guest then sees what a Linux program sees under
// `docker run -i` without a tty: fds that are not terminals (isatty() is
// false, so no echo, no \n -> \r\n, no line editing), separate stdout and
// stderr, binary data passed untouched, and end of file when the host's input
// ends. On a terminal, `tsix run` uses the console (a real tty) instead.
//
// stdin keeps the host's bytes in a queue; a read takes what is there, sleeps
// on the device's wait queue when it is empty (woken by hostInput), and
// returns 0 once the host's input has ended. Writes go to the host at once;
// once the host reports that its stdout or stderr has failed, later writes
// there fail with the host's errno. EPIPE (the reader of a host pipe exited:
// `tsix run -- yes | head -2`) fails as a write to a pipe without readers
// does on Linux: EPIPE, and SIGPIPE to the writer (which ends `yes` quietly
// with status 141); others (ENOSPC on a full disk, EIO) just return it.
// Reopening /proc/self/fd/N reaches the same channel (it is a device node).
//
// Concepts: C14 (devices are files), C67 (fds 0/1/2 set up before exec),
// C34 (a reader blocks on a wait queue until input arrives), C44 (SIGPIPE).
import type { Kernel } from "../kernel.js";
import type { Dentry, File, Mount, SuperBlock } from "../fs/vfs.js";
import { type WaitQueue, createWaitQueue, wakeUp } from "../sched/wait.js";
import { registerCharDevice } from "../fs/chardev.js";
import { makedev, minor } from "../fs/fstypes.js";
import { createTmpfs, newInode } from "../fs/tmpfs/tmpfs.js";
import { internalMount } from "../fs/mount.js";
import { newFile } from "../fs/file_table.js";
import { O_RDONLY, O_WRONLY, O_NONBLOCK, S_IFCHR, POLLIN, POLLRDNORM, POLLOUT, POLLWRNORM, POLLERR } from "../abi/fs.js";
import { EAGAIN, EBADF, EPIPE } from "../abi/errno.js";
import { sendSignalTask } from "../signal/signal.js";
import { SIGPIPE } from "../abi/signal.js";
import { defineFileOps } from "../lib/fsops.js";

/** A major number from Linux's "local/experimental use" range. */
export const HOSTIO_MAJOR = 240;
const NAMES = ["host:[stdin]", "host:[stdout]", "host:[stderr]"];

export interface HostIo {
  /** Host bytes not yet read by the guest. */
  queue: Uint8Array[];
  ended: boolean;
  wq: WaitQueue;
  /** Per minor: 0, or the errno of the host stream's failure, which later writes get. */
  broken: number[];
}

/** The internal mount the host stdio files live on. */
export interface HostIoDev { sb: SuperBlock; mount: Mount }

function state(k: Kernel): HostIo {
  const s = k.drivers.hostio;
  if (!s) throw new Error("host stdio is not set up");
  return s;
}

const hostFops = defineFileOps("hostio", {
  read(k, _t, f, buf, _pos, io) {
    if (minor(f.inode.rdev) !== 0) return -EBADF;
    const s = state(k);
    if (buf.length === 0) return 0;
    if (s.queue.length === 0) {
      if (s.ended) return 0;
      if (!(f.flags & O_NONBLOCK)) io.wait = s.wq;
      return -EAGAIN;
    }
    let n = 0;
    while (n < buf.length && s.queue.length > 0) {
      const head = s.queue[0];
      const take = Math.min(head.length, buf.length - n);
      buf.set(head.subarray(0, take), n);
      n += take;
      if (take === head.length) s.queue.shift();
      else s.queue[0] = head.subarray(take);
    }
    return n;
  },
  write(k, t, f, buf) {
    const m = minor(f.inode.rdev);
    if (m === 0) return -EBADF;
    const s = state(k);
    const failed = s.broken[m];
    if (failed) {
      if (failed === EPIPE) sendSignalTask(k, t, { signo: SIGPIPE, code: 0, addr: 0, pid: t.tg.pid, uid: t.tg.creds.uid, status: 0 });
      return -failed;
    }
    // The host's streams are host attachments (k.host.stdio), not kernel state.
    const io = k.host.stdio;
    if (io) (m === 1 ? io.out : io.err)(buf.slice());
    return buf.length;
  },
  poll(k, _t, f, io) {
    const s = state(k);
    const m = minor(f.inode.rdev);
    if (m !== 0) return s.broken[m] ? POLLOUT | POLLWRNORM | POLLERR : POLLOUT | POLLWRNORM;
    io.wait = s.wq;
    return s.queue.length > 0 || s.ended ? POLLIN | POLLRDNORM : 0;
  },
});

/** Set up the host channel: `out` and `err` receive what the guest writes to stdout and stderr. */
export function initHostStdio(k: Kernel, out: (b: Uint8Array) => void, err: (b: Uint8Array) => void): void {
  k.drivers.hostio = { queue: [], ended: false, wq: createWaitQueue("hostio"), broken: [0, 0, 0] };
  attachHostStdio(k, out, err);
  for (let m = 0; m < 3; m++) registerCharDevice(k, HOSTIO_MAJOR, m, { name: NAMES[m], fops: hostFops });
}

/**
 * Give a kernel whose PID 1 has the host's stdio (a booted one: initHostStdio;
 * a restored one) the host's stdout and stderr sinks.
 */
export function attachHostStdio(k: Kernel, out: (b: Uint8Array) => void, err: (b: Uint8Array) => void): void {
  k.host.stdio = { out, err };
}

/** An open file on the host's stdin (fd 0), stdout (1) or stderr (2), for PID 1's descriptor table. */
export function hostStdioFile(k: Kernel, fd: 0 | 1 | 2): File {
  state(k);
  let dev = k.drivers.hostioDev;
  if (!dev) {
    const { sb, root } = createTmpfs(k, 0o755);
    dev = { sb, mount: internalMount(k, sb, root, "hostio") };
    k.drivers.hostioDev = dev;
  }
  const inode = newInode(k, dev.sb, S_IFCHR | 0o600, 0, 0, makedev(HOSTIO_MAJOR, fd));
  const d: Dentry = { name: NAMES[fd], parent: null, inode, mount: dev.mount };
  return newFile(k, d, hostFops, fd === 0 ? O_RDONLY : O_WRONLY);
}

/** Bytes from the host's stdin. */
export function hostInput(k: Kernel, bytes: Uint8Array): void {
  const s = state(k);
  if (bytes.length) s.queue.push(bytes.slice());
  wakeUp(k, s.wq);
}

/** The host's stdin ended: readers get end of file once the queue is drained. */
export function hostInputEnd(k: Kernel): void {
  const s = state(k);
  s.ended = true;
  wakeUp(k, s.wq);
}

/** The host's stdout (1) or stderr (2) failed for good with `errno`: later guest writes there get it (EPIPE with SIGPIPE). */
export function hostOutputBroken(k: Kernel, fd: 1 | 2, errno: number): void {
  state(k).broken[fd] = errno;
}
