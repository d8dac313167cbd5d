// AF_NETLINK sockets (netlink(7)) with the one protocol programs here need:
// NETLINK_ROUTE (rtnetlink(7)), enough for busybox `ip addr`, `ip link` and
// `ip route` and for glibc's getifaddrs: RTM_GETLINK, RTM_GETADDR and
// RTM_GETROUTE dumps (NLM_F_DUMP, answered with NLM_F_MULTI messages and
// NLMSG_DONE), NLMSG_ERROR with an errno for every request it does not
// serve (changing links, addresses or routes: EPERM without root, as Linux's
// CAP_NET_ADMIN check says, and EOPNOTSUPP with it, as tsix's interfaces are
// fixed), acks on NLM_F_ACK, sequence numbers echoed, port ids (nl_pid)
// assigned as Linux does (the process id first, then negative numbers),
// bind/connect/getsockname/getpeername. Messages between user ports are
// delivered too, and `netlinkSendSkb` is how mq_notify's SIGEV_THREAD
// reaches glibc's helper thread (a 32-byte cookie on the socket whose fd the
// program gave).
//
// The answers are built from lib/netif.ts's interface table, the one
// ifconfig's SIOCGIF* ioctls and /proc/net read: nothing is kept twice.
// The socket is a UnixSock (net/unix.ts) whose queue works as a datagram
// socket's (each answer is one datagram; MSG_PEEK, MSG_TRUNC, readiness and
// blocking are the AF_UNIX code's), with its netlink data in `nl`.
//
// Concepts: C45 (sockets: a socket whose other end is the kernel itself).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File, IoCtx } from "../fs/vfs.js";
import type { NlInfo } from "./inet_types.js";
import { wakeUp } from "../sched/wait.js";
import { defineFileOps } from "../lib/fsops.js";
import { putUser32 } from "../mm/uaccess.js";
import { FIONREAD } from "../abi/ioctls.js";
import { getU32, putU32 } from "../abi/le.js";
import { AF_INET, AF_INET6, AF_NETLINK, AF_UNSPEC, SOCK_DGRAM, SOCK_RAW } from "../abi/socket.js";
import { EINVAL, EADDRINUSE, ECONNREFUSED, EOPNOTSUPP, EPERM, ENOTTY, EFAULT, EPROTONOSUPPORT, ENOBUFS } from "../abi/errno.js";
import {
  type UnixSock, type UCred, type RecvResult, NETLINK_FOPS, sockFile, unixRecv, unixRelease, unixPoll, taskCred,
} from "./unix.js";
import { netdevIoctl } from "./netdev.js";
import { type NetDev, netDevices, netAddrs, netRoutes, IFF_LOOPBACK, IFF_RUNNING } from "../lib/netif.js";

export const NETLINK_ROUTE = 0;
/** Protocols are 0..MAX_LINKS-1 (Linux's netlink_create: EPROTONOSUPPORT beyond). */
const MAX_LINKS = 32;
const ESOCKTNOSUPPORT = 94;

/** struct nlmsghdr: len u32, type u16, flags u16, seq u32, pid u32. */
const NLMSG_HDRLEN = 16;
const NLMSG_ERROR = 2, NLMSG_DONE = 3, NLMSG_MIN_TYPE = 0x10;
const NLM_F_REQUEST = 0x1, NLM_F_MULTI = 0x2, NLM_F_ACK = 0x4, NLM_F_DUMP = 0x300, NLM_F_CAPPED = 0x100;
const RTM_BASE = 16, RTM_GETLINK = 18, RTM_GETADDR = 22, RTM_GETROUTE = 26;
/** The highest rtnetlink message type Linux 6.1 knows (RTM_MAX); above it: EOPNOTSUPP. */
const RTM_MAX = 123;
/** sizeof(struct sockaddr_nl): family u16, pad u16, pid u32, groups u32. */
const SOCKADDR_NL = 12;

