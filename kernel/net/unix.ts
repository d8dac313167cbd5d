// AF_UNIX sockets (unix(7)): stream, datagram and seqpacket sockets between
// processes of one machine, with their addresses (a path name: a socket inode
// in the file system; an abstract name: a leading NUL, in a per-kernel
// table; or none), connection setup (listen backlog, connect, accept), the
// receive queue of messages with their control data (passed descriptors,
// sender credentials), buffer limits, shutdown and readiness.
//
// A socket is plain data (UnixSock) hung on its open file's `info`; sockets
// point at each other (peer, listener backlog, queued messages' senders):
// structuredClone keeps the graph, so snapshots capture it. Blocking is a
// state: an operation that cannot go on returns -EAGAIN with the queue to
// sleep on in `io.wait`, and the syscall layer sleeps and reruns the call.
//
// A stream send to a reader asleep on its empty queue skips the queue: the
// bytes go straight into the reader's buffer (net/handoff.ts, unixWriteUser).
//
// Simplifications (said in docs/sockets.md): message data sits in JavaScript
// arrays bounded by the socket buffers, not in guest pages; descriptors
// in flight in a cycle of sockets nobody holds any more are not collected
// (Linux's unix garbage collector).
//
// Concepts: C45 (sockets: a bidirectional, addressed IPC channel), C40
// (bounded buffer), C34 (waiting, not busy-waiting), C44 (SIGPIPE), C66
// (open files passed between processes).
import type { Kernel } from "../kernel.js";
import type { InetInfo, NlInfo } from "./inet_types.js";
import type { Task } from "../proc/task.js";
import type { File, Inode, Dentry, Mount, IoCtx } from "../fs/vfs.js";
import { type WaitQueue, createWaitQueue, wakeUp } from "../sched/wait.js";
import { preemptForSync } from "../sched/core.js";
import { sendSignalTask } from "../signal/signal.js";
import { SIGPIPE } from "../abi/signal.js";
import { createPseudoFs, newInode } from "../fs/tmpfs/tmpfs.js";
import { fileAllocCheck, newFile } from "../fs/file_table.js";
import { fput } from "../fs/fdtable.js";
import { defineFileOps } from "../lib/fsops.js";
import { putUser32, userPage, userRun } from "../mm/uaccess.js";
import { PAGE_SIZE } from "../mm/phys.js";
import type { Iov } from "../fs/read_write.js";
import { FIONREAD } from "../abi/ioctls.js";
import { netdevIoctl } from "./netdev.js";
import { type SockRead, type SockWrite, sockReadRecord, handOffReady, handOffDone, sockWriteRecord, takeOverReady, takeOverDone } from "./handoff.js";
import { userToUser } from "../fs/rw_complete.js";
import { iovTotal } from "../fs/read_write.js";
import { SYS_read, SYS_readv, SYS_write, SYS_writev } from "../abi/sysno.js";
import { O_NONBLOCK, O_RDWR, S_IFSOCK, POLLIN, POLLRDNORM, POLLOUT, POLLWRNORM, POLLWRBAND, POLLHUP, POLLERR, POLLRDHUP } from "../abi/fs.js";
import {
  SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, MSG_PEEK, MSG_NOSIGNAL, SHUT_RD, SHUT_RDWR,
  SK_BUF_DEFAULT, SOMAXCONN, UNIX_MAX_DGRAM_QLEN,
} from "../abi/socket.js";
import {
  EAGAIN, EPIPE, EPERM, EINVAL, ENOTCONN, EISCONN, ECONNREFUSED, EADDRINUSE, EPROTOTYPE, EOPNOTSUPP, EMSGSIZE, ECONNRESET, EFAULT, ENOTTY, ENFILE,
} from "../abi/errno.js";

/** SOCKFS_MAGIC (statfs of a socket descriptor). */
const SOCKFS_MAGIC = 0x534f434b;

/** Sender credentials a message carries (SCM_CREDENTIALS, SO_PEERCRED). */
export interface UCred { pid: number; uid: number; gid: number }

/** One queued message (Linux's sk_buff on the receive queue). */
export interface Skb {
  data: Uint8Array;
  /** Bytes of `data` a stream reader already took. */
  off: number;
  /** Descriptors in flight (SCM_RIGHTS): each holds a file reference until received or dropped. */
  fds: File[];
  cred: UCred;
  /** The sending socket, charged for the bytes until they are read (its send buffer). */
  from: UnixSock | null;
  /** The sender's address (recvfrom), "" when unnamed. */
  fromAddr: string;
}

export type UnixState = "unconnected" | "listening" | "connected";

export interface UnixSock {
  ino: number;
  type: number;
  state: UnixState;
  peer: UnixSock | null;
  /** Bound name: a path, or "\0..." for an abstract name; "" when unnamed. */
  addr: string;
  /** The file-system inode of a path name (its `sock` points back while bound). */
  bindInode: Inode | null;
  rq: Skb[];
  /** Bytes in rq not yet read. */
  rqBytes: number;
  /**
   * Stream messages the peer has read to their end, given back whole (the
   * object and its buffer) for this socket's next writes (at most
   * SPARE_MAX): a steady stream then allocates nothing per write, and leaves
   * no garbage per message.
   */
  spares?: Skb[];
  /** Connections waiting for accept (a listening socket). */
  backlog: UnixSock[];
  maxBacklog: number;
  /** Own shutdown bits: 1 = no more receiving, 2 = no more sending (Linux's RCV_SHUTDOWN / SEND_SHUTDOWN). */
  shut: number;
  sndbuf: number;
  rcvbuf: number;
  /** Bytes this socket sent that wait unread in a peer's queue. */
  wmem: number;
  passcred: boolean;
  /** Pending error (SO_ERROR; ECONNRESET when the peer closed with unread data). */
  err: number;
  /** Credentials of the process at the other end (SO_PEERCRED), and of the opener. */
  peercred: UCred | null;
  cred: UCred;
  /** Closed (its last file went away). */
  dead: boolean;
  wq: WaitQueue;
  /** An AF_INET/AF_INET6 socket's addresses and options (net/inet.ts), null for AF_UNIX. */
  inet: InetInfo | null;
  /** An AF_NETLINK socket's port and protocol (net/netlink.ts); absent for the others. */
  nl?: NlInfo;
  /** AF_UNIX: the generic SOL_SOCKET options set on it (net/sockopt.ts), by option name; absent until one is set. */
  solOpts?: Record<number, number>;
  /** A stream read asleep on this socket's empty queue, for the peer's next send to fill straight (net/handoff.ts); null when none. */
  reader: SockRead | null;
  /** A stream send asleep on this socket's full send buffer, for the peer's reader to take from straight (net/handoff.ts); null when none. */
  writer: SockWrite | null;
}

