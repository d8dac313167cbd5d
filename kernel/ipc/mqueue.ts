// POSIX message queues (Linux's ipc/mqueue.c): mq_open, mq_unlink,
// mq_timedsend, mq_timedreceive, mq_notify, mq_getsetattr, and the mqueue
// file system that names the queues. One instance per kernel (Linux: one per
// IPC namespace): mq_open looks names up in its root, and every
// `mount -t mqueue` shows the same tree (the boot mounts it on /dev/mqueue,
// as Debian does). A queue is an inode of that file system whose `info` is
// an MqQueue (plain data); its directory is a tmpfs directory, so `ls`,
// `rm` (= mq_unlink) and open(O_CREAT) there work as on Linux. Reading a
// queue file gives "QSIZE:.. NOTIFY:.. SIGNO:.. NOTIFY_PID:..".
//
// Messages are kept highest priority first, FIFO within a priority.
// Blocking is a state: a sender on a full queue or a receiver on an empty
// one sleeps on the queue's wait queue (with the absolute CLOCK_REALTIME
// timeout as a wake timer) and returns ERESTARTSYS; every change wakes the
// waiters, whose syscall reruns and looks again. The timeout is absolute, so
// a rerun needs no saved state: past it, ETIMEDOUT. A signal ends the wait
// (EINTR, or a restart under SA_RESTART, as Linux's wq_sleep).
//
// mq_notify: SIGEV_SIGNAL and SIGEV_NONE register the calling process; a
// message that arrives in an empty queue fires the notification (a signal
// with si_code SI_MESGQ and the sigev_value) and unregisters it. SIGEV_THREAD
// is glibc's: its mq_notify opens a NETLINK_ROUTE socket and a helper thread
// that waits on it, and passes the socket's descriptor in sigev_signo and a
// 32-byte cookie at sigev_value. The kernel keeps the cookie and the socket
// (net/netlink.ts) and, as Linux's __do_notify, sends the cookie to it with
// its last byte NOTIFY_WOKENUP when a message arrives in the empty queue, or
// NOTIFY_REMOVED when the registration is dropped (mq_notify(NULL), or the
// process closing the queue); the helper thread then runs the program's
// function. A descriptor that is no netlink socket: EBADF / ENOTSOCK / EINVAL.
//
// Limits: /proc/sys/fs/mqueue/{msg_max,msgsize_max,queues_max,msg_default,
// msgsize_default} (queues_max and the maxima do not bind root, as Linux's
// CAP_SYS_RESOURCE), and RLIMIT_MSGQUEUE: the bytes a user's queues may
// take, counted as Linux does (message space plus 48 + 48 bytes of
// bookkeeping per message), EMFILE past it.
//
// Concepts: C42 (message passing: a kernel-held queue of prioritised
// messages), C47 (a queue descriptor works with poll/select/epoll), C68 (a
// file system of its own).
import { getU64, putU32, putU64, getI64, getU32 } from "../abi/le.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Dentry, File, Inode, InodeOps, Mount, SuperBlock, DirEntry } from "../fs/vfs.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { nowNs, realtimeDelta } from "../time/clock.js";
import { addWakeTimer } from "../time/timer.js";
import { type WaitQueue, createWaitQueue, sleepOn, wakeUp } from "../sched/wait.js";
import { sendSignalGroup } from "../signal/signal.js";
import { createTmpfs, tmpfsAdd, tmpfsLookup } from "../fs/tmpfs/tmpfs.js";
import { internalMount } from "../fs/mount.js";
import { openDentry } from "../fs/file.js";
import { initOwner } from "../fs/inode.js";
import { installFd, fput, getFile } from "../fs/fdtable.js";
import { fileAllocCheck } from "../fs/file_table.js";
import { defineFsType, registerFsType } from "../fs/fstypes.js";
import { defineFileOps, defineInodeOps, INODE_OPS } from "../lib/fsops.js";
import { lookup } from "../lib/registry.js";
import { strToBytes, readAt } from "../lib/bytestr.js";
import {
  O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_NONBLOCK, S_IFMT, S_IFREG, S_IFIFO, S_ISVTX, S_IFSOCK,
  POLLIN, POLLRDNORM, POLLOUT, POLLWRNORM,
} from "../abi/fs.js";
import {
  EACCES, EAGAIN, EBADF, EBUSY, EEXIST, EFAULT, EINVAL, EMFILE, EMSGSIZE, ENAMETOOLONG, ENOENT, ENOSPC, ENOTSOCK, EOVERFLOW,
  ERESTARTSYS, ETIMEDOUT, EPERM,
} from "../abi/errno.js";
import { RLIMIT_MSGQUEUE } from "../abi/resource.js";
import { SI_MESGQ } from "../abi/signal.js";
import type { UnixSock } from "../net/unix.js";
import { netlinkSockOf, netlinkSendSkb } from "../net/netlink.js";