const IFLA_ADDRESS = 1, IFLA_BROADCAST = 2, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_QDISC = 6, IFLA_TXQLEN = 13, IFLA_OPERSTATE = 16, IFLA_LINKMODE = 17;
const IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_BROADCAST = 4, IFA_CACHEINFO = 6, IFA_FLAGS = 8;
const RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_PREFSRC = 7, RTA_TABLE = 15;
const IFF_LOWER_UP = 0x10000, IFA_F_PERMANENT = 0x80, IF_OPER_UNKNOWN = 0, IF_OPER_UP = 6;

/** The kernel's own address as a received message's source ("portid:groups"). */
const KERNEL_FROM = "0:0";
const KERNEL_CRED: UCred = { pid: 0, uid: 0, gid: 0 };

/** socket(AF_NETLINK, type, protocol). */
export function netlinkSocket(k: Kernel, t: Task, type: number, protocol: number): File | number {
  const ty = type & 0xf;
  if (ty !== SOCK_RAW && ty !== SOCK_DGRAM) return -ESOCKTNOSUPPORT;
  if (protocol < 0 || protocol >= MAX_LINKS || protocol !== NETLINK_ROUTE) return -EPROTONOSUPPORT;
  const nl: NlInfo = { protocol, type: ty, portid: 0, groups: 0, dstPortid: 0 };
  return sockFile(k, t, SOCK_DGRAM, type, null, null, nl);
}

function nlSocks(k: Kernel, protocol: number): UnixSock[] {
  const out: UnixSock[] = [];
  for (const s of k.net.socks.values()) if (s.nl && s.nl.protocol === protocol && !s.dead) out.push(s);
  return out;
}

function portUsed(k: Kernel, protocol: number, portid: number): boolean {
  return nlSocks(k, protocol).some((s) => s.nl!.portid === portid);
}

/** Give `s` a port id: its process's id when free, else a negative one (Linux's netlink_autobind rover). */
function autobind(k: Kernel, s: UnixSock): void {
  const nl = s.nl!;
  if (nl.portid !== 0) return;
  let id = s.cred.pid;
  for (let rover = -4096; id === 0 || portUsed(k, nl.protocol, id); rover--) id = rover;
  nl.portid = id;
}

/** Decode a sockaddr_nl: pid and groups, or -errno. */
function readNl(b: Uint8Array): { pid: number; groups: number } | number {
  if (b.length < SOCKADDR_NL) return -EINVAL;
  if ((b[0] | (b[1] << 8)) !== AF_NETLINK) return -EINVAL;
  return { pid: getU32(b, 4) | 0, groups: getU32(b, 8) };
}

export function encodeNl(pid: number, groups: number): Uint8Array {
  const b = new Uint8Array(SOCKADDR_NL);
  b[0] = AF_NETLINK;
  putU32(b, 4, pid >>> 0);
  putU32(b, 8, groups >>> 0);
  return b;
}

export function netlinkBind(k: Kernel, t: Task, s: UnixSock, b: Uint8Array): number {
  const a = readNl(b);
  if (typeof a === "number") return a;
  const nl = s.nl!;
  if (nl.portid !== 0) {
    if (a.pid !== 0 && a.pid !== nl.portid) return -EINVAL; // a bound socket keeps its port (Linux: EINVAL)
  } else if (a.pid !== 0) {
    if (portUsed(k, nl.protocol, a.pid)) return -EADDRINUSE;
    nl.portid = a.pid;
  } else autobind(k, s);
  // Joining rtnetlink's groups needs no privilege (NL_CFG_F_NONROOT_RECV); nothing here ever changes, so no event comes.
  void t;
  nl.groups = a.groups;
  return 0;
}

export function netlinkConnect(k: Kernel, s: UnixSock, b: Uint8Array): number {
  if (b.length >= 2 && (b[0] | (b[1] << 8)) === AF_UNSPEC) { s.nl!.dstPortid = 0; s.state = "unconnected"; return 0; }
  const a = readNl(b);
  if (typeof a === "number") return a;
  autobind(k, s);
  s.nl!.dstPortid = a.pid;
  s.state = "connected";
  return 0;
}