/** The file operations of AF_INET/AF_INET6 sockets (defined in net/inet.ts, which builds on this module). */
export const INET_FOPS = "inet";
/** The file operations of AF_NETLINK sockets (net/netlink.ts). */
export const NETLINK_FOPS = "netlink";

export const RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2, SHUTDOWN_MASK = 3;

/** Per-kernel AF_UNIX state (k.net): the socket file system, abstract names, every live socket (/proc/net/unix). */
export interface NetState {
  sockfs: { mount: Mount } | null;
  abstract: Map<string, UnixSock>;
  socks: Map<number, UnixSock>;
  /** The next autobind name (Linux tries "\0%05x" from a counter). */
  autobind: number;
  /** Keys for sockets made by connect that have no file (and so no inode number) until accept. */
  embryo: number;
  /** The next ephemeral port net/inet.ts tries (ip_local_port_range). */
  nextPort: number;
  /** `tsix run --net user`: eth0 and connections through the host (net/inet.ts). */
  user: boolean;
  /** Host connections' guest-side peers by connection id (net/inet.ts), and the next id. */
  hostConns: Map<number, UnixSock>;
  nextHostConn: number;
  /** Stream sends handed straight to a sleeping reader (net/handoff.ts), for tests and benchmarks to see the path taken. */
  handOffs: number;
  /** Stream reads that took a sleeping sender's bytes straight (net/handoff.ts, unix.ts takeOver), likewise. */
  takeOvers: number;
}

export function createNetState(): NetState {
  return { sockfs: null, abstract: new Map(), socks: new Map(), autobind: 0, embryo: 0, nextPort: 0, user: false, hostConns: new Map(), nextHostConn: 1, handOffs: 0, takeOvers: 0 };
}

function sockfs(k: Kernel): { mount: Mount } {
  let s = k.net.sockfs;
  if (!s) {
    s = { mount: createPseudoFs(k, "sockfs", SOCKFS_MAGIC).mount };
    k.net.sockfs = s;
  }
  return s;
}

/** SO_PEERCRED's view of a process: its pid and effective ids. */
export function taskCred(t: Task): UCred {
  return { pid: t.tg.pid, uid: t.tg.creds.euid, gid: t.tg.creds.egid };
}

/** The socket of an open file, or null when it is no socket. */
export function sockOf(f: File): UnixSock | null {
  return f.ops === unixFops || f.ops === INET_FOPS || f.ops === NETLINK_FOPS ? (f.info as UnixSock) : null;
}

function newSock(k: Kernel, t: Task, type: number, ino: number): UnixSock {
  return unixNewSock(k, taskCred(t), type, ino);
}

/** A socket with no file yet (key `ino`, negative until a file gives it an inode): connect's server side, or net/inet.ts's host-connection peers. */
export function unixNewSock(k: Kernel, cred: UCred, type: number, ino: number): UnixSock {
  const s: UnixSock = {
    ino, type, state: "unconnected", peer: null, addr: "", bindInode: null, rq: [], rqBytes: 0, backlog: [], maxBacklog: 0,
    shut: 0, sndbuf: SK_BUF_DEFAULT, rcvbuf: SK_BUF_DEFAULT, wmem: 0, passcred: false, err: 0, peercred: null, cred,
    dead: false, wq: createWaitQueue("unix"), inet: null, reader: null, writer: null,
  };
  k.net.socks.set(ino, s);
  return s;
}

/** A socket file for `existing` (a connection being accepted) or for a new socket. Returns the File or -errno. */
export function sockFile(k: Kernel, t: Task, type: number, flags: number, existing: UnixSock | null, inet: InetInfo | null = null, nl: NlInfo | null = null): File | number {
  const e = fileAllocCheck(k, t);
  if (e < 0) return e;
  const fs = sockfs(k);
  const c = t.tg.creds;
  const ino = newInode(k, fs.mount.sb, S_IFSOCK | 0o777, c.fsuid, c.fsgid, 0);
  if (!ino) return -ENFILE;
  ino.nlink = 0; // on no directory: freed with its last open file
  let s = existing;
  if (s) {
    k.net.socks.delete(s.ino);
    s.ino = ino.ino;
    k.net.socks.set(s.ino, s);
  } else {
    s = newSock(k, t, type, ino.ino);
    s.inet = inet;
    if (nl) s.nl = nl;
  }
  const d: Dentry = { name: `socket:[${ino.ino}]`, parent: null, inode: ino, mount: fs.mount };
  ino.refs++;
  return newFile(k, d, s.inet ? INET_FOPS : s.nl ? NETLINK_FOPS : unixFops, O_RDWR | (flags & O_NONBLOCK), s);
}

export function unixSocket(k: Kernel, t: Task, type: number, flags: number): File | number {
  return sockFile(k, t, type, flags, null);
}

/** socketpair: two connected sockets. */
export function unixPair(k: Kernel, t: Task, type: number, flags: number): [File, File] | number {
  const a = sockFile(k, t, type, flags, null);
  if (typeof a === "number") return a;
  const b = sockFile(k, t, type, flags, null);
  if (typeof b === "number") { fput(k, a); return b; }
  const sa = a.info as UnixSock, sb = b.info as UnixSock;
  sa.peer = sb; sb.peer = sa;
  sa.state = sb.state = "connected";
  sa.peercred = taskCred(t); sb.peercred = taskCred(t);
  return [a, b];
}

