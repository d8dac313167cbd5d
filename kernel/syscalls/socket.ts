// The socket system calls (socket(2), bind(2), connect(2), sendmsg(2) ...):
// a thin layer that decodes arguments (addresses, msghdr, control messages,
// socket options), checks them as Linux does and calls the AF_UNIX socket
// objects of the socket's family: AF_UNIX (net/unix.ts, its addresses
// decoded here) and AF_INET/AF_INET6 (net/inet.ts, addresses in
// syscalls/socket_inet.ts). What differs per family is one SockFamily
// table of functions (plain data: no classes); other families fail with
// EAFNOSUPPORT. A call that would block sleeps on the socket's queue and
// reruns (stream sends and MSG_WAITALL receives keep their progress in t.io).
//
// Concepts: C45 (sockets), C05 (the ABI), C66 (descriptor passing).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File, IoCtx } from "../fs/vfs.js";
import { type SyscallTable, argU, argInt } from "./args.js";
import * as N from "../abi/sysno.js";
import { getFile, installFd, fget, fput } from "../fs/fdtable.js";
import { nofile, readPath } from "./fs_util.js";
import { copyin, copyout, getUser32, putUser32, putUser64, userBytes } from "../mm/uaccess.js";
import { pack, unpack } from "../abi/layout.js";
import { getU32, getU64 } from "../abi/le.js";
import { type Iov, checkIov, iovTotal, gather, scatter, resumeIo, stopForSignal, readIovec } from "../fs/read_write.js";
import { blockOn } from "../fs/poll.js";
import { resolveAt, LOOKUP_FOLLOW } from "../fs/namei.js";
import { fsCred, mayModifyDir, permission } from "../fs/perm.js";
import { iopsOf, fopsOf } from "../lib/fsops.js";
import { bytesToStr, strToBytes } from "../lib/bytestr.js";
import { isSock } from "../fs/inode.js";
import { AT_FDCWD, O_NONBLOCK, S_IFSOCK, MAY_WRITE } from "../abi/fs.js";
import {
  AF_UNIX, AF_UNSPEC, AF_INET, AF_INET6, AF_NETLINK, SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_TYPE_MASK, SOCK_NONBLOCK, SOCK_CLOEXEC, MSG_PEEK, MSG_TRUNC,
  MSG_CTRUNC, MSG_DONTWAIT, MSG_WAITALL, MSG_NOSIGNAL, MSG_CMSG_CLOEXEC, MSG_EOR, SOL_SOCKET, SO_TYPE, SO_ERROR, SO_SNDBUF, SO_RCVBUF,
  SO_PASSCRED, SO_PEERCRED, SO_ACCEPTCONN, SO_PROTOCOL, SO_DOMAIN, SCM_RIGHTS, SCM_CREDENTIALS, SCM_MAX_FD, SK_BUF_MAX,
  SOCK_MIN_SNDBUF, SOCK_MIN_RCVBUF, SOCKADDR_UN_SIZE, MSGHDR, CMSGHDR, CMSG_HDR_LEN, cmsgAlign, UCRED,
} from "../abi/socket.js";
import {
  EAFNOSUPPORT, EINVAL, EFAULT, ENOTSOCK, EBADF, EAGAIN, EADDRINUSE, ECONNREFUSED, EPROTONOSUPPORT, ENOPROTOOPT, EOPNOTSUPP, EPERM,
  EISCONN, EEXIST, ENOENT, ENOTCONN, EMSGSIZE,
} from "../abi/errno.js";
import { inetFamily, inetCreate } from "./socket_inet.js";
import { netlinkFamily } from "./socket_netlink.js";
import { netlinkSocket } from "../net/netlink.js";
import { type RecvResult, unixWriteUser, unixAwaitRead, unixAwaitWrite } from "../net/unix.js";
import { inetDirectSend } from "../net/inet.js";
import { chargeWork } from "../sched/budget.js";
import { isGenericSolOpt, getGenericSolOpt, setGenericSolOpt } from "../net/sockopt.js";
import {
  type UnixSock, type UCred, unixSocket, unixPair, unixBind, unixAutobind, unixFindAbstract, unixFindInode, unixListen, unixConnect,
  unixAccept, unixDgramConnect, unixSend, unixRecv, unixShutdown, sockOf,
} from "../net/unix.js";

export const ESOCKTNOSUPPORT = 94;
const SO_LINGER = 13;

/** Where a datagram goes: an AF_UNIX socket, or an inet address and port. */
export type SockDest = UnixSock | { addr: string; port: number } | null;

/**
 * What differs between socket families. Each takes the raw sockaddr bytes the
 * program gave (already copied in, at most sizeof(sockaddr_storage)) and
 * encodes the names it returns.
 */
export interface SockFamily {
  bind(k: Kernel, t: Task, s: UnixSock, a: Uint8Array): number;
  connect(k: Kernel, t: Task, f: File, s: UnixSock, a: Uint8Array): number;
  listen(k: Kernel, s: UnixSock, backlog: number): number;
  /** getsockname (peer false) / getpeername (peer true): the encoded name, or -errno. */
  name(s: UnixSock, peer: boolean): Uint8Array | number;
  /** A received message's source (recvfrom, recvmsg) or an accepted peer; null: no name (length 0). */
  fromName(s: UnixSock, from: string): Uint8Array | null;
  /** sendto's destination, or -errno. */
  dest(k: Kernel, t: Task, s: UnixSock, a: Uint8Array): SockDest | number;
  send(k: Kernel, t: Task, s: UnixSock, data: Uint8Array, fds: File[], cred: UCred, to: SockDest, flags: number, io: IoCtx): number;
  recv(k: Kernel, s: UnixSock, buf: Uint8Array, flags: number, io: IoCtx): RecvResult;
  shutdown(k: Kernel, s: UnixSock, how: number): number;
  /** Options past SOL_SOCKET's common ones: the value, or -errno; a struct option returns bytes. */
  getopt(s: UnixSock, level: number, name: number): number | Uint8Array;
  setopt(k: Kernel, s: UnixSock, level: number, name: number, v: number, len: number): number;
}