/** MQ_PRIO_MAX, HARD_MSGMAX, HARD_MSGSIZEMAX and the floors of the sysctls (include/linux/ipc_namespace.h). */
export const MQ_PRIO_MAX = 32768;
export const HARD_MSGMAX = 65536;
export const HARD_MSGSIZEMAX = 16 * 1024 * 1024;
export const MIN_MSGMAX = 1;
export const MIN_MSGSIZEMAX = 128;
const NAME_MAX = 255;
/** sizeof(struct msg_msg) and struct posix_msg_tree_node on 64-bit Linux: RLIMIT_MSGQUEUE's per-message overhead. */
const MSG_MSG_SIZE = 48;
const TREE_NODE_SIZE = 48;
/** st_size of a queue file (Linux's FILENT_SIZE). */
const FILENT_SIZE = 80;
/** statfs f_type (MQUEUE_MAGIC). */
const MQUEUE_MAGIC = 0x19800202;
/** sizeof(struct mq_attr) and struct sigevent. */
const MQ_ATTR_SIZE = 64;
const SIGEVENT_SIZE = 64;
/** NOTIFY_COOKIE_LEN: the bytes SIGEV_THREAD reads from sigev_value.sival_ptr. */
const NOTIFY_COOKIE_LEN = 32;
export const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2;
const NSIG = 64;

export interface MqLimits {
  msgMax: number; msgsizeMax: number; queuesMax: number; msgDefault: number; msgsizeDefault: number;
}

/** One message: its priority and bytes. */
export interface MqMsg { prio: number; data: Uint8Array }

/** A registered mq_notify: the process and what to send. */
export interface MqNotify {
  pid: number; notify: number; signo: number; value: number;
  /** SIGEV_THREAD: the cookie and the netlink socket it goes to (Linux's notify_cookie and notify_sock). */
  cookie?: Uint8Array;
  sock?: UnixSock;
}

/** The cookie's last byte says why it came (include/linux/mqueue.h's NOTIFY_WOKENUP, NOTIFY_REMOVED). */
const NOTIFY_WOKENUP = 1, NOTIFY_REMOVED = 2;

/** Send a SIGEV_THREAD registration's cookie to its netlink socket, marked with why. */
function sendCookie(k: Kernel, n: MqNotify, code: number): void {
  if (n.notify !== SIGEV_THREAD || !n.cookie || !n.sock) return;
  const c = n.cookie.slice();
  c[NOTIFY_COOKIE_LEN - 1] = code;
  netlinkSendSkb(k, n.sock, c);
}

/** Drop q's registration (mq_notify(NULL), the owner closing the queue): a SIGEV_THREAD one is told NOTIFY_REMOVED. */
function removeNotify(k: Kernel, q: MqQueue): void {
  const n = q.notify;
  q.notify = null;
  if (n) sendCookie(k, n, NOTIFY_REMOVED);
}