// --- names ---

/** Bind `s` to an abstract name, or (with `ino`, made by the caller) to a path. */
export function unixBind(k: Kernel, s: UnixSock, addr: string, ino: Inode | null): number {
  if (s.addr !== "") return -EINVAL;
  if (ino) {
    s.bindInode = ino;
    ino.sock = s;
    ino.refs++;
  } else {
    if (unixFindAbstract(k, addr)) return -EADDRINUSE;
    k.net.abstract.set(addr, s);
  }
  s.addr = addr;
  return 0;
}

/** Give an unnamed socket an abstract name of 5 hex digits (autobind: bind with only the family, or a datagram sent unnamed). */
export function unixAutobind(k: Kernel, s: UnixSock): number {
  if (s.addr !== "") return 0;
  for (let i = 0; i < 0x100000; i++) {
    const name = "\0" + (k.net.autobind++ & 0xfffff).toString(16).padStart(5, "0");
    if (!unixFindAbstract(k, name)) return unixBind(k, s, name, null);
  }
  return -EADDRINUSE;
}

/** The socket bound to an abstract name, or to the inode of a path. */
export function unixFindAbstract(k: Kernel, addr: string): UnixSock | null {
  const s = k.net.abstract.get(addr);
  return s && !s.dead ? s : null;
}
export function unixFindInode(ino: Inode): UnixSock | null {
  const s = ino.sock;
  return s && !s.dead ? s : null;
}

function unbind(k: Kernel, s: UnixSock): void {
  if (s.bindInode) {
    if (s.bindInode.sock === s) s.bindInode.sock = undefined;
    s.bindInode.refs--;
    s.bindInode = null;
  } else if (s.addr !== "" && k.net.abstract.get(s.addr) === s) k.net.abstract.delete(s.addr);
}

// --- connections ---

export function unixListen(s: UnixSock, backlog: number): number {
  if (s.type === SOCK_DGRAM) return -EOPNOTSUPP;
  if (s.state === "connected" || s.addr === "") return -EINVAL;
  if (backlog < 0 || backlog > SOMAXCONN) backlog = SOMAXCONN;
  s.maxBacklog = backlog;
  s.state = "listening";
  return 0;
}

/**
 * Connect a stream/seqpacket socket to the listener `l`: a new socket for
 * the server side waits in its backlog. -EAGAIN with io.wait when the
 * backlog is full.
 */
export function unixConnect(k: Kernel, t: Task, s: UnixSock, l: UnixSock, io: IoCtx): number {
  if (s.state === "connected") return -EISCONN;
  if (s.state === "listening") return -EINVAL;
  if (l.type !== s.type) return -EPROTOTYPE;
  if (l.state !== "listening" || (l.shut & RCV_SHUTDOWN)) return -ECONNREFUSED;
  if (l.backlog.length > l.maxBacklog) {
    io.wait = l.wq;
    return -EAGAIN;
  }
  const n = newSock(k, t, s.type, -(++k.net.embryo)); // its file (accept) gives it an inode number
  n.addr = l.addr;
  n.peer = s;
  n.state = "connected";
  n.cred = l.cred;
  n.peercred = taskCred(t);
  n.sndbuf = l.sndbuf; n.rcvbuf = l.rcvbuf; n.passcred = l.passcred;
  s.peer = n;
  s.state = "connected";
  s.peercred = l.peercred ?? l.cred;
  l.backlog.push(n);
  wakeUp(k, l.wq);
  return 0;
}

/** Take the next connection off a listener: a File for it, -EAGAIN (io.wait) when none waits. */
export function unixAccept(k: Kernel, t: Task, l: UnixSock, flags: number, io: IoCtx): File | number {
  if (l.state !== "listening") return -EINVAL;
  if (l.backlog.length === 0) {
    io.wait = l.wq;
    return -EAGAIN;
  }
  const n = l.backlog[0];
  const f = sockFile(k, t, n.type, flags, n);
  if (typeof f === "number") return f;
  l.backlog.shift();
  wakeUp(k, l.wq);
  return f;
}

/** Connect a datagram socket to `other` (a default destination), or dissolve the association (null). */
export function unixDgramConnect(s: UnixSock, other: UnixSock | null): number {
  if (other && other.type !== s.type) return -EPROTOTYPE;
  s.peer = other;
  s.state = other ? "connected" : "unconnected";
  if (other) s.peercred = other.cred;
  return 0;
}

// --- data ---

/**
 * Send `data` (with descriptors `fds`, whose references move into the
 * message on success) from `s` to its peer, or to `to` (a datagram's
 * destination). Returns the bytes queued (a stream may take fewer than
 * offered), or -errno; -EAGAIN with io.wait when the buffers are full. A
 * stream or seqpacket socket whose peer is gone raises SIGPIPE (unless
 * MSG_NOSIGNAL) and fails with EPIPE.
 */