/** getsockname (peer false) and getpeername: a sockaddr_nl. */
export function netlinkName(s: UnixSock, peer: boolean): Uint8Array {
  const nl = s.nl!;
  return peer ? encodeNl(nl.dstPortid, 0) : encodeNl(nl.portid, nl.groups);
}

/** A received message's source: the kernel (0) or a user port. */
export function netlinkFrom(from: string): Uint8Array {
  const [pid, groups] = (from === "" ? KERNEL_FROM : from).split(":").map(Number);
  return encodeNl(pid, groups);
}

/** sendto's destination: a port id, or -errno. */
export function netlinkDest(b: Uint8Array): { addr: string; port: number } | number {
  const a = readNl(b);
  if (typeof a === "number") return a;
  return { addr: "nl", port: a.pid };
}

/** Queue one datagram on `s` (a full receive buffer drops it: the sender sees ENOBUFS on Linux's next recv; here it is dropped). */
function deliver(k: Kernel, s: UnixSock, data: Uint8Array, from: string, cred: UCred): boolean {
  if (s.dead || s.rqBytes + data.length > s.rcvbuf) return false;
  s.rq.push({ data, off: 0, fds: [], cred, from: null, fromAddr: from });
  s.rqBytes += data.length;
  wakeUp(k, s.wq);
  return true;
}

/** The netlink socket of an open file, or null (mq_notify's SIGEV_THREAD names one by descriptor). */
export function netlinkSockOf(f: File): UnixSock | null {
  return f.ops === NETLINK_FOPS ? (f.info as UnixSock) : null;
}

/**
 * Linux's netlink_sendskb: a datagram from the kernel to socket `s` (mq_notify's
 * SIGEV_THREAD cookie). Lost when the socket is closed or its buffer full.
 */
export function netlinkSendSkb(k: Kernel, s: UnixSock, data: Uint8Array): void {
  deliver(k, s, data, KERNEL_FROM, KERNEL_CRED);
}

/** send on a netlink socket: to the kernel (port 0: rtnetlink answers) or to another user port. */
export function netlinkSend(k: Kernel, t: Task, s: UnixSock, data: Uint8Array, to: { addr: string; port: number } | null): number {
  autobind(k, s);
  const nl = s.nl!;
  const dst = to ? to.port : nl.dstPortid;
  if (dst !== 0) {
    const o = nlSocks(k, nl.protocol).find((x) => x.nl!.portid === dst);
    if (!o) return -ECONNREFUSED;
    deliver(k, o, data.slice(), `${nl.portid}:0`, taskCred(t));
    return data.length;
  }
  rtnetlinkRcv(k, t, s, data);
  return data.length;
}

export function netlinkRecv(k: Kernel, s: UnixSock, buf: Uint8Array, flags: number, io: IoCtx): RecvResult {
  return unixRecv(k, s, buf, flags, io);
}

// --- building messages ---

/** A growing message buffer (netlink messages and their rtattrs, 4-byte aligned). */
interface Out { b: number[] }

const align4 = (n: number): number => (n + 3) & ~3;

function put16(o: Out, v: number): void { o.b.push(v & 0xff, (v >>> 8) & 0xff); }
function put32(o: Out, v: number): void { o.b.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff); }
function pad(o: Out): void { while (o.b.length & 3) o.b.push(0); }

function attr(o: Out, type: number, data: readonly number[]): void {
  put16(o, 4 + data.length);
  put16(o, type);
  o.b.push(...data);
  pad(o);
}
const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const cstr = (s: string): number[] => [...Array.from(s, (c) => c.charCodeAt(0) & 0xff), 0];

/** Start a message; returns where its header is (its length is patched by `end`). */
function begin(o: Out, type: number, flags: number, seq: number, pid: number): number {
  const at = o.b.length;
  put32(o, 0); put16(o, type); put16(o, flags); put32(o, seq); put32(o, pid);
  return at;
}
function end(o: Out, at: number): void {
  const len = o.b.length - at;
  o.b[at] = len & 0xff; o.b[at + 1] = (len >>> 8) & 0xff; o.b[at + 2] = (len >>> 16) & 0xff; o.b[at + 3] = (len >>> 24) & 0xff;
  pad(o);
}