function familyOf(s: UnixSock): SockFamily {
  return s.inet ? inetFamily : s.nl ? netlinkFamily : unixFamily;
}

/** Copy in a sockaddr of `len` bytes (Linux's move_addr_to_kernel: at most sizeof(sockaddr_storage)). */
function readSockaddr(k: Kernel, t: Task, va: number, len: number): Uint8Array | number {
  if (len < 0 || len > 128) return -EINVAL;
  const b = new Uint8Array(len);
  if (len > 0 && copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  return b;
}

function sockFd(t: Task, fd: number): { f: File; s: UnixSock } | number {
  const f = getFile(t.files, fd);
  if (!f) return -EBADF;
  const s = sockOf(f);
  return s ? { f, s } : -ENOTSOCK;
}

/** Decode a sockaddr_un: "" for an unnamed (family-only) address, "\0..." abstract, else a path. */
function readAddr(b: Uint8Array): string | number {
  const len = b.length;
  if (len < 2 || len > SOCKADDR_UN_SIZE) return -EINVAL;
  if ((b[0] | (b[1] << 8)) !== AF_UNIX) return -EINVAL;
  if (len === 2) return "";
  if (b[2] === 0) return bytesToStr(b.subarray(2)); // abstract: every byte counts
  let end = 2;
  while (end < len && b[end] !== 0) end++;
  return bytesToStr(b.subarray(2, end)); // a path is bytes, as every name
}

/** Encode an address for getsockname/accept/recvfrom (Linux's lengths: a path counts its NUL). */
function encodeAddr(addr: string): Uint8Array {
  const body = addr === "" ? new Uint8Array(0)
    : addr.charCodeAt(0) === 0 ? strToBytes(addr)
      : strToBytes(addr, true);
  const b = new Uint8Array(2 + body.length);
  b[0] = AF_UNIX;
  b.set(body, 2);
  return b;
}

/** Store an encoded address at va with its length at lenVa (value-result, truncated to the caller's room; null: length 0). */
function putAddr(k: Kernel, t: Task, va: number, lenVa: number, enc: Uint8Array | null): number {
  if (va === 0 || lenVa === 0) return 0;
  const room = getUser32(k.mmctx, t.mm!, lenVa);
  if (room === null) return -EFAULT;
  if ((room | 0) < 0) return -EINVAL;
  const b = enc ?? new Uint8Array(0);
  if (copyout(k.mmctx, t.mm!, va, b.subarray(0, Math.min(room, b.length))) < 0) return -EFAULT;
  return putUser32(k.mmctx, t.mm!, lenVa, b.length) < 0 ? -EFAULT : 0;
}

/** The socket an address names (connect, sendto), or -errno. */
function lookupAddr(k: Kernel, t: Task, addr: string): UnixSock | number {
  if (addr === "") return -EINVAL;
  if (addr.charCodeAt(0) === 0) return unixFindAbstract(k, addr) ?? -ECONNREFUSED;
  const r = resolveAt(k, t, AT_FDCWD, addr, LOOKUP_FOLLOW);
  if (typeof r === "number") return r;
  if (!r.dentry) return -ENOENT;
  const ino = r.dentry.inode;
  const p = permission(fsCred(t), ino, MAY_WRITE);
  if (p < 0) return p;
  if (!isSock(ino)) return -ECONNREFUSED;
  return unixFindInode(ino) ?? -ECONNREFUSED;
}

function nonblock(f: File, flags: number): boolean {
  return (f.flags & O_NONBLOCK) !== 0 || (flags & MSG_DONTWAIT) !== 0;
}

// --- socket, socketpair ---

function checkType(domain: number, type: number, protocol: number): number {
  if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) return -EINVAL;
  if (domain !== AF_UNIX) return -EAFNOSUPPORT;
  const ty = type & SOCK_TYPE_MASK;
  if (ty !== SOCK_STREAM && ty !== SOCK_DGRAM && ty !== SOCK_SEQPACKET) return -ESOCKTNOSUPPORT;
  if (protocol !== 0 && protocol !== AF_UNIX) return -EPROTONOSUPPORT;
  return ty;
}