export function unixSend(k: Kernel, t: Task, s: UnixSock, data: Uint8Array, fds: File[], cred: UCred, to: UnixSock | null, flags: number, io: IoCtx): number {
  const pipeErr = (): number => {
    if (!(flags & MSG_NOSIGNAL)) sendSignalTask(k, t, { signo: SIGPIPE, code: 0, addr: 0, pid: t.tg.pid, uid: t.tg.creds.uid, status: 0 });
    return -EPIPE;
  };
  if (s.type === SOCK_DGRAM) {
    const other = to ?? s.peer;
    if (!other) return -ENOTCONN;
    if (other.dead) return -ECONNREFUSED;
    if (s.shut & SEND_SHUTDOWN) return pipeErr();
    if (data.length > s.sndbuf - 32) return -EMSGSIZE;
    if (other.peer && other.peer !== s) return -EPERM; // a socket connected elsewhere takes no datagrams from us
    // max_dgram_qlen holds back a sender only when the receiver is not connected back to it (Linux's
    // unix_dgram_sendmsg): the two ends of a socketpair are bounded by the send buffer alone.
    if (other.peer !== s && other.rq.length > UNIX_MAX_DGRAM_QLEN) { io.wait = other.wq; return -EAGAIN; }
    if (s.wmem >= s.sndbuf) { io.wait = s.wq; return -EAGAIN; }
    enqueue(k, other, s, data, fds, cred);
    return data.length;
  }
  if (s.state !== "connected" || !s.peer) return -ENOTCONN;
  const other = s.peer;
  if ((s.shut & SEND_SHUTDOWN) || other.dead || (other.shut & RCV_SHUTDOWN)) return pipeErr();
  if (s.type === SOCK_SEQPACKET && data.length > s.sndbuf - 32) return -EMSGSIZE;
  if (s.wmem >= s.sndbuf) { io.wait = s.wq; return -EAGAIN; }
  let n = data.length;
  if (s.type === SOCK_STREAM) n = Math.max(1, Math.min(n, (s.sndbuf >> 1) - 64, s.sndbuf - s.wmem - SKB_OVERHEAD));
  enqueue(k, other, s, n === data.length ? data : data.slice(0, n), fds, cred);
  return n;
}

/**
 * What a queued message costs its sender's buffer besides its bytes (Linux
 * charges an sk_buff's truesize): empty messages are not free, so a sender
 * cannot queue an unbounded number of them.
 */
const SKB_OVERHEAD = 256;

export function enqueue(k: Kernel, other: UnixSock, from: UnixSock, data: Uint8Array, fds: File[], cred: UCred): void {
  other.rq.push({ data, off: 0, fds, cred, from, fromAddr: from.addr });
  other.rqBytes += data.length;
  from.wmem += data.length + SKB_OVERHEAD;
  wakeUp(k, other.wq);
}

/**
 * Bytes of a message were read (or dropped): give them back to the sender's
 * buffer (and the overhead once it is gone). As Linux's unix_write_space, the
 * sender hears of it only once the buffer is writable again, at most a
 * quarter full (the POLLOUT rule, `writable`): a sender asleep on its full
 * buffer is not woken for every read that frees a little, so the reader goes
 * on emptying the queue, and finds the sender's next bytes to take straight
 * (net/handoff.ts), instead of both keeping the buffer full and every byte
 * copied twice.
 */
function uncharge(k: Kernel, skb: Skb, n: number, more = false): void {
  const from = skb.from;
  if (!from) return;
  from.wmem -= n + (skb.off + n >= skb.data.length ? SKB_OVERHEAD : 0);
  if (!writable(from)) return;
  // Room in the send buffer is news for a blocked sender and for poll, not for a read asleep on
  // the same queue: waking it would make it run only to sleep again, and the next send would find
  // it awake and queue instead of handing its bytes over (net/handoff.ts). So when that read is
  // the only task waiting, only poll/select/epoll watchers are woken.
  const ws = from.wq.waiters, rd = from.reader;
  if (ws.length === 1 && rd !== null && ws[0] === rd.task && rd.task.sysNr === rd.nr && rd.task.sysPc === rd.pc) {
    const ps = from.wq.pollers;
    if (ps !== undefined && ps.length > 0) for (const p of ps.splice(0)) wakeUp(k, p);
    return;
  }
  // `more`: the running reader has bytes still queued to take. Its wake-up of the sender does not preempt it:
  // a sender that ran now would refill the buffer before the reader emptied it, and the two would go on
  // keeping it full, every byte copied twice and no take-over or hand-off ever again. Once the reader has
  // emptied the queue it takes the sender's next bytes straight (net/handoff.ts, takeOver: a woken sender
  // that has not run yet still counts), or sleeps and the sender runs.
  wakeUp(k, from.wq, !more);
}

function dropSkb(k: Kernel, skb: Skb): void {
  uncharge(k, skb, skb.data.length - skb.off);
  for (const f of skb.fds) fput(k, f);
  skb.fds = [];
}

export interface RecvResult {
  /** Bytes copied into the buffer (-errno on failure). */
  n: number;
  /** The message's full length (for MSG_TRUNC on datagrams). */
  full: number;
  fds: File[];
  cred: UCred | null;
  fromAddr: string;
}

/**
 * Receive into `buf`. A stream reads across messages but stops after one
 * that carries descriptors (they belong with its bytes) and never takes a
 * second message's descriptors; a datagram or seqpacket read takes exactly
 * one message (the rest of a longer one is lost, as on Linux, unless
 * MSG_PEEK). Returns -EAGAIN with io.wait when nothing is there yet.
 * The received descriptors' references move to the caller.
 */