/** struct mqueue_inode_info, as data: the inode's `info`. */
export interface MqQueue {
  kind: "mqueue";
  maxmsg: number;
  msgsize: number;
  /** Highest priority first, FIFO within one priority. */
  msgs: MqMsg[];
  /** Bytes of message text queued (QSIZE). */
  qsize: number;
  notify: MqNotify | null;
  /** Senders, receivers and pollers: woken on every change (each rechecks). */
  wait: WaitQueue;
  /** RLIMIT_MSGQUEUE bytes charged to `uid` at creation. */
  uid: number;
  charged: number;
}

/** k.ipc.mq: the file system instance, the limits, and the per-user accounting. */
export interface MqState {
  limits: MqLimits;
  /** Queues that exist (queues_max bounds it for unprivileged users). */
  count: number;
  /** RLIMIT_MSGQUEUE: bytes charged per user id. */
  userBytes: Map<number, number>;
  fs: { sb: SuperBlock; root: Inode; mount: Mount } | null;
}

export function createMqState(): MqState {
  // Linux's defaults (DFLT_QUEUESMAX, DFLT_MSGMAX, DFLT_MSGSIZEMAX, DFLT_MSG, DFLT_MSGSIZE).
  return { limits: { msgMax: 10, msgsizeMax: 8192, queuesMax: 256, msgDefault: 10, msgsizeDefault: 8192 }, count: 0, userBytes: new Map(), fs: null };
}

function mqState(k: Kernel): MqState { return k.ipc.mq; }

/** The mqueue instance (made on first use). */
function mqfs(k: Kernel): { sb: SuperBlock; root: Inode; mount: Mount } {
  const s = mqState(k);
  if (!s.fs) {
    const { sb, root } = createTmpfs(k, S_ISVTX | 0o777);
    sb.fsType = "mqueue";
    sb.magic = MQUEUE_MAGIC;
    root.iops = MQ_DIR_IOPS;
    s.fs = { sb, root, mount: internalMount(k, sb, root, "mqueue") };
  }
  return s.fs;
}

function queueOf(ino: Inode): MqQueue | null {
  const q = ino.info as MqQueue | null;
  return q && q.kind === "mqueue" ? q : null;
}

/** The queue an open file is, or null when it is not a queue. */
function fileQueue(f: File): MqQueue | null {
  return f.ops === MQ_FOPS ? queueOf(f.inode) : null;
}

/** Linux's mq_attr_ok, for a new queue's attributes. */
function attrOk(k: Kernel, t: Task, maxmsg: number, msgsize: number): number {
  const L = mqState(k).limits;
  if (maxmsg <= 0 || msgsize <= 0) return -EINVAL;
  if (t.tg.creds.euid === 0) {
    if (maxmsg > HARD_MSGMAX || msgsize > HARD_MSGSIZEMAX) return -EINVAL;
  } else if (maxmsg > L.msgMax || msgsize > L.msgsizeMax) return -EINVAL;
  return 0;
}

/** Bytes a queue charges to RLIMIT_MSGQUEUE (mqueue_get_inode's mq_bytes). */
function queueBytes(maxmsg: number, msgsize: number): number {
  return maxmsg * MSG_MSG_SIZE + Math.min(maxmsg, MQ_PRIO_MAX) * TREE_NODE_SIZE + maxmsg * msgsize;
}

/**
 * Make queue `name` in the root (mqueue_create_attr): attributes from
 * `attr` (already checked) or the defaults. Returns the inode or -errno.
 */