function sysSocket(k: Kernel, t: Task): number {
  const domain = argInt(k, 0), type = argInt(k, 1);
  let f: File | number;
  if (domain === AF_INET || domain === AF_INET6) {
    if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) return -EINVAL;
    f = inetCreate(k, t, domain, type, argInt(k, 2));
  } else if (domain === AF_NETLINK) {
    if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) return -EINVAL;
    f = netlinkSocket(k, t, type, argInt(k, 2));
  } else {
    const ty = checkType(domain, type, argInt(k, 2));
    if (ty < 0) return ty;
    f = unixSocket(k, t, ty, type);
  }
  if (typeof f === "number") return f;
  const fd = installFd(t.files, f, (type & SOCK_CLOEXEC) !== 0, 0, nofile(t), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

function sysSocketpair(k: Kernel, t: Task): number {
  const domain = argInt(k, 0), type = argInt(k, 1), va = argU(k, 3);
  if (domain === AF_INET || domain === AF_INET6) return -EOPNOTSUPP; // as Linux: TCP and UDP have no socketpair
  const ty = checkType(domain, type, argInt(k, 2));
  if (ty < 0) return ty;
  const p = unixPair(k, t, ty, type);
  if (typeof p === "number") return p;
  const cloexec = (type & SOCK_CLOEXEC) !== 0;
  const a = installFd(t.files, p[0], cloexec, 0, nofile(t), k.mmctx);
  if (a < 0) { fput(k, p[0]); fput(k, p[1]); return a; }
  const b = installFd(t.files, p[1], cloexec, 0, nofile(t), k.mmctx);
  if (b < 0) { t.files.fds[a] = null; fput(k, p[0]); fput(k, p[1]); return b; }
  const out = new Uint8Array(8);
  out[0] = a; out[1] = a >>> 8; out[2] = a >>> 16; out[3] = a >>> 24;
  out[4] = b; out[5] = b >>> 8; out[6] = b >>> 16; out[7] = b >>> 24;
  if (copyout(k.mmctx, t.mm!, va, out) < 0) {
    t.files.fds[a] = null; t.files.fds[b] = null; fput(k, p[0]); fput(k, p[1]);
    return -EFAULT;
  }
  return 0;
}

// --- AF_UNIX's part (the family table's functions) ---

function unixBindAddr(k: Kernel, t: Task, s: UnixSock, b: Uint8Array): number {
  const addr = readAddr(b);
  if (typeof addr === "number") return addr;
  if (addr === "") return s.addr !== "" ? -EINVAL : unixAutobind(k, s);
  if (addr.charCodeAt(0) === 0) return unixBind(k, s, addr, null);
  // A path name: a new socket inode in the file system. As Linux (which makes the node first),
  // an existing name is EADDRINUSE even for a socket already bound; a new name then EINVAL.
  const r = resolveAt(k, t, AT_FDCWD, addr, 0);
  if (typeof r === "number") return r;
  if (r.dentry) return -EADDRINUSE;
  if (s.addr !== "") return -EINVAL;
  if (r.slash || !r.parent) return -ENOENT;
  const p = mayModifyDir(fsCred(t), r.parent);
  if (p < 0) return p;
  const mknod = iopsOf(r.parent.inode).mknod;
  if (!mknod) return -EPERM;
  const ino = mknod(k, r.parent.inode, r.name, S_IFSOCK | (0o777 & ~t.fs.umask), 0, t);
  if (typeof ino === "number") return ino === -EEXIST ? -EADDRINUSE : ino;
  return unixBind(k, s, addr, ino);
}

function unixConnectAddr(k: Kernel, t: Task, f: File, s: UnixSock, b: Uint8Array): number {
  // AF_UNSPEC dissolves a datagram socket's association.
  if (s.type === SOCK_DGRAM && b.length >= 2 && (b[0] | (b[1] << 8)) === AF_UNSPEC) return unixDgramConnect(s, null);
  const addr = readAddr(b);
  if (typeof addr === "number") return addr;
  if (s.type !== SOCK_DGRAM && s.state === "connected") return -EISCONN;
  const other = lookupAddr(k, t, addr);
  if (typeof other === "number") return other;
  if (s.type === SOCK_DGRAM) {
    // As Linux, only a socket that passes credentials gets a name when it connects.
    const r = s.passcred ? unixAutobind(k, s) : 0;
    return r < 0 ? r : unixDgramConnect(s, other);
  }
  const io: IoCtx = { wait: null };
  const r = unixConnect(k, t, s, other, io);
  if (r === -EAGAIN && io.wait && !(f.flags & O_NONBLOCK)) return blockOn(k, t, io.wait);
  return r;
}

const unixFamily: SockFamily = {
  bind: unixBindAddr,
  connect: unixConnectAddr,
  listen: (_k, s, backlog) => unixListen(s, backlog),
  name(s, peer) {
    if (!peer) return encodeAddr(s.addr);
    const p = s.peer;
    if (!p || s.state !== "connected") return -ENOTCONN;
    return encodeAddr(p.addr);
  },
  fromName: (_s, from) => encodeAddr(from),
  dest(k, t, s, b) {
    const addr = readAddr(b);
    if (typeof addr === "number") return addr;
    if (s.type !== SOCK_DGRAM) return s.state === "connected" ? -EISCONN : -EOPNOTSUPP;
    return lookupAddr(k, t, addr);
  },
  send(k, t, s, data, fds, cred, to, flags, io) {
    if (s.type === SOCK_DGRAM && s.addr === "" && s.passcred) unixAutobind(k, s);
    return unixSend(k, t, s, data, fds, cred, to as UnixSock | null, flags, io);
  },
  recv: unixRecv,
  shutdown: unixShutdown,
  getopt: () => -EOPNOTSUPP,
  setopt: () => -EOPNOTSUPP,
};

// --- names and connections ---

function sysBind(k: Kernel, t: Task): number {
  const sf = sockFd(t, argInt(k, 0));
  if (typeof sf === "number") return sf;
  const b = readSockaddr(k, t, argU(k, 1), argInt(k, 2));
  if (typeof b === "number") return b;
  return familyOf(sf.s).bind(k, t, sf.s, b);
}

function sysListen(k: Kernel, t: Task): number {
  const sf = sockFd(t, argInt(k, 0));
  if (typeof sf === "number") return sf;
  return familyOf(sf.s).listen(k, sf.s, argInt(k, 1));
}

function sysConnect(k: Kernel, t: Task): number {
  const sf = sockFd(t, argInt(k, 0));
  if (typeof sf === "number") return sf;
  const b = readSockaddr(k, t, argU(k, 1), argInt(k, 2));
  if (typeof b === "number") return b;
  return familyOf(sf.s).connect(k, t, sf.f, sf.s, b);
}

function doAccept(k: Kernel, t: Task, flags: number): number {
  const sf = sockFd(t, argInt(k, 0));
  if (typeof sf === "number") return sf;
  if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) return -EINVAL;
  const { f, s } = sf;
  if (s.type === SOCK_DGRAM) return -EOPNOTSUPP;
  const io: IoCtx = { wait: null };
  const nf = unixAccept(k, t, s, flags, io);
  if (nf === -EAGAIN && io.wait && !(f.flags & O_NONBLOCK)) return blockOn(k, t, io.wait);
  if (typeof nf === "number") return nf;
  const fd = installFd(t.files, nf, (flags & SOCK_CLOEXEC) !== 0, 0, nofile(t), k.mmctx);
  if (fd < 0) { fput(k, nf); return fd; }
  const ns = nf.info as UnixSock;
  const peer = familyOf(ns).name(ns, true);
  const e = putAddr(k, t, argU(k, 1), argU(k, 2), typeof peer === "number" ? encodeAddr("") : peer);
  if (e < 0) { t.files.fds[fd] = null; fput(k, nf); return e; }
  return fd;
}