export function unixRecv(k: Kernel, s: UnixSock, buf: Uint8Array, flags: number, io: IoCtx): RecvResult {
  const res: RecvResult = { n: 0, full: 0, fds: [], cred: null, fromAddr: "" };
  const peek = (flags & MSG_PEEK) !== 0;
  if (s.type !== SOCK_DGRAM && s.state !== "connected") { res.n = s.type === SOCK_STREAM ? -EINVAL : -ENOTCONN; return res; }
  if (s.rq.length === 0) {
    if (s.err) { res.n = -s.err; if (!peek) s.err = 0; return res; }
    if ((s.shut & RCV_SHUTDOWN) || (s.type !== SOCK_DGRAM && s.peer?.dead)) return res; // end of file
    io.wait = s.wq;
    res.n = -EAGAIN;
    return res;
  }
  if (s.type !== SOCK_STREAM) {
    const skb = s.rq[0];
    const len = skb.data.length;
    const n = Math.min(len, buf.length);
    buf.set(skb.data.subarray(0, n));
    res.n = n; res.full = len; res.cred = skb.cred; res.fromAddr = skb.fromAddr;
    if (!peek) {
      s.rq.shift();
      s.rqBytes -= len;
      res.fds = skb.fds;
      skb.fds = [];
      uncharge(k, skb, len);
      // A datagram sender that found this queue full sleeps on it (unixSend): there is room again now, and
      // nothing else would wake it (uncharge wakes the sender's own queue, for its send buffer). Linux
      // wakes its peer_wait here. Only when the queue just stopped being full: other reads wake nobody.
      if (s.type === SOCK_DGRAM && s.rq.length === UNIX_MAX_DGRAM_QLEN) wakeUp(k, s.wq);
    }
    return res;
  }
  let done = 0;
  let i = 0;
  while (done < buf.length && i < s.rq.length) {
    const skb = s.rq[i];
    if (done > 0 && skb.fds.length > 0) break;
    const take = Math.min(skb.data.length - skb.off, buf.length - done);
    buf.set(skb.data.subarray(skb.off, skb.off + take), done);
    done += take;
    if (res.cred === null) { res.cred = skb.cred; res.fromAddr = skb.fromAddr; }
    const hadFds = skb.fds.length > 0;
    if (!peek) {
      if (hadFds) { res.fds = skb.fds; skb.fds = []; }
      uncharge(k, skb, take, s.rqBytes > take);
      skb.off += take;
      s.rqBytes -= take;
      if (skb.off === skb.data.length) { s.rq.shift(); recycle(skb); } else i = s.rq.length;
    } else i++;
    if (hadFds) break;
  }
  res.n = done;
  res.full = done;
  return res;
}

/**
 * Copy `len` bytes of `src` from byte `from` (all of it by default) into the
 * user's iovecs from byte `skip` on, straight into guest RAM (no kernel
 * buffer), one typed-array copy per run of user pages that are contiguous in
 * RAM (mm/uaccess.ts userRun). Returns the bytes copied: fewer than `len`
 * when a page cannot be written (bad address, or one the fault handler
 * refuses).
 */
function copyToIov(k: Kernel, t: Task, iov: readonly Iov[], skip: number, src: Uint8Array, from = 0, len = src.length - from): number {
  const ram = k.pm.ram;
  let done = 0;
  for (let i = 0; i < iov.length && done < len; i++) {
    const v = iov[i];
    if (skip >= v.len) { skip -= v.len; continue; }
    let va = v.base + skip;
    let left = Math.min(v.len - skip, len - done);
    skip = 0;
    while (left > 0) {
      const off = userPage(k.mmctx, t.mm!, va, true);
      if (off < 0) return done;
      const n = userRun(k.mmctx, t.mm!, va, off, true, left);
      // A whole message in one run (the usual case) is copied with no view made of it.
      ram.set(from === 0 && n === src.length ? src : src.subarray(from + done, from + done + n), off);
      done += n;
      va += n;
      left -= n;
    }
  }
  return done;
}

/** Copy user bytes from the iovecs (from byte `skip` on) into `dst`, one copy per run of user pages contiguous in RAM; returns the bytes copied, fewer at the first page that cannot be read. */
export function copyFromIov(k: Kernel, t: Task, iov: readonly Iov[], skip: number, dst: Uint8Array): number {
  const ram = k.pm.ram;
  let done = 0;
  for (let i = 0; i < iov.length && done < dst.length; i++) {
    const v = iov[i];
    if (skip >= v.len) { skip -= v.len; continue; }
    let va = v.base + skip;
    let left = Math.min(v.len - skip, dst.length - done);
    skip = 0;
    while (left > 0) {
      const off = userPage(k.mmctx, t.mm!, va, false);
      if (off < 0) return done;
      const n = userRun(k.mmctx, t.mm!, va, off, false, left);
      dst.set(ram.subarray(off, off + n), done);
      done += n;
      va += n;
      left -= n;
    }
  }
  return done;
}

/** Most message buffers a stream socket keeps for reuse (unixWriteUser). */
const SPARE_MAX = 4;

/**
 * An `n`-byte stream message from `s` sent by `t`: one its peer gave back
 * (the same size, as a steady stream's writes are: nothing is allocated; or
 * a bigger buffer seen through a new view), or a new one. Its bytes are
 * still to be copied in; it is not queued yet.
 */
function streamSkb(s: UnixSock, t: Task, n: number): Skb {
  const pid = t.tg.pid, uid = t.tg.creds.uid, gid = t.tg.creds.gid;
  const sp = s.spares;
  if (sp !== undefined) {
    for (let i = sp.length - 1; i >= 0; i--) {
      const m = sp[i];
      if (m.data.buffer.byteLength < n) continue;
      sp[i] = sp[sp.length - 1];
      sp.length--;
      if (m.data.length !== n) m.data = new Uint8Array(m.data.buffer, 0, n);
      m.off = 0;
      // Credentials are never changed in place (a reader may hold them): a sender whose ids changed gets new ones.
      if (m.cred.pid !== pid || m.cred.uid !== uid || m.cred.gid !== gid) m.cred = { pid, uid, gid };
      m.fromAddr = s.addr;
      return m;
    }
  }
  return { data: new Uint8Array(n), off: 0, fds: [], cred: { pid, uid, gid }, from: s, fromAddr: s.addr };
}

/**
 * A stream message was read to its end: it goes back to the socket that
 * sent it. Only a message that owns its buffer whole (made by streamSkb,
 * offset 0), big enough to matter and carrying no descriptors is kept;
 * nothing else refers to it once it is off the queue.
 */
function recycle(skb: Skb): void {
  const from = skb.from, d = skb.data;
  if (!from || from.type !== SOCK_STREAM || from.dead || skb.fds.length > 0 || d.byteOffset !== 0 || d.buffer.byteLength < PAGE_SIZE) return;
  const sp = from.spares ?? (from.spares = []);
  if (sp.length < SPARE_MAX) sp.push(skb);
}