function createQueue(k: Kernel, t: Task, name: string, mode: number, attr: { maxmsg: number; msgsize: number } | null): Inode | number {
  const s = mqState(k), L = s.limits, fs = mqfs(k);
  const root = t.tg.creds.euid === 0;
  if (s.count >= L.queuesMax && !root) return -ENOSPC;
  const maxmsg = attr ? attr.maxmsg : Math.min(L.msgDefault, L.msgMax);
  const msgsize = attr ? attr.msgsize : Math.min(L.msgsizeDefault, L.msgsizeMax);
  const bytes = queueBytes(maxmsg, msgsize);
  const uid = t.tg.creds.euid;
  const used = s.userBytes.get(uid) ?? 0;
  const lim = t.tg.rlimits[RLIMIT_MSGQUEUE];
  if (used + bytes > (lim ? lim.cur : Infinity)) return -EMFILE;
  const o = initOwner(t, fs.root, S_IFREG | (mode & 0o7777));
  // A tmpfs entry of no tmpfs type ("other": no page cache), then made a regular file that is a queue.
  const ino = tmpfsAdd(k, fs.root, name, S_IFIFO | (o.mode & 0o7777), o.uid, o.gid);
  if (typeof ino === "number") return ino;
  ino.mode = S_IFREG | (o.mode & 0o7777);
  ino.size = FILENT_SIZE;
  ino.iops = MQ_IOPS;
  ino.fops = MQ_FOPS;
  const q: MqQueue = { kind: "mqueue", maxmsg, msgsize, msgs: [], qsize: 0, notify: null, wait: createWaitQueue("mqueue"), uid, charged: bytes };
  ino.info = q;
  s.count++;
  s.userBytes.set(uid, used + bytes);
  return ino;
}

/** The last reference to an unlinked queue went: give back its accounting. */
function evictQueue(k: Kernel, ino: Inode): void {
  const q = queueOf(ino);
  if (q) {
    const s = mqState(k);
    s.count--;
    const left = (s.userBytes.get(q.uid) ?? 0) - q.charged;
    if (left > 0) s.userBytes.set(q.uid, left);
    else s.userBytes.delete(q.uid);
    q.msgs = [];
    q.qsize = 0;
    wakeUp(k, q.wait);
  }
  // The tmpfs side (inode count): its "other" inode operations.
  lookup(INODE_OPS, "tmpfs.other").evict?.(k, ino);
}

/** A queue name as the kernel sees it (glibc strips the leading '/'): -errno for what lookup_one_len refuses. */
function checkName(name: string): number {
  if (name.length === 0) return -ENOENT;
  if (name === "." || name === ".." || name.includes("/")) return -EACCES;
  if (name.length > NAME_MAX) return -ENAMETOOLONG; // a byte string: one char per byte
  return 0;
}