function sysAccept(k: Kernel, t: Task): number { return doAccept(k, t, 0); }
function sysAccept4(k: Kernel, t: Task): number { return doAccept(k, t, argInt(k, 3)); }

function sysGetsockname(k: Kernel, t: Task): number {
  const sf = sockFd(t, argInt(k, 0));
  if (typeof sf === "number") return sf;
  const n = familyOf(sf.s).name(sf.s, false);
  return typeof n === "number" ? n : putAddr(k, t, argU(k, 1), argU(k, 2), n);
}

function sysGetpeername(k: Kernel, t: Task): number {
  const sf = sockFd(t, argInt(k, 0));
  if (typeof sf === "number") return sf;
  const n = familyOf(sf.s).name(sf.s, true);
  return typeof n === "number" ? n : putAddr(k, t, argU(k, 1), argU(k, 2), n);
}

function sysShutdown(k: Kernel, t: Task): number {
  const sf = sockFd(t, argInt(k, 0));
  if (typeof sf === "number") return sf;
  return familyOf(sf.s).shutdown(k, sf.s, argInt(k, 1));
}

// --- data ---

interface MsgIn { iov: { base: number; len: number }[]; name: number; namelen: number; control: number; controllen: number }

/**
 * Copy in a msghdr and its iovec array (readIovec's checks: EINVAL for more
 * than IOV_MAX iovecs or a length past SSIZE_MAX; EFAULT for a buffer outside
 * the user half). Every sendmsg/recvmsg does this, so the fields are read at
 * their layout's offsets straight from the copied bytes (no record per
 * struct, no BigInt per iovec), and a struct that lies within one page is
 * read where it is in RAM, with no copy at all.
 */
function readMsghdr(k: Kernel, t: Task, va: number): MsgIn | number {
  const h = userBytes(k.mmctx, t.mm!, va, MSGHDR.size);
  if (h === null) return -EFAULT;
  const { b, at: m } = h;
  const F = MSGHDR.fields;
  const cnt = getU64(b, m + F.iovlen[0]);
  const name = getU64(b, m + F.name[0]), namelen = getU32(b, m + F.namelen[0]) | 0;
  const control = getU64(b, m + F.control[0]), controllen = getU64(b, m + F.controllen[0]);
  const iov = readIovec(k, t, getU64(b, m + F.iov[0]), cnt);
  if (typeof iov === "number") return iov;
  const bad = checkIov(iov);
  if (bad < 0) return bad;
  return { iov, name, namelen, control, controllen };
}

/** Parse a sendmsg control buffer: descriptors to pass (references taken) and claimed credentials. */
function readControl(k: Kernel, t: Task, va: number, len: number): { fds: File[]; cred: UCred | null } | number {
  const out: { fds: File[]; cred: UCred | null } = { fds: [], cred: null };
  if (len === 0) return out;
  if (len > 1 << 20) return -EINVAL; // Linux's optmem bound (ENOBUFS) is smaller still
  const b = new Uint8Array(len);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  const fail = (e: number): number => { for (const f of out.fds) fput(k, f); return e; };
  for (let at = 0; at + CMSG_HDR_LEN <= len;) {
    const h = unpack(CMSGHDR, b.subarray(at, at + CMSG_HDR_LEN));
    if (h.len < CMSG_HDR_LEN || at + h.len > len) return fail(-EINVAL);
    const data = b.subarray(at + CMSG_HDR_LEN, at + h.len);
    if (h.level === SOL_SOCKET && h.type === SCM_RIGHTS) {
      const n = data.length >>> 2;
      if (n === 0 || out.fds.length + n > SCM_MAX_FD) return fail(-EINVAL);
      for (let i = 0; i < n; i++) {
        const fd = data[i * 4] | (data[i * 4 + 1] << 8) | (data[i * 4 + 2] << 16) | (data[i * 4 + 3] << 24);
        const f = getFile(t.files, fd);
        if (!f) return fail(-EBADF);
        out.fds.push(fget(f));
      }
    } else if (h.level === SOL_SOCKET && h.type === SCM_CREDENTIALS) {
      if (data.length !== UCRED.size) return fail(-EINVAL);
      const u = unpack(UCRED, data);
      const c = t.tg.creds;
      // Only root may claim another process's pid or ids (Linux's scm_check_creds).
      if (c.euid !== 0 && (u.pid !== t.tg.pid || ![c.uid, c.euid, c.suid].includes(u.uid) || ![c.gid, c.egid, c.sgid].includes(u.gid))) return fail(-EPERM);
      out.cred = { pid: u.pid, uid: u.uid, gid: u.gid };
    } else return fail(-EINVAL);
    at += cmsgAlign(h.len);
  }
  return out;
}