/**
 * write(2) on a stream socket straight from the caller's iovecs: what
 * unixSend does for a stream (EPIPE and SIGPIPE, the send buffer's limit),
 * copying the user's bytes once into the message's buffer, a recycled one
 * when the peer gave one back (send/sendto/sendmsg come here too, with their
 * flags: MSG_NOSIGNAL spares the SIGPIPE). Returns the bytes queued, or -EFAULT when a
 * user page of the message cannot be read (nothing is queued). Other
 * socket types copy into a new buffer and go through unixSend.
 */
export function unixWriteUser(k: Kernel, t: Task, s: UnixSock, iov: readonly Iov[], skip: number, want: number, io: IoCtx, flags = 0): number {
  if (s.type !== SOCK_STREAM) {
    const buf = new Uint8Array(want);
    if (copyFromIov(k, t, iov, skip, buf) < want) return -EFAULT;
    return unixSend(k, t, s, buf, [], { pid: t.tg.pid, uid: t.tg.creds.uid, gid: t.tg.creds.gid }, null, flags, io);
  }
  if (s.writer !== null && s.writer.task === t) s.writer = null; // running again: a record left from an earlier sleep is stale
  if (want === 0) return 0;
  if (s.state !== "connected" || !s.peer) return -ENOTCONN;
  const other = s.peer;
  if ((s.shut & SEND_SHUTDOWN) || other.dead || (other.shut & RCV_SHUTDOWN)) {
    if (!(flags & MSG_NOSIGNAL)) sendSignalTask(k, t, { signo: SIGPIPE, code: 0, addr: 0, pid: t.tg.pid, uid: t.tg.creds.uid, status: 0 });
    return -EPIPE;
  }
  if (s.wmem >= s.sndbuf) { io.wait = s.wq; return -EAGAIN; }
  const n = Math.max(1, Math.min(want, (s.sndbuf >> 1) - 64, s.sndbuf - s.wmem - SKB_OVERHEAD));
  // The peer sleeps in a read of its empty queue: give it the bytes (at most one message's worth) straight.
  if (other.reader !== null && other.rq.length === 0) {
    const h = handOff(k, t, other, iov, skip, n);
    if (h > 0) return h;
  }
  const skb = streamSkb(s, t, n);
  // A message is copied whole or not sent, as Linux's unix_stream_sendmsg fails an skb it cannot fill (EFAULT, or the bytes of earlier messages).
  if (copyFromIov(k, t, iov, skip, skb.data) < n) return -EFAULT;
  other.rq.push(skb);
  other.rqBytes += n;
  s.wmem += n + SKB_OVERHEAD;
  wakeUp(k, other.wq);
  return n;
}

/** Smallest hand-off that fills a reader's buffer and switches to it (see handOff). */
const SYNC_MIN = 16384;

/**
 * Complete the read asleep on `other` (its record, other.reader, is taken)
 * with up to `n` bytes from the iovecs at `skip`, when net/handoff.ts allows:
 * the bytes copied, or 0 when they must be queued instead.
 */
function handOff(k: Kernel, t: Task, other: UnixSock, iov: readonly Iov[], skip: number, n: number): number {
  const rd = other.reader!;
  other.reader = null;
  // Credentials asked for would have to travel with the bytes (and a stream reader that asks does not glue writers' bytes).
  if (other.passcred || other.err || (other.shut & RCV_SHUTDOWN) || rcvLowat(other) > 1 || !handOffReady(t, rd, other.wq)) return 0;
  const h = userToUser(k, t, iov, skip, rd.task, rd.iov, rd.skip, Math.min(n, rd.want), true);
  if (h === 0) return 0;
  handOffDone(k, rd, h);
  k.net.handOffs++;
  wakeUp(k, other.wq);
  if (h === rd.want && h >= SYNC_MIN) preemptForSync(k, rd.task);
  return h;
}

/**
 * write(2)/writev(2) on a stream socket (unixFops, and net/inet.ts for local
 * TCP): unixWriteUser, and when the call will sleep on a full send buffer
 * (a blocking file), its record for the peer's reader to take the rest
 * straight (net/handoff.ts). The descriptor is the call's first argument as
 * the trap saw it (fs/read_write.ts doWritev does not pass it down);
 * sockWriteRecord checks it names this very file.
 */
export function unixWriteUserFile(k: Kernel, t: Task, f: File, s: UnixSock, iov: readonly Iov[], skip: number, want: number, io: IoCtx): number {
  const n = unixWriteUser(k, t, s, iov, skip, want, io);
  if (n === -EAGAIN && io.wait === s.wq && !(f.flags & O_NONBLOCK) && (t.sysNr === SYS_write || t.sysNr === SYS_writev)) {
    unixAwaitWrite(t, f, t.sysA0Lo | 0, t.sysNr, iov);
  }
  return n;
}

/**
 * The stream send on `f` by `t` (syscall `nr` on descriptor `fd`, the
 * iovecs' whole count) is going to sleep on its full send buffer: leave its
 * record for the peer's reader (net/handoff.ts). Callers only come here from
 * sends of nothing but bytes (no descriptors, claimed credentials or address).
 */
export function unixAwaitWrite(t: Task, f: File, fd: number, nr: number, iov: readonly Iov[]): void {
  const s = sockOf(f);
  if (!s || s.type !== SOCK_STREAM || nr !== t.sysNr || s.state !== "connected") return;
  s.writer = sockWriteRecord(t, f, fd, iov, iovTotal(iov as Iov[]));
}

/**
 * Reader `t` of `s` found its queue empty, `got` bytes into this read: take
 * up to `want` bytes of the peer's sleeping send (its record, peer.writer)
 * straight into the iovecs at `skip`, when net/handoff.ts allows. A read
 * gets no more in all than the sender's buffer could have held queued for
 * it (as a hand-off moves no more than one message). The bytes taken, or 0
 * (the record is dropped when it can no longer serve).
 */