function linkMsg(o: Out, d: NetDev, seq: number, pid: number): void {
  const at = begin(o, RTM_BASE /* RTM_NEWLINK */, NLM_F_MULTI, seq, pid);
  // struct ifinfomsg: family, pad, type u16, index i32, flags u32, change u32.
  o.b.push(AF_UNSPEC, 0);
  put16(o, d.hwtype);
  put32(o, d.index);
  put32(o, d.flags | (d.flags & IFF_RUNNING ? IFF_LOWER_UP : 0));
  put32(o, 0);
  const lo = (d.flags & IFF_LOOPBACK) !== 0;
  attr(o, IFLA_IFNAME, cstr(d.name));
  attr(o, IFLA_TXQLEN, u32(d.txqlen));
  attr(o, IFLA_OPERSTATE, [lo ? IF_OPER_UNKNOWN : IF_OPER_UP]);
  attr(o, IFLA_LINKMODE, [0]);
  attr(o, IFLA_MTU, u32(d.mtu));
  attr(o, IFLA_QDISC, cstr(lo ? "noqueue" : "pfifo_fast"));
  attr(o, IFLA_ADDRESS, [...d.hwaddr]);
  attr(o, IFLA_BROADCAST, lo ? [0, 0, 0, 0, 0, 0] : [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  end(o, at);
}

function dumpLinks(k: Kernel, o: Out, seq: number, pid: number): void {
  for (const d of netDevices(k)) linkMsg(o, d, seq, pid);
}

function dumpAddrs(k: Kernel, o: Out, family: number, seq: number, pid: number): void {
  for (const a of netAddrs(k)) {
    if (family !== AF_UNSPEC && family !== a.family) continue;
    const at = begin(o, RTM_BASE + 4 /* RTM_NEWADDR */, NLM_F_MULTI, seq, pid);
    // struct ifaddrmsg: family, prefixlen, flags, scope, index u32.
    o.b.push(a.family, a.prefix, IFA_F_PERMANENT, a.scope);
    put32(o, a.index);
    attr(o, IFA_ADDRESS, [...a.addr]);
    if (a.family === AF_INET) {
      attr(o, IFA_LOCAL, [...a.addr]);
      if (a.brd) attr(o, IFA_BROADCAST, [...a.brd]);
      attr(o, IFA_LABEL, cstr(a.label));
    }
    attr(o, IFA_FLAGS, u32(IFA_F_PERMANENT));
    // struct ifa_cacheinfo: preferred and valid lifetimes (forever), created and updated stamps.
    attr(o, IFA_CACHEINFO, [...u32(0xffffffff), ...u32(0xffffffff), ...u32(0), ...u32(0)]);
    end(o, at);
  }
}

function dumpRoutes(k: Kernel, o: Out, family: number, seq: number, pid: number): void {
  for (const r of netRoutes(k)) {
    if (family !== AF_UNSPEC && family !== r.family) continue;
    const at = begin(o, RTM_BASE + 8 /* RTM_NEWROUTE */, NLM_F_MULTI, seq, pid);
    // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags u32.
    o.b.push(r.family, r.dstLen, 0, 0, r.table, r.protocol, r.scope, r.type);
    put32(o, 0);
    attr(o, RTA_TABLE, u32(r.table));
    if (r.dstLen > 0) attr(o, RTA_DST, [...r.dst]);
    if (r.family === AF_INET6) attr(o, RTA_PRIORITY, u32(r.gateway ? 1024 : 256)); // Linux's IPv6 metrics: a default route 1024, an address's own route 256
    if (r.prefsrc) attr(o, RTA_PREFSRC, [...r.prefsrc]);
    if (r.gateway) attr(o, RTA_GATEWAY, [...r.gateway]);
    attr(o, RTA_OIF, u32(r.oif));
    end(o, at);
  }
}

/** NLMSG_ERROR for request `req` (its header at `at`): an errno, or 0 as an ack. */
function errorMsg(o: Out, req: Uint8Array, at: number, len: number, err: number, pid: number): void {
  // An ack carries only the request's header (NLM_F_CAPPED); an error the whole request.
  const body = err === 0 ? req.subarray(at, at + NLMSG_HDRLEN) : req.subarray(at, at + len);
  const h = begin(o, NLMSG_ERROR, err === 0 ? NLM_F_CAPPED : 0, getU32(req, at + 8), pid);
  put32(o, err);
  o.b.push(...body);
  end(o, h);
}

/** Linux's netlink_rcv_skb + rtnetlink_rcv_msg: each request in the datagram answered in turn. */
function rtnetlinkRcv(k: Kernel, t: Task, s: UnixSock, data: Uint8Array): void {
  const pid = s.nl!.portid;
  for (let at = 0; data.length - at >= NLMSG_HDRLEN;) {
    const len = getU32(data, at);
    if (len < NLMSG_HDRLEN || len > data.length - at) return; // a malformed tail is ignored, as Linux does
    const type = data[at + 4] | (data[at + 5] << 8), flags = data[at + 6] | (data[at + 7] << 8), seq = getU32(data, at + 8);
    const o: Out = { b: [] };
    let err = 0, dumped = false;
    if (flags & NLM_F_REQUEST && type >= NLMSG_MIN_TYPE) {
      const family = len > NLMSG_HDRLEN ? data[at + NLMSG_HDRLEN] : AF_UNSPEC;
      if (type > RTM_MAX) err = -EOPNOTSUPP;
      else if (len < NLMSG_HDRLEN + 1) err = 0; // every rtnetlink request has at least its family byte: Linux ignores it
      else if (((type - RTM_BASE) & 3) !== 2) {
        // NEW/DEL/SET: changing the interfaces. Linux checks CAP_NET_ADMIN first; tsix's interfaces are fixed.
        err = t.tg.creds.euid !== 0 ? -EPERM : -EOPNOTSUPP;
      } else if ((flags & NLM_F_DUMP) === NLM_F_DUMP && (type === RTM_GETLINK || type === RTM_GETADDR || type === RTM_GETROUTE)) {
        if (type === RTM_GETLINK) dumpLinks(k, o, seq, pid);
        else if (type === RTM_GETADDR) dumpAddrs(k, o, family, seq, pid);
        else dumpRoutes(k, o, family, seq, pid);
        const d = begin(o, NLMSG_DONE, NLM_F_MULTI, seq, pid);
        put32(o, 0);
        end(o, d);
        dumped = true;
      } else err = -EOPNOTSUPP; // a GET of one object, or a dump of a kind not served
    }
    // A dump ends with NLMSG_DONE instead of an ack; anything else is acked when asked or when it failed.
    if (!dumped && (err !== 0 || flags & NLM_F_ACK)) errorMsg(o, data, at, len, err, pid);
    if (o.b.length > 0 && !deliver(k, s, new Uint8Array(o.b), KERNEL_FROM, KERNEL_CRED)) s.err = ENOBUFS;
    at += align4(len);
  }
}

export const netlinkFops = defineFileOps(NETLINK_FOPS, {
  read(k, _t, f, buf, _pos, io) {
    return netlinkRecv(k, f.info as UnixSock, buf, 0, io).n;
  },
  write(k, t, f, buf) {
    return netlinkSend(k, t, f.info as UnixSock, buf, null);
  },
  poll(_k, _t, f, io) {
    const s = f.info as UnixSock;
    io.wait = s.wq;
    return unixPoll(s);
  },
  ioctl(k, t, f, cmd, arg) {
    if (cmd === FIONREAD) {
      const s = f.info as UnixSock;
      return putUser32(k.mmctx, t.mm!, arg, s.rq[0]?.data.length ?? 0) < 0 ? -EFAULT : 0;
    }
    const r = netdevIoctl(k, t, cmd, arg);
    return r === null ? -ENOTTY : r;
  },
  release(k, f) {
    unixRelease(k, f.info as UnixSock);
  },
});