function doSend(k: Kernel, t: Task, nr: number, fd: number, iov: { base: number; len: number }[], nameVa: number, namelen: number, ctrl: number, ctrlLen: number, flags: number): number {
  const sf = sockFd(t, fd);
  if (typeof sf === "number") return sf;
  const { f, s } = sf;
  // Running again: a take-over record left from an earlier sleep is stale (a send that sleeps again through
  // unixWriteUser leaves a new one; one that sleeps elsewhere must leave none).
  if (s.writer !== null && s.writer.task === t) s.writer = null;
  if (flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_EOR | 0x800 /* MSG_MORE */ | 0x4 /* MSG_DONTROUTE */ | 0x1 /* MSG_OOB */)) return -EINVAL;
  if (flags & 1) return -EOPNOTSUPP;
  const fam = familyOf(s);
  let to: SockDest = null;
  if (nameVa !== 0 && namelen !== 0) {
    const b = readSockaddr(k, t, nameVa, namelen);
    if (typeof b === "number") return b;
    const o = fam.dest(k, t, s, b);
    if (typeof o === "number") return o;
    to = o;
  }
  const total = iovTotal(iov);
  // Whole messages must fit the send buffer: refuse before copying in a huge one.
  if (s.type !== SOCK_STREAM && total > s.sndbuf - 32) return -EMSGSIZE;
  let done = resumeIo(t, nr, fd, f);
  if (stopForSignal(t, f, done)) return done;
  if (s.type === SOCK_STREAM && total === 0) return s.state === "connected" ? 0 : -ENOTCONN; // nothing is sent (nor any descriptor), as on Linux
  let fds: File[] = [];
  let cred: UCred = { pid: t.tg.pid, uid: t.tg.creds.uid, gid: t.tg.creds.gid };
  if (done === 0) {
    const c = readControl(k, t, ctrl, ctrlLen);
    if (typeof c === "number") return c;
    fds = c.fds;
    if (c.cred) cred = c.cred;
  }
  const io: IoCtx = { wait: null };
  const nb = nonblock(f, flags);
  // A stream send with nothing but bytes (no destination, descriptors or claimed credentials) copies each
  // iovec segment once, straight into the peer's queue, as write(2) does (unix.ts unixWriteUser).
  const direct = s.type === SOCK_STREAM && to === null && fds.length === 0 && cred.pid === t.tg.pid && cred.uid === t.tg.creds.uid &&
    cred.gid === t.tg.creds.gid && !s.nl && (s.inet ? inetDirectSend(s) : true);
  do {
    let n: number;
    io.wait = null;
    if (direct) {
      n = unixWriteUser(k, t, s, iov, done, total - done, io, flags);
      if (n === -EFAULT) return done > 0 ? done : -EFAULT;
    } else {
      const want = s.type === SOCK_STREAM ? Math.min(total - done, 1 << 20) : total;
      const buf = new Uint8Array(want);
      if (gather(k, t, iov, done, buf) < 0) { for (const x of fds) fput(k, x); return done > 0 ? done : -EFAULT; }
      n = fam.send(k, t, s, buf, fds, cred, to, flags, io);
    }
    if (n < 0) {
      if (n === -EAGAIN && io.wait && !nb) {
        const b = blockOn(k, t, io.wait);
        if (t.state === "R" && done > 0) { for (const x of fds) fput(k, x); return done; }
        if (done > 0) t.io = { nr, fd, file: f, done };
        // A send of nothing but bytes sleeps on its full buffer: the peer's reader may take the rest straight.
        if (direct && t.state !== "R" && io.wait === s.wq) unixAwaitWrite(t, f, fd, nr, iov);
        for (const x of fds) fput(k, x); // taken again from the control buffer when the call reruns from the start
        return b;
      }
      for (const x of fds) fput(k, x);
      return done > 0 ? done : n;
    }
    fds = [];
    done += n;
    chargeWork(k, n);
  } while (done < total);
  return done;
}

function sysSendto(k: Kernel, t: Task): number {
  const len = argU(k, 2);
  return doSend(k, t, N.SYS_sendto, argInt(k, 0), [{ base: argU(k, 1), len }], argU(k, 4), argInt(k, 5), 0, 0, argInt(k, 3));
}

function sysSendmsg(k: Kernel, t: Task): number {
  const m = readMsghdr(k, t, argU(k, 1));
  if (typeof m === "number") return m;
  return doSend(k, t, N.SYS_sendmsg, argInt(k, 0), m.iov, m.name, m.namelen, m.control, m.controllen, argInt(k, 2));
}

interface RecvOut { n: number; flags: number; controllen: number }