function takeOver(k: Kernel, t: Task, s: UnixSock, iov: readonly Iov[], skip: number, want: number, got: number): number {
  const from = s.peer!;
  const wr = from.writer!;
  // Credentials asked for would have to come with the bytes; anything but an open stream in both directions is the queue's.
  if (s.passcred || s.err || (s.shut & RCV_SHUTDOWN) || s.rq.length > 0 || from.peer !== s || from.dead || (from.shut & SEND_SHUTDOWN)) {
    from.writer = null;
    return 0;
  }
  const done = takeOverReady(t, wr, from.wq);
  if (done < 0 || done >= wr.total) { from.writer = null; return 0; }
  const w = wr.task;
  const asleep = w.state === "S";
  const room = from.sndbuf - from.wmem - got;
  if (room <= 0) return 0;
  const n = userToUser(k, w, wr.iov, done, t, iov, skip, Math.min(want, wr.total - done, room), false);
  if (n === 0) return 0;
  if (takeOverDone(k, wr, done + n)) from.writer = null;
  k.net.takeOvers++;
  // Asleep: its call is over, or its send buffer has room for the rest now.
  if (asleep) wakeUp(k, from.wq);
  return n;
}

/** SO_RCVLOWAT as set on a socket (1 unless set): a read that asks for more than one byte before waking is left to the queue. */
function rcvLowat(s: UnixSock): number {
  return (s.inet ? s.inet.opts["1:18"] : s.solOpts?.[18]) ?? 1;
}

/**
 * The stream read of `f` by `t` (syscall `nr` on descriptor `fd`, `skip`
 * bytes moved, `want` more asked) is going to sleep on the empty queue of
 * its socket: leave its record for the peer's next send (net/handoff.ts).
 * Callers only come here from plain reads (no peeking, address or control
 * data asked for) that do sleep.
 */
export function unixAwaitRead(t: Task, f: File, fd: number, nr: number, iov: readonly Iov[], skip: number, want: number): void {
  const s = sockOf(f);
  if (!s || s.type !== SOCK_STREAM || nr !== t.sysNr || s.rq.length > 0) return;
  s.reader = sockReadRecord(t, f, fd, iov, skip, want);
}

/**
 * A file's readUser (unixFops, and net/inet.ts for local TCP): unixReadUser,
 * and when the call is read(2)/readv(2) from its first byte and will sleep
 * (blocking file, empty queue), its record for a hand-off. The descriptor is
 * the call's first argument as the trap saw it (fs/read_write.ts doReadv
 * does not pass it down); unixAwaitRead checks it names this very file.
 */
export function unixReadUserFile(k: Kernel, t: Task, f: File, s: UnixSock, iov: readonly Iov[], skip: number, want: number, io: IoCtx): number {
  const n = unixReadUser(k, t, s, iov, skip, want, io);
  if (n === -EAGAIN && io.wait === s.wq && skip === 0 && !(f.flags & O_NONBLOCK) && (t.sysNr === SYS_read || t.sysNr === SYS_readv)) {
    unixAwaitRead(t, f, t.sysA0Lo | 0, t.sysNr, iov, 0, want);
  }
  return n;
}

/**
 * read(2) through a kernel buffer: `recv` (unixRecv, inetRecv) fills it, then
 * it is copied out. What reached the buffer is consumed even when the copy
 * out fails (-EFAULT when nothing could be copied), as read(2) always did here.
 */
export function readViaBuffer(k: Kernel, t: Task, s: UnixSock, iov: readonly Iov[], skip: number, want: number, io: IoCtx,
  recv: (k: Kernel, s: UnixSock, buf: Uint8Array, flags: number, io: IoCtx) => RecvResult): number {
  if (want === 0 && s.type === SOCK_STREAM) return 0;
  const avail = s.type === SOCK_STREAM ? s.rqBytes : (s.rq[0]?.data.length ?? 0);
  const buf = new Uint8Array(Math.min(want, avail));
  const r = recv(k, s, buf, 0, io);
  for (const x of r.fds) fput(k, x); // read(2) takes no control data: passed descriptors are dropped
  if (r.n <= 0) return r.n;
  const n = copyToIov(k, t, iov, skip, buf.subarray(0, r.n));
  return n === r.n ? n : n > 0 ? n : -EFAULT;
}

/**
 * read(2) on a stream socket (unix or TCP) straight into the caller's
 * iovecs: what unixRecv does without flags, copying each queued message's
 * bytes out once instead of through a kernel buffer (that buffer, and its
 * second copy, held sockets to a third of a pipe's speed). Only the bytes
 * that reached the user are consumed; a bad buffer leaves the rest queued
 * (-EFAULT when none could be copied). Passed descriptors are dropped, as
 * read(2) takes no control data. Other socket types go through unixRecv.
 */
export function unixReadUser(k: Kernel, t: Task, s: UnixSock, iov: readonly Iov[], skip: number, want: number, io: IoCtx): number {
  if (s.type !== SOCK_STREAM) return readViaBuffer(k, t, s, iov, skip, want, io, unixRecv);
  if (s.reader !== null && s.reader.task === t) s.reader = null; // running again: a record left from an earlier sleep is stale
  if (want === 0) return 0;
  if (s.state !== "connected") return -EINVAL;
  if (s.rq.length === 0) {
    if (s.err) { const e = s.err; s.err = 0; return -e; }
    if ((s.shut & RCV_SHUTDOWN) || s.peer?.dead) return 0; // end of file
    // The peer sleeps in a send with bytes left: take them straight.
    if (s.peer !== null && s.peer.writer !== null) {
      const n = takeOver(k, t, s, iov, skip, want, 0);
      if (n > 0) return n;
      // Our own page is on swap and the disk answers later: the call restarts once it is in (mm/uaccess.ts).
      if (k.mmctx.vm.swap.uaccessWait) return -EFAULT;
    }
    io.wait = s.wq;
    return -EAGAIN;
  }
  let done = 0;
  while (done < want && s.rq.length > 0) {
    const skb = s.rq[0];
    const hadFds = skb.fds.length > 0;
    // A message with descriptors starts a read of its own and ends it (its bytes belong with them).
    if (done > 0 && hadFds) break;
    const take = Math.min(skb.data.length - skb.off, want - done);
    const n = copyToIov(k, t, iov, skip + done, skb.data, skb.off, take);
    if (n > 0 || take === 0) {
      if (hadFds) { for (const x of skb.fds) fput(k, x); skb.fds = []; }
      uncharge(k, skb, n, s.rqBytes > n);
      skb.off += n;
      s.rqBytes -= n;
      done += n;
      if (skb.off === skb.data.length) { s.rq.shift(); recycle(skb); }
    }
    if (n < take) return done > 0 ? done : -EFAULT;
    if (hadFds) return done;
  }
  // The queue ran dry before the buffer filled and the peer sleeps in a send with bytes left: they come next.
  if (done < want && s.rq.length === 0 && s.peer !== null && s.peer.writer !== null) done += takeOver(k, t, s, iov, skip + done, want - done, done);
  return done;
}