/** mq_open(2): `name` without glibc's '/', `attrVa` a struct mq_attr or 0. Returns the descriptor. */
export function mqOpen(k: Kernel, t: Task, name: string, oflag: number, mode: number, attrVa: number): number {
  let attr: { maxmsg: number; msgsize: number } | null = null;
  if (attrVa !== 0) {
    const b = new Uint8Array(MQ_ATTR_SIZE);
    if (copyin(k.mmctx, t.mm!, attrVa, b) < 0) return -EFAULT;
    attr = { maxmsg: getI64(b, 8), msgsize: getI64(b, 16) };
  }
  const bad = checkName(name);
  if (bad < 0) return bad;
  const fa = fileAllocCheck(k, t);
  if (fa < 0) return fa;
  const fs = mqfs(k);
  let ino: Inode | undefined = tmpfsLookup(fs.root, name);
  let created = false;
  if (!ino) {
    if (!(oflag & O_CREAT)) return -ENOENT;
    if (attr) {
      const e = attrOk(k, t, attr.maxmsg, attr.msgsize);
      if (e < 0) return e;
      if (attr.msgsize * attr.maxmsg > Number.MAX_SAFE_INTEGER) return -EOVERFLOW;
    }
    const r = createQueue(k, t, name, mode & ~t.fs.umask, attr);
    if (typeof r === "number") return r;
    ino = r;
    created = true;
  } else {
    if ((oflag & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return -EEXIST;
    if ((oflag & O_ACCMODE) === O_ACCMODE) return -EINVAL;
  }
  const d: Dentry = { name, parent: fs.mount.root, inode: ino, mount: fs.mount };
  const f = openDentry(k, t, d, oflag & (O_ACCMODE | O_NONBLOCK), created);
  if (typeof f === "number") return f;
  // mq_open's descriptors are always close-on-exec (get_unused_fd_flags(O_CLOEXEC)).
  const lim = t.tg.rlimits[7 /* RLIMIT_NOFILE */];
  const fd = installFd(t.files, f, true, 0, Math.min(lim ? lim.cur : 1024, 1 << 20), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

/** mq_unlink(2). */
export function mqUnlink(k: Kernel, t: Task, name: string): number {
  const bad = checkName(name);
  if (bad < 0) return bad;
  const fs = mqfs(k);
  const ino = tmpfsLookup(fs.root, name);
  if (!ino) return -ENOENT;
  // The root is sticky (01777): only the queue's owner (or root) may remove it.
  const c = t.tg.creds;
  if (c.fsuid !== 0 && c.fsuid !== ino.uid && c.fsuid !== fs.root.uid) return -EPERM;
  return lookup(INODE_OPS, "tmpfs.dir").unlink!(k, fs.root, name);
}

/** The queue of descriptor `fd` opened for `need` (FMODE_READ / FMODE_WRITE), or -EBADF. */
function queueFd(t: Task, fd: number, need: "r" | "w" | ""): { f: File; q: MqQueue } | number {
  const f = getFile(t.files, fd);
  const q = f ? fileQueue(f) : null;
  if (!f || !q) return -EBADF;
  const acc = f.flags & O_ACCMODE;
  if (need === "r" && acc !== O_RDONLY && acc !== O_RDWR) return -EBADF;
  if (need === "w" && acc !== O_WRONLY && acc !== O_RDWR) return -EBADF;
  return { f, q };
}

/** Wait on the queue until woken or the absolute CLOCK_REALTIME time `absNs` (-1: none). */
function block(k: Kernel, t: Task, q: MqQueue, absNs: number): number {
  if (t.interrupted) { t.interrupted = false; return -ERESTARTSYS; }
  let deadline = 0;
  if (absNs >= 0) {
    deadline = absNs - realtimeDelta(k);
    if (deadline <= nowNs(k)) return -ETIMEDOUT;
  }
  sleepOn(t, q.wait, deadline);
  if (deadline !== 0) addWakeTimer(k, t, deadline);
  return -ERESTARTSYS;
}

/** Fire and remove the notification (a message arrived in an empty queue; Linux's __do_notify). */
function doNotify(k: Kernel, t: Task, q: MqQueue): void {
  const n = q.notify;
  if (!n) return;
  q.notify = null;
  if (n.notify === SIGEV_THREAD) { sendCookie(k, n, NOTIFY_WOKENUP); return; }
  if (n.notify !== SIGEV_SIGNAL || n.signo === 0) return;
  const tg = k.tasks.get(n.pid)?.tg;
  if (!tg || tg.pid !== n.pid) return;
  sendSignalGroup(k, tg, { signo: n.signo, code: SI_MESGQ, addr: 0, pid: t.tg.pid, uid: t.tg.creds.uid, status: 0, value: n.value });
}

/** mq_timedsend(2). `absNs`: the timeout as CLOCK_REALTIME ns, -1 for none (already read and checked). */
export function mqSend(k: Kernel, t: Task, fd: number, va: number, len: number, prio: number, absNs: number): number {
  if (prio < 0 || prio >= MQ_PRIO_MAX) return -EINVAL;
  const r = queueFd(t, fd, "w");
  if (typeof r === "number") return r;
  const { f, q } = r;
  if (len > q.msgsize) return -EMSGSIZE;
  const data = new Uint8Array(len);
  if (len > 0 && copyin(k.mmctx, t.mm!, va, data) < 0) return -EFAULT;
  if (q.msgs.length >= q.maxmsg) {
    if (f.flags & O_NONBLOCK) return -EAGAIN;
    return block(k, t, q, absNs);
  }
  // After the last message of its priority or higher.
  let i = q.msgs.length;
  while (i > 0 && q.msgs[i - 1].prio < prio) i--;
  q.msgs.splice(i, 0, { prio, data });
  q.qsize += len;
  const ino = f.inode;
  ino.mtime = ino.ctime = timeNow(k);
  if (q.msgs.length === 1) doNotify(k, t, q);
  wakeUp(k, q.wait);
  return 0;
}

/** mq_timedreceive(2): the message's length; its priority is stored at `prioVa` when nonzero. */
export function mqReceive(k: Kernel, t: Task, fd: number, va: number, len: number, prioVa: number, absNs: number): number {
  const r = queueFd(t, fd, "r");
  if (typeof r === "number") return r;
  const { f, q } = r;
  if (len < q.msgsize) return -EMSGSIZE;
  if (q.msgs.length === 0) {
    if (f.flags & O_NONBLOCK) return -EAGAIN;
    return block(k, t, q, absNs);
  }
  const m = q.msgs.shift()!;
  q.qsize -= m.data.length;
  f.inode.atime = f.inode.ctime = timeNow(k);
  wakeUp(k, q.wait);
  // As Linux: the message has left the queue; a bad buffer loses it with EFAULT.
  if (m.data.length > 0 && copyout(k.mmctx, t.mm!, va, m.data) < 0) return -EFAULT;
  if (prioVa !== 0) {
    const p = new Uint8Array(4);
    putU32(p, 0, m.prio);
    if (copyout(k.mmctx, t.mm!, prioVa, p) < 0) return -EFAULT;
  }
  return m.data.length;
}

/** mq_notify(2). `sevVa` 0 removes this process's registration. */
export function mqNotify(k: Kernel, t: Task, fd: number, sevVa: number): number {
  let reg: MqNotify | null = null;
  if (sevVa !== 0) {
    const b = new Uint8Array(SIGEVENT_SIZE);
    if (copyin(k.mmctx, t.mm!, sevVa, b) < 0) return -EFAULT;
    const value = Number(getU64(b, 0)), signo = getU32(b, 8) | 0, notify = getU32(b, 12) | 0;
    if (notify !== SIGEV_NONE && notify !== SIGEV_SIGNAL && notify !== SIGEV_THREAD) return -EINVAL;
    if (notify === SIGEV_SIGNAL && (signo < 0 || signo > NSIG)) return -EINVAL;
    reg = { pid: t.tg.pid, notify, signo, value };
    if (notify === SIGEV_THREAD) {
      // The cookie is read, then sigev_signo must be a netlink socket (Linux's netlink_getsockbyfilp).
      const cookie = new Uint8Array(NOTIFY_COOKIE_LEN);
      if (copyin(k.mmctx, t.mm!, value, cookie) < 0) return -EFAULT;
      const nf = getFile(t.files, signo);
      if (!nf) return -EBADF;
      const sock = netlinkSockOf(nf);
      if (!sock) return (nf.inode.mode & S_IFMT) === S_IFSOCK ? -EINVAL : -ENOTSOCK;
      reg.cookie = cookie;
      reg.sock = sock;
    }
  }
  const r = queueFd(t, fd, "");
  if (typeof r === "number") return r;
  const q = r.q;
  if (!reg) {
    if (q.notify && q.notify.pid === t.tg.pid) removeNotify(k, q);
    return 0;
  }
  if (q.notify) return -EBUSY;
  q.notify = reg;
  return 0;
}

/** mq_getsetattr(2). */
export function mqGetSetAttr(k: Kernel, t: Task, fd: number, newVa: number, oldVa: number): number {
  let setFlags = -1;
  if (newVa !== 0) {
    const b = new Uint8Array(MQ_ATTR_SIZE);
    if (copyin(k.mmctx, t.mm!, newVa, b) < 0) return -EFAULT;
    const flags = getI64(b, 0);
    if (flags & ~O_NONBLOCK) return -EINVAL;
    setFlags = flags;
  }
  const r = queueFd(t, fd, "");
  if (typeof r === "number") return r;
  const { f, q } = r;
  if (oldVa !== 0) {
    const b = new Uint8Array(MQ_ATTR_SIZE);
    putU64(b, 0, f.flags & O_NONBLOCK);
    putU64(b, 8, q.maxmsg);
    putU64(b, 16, q.msgsize);
    putU64(b, 24, q.msgs.length);
    if (copyout(k.mmctx, t.mm!, oldVa, b) < 0) return -EFAULT;
  }
  if (setFlags >= 0) f.flags = (f.flags & ~O_NONBLOCK) | setFlags;
  return 0;
}

function timeNow(k: Kernel): { sec: number; nsec: number } {
  const ns = realtimeDelta(k) + nowNs(k);
  return { sec: Math.floor(ns / 1e9), nsec: Math.floor(ns % 1e9) };
}

/** The text a read of the queue file shows (mqueue_read_file). */
export function queueText(k: Kernel, q: MqQueue): string {
  const n = q.notify;
  const live = n !== null && k.tasks.get(n.pid)?.tg.pid === n.pid;
  return `QSIZE:${String(q.qsize).padEnd(10)} NOTIFY:${String(live ? n!.notify : 0).padEnd(5)} ` +
    `SIGNO:${String(live && n!.notify === SIGEV_SIGNAL ? n!.signo : 0).padEnd(5)} NOTIFY_PID:${String(live ? n!.pid : 0).padEnd(6)}\n`;
}

const MQ_FOPS = defineFileOps("mqueue", {
  read(k, _t, f, buf, pos) {
    const q = fileQueue(f);
    if (!q) return -EBADF;
    return readAt(strToBytes(queueText(k, q)), buf, pos);
  },
  poll(_k, _t, f, io) {
    const q = fileQueue(f);
    if (!q) return 0;
    io.wait = q.wait;
    let m = 0;
    if (q.msgs.length > 0) m |= POLLIN | POLLRDNORM;
    if (q.msgs.length < q.maxmsg) m |= POLLOUT | POLLWRNORM;
    return m;
  },
  release(k, f) {
    // Linux drops a registration when its process closes a descriptor of the queue
    // (mqueue_flush_file). A File here does not know which process closes it: the
    // registration goes when the last open file of the queue in its process goes.
    const q = fileQueue(f);
    if (q && q.notify && !holds(k, q.notify.pid, f)) removeNotify(k, q);
  },
});

/** Whether process `pid` still has a descriptor of `f`'s queue other than `f`. */
function holds(k: Kernel, pid: number, f: File): boolean {
  const t = k.tasks.get(pid);
  if (!t || t.tg.pid !== pid) return false;
  return t.files.fds.some((e) => e !== null && e.file !== f && e.file.inode === f.inode);
}

const mqIops: InodeOps = {
  evict: evictQueue,
};
const MQ_IOPS = defineInodeOps("mqueue.queue", mqIops);

/** The root directory: tmpfs's lookup, listing and unlink; create makes a queue with the default attributes. */
const mqDirIops: InodeOps = {
  lookup(k, dir, name) {
    return lookup(INODE_OPS, "tmpfs.dir").lookup!(k, dir, name);
  },
  readdir(k, dir, t): DirEntry[] | number {
    return lookup(INODE_OPS, "tmpfs.dir").readdir!(k, dir, t);
  },
  unlink(k, dir, name) {
    return lookup(INODE_OPS, "tmpfs.dir").unlink!(k, dir, name);
  },
  create(k, _dir, name, mode, t) {
    if (name.length > NAME_MAX) return -ENAMETOOLONG;
    return createQueue(k, t, name, mode, null);
  },
};
const MQ_DIR_IOPS = defineInodeOps("mqueue.dir", mqDirIops);

/** Offer "mqueue" to mount(2) (every mount shows the one instance). */
export function registerMqueueFs(k: Kernel): void {
  registerFsType(k, "mqueue");
}

defineFsType({
  name: "mqueue",
  mount(k) {
    const fs = mqfs(k);
    return { sb: fs.sb, root: fs.root };
  },
});