function doRecv(k: Kernel, t: Task, nr: number, fd: number, iov: { base: number; len: number }[], nameVa: number, nameLenVa: number, ctrl: number, ctrlLen: number, flags: number): RecvOut | number {
  const sf = sockFd(t, fd);
  if (typeof sf === "number") return sf;
  const { f, s } = sf;
  if (flags & 1) return -EOPNOTSUPP;
  const total = iovTotal(iov);
  let done = resumeIo(t, nr, fd, f);
  if (stopForSignal(t, f, done)) return { n: done, flags: 0, controllen: 0 };
  // A sender filled the whole buffer while the call slept (net/handoff.ts): done.
  if (done > 0 && done >= total) return { n: done, flags: 0, controllen: 0 };
  const nb = nonblock(f, flags);
  const io: IoCtx = { wait: null };
  const fam = familyOf(s);
  // A plain stream read (no peeking, no name, no control data to deliver: the first queued message carries no
  // descriptors and credentials are not asked for) copies straight from the queue into each iovec segment, as
  // read(2) does (unix.ts unixReadUser); everything else fills a kernel buffer first and scatters it.
  const readUser = s.type === SOCK_STREAM && !s.nl && !(flags & (MSG_PEEK | MSG_TRUNC)) && !s.passcred && nameVa === 0 &&
    total > done && (s.rq.length === 0 || s.rq[0].fds.length === 0) ? fopsOf(f).readUser : undefined;
  let r: RecvResult;
  let buf: Uint8Array | null = null;
  if (readUser) {
    const n = readUser(k, t, f, iov, done, total - done, io);
    r = { n, full: n, fds: [], cred: null, fromAddr: "" };
  } else {
    const avail = s.type === SOCK_STREAM ? s.rqBytes : (s.rq[0]?.data.length ?? 0);
    buf = new Uint8Array(Math.min(total - done, avail));
    r = fam.recv(k, s, buf, flags, io);
  }
  if (r.n < 0) {
    // Bytes a sender handed over while the call slept (net/handoff.ts) are what a plain recv returns.
    if (done > 0 && !(flags & MSG_WAITALL)) return { n: done, flags: 0, controllen: 0 };
    if (r.n === -EAGAIN && io.wait && !nb) {
      const b = blockOn(k, t, io.wait);
      if (t.state === "R" && done > 0) return { n: done, flags: 0, controllen: 0 };
      if (done > 0) t.io = { nr, fd, file: f, done };
      // A plain stream read sleeps on its empty queue: the peer's next send may fill it straight.
      if (readUser && t.state !== "R" && io.wait === s.wq) unixAwaitRead(t, f, fd, nr, iov, done, total - done);
      return b;
    }
    return done > 0 ? { n: done, flags: 0, controllen: 0 } : r.n;
  }
  if (buf !== null && scatter(k, t, iov, done, buf.subarray(0, r.n)) < 0) {
    for (const x of r.fds) fput(k, x);
    return -EFAULT;
  }
  done += r.n;
  chargeWork(k, r.n);
  let oflags = 0;
  if (s.type !== SOCK_STREAM && r.full > r.n) oflags |= MSG_TRUNC;
  // Control data: the sender's credentials (SO_PASSCRED) first, then passed descriptors.
  let used = 0;
  if ((s.passcred && r.cred) || r.fds.length > 0) {
    const putCmsg = (type: number, data: Uint8Array): boolean => {
      const need = CMSG_HDR_LEN + data.length;
      if (ctrlLen - used < need) { oflags |= MSG_CTRUNC; return false; }
      const b = new Uint8Array(need);
      pack(CMSGHDR, { len: need, level: SOL_SOCKET, type }, b);
      b.set(data, CMSG_HDR_LEN);
      if (copyout(k.mmctx, t.mm!, ctrl + used, b) < 0) return false;
      used += Math.min(cmsgAlign(need), ctrlLen - used);
      return true;
    };
    if (s.passcred && r.cred) putCmsg(SCM_CREDENTIALS, pack(UCRED, r.cred));
    if (r.fds.length > 0) {
      const room = ctrl === 0 ? 0 : Math.max(0, Math.floor((ctrlLen - used - CMSG_HDR_LEN) / 4));
      const n = Math.min(room, r.fds.length);
      const fdsOut: number[] = [];
      let i = 0;
      for (; i < n; i++) {
        const nfd = installFd(t.files, r.fds[i], (flags & MSG_CMSG_CLOEXEC) !== 0, 0, nofile(t), k.mmctx);
        if (nfd < 0) break;
        fdsOut.push(nfd);
      }
      for (; i < r.fds.length; i++) fput(k, r.fds[i]); // no room (or no free descriptor): closed, as Linux does
      if (fdsOut.length < r.fds.length) oflags |= MSG_CTRUNC;
      if (fdsOut.length > 0) {
        const d = new Uint8Array(fdsOut.length * 4);
        fdsOut.forEach((x, j) => { d[j * 4] = x; d[j * 4 + 1] = x >>> 8; d[j * 4 + 2] = x >>> 16; d[j * 4 + 3] = x >>> 24; });
        if (!putCmsg(SCM_RIGHTS, d)) {
          // The numbers could not reach the program: take the descriptors back rather than leave unknown ones open.
          for (const x of fdsOut) { const e = t.files.fds[x]; t.files.fds[x] = null; if (e) fput(k, e.file); }
          if (!(oflags & MSG_CTRUNC)) return -EFAULT;
        }
      }
    }
  }
  if (nameVa !== 0) {
    const e = putAddr(k, t, nameVa, nameLenVa, fam.fromName(s, r.fromAddr));
    if (e < 0) return e;
  }
  // MSG_WAITALL on a stream: keep reading until the buffer is full (or end of file, or an error).
  const waitall = s.type === SOCK_STREAM && (flags & MSG_WAITALL) && !(flags & MSG_PEEK) && r.n > 0 && !nb;
  // The queue ran dry with the peer asleep in a send that has bytes left (net/handoff.ts, the take-over):
  // each further take-over stands for one run of the sender, which would refill its buffer and wake this
  // call, and the call would take that too before it returns. So take them all now, in this one call,
  // instead of sleeping (and switching tasks twice) for every send buffer's worth.
  if (waitall && readUser) {
    while (done < total && s.rq.length === 0 && s.peer !== null && s.peer.writer !== null) {
      const m = readUser(k, t, f, iov, done, total - done, io);
      if (m > 0) { done += m; chargeWork(k, m); continue; }
      // Our own page is on swap and the disk answers later: the call reruns from here once it is in (mm/uaccess.ts).
      if (m === -EFAULT && k.mmctx.vm.swap.uaccessWait) { t.io = { nr, fd, file: f, done }; return m; }
      break;
    }
    if (done >= total) return { n: done, flags: oflags, controllen: used };
  }
  if (waitall && done < total && s.rq.length === 0 && !(s.shut & 1) && !s.peer?.dead && !s.err) {
    const b = blockOn(k, t, s.wq);
    if (t.state === "R") return { n: done, flags: oflags, controllen: used };
    t.io = { nr, fd, file: f, done };
    if (readUser) unixAwaitRead(t, f, fd, nr, iov, done, total - done);
    return b;
  }
  const n = s.type !== SOCK_STREAM && (flags & MSG_TRUNC) ? r.full : done;
  return { n, flags: oflags, controllen: used };
}