export function unixShutdown(k: Kernel, s: UnixSock, how: number): number {
  if (how < SHUT_RD || how > SHUT_RDWR) return -EINVAL;
  const mode = how + 1; // SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both
  if (s.type !== SOCK_DGRAM && s.state !== "connected" && s.state !== "listening") return -ENOTCONN;
  s.shut |= mode;
  wakeUp(k, s.wq);
  const p = s.peer;
  if (p && s.type !== SOCK_DGRAM) {
    // The peer's view mirrors ours: we stop reading = it may not send; we stop sending = it reads end of file.
    if (mode & RCV_SHUTDOWN) p.shut |= SEND_SHUTDOWN;
    if (mode & SEND_SHUTDOWN) p.shut |= RCV_SHUTDOWN;
    wakeUp(k, p.wq);
  }
  return 0;
}

/** The socket's last file is gone: drop its queue (with descriptors in flight), its name, and tell the peer. */
export function unixRelease(k: Kernel, s: UnixSock): void {
  s.dead = true;
  s.shut = SHUTDOWN_MASK;
  s.reader = null;
  s.writer = null;
  unbind(k, s);
  const unread = s.rq.length > 0;
  for (const skb of s.rq.splice(0)) dropSkb(k, skb);
  s.rqBytes = 0;
  // Connections nobody accepted are closed too (their clients see ECONNRESET).
  for (const n of s.backlog.splice(0)) {
    if (n.peer) n.peer.err = ECONNRESET;
    unixRelease(k, n);
  }
  const p = s.peer;
  if (p && s.type !== SOCK_DGRAM) {
    p.shut = SHUTDOWN_MASK;
    if (unread) p.err = ECONNRESET;
    wakeUp(k, p.wq);
  } else if (p) wakeUp(k, p.wq);
  k.net.socks.delete(s.ino);
  wakeUp(k, s.wq);
}

// --- readiness ---

function writable(s: UnixSock): boolean {
  return s.state !== "listening" && (s.wmem << 2) <= s.sndbuf;
}

export function unixPoll(s: UnixSock): number {
  let m = 0;
  if (s.err) m |= POLLERR;
  if (s.shut === SHUTDOWN_MASK) m |= POLLHUP;
  if (s.shut & RCV_SHUTDOWN) m |= POLLRDHUP | POLLIN | POLLRDNORM;
  if (s.rq.length > 0 || s.backlog.length > 0) m |= POLLIN | POLLRDNORM;
  if (s.type !== SOCK_DGRAM && s.state === "unconnected") m |= POLLHUP;
  if (s.type === SOCK_DGRAM) {
    const other = s.peer;
    const full = other !== null && !other.dead && other.peer !== s && other.rq.length > UNIX_MAX_DGRAM_QLEN;
    if (writable(s) && !full) m |= POLLOUT | POLLWRNORM | POLLWRBAND;
  } else if (writable(s)) m |= POLLOUT | POLLWRNORM | POLLWRBAND;
  return m;
}

// --- the file operations (read/write are recv/send without flags) ---

export const unixFops = defineFileOps("unix", {
  read(k, _t, f, buf, _pos, io) {
    const s = f.info as UnixSock;
    if (buf.length === 0 && s.type === SOCK_STREAM) return 0;
    const r = unixRecv(k, s, buf, 0, io);
    for (const x of r.fds) fput(k, x); // read(2) takes no control data: passed descriptors are dropped
    return r.n;
  },
  readUser(k, t, f, iov, skip, want, io) {
    return unixReadUserFile(k, t, f, f.info as UnixSock, iov, skip, want, io);
  },
  writeUser(k, t, f, iov, skip, want, io) {
    return unixWriteUserFile(k, t, f, f.info as UnixSock, iov, skip, want, io);
  },
  write(k, t, f, buf, _pos, io) {
    const s = f.info as UnixSock;
    return unixSend(k, t, s, buf, [], { pid: t.tg.pid, uid: t.tg.creds.uid, gid: t.tg.creds.gid }, null, 0, io);
  },
  poll(_k, _t, f, io) {
    const s = f.info as UnixSock;
    io.wait = s.wq;
    const m = unixPoll(s);
    // A datagram sender held back by its peer's full queue hears of room from the peer's read (unixRecv wakes that queue).
    if (s.type === SOCK_DGRAM && !(m & POLLOUT) && s.peer !== null && writable(s)) io.also = s.peer.wq;
    return m;
  },
  ioctl(k, t, f, cmd, arg) {
    if (cmd === FIONREAD) {
      const s = f.info as UnixSock;
      const n = s.type === SOCK_STREAM ? s.rqBytes : (s.rq[0]?.data.length ?? 0);
      return putUser32(k.mmctx, t.mm!, arg, n) < 0 ? -EFAULT : 0;
    }
    const r = netdevIoctl(k, t, cmd, arg); // any socket answers the interface ioctls, as on Linux
    return r === null ? -ENOTTY : r;
  },
  release(k, f) {
    unixRelease(k, f.info as UnixSock);
  },
});