function sysRecvfrom(k: Kernel, t: Task): number {
  const r = doRecv(k, t, N.SYS_recvfrom, argInt(k, 0), [{ base: argU(k, 1), len: argU(k, 2) }], argU(k, 4), argU(k, 5), 0, 0, argInt(k, 3));
  return typeof r === "number" ? r : r.n;
}

function sysRecvmsg(k: Kernel, t: Task): number {
  const va = argU(k, 1);
  const m = readMsghdr(k, t, va);
  if (typeof m === "number") return m;
  const nameLenVa = m.name !== 0 ? va + MSGHDR.fields.namelen[0] : 0;
  const r = doRecv(k, t, N.SYS_recvmsg, argInt(k, 0), m.iov, m.name, nameLenVa, m.control, m.controllen, argInt(k, 2));
  if (typeof r === "number") return r;
  if (putUser64(k.mmctx, t.mm!, va + MSGHDR.fields.controllen[0], r.controllen) < 0) return -EFAULT;
  if (putUser32(k.mmctx, t.mm!, va + MSGHDR.fields.flags[0], r.flags) < 0) return -EFAULT;
  return r.n;
}

/** struct mmsghdr: a msghdr and the byte count the call stores (msg_len), padded to 64. */
const MMSGHDR_SIZE = 64, MSG_WAITFORONE = 0x10000, UIO_MAXIOV = 1024;

/** sendmmsg(2): sendmsg for each message until one fails; the count sent, or the first message's error. */
function sysSendmmsg(k: Kernel, t: Task): number {
  const fd = argInt(k, 0), vec = argU(k, 1), flags = argInt(k, 3);
  const vlen = Math.min(argU(k, 2), UIO_MAXIOV);
  let i = 0;
  for (; i < vlen; i++) {
    const va = vec + i * MMSGHDR_SIZE;
    const m = readMsghdr(k, t, va);
    if (typeof m === "number") return i > 0 ? i : m;
    const n = doSend(k, t, N.SYS_sendmsg, fd, m.iov, m.name, m.namelen, m.control, m.controllen, i > 0 ? flags | MSG_DONTWAIT : flags);
    if (n < 0) return i > 0 ? i : n;
    if (putUser32(k.mmctx, t.mm!, va + MSGHDR.size, n) < 0) return i > 0 ? i : -EFAULT;
  }
  return i;
}

/**
 * recvmmsg(2): recvmsg for each message. Only the first may wait; later
 * ones take what is queued (MSG_WAITFORONE's behaviour, which tsix applies
 * always: Linux without it waits for all vlen messages; docs/net.md). The
 * timeout argument is not supported (EINVAL when given, not ignored).
 */
function sysRecvmmsg(k: Kernel, t: Task): number {
  const fd = argInt(k, 0), vec = argU(k, 1), flags = argInt(k, 3);
  if (argU(k, 4) !== 0) return -EINVAL;
  const vlen = Math.min(argU(k, 2), UIO_MAXIOV);
  let i = 0;
  for (; i < vlen; i++) {
    const va = vec + i * MMSGHDR_SIZE;
    const m = readMsghdr(k, t, va);
    if (typeof m === "number") return i > 0 ? i : m;
    const nameLenVa = m.name !== 0 ? va + MSGHDR.fields.namelen[0] : 0;
    const f = (flags & ~MSG_WAITFORONE) | (i > 0 ? MSG_DONTWAIT : 0);
    const r = doRecv(k, t, N.SYS_recvmsg, fd, m.iov, m.name, nameLenVa, m.control, m.controllen, f);
    if (typeof r === "number") return i > 0 ? i : r;
    if (putUser64(k.mmctx, t.mm!, va + MSGHDR.fields.controllen[0], r.controllen) < 0) return -EFAULT;
    if (putUser32(k.mmctx, t.mm!, va + MSGHDR.fields.flags[0], r.flags) < 0) return -EFAULT;
    if (putUser32(k.mmctx, t.mm!, va + MSGHDR.size, r.n) < 0) return -EFAULT;
  }
  return i;
}

// --- options ---

function sysGetsockopt(k: Kernel, t: Task): number {
  const sf = sockFd(t, argInt(k, 0));
  if (typeof sf === "number") return sf;
  const level = argInt(k, 1), name = argInt(k, 2), va = argU(k, 3), lenVa = argU(k, 4);
  const s = sf.s;
  const fam = familyOf(s);
  if (level !== SOL_SOCKET && !s.inet) return -EOPNOTSUPP;
  const len = getUser32(k.mmctx, t.mm!, lenVa);
  if (len === null) return -EFAULT;
  if ((len | 0) < 0) return -EINVAL;
  let v: number;
  const own = s.inet && !(level === SOL_SOCKET && [SO_TYPE, SO_ERROR, SO_ACCEPTCONN, SO_PASSCRED, SO_PEERCRED].includes(name)) ? fam.getopt(s, level, name) : null;
  if (own instanceof Uint8Array) {
    const n = Math.min(len, own.length);
    if (copyout(k.mmctx, t.mm!, va, own.subarray(0, n)) < 0) return -EFAULT;
    return putUser32(k.mmctx, t.mm!, lenVa, n) < 0 ? -EFAULT : 0;
  }
  if (own !== null && own < 0) return own;
  if (own !== null) v = own;
  else switch (name) {
    case SO_TYPE: v = s.nl ? s.nl.type : s.type; break;
    case SO_ERROR: v = s.err; s.err = 0; break;
    case SO_DOMAIN: v = s.nl ? AF_NETLINK : AF_UNIX; break;
    case SO_PROTOCOL: v = s.nl ? s.nl.protocol : 0; break;
    case SO_ACCEPTCONN: v = s.state === "listening" ? 1 : 0; break;
    case SO_SNDBUF: v = s.sndbuf; break;
    case SO_RCVBUF: v = s.rcvbuf; break;
    case SO_PASSCRED: v = s.passcred ? 1 : 0; break;
    case SO_PEERCRED: {
      const c = s.peercred ?? { pid: 0, uid: 0xffffffff, gid: 0xffffffff };
      const b = pack(UCRED, c);
      const n = Math.min(len, b.length);
      if (copyout(k.mmctx, t.mm!, va, b.subarray(0, n)) < 0) return -EFAULT;
      return putUser32(k.mmctx, t.mm!, lenVa, n) < 0 ? -EFAULT : 0;
    }
    default:
      if (level !== SOL_SOCKET || !isGenericSolOpt(name)) return -ENOPROTOOPT;
      v = getGenericSolOpt(s, name);
  }
  const b = new Uint8Array(4);
  b[0] = v; b[1] = v >>> 8; b[2] = v >>> 16; b[3] = v >>> 24;
  const n = Math.min(len, 4);
  if (copyout(k.mmctx, t.mm!, va, b.subarray(0, n)) < 0) return -EFAULT;
  return putUser32(k.mmctx, t.mm!, lenVa, n) < 0 ? -EFAULT : 0;
}

function sysSetsockopt(k: Kernel, t: Task): number {
  const sf = sockFd(t, argInt(k, 0));
  if (typeof sf === "number") return sf;
  const level = argInt(k, 1), name = argInt(k, 2), va = argU(k, 3), len = argInt(k, 4);
  const s = sf.s;
  if (level !== SOL_SOCKET && !s.inet) return -EOPNOTSUPP;
  if (len < 4) return -EINVAL;
  const raw = getUser32(k.mmctx, t.mm!, va);
  if (raw === null) return -EFAULT;
  const v = raw | 0;
  if (s.inet && level === SOL_SOCKET && name === SO_LINGER) {
    // struct linger { int l_onoff; int l_linger; }: stored as the linger time, or -1 when off.
    if (len < 8) return -EINVAL;
    const secs = getUser32(k.mmctx, t.mm!, va + 4);
    if (secs === null) return -EFAULT;
    return familyOf(s).setopt(k, s, level, name, v !== 0 ? Math.max(0, secs | 0) : -1, len);
  }
  if (s.inet && !(level === SOL_SOCKET && name === SO_PASSCRED)) return familyOf(s).setopt(k, s, level, name, v, len);
  // Linux doubles the asked size (room for its bookkeeping) within [min, 2 * max].
  const size = (min: number): number => Math.max(min, Math.min(Math.max(v, 0), SK_BUF_MAX) * 2);
  switch (name) {
    case SO_SNDBUF: s.sndbuf = size(SOCK_MIN_SNDBUF); return 0;
    case SO_RCVBUF: s.rcvbuf = size(SOCK_MIN_RCVBUF); return 0;
    case SO_PASSCRED: s.passcred = v !== 0; return 0;
    default:
      return isGenericSolOpt(name) ? setGenericSolOpt(s, name, v, t.tg.creds.euid === 0) : -ENOPROTOOPT;
  }
}

export function registerSocketSyscalls(table: SyscallTable): void {
  table[N.SYS_socket] = sysSocket;
  table[N.SYS_socketpair] = sysSocketpair;
  table[N.SYS_bind] = sysBind;
  table[N.SYS_listen] = sysListen;
  table[N.SYS_accept] = sysAccept;
  table[N.SYS_accept4] = sysAccept4;
  table[N.SYS_connect] = sysConnect;
  table[N.SYS_getsockname] = sysGetsockname;
  table[N.SYS_getpeername] = sysGetpeername;
  table[N.SYS_sendto] = sysSendto;
  table[N.SYS_recvfrom] = sysRecvfrom;
  table[N.SYS_setsockopt] = sysSetsockopt;
  table[N.SYS_getsockopt] = sysGetsockopt;
  table[N.SYS_shutdown] = sysShutdown;
  table[N.SYS_sendmsg] = sysSendmsg;
  table[N.SYS_recvmsg] = sysRecvmsg;
  table[N.SYS_sendmmsg] = sysSendmmsg;
  table[N.SYS_recvmmsg] = sysRecvmmsg;
}

