// AF_INET and AF_INET6 sockets inside the machine: TCP and UDP over the
// loopback interface `lo` (127.0.0.0/8 and ::1). This is not a packet-level
// TCP/IP stack: a TCP connection is a pair of connected stream sockets with
// byte queues (net/unix.ts's UnixSock, whose buffers, shutdown, EPIPE/SIGPIPE,
// MSG_PEEK/WAITALL and readiness are the same for a stream on one machine),
// and a UDP datagram goes straight into the receiving socket's queue. What
// this module adds is what programs see of IP: addresses and ports, bind
// rules (EADDRINUSE, SO_REUSEADDR/SO_REUSEPORT, IPV6_V6ONLY, privileged
// ports), ephemeral ports from ip_local_port_range, the listener lookup
// (ECONNREFUSED on a closed port), non-blocking connect (EINPROGRESS, then
// writable with SO_ERROR), connected UDP (ECONNREFUSED from the "ICMP port
// unreachable" a closed port draws), and IPv4-mapped IPv6 addresses.
//
// Where a network device would plug in: every outgoing connection or
// datagram resolves its destination in `route` below. Without --net user only
// local addresses route (to lo); anything else is ENETUNREACH. With it, the
// rest leaves through the host's sockets (user-mode networking, below: TCP,
// UDP, IPv4 and IPv6, with flow control from the host). A virtio-net device
// would replace k.host.net with a driver that carries packets.
//
// Simplifications (docs/net.md): no TIME_WAIT (a port is free the moment its
// last socket closes); a non-blocking connect to a listener whose backlog is
// full fails with EAGAIN instead of retrying the SYN later; the reported
// SO_SNDBUF/SO_RCVBUF are Linux's TCP defaults while flow control uses the
// socket-buffer default until a program sets a size.
//
// Concepts: C45 (sockets: addressed channels between processes), C47 (many
// connections multiplexed by poll/epoll/select: the readiness is unixPoll's).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File, IoCtx } from "../fs/vfs.js";
import { type InetInfo, type IpHex, HOST_FIN_SHUTDOWN, HOST_FIN_CLOSE } from "./inet_types.js";
import { wakeUp } from "../sched/wait.js";
import { nowNs } from "../time/clock.js";
import { addTimer } from "../time/timer.js";
import { defineFileOps } from "../lib/fsops.js";
import { putUser32 } from "../mm/uaccess.js";
import { FIONREAD } from "../abi/ioctls.js";
import { SOCK_STREAM, SOCK_DGRAM, AF_INET, AF_INET6, SK_BUF_DEFAULT, SOMAXCONN, MSG_NOSIGNAL } from "../abi/socket.js";
import {
  EADDRINUSE, EADDRNOTAVAIL, EACCES, EINVAL, EISCONN, ECONNREFUSED, ENETUNREACH, EINPROGRESS, EAGAIN, ENOTCONN, EDESTADDRREQ,
  EMSGSIZE, EOPNOTSUPP, EFAULT, ENOTTY, EPIPE, ECONNABORTED, EALREADY, EHOSTUNREACH,
} from "../abi/errno.js";
import {
  type UnixSock, type RecvResult, type UCred, INET_FOPS, sockFile, unixNewSock, enqueue, unixConnect, unixSend, unixRecv, unixShutdown, unixRelease, unixPoll, unixReadUserFile, readViaBuffer, unixWriteUserFile, copyFromIov,
  RCV_SHUTDOWN, SEND_SHUTDOWN, SHUTDOWN_MASK,
} from "./unix.js";
import { sendSignalTask } from "../signal/signal.js";
import { SIGPIPE } from "../abi/signal.js";
import { netdevIoctl, linkLocal6, ETH0 as ETH0_DEV } from "./netdev.js";

export const IPPROTO_IP = 0, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_IPV6 = 41;
/** ip_local_port_range's default. */
export const PORT_LO = 32768, PORT_HI = 60999;
/** Below this a bind needs root (net.ipv4.ip_unprivileged_port_start). */
export const PORT_PRIVILEGED = 1024;
/** Linux's TCP buffer defaults as getsockopt shows them (tcp_wmem[1], tcp_rmem[1]). */
export const TCP_SNDBUF_DEFAULT = 16384, TCP_RCVBUF_DEFAULT = 131072;
/** The largest UDP payload over IPv4 and IPv6 (65535 less the headers). */
const UDP_MAX_V4 = 65507, UDP_MAX_V6 = 65527;

const V4PFX = "00000000000000000000ffff";
export const ANY6: IpHex = "0".repeat(32), ANY4: IpHex = V4PFX + "00000000";
export const LO4: IpHex = V4PFX + "7f000001", LO6: IpHex = "0".repeat(31) + "1";

export function isV4(a: IpHex): boolean { return a.startsWith(V4PFX); }
export function isAny(a: IpHex): boolean { return a === ANY6 || a === ANY4; }
/** An address of this machine: the loopback net (127.0.0.0/8, ::1). */
export function isLocal(a: IpHex): boolean { return (isV4(a) && a.slice(24, 26) === "7f") || a === LO6; }
/** User-mode networking's addresses (QEMU's): the guest's eth0, the gateway (the host's 127.0.0.1) and the DNS server. */
export const ETH0: IpHex = V4PFX + "0a00020f", GATEWAY: IpHex = V4PFX + "0a000202", DNS: IpHex = V4PFX + "0a000203";
/** An address of this machine: lo's, and eth0's with --net user (its link-local one too). */
function isOwn(k: Kernel, a: IpHex): boolean { return isLocal(a) || (k.net.user && (a === ETH0 || a === ETH0_6 || a === ETH0_LL)); }
/** eth0's IPv6 link-local address, fe80::5054:ff:fe12:3456 (lib/netif.ts linkLocal6 of its MAC). */
export const ETH0_LL: IpHex = v6Hex(Uint8Array.from(linkLocal6(ETH0_DEV.hwaddr)));
/** fe80::/10: an address that means something only on one link, named by a scope id (the interface index). */
export function isLinkLocal6(a: IpHex): boolean { return a.startsWith("fe") && (parseInt(a.slice(2, 3), 16) & 0xc) === 0x8; }
/** IPv6 under --net user (QEMU's user networking): eth0's fec0::15/64 and the gateway fec0::2, which is the host's ::1. */
export const ETH0_6: IpHex = "fec0" + "0".repeat(26) + "15", GATEWAY6: IpHex = "fec0" + "0".repeat(27) + "2";
/** QEMU's IPv6 DNS address under user networking (fec0::3): answered like 10.0.2.3, by the host's resolver. */
export const DNS6: IpHex = "fec0" + "0".repeat(27) + "3";
/** One of the DNS server addresses (10.0.2.3, fec0::3). */
function isDns(a: IpHex): boolean { return a === DNS || a === DNS6; }
/** An address as text for the host's sockets: a mapped IPv4 address dotted, an IPv6 one in groups. */
function dotted(a: IpHex): string {
  if (isV4(a)) return Array.from(hexBytes(a).subarray(12), String).join(".");
  const g: string[] = [];
  for (let i = 0; i < 32; i += 4) g.push(parseInt(a.slice(i, i + 4), 16).toString(16));
  return g.join(":");
}

/** 4 bytes of an IPv4 address (network order) as a mapped IpHex, and back. */
export function v4Hex(b: Uint8Array): IpHex {
  return V4PFX + Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, "0")).join("");
}
export function v6Hex(b: Uint8Array): IpHex { return Array.from(b.subarray(0, 16), (x) => x.toString(16).padStart(2, "0")).join(""); }
export function hexBytes(a: IpHex): Uint8Array {
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = parseInt(a.slice(i * 2, i * 2 + 2), 16);
  return b;
}

export function newInetInfo(family: number, proto: number): InetInfo {
  return {
    family, proto, laddr: family === AF_INET ? ANY4 : ANY6, lport: 0, raddr: family === AF_INET ? ANY4 : ANY6, rport: 0,
    sndbuf: proto === IPPROTO_TCP ? TCP_SNDBUF_DEFAULT : SK_BUF_DEFAULT, rcvbuf: proto === IPPROTO_TCP ? TCP_RCVBUF_DEFAULT : SK_BUF_DEFAULT,
    v6only: false, opts: {}, reset: false, connecting: false, hostId: 0, hostPending: false, drops: 0, hostUdp: 0, hostPaused: false, hostFin: 0,
  };
}

/** The inet socket of a UnixSock (callers check s.inet first). */
function inf(s: UnixSock): InetInfo { return s.inet!; }

/** A TCP connection between two sockets of this machine: its reads copy straight from the peer's messages (unix.ts). */
export function inetLocalStream(s: UnixSock): boolean {
  return s.type === SOCK_STREAM && s.state === "connected" && s.peer !== null && !s.peer.inet?.hostId && !s.inet?.hostId;
}

/** The same with a live peer and no reset: its writes copy straight into the peer's queue; otherwise inetSend decides (EPIPE, ECONNRESET). */
export function inetDirectSend(s: UnixSock): boolean {
  return inetLocalStream(s) && !s.peer!.dead && !inf(s).reset;
}

export function inetSocket(k: Kernel, t: Task, family: number, type: number, proto: number, flags: number): File | number {
  return sockFile(k, t, type, flags, null, newInetInfo(family, proto));
}

/** Every live inet socket of a protocol. */
function socksOf(k: Kernel, proto: number): UnixSock[] {
  const out: UnixSock[] = [];
  for (const s of k.net.socks.values()) if (s.inet && s.inet.proto === proto && !s.dead) out.push(s);
  return out;
}

/** Does a socket bound to `i.laddr` take traffic for `d`? A dual-stack :: takes IPv4 too. */
function covers(i: InetInfo, d: IpHex): boolean {
  if (i.laddr === ANY6) return isV4(d) ? !i.v6only : true;
  if (i.laddr === ANY4) return isV4(d);
  return i.laddr === d;
}

/** Can two bindings see the same destination address? */
function overlap(a: InetInfo, b: InetInfo): boolean {
  if (!isAny(a.laddr) && !isAny(b.laddr)) return a.laddr === b.laddr;
  if (!isAny(a.laddr)) return covers(b, a.laddr);
  if (!isAny(b.laddr)) return covers(a, b.laddr);
  const v4 = (i: InetInfo): boolean => i.laddr === ANY4 || !i.v6only;
  const v6 = (i: InetInfo): boolean => i.laddr === ANY6;
  return (v4(a) && v4(b)) || (v6(a) && v6(b));
}

const SO_REUSEADDR_KEY = "1:2", SO_REUSEPORT_KEY = "1:15";

/** Would binding `s` (its laddr set, port `port`) clash with `o`? Linux's inet_csk_bind_conflict / udp_lib_lport_inuse in short. */
function clash(s: UnixSock, o: UnixSock, port: number): boolean {
  const a = inf(s), b = inf(o);
  if (o === s || b.lport !== port || !overlap({ ...a, laddr: a.laddr }, b)) return false;
  if (a.opts[SO_REUSEPORT_KEY] && b.opts[SO_REUSEPORT_KEY] && s.cred.uid === o.cred.uid) return false;
  if (a.opts[SO_REUSEADDR_KEY] && b.opts[SO_REUSEADDR_KEY] && (a.proto === IPPROTO_UDP || o.state !== "listening")) return false;
  return true;
}

function portFree(k: Kernel, s: UnixSock, port: number): boolean {
  for (const o of socksOf(k, inf(s).proto)) if (clash(s, o, port)) return false;
  return true;
}

/** Pick an ephemeral port (ip_local_port_range) for `s`; 0 when every one is taken. */
function ephemeral(k: Kernel, s: UnixSock): number {
  const n = PORT_HI - PORT_LO + 1;
  for (let i = 0; i < n; i++) {
    const port = PORT_LO + ((k.net.nextPort + i) % n);
    if (portFree(k, s, port)) { k.net.nextPort = (k.net.nextPort + i + 1) % n; return port; }
  }
  return 0;
}

/** bind(2): `addr` already in this socket's family's terms (an IPv4 address mapped). */
export function inetBind(k: Kernel, t: Task, s: UnixSock, addr: IpHex, port: number): number {
  const i = inf(s);
  if (i.family === AF_INET6 && isV4(addr) && i.v6only) return -EINVAL;
  if (!isAny(addr) && !isOwn(k, addr)) return -EADDRNOTAVAIL;
  if (port !== 0 && port < PORT_PRIVILEGED && t.tg.creds.euid !== 0) return -EACCES;
  if (i.lport !== 0) return -EINVAL;
  const old = i.laddr;
  i.laddr = addr;
  if (port === 0) port = ephemeral(k, s);
  else if (!portFree(k, s, port)) port = 0;
  if (port === 0) { i.laddr = old; return -EADDRINUSE; }
  i.lport = port;
  return 0;
}

/** An unbound socket gets an ephemeral port (connect, listen, a first sendto). */
function autobind(k: Kernel, s: UnixSock): number {
  const i = inf(s);
  if (i.lport !== 0) return 0;
  const p = ephemeral(k, s);
  if (p === 0) return -EAGAIN; // Linux: EAGAIN when the ephemeral range is exhausted
  i.lport = p;
  return 0;
}

export function inetListen(k: Kernel, s: UnixSock, backlog: number): number {
  const i = inf(s);
  if (i.proto !== IPPROTO_TCP) return -EOPNOTSUPP;
  if (s.state === "connected") return -EINVAL;
  if (s.state !== "listening") {
    const r = autobind(k, s);
    if (r < 0) return -EADDRINUSE;
    // Two listeners on one port need SO_REUSEPORT on both (SO_REUSEADDR lets them bind, not listen).
    for (const o of socksOf(k, IPPROTO_TCP)) {
      if (o !== s && o.state === "listening" && o.inet!.lport === i.lport && overlap(i, o.inet!) &&
        !(i.opts[SO_REUSEPORT_KEY] && o.inet!.opts[SO_REUSEPORT_KEY] && s.cred.uid === o.cred.uid)) return -EADDRINUSE;
    }
  }
  if (backlog < 0 || backlog > SOMAXCONN) backlog = SOMAXCONN;
  s.maxBacklog = backlog;
  s.state = "listening";
  wakeUp(k, s.wq);
  return 0;
}

/**
 * Where a destination goes: the address to connect to (INADDR_ANY and ::
 * mean this machine, as on Linux), or -errno. Here a second interface's
 * route would go (see the module comment).
 */
function route(k: Kernel, s: UnixSock, d: IpHex): IpHex | number {
  const i = inf(s);
  if (isV4(d) && i.family === AF_INET6 && i.v6only) return -ENETUNREACH;
  if (d === ANY4) return LO4;
  if (d === ANY6) return LO6;
  if (isOwn(k, d)) return d;
  // A link-local destination is on eth0's link, never behind the gateway, so
  // never routed to the host: a neighbour to find there (neighConnect), and
  // with no eth0 (no --net user) no link to look on.
  if (isLinkLocal6(d)) return k.net.user ? d : -EHOSTUNREACH;
  // --net user: every other destination goes out through the host (eth0's default routes, IPv4 and IPv6).
  if (k.net.user && k.host.net) return d;
  return -ENETUNREACH;
}

/** Does d leave the machine (through the host)? */
function viaHost(k: Kernel, d: IpHex): boolean { return !isOwn(k, d) && !onLink(k, d); }

/** A link-local address on eth0's link other than eth0's own: a neighbour that would have to answer discovery. */
function onLink(k: Kernel, d: IpHex): boolean { return isLinkLocal6(d) && !isOwn(k, d); }

/** The source address for a destination: a bound address, else lo's (127.0.0.1, ::1) or eth0's. */
function sourceFor(k: Kernel, i: InetInfo, d: IpHex): IpHex {
  if (!isAny(i.laddr)) return i.laddr;
  if (isLinkLocal6(d)) return ETH0_LL; // a link-local destination gets the link's own address
  if (d === ETH0_6 || (!isV4(d) && viaHost(k, d))) return ETH0_6;
  if (viaHost(k, d) || d === ETH0) return ETH0;
  return isV4(d) ? LO4 : LO6;
}

/** The socket that takes traffic for d:port: the best match (specific address, then connected to the sender), Linux's scoring in short. */
function lookup(k: Kernel, proto: number, d: IpHex, port: number, src: IpHex, sport: number, listening: boolean): UnixSock | null {
  let best: UnixSock | null = null, bestScore = -1;
  for (const o of socksOf(k, proto)) {
    const i = o.inet!;
    if (i.lport !== port || !covers(i, d)) continue;
    if (listening && o.state !== "listening") continue;
    if (o.shut & RCV_SHUTDOWN && listening) continue;
    let score = isAny(i.laddr) ? 0 : 2;
    if (!listening && i.rport !== 0) {
      if (i.raddr !== src || i.rport !== sport) continue;
      score += 4;
    }
    if (score > bestScore) { best = o; bestScore = score; }
  }
  return best;
}

/**
 * connect(2) for TCP: find the listener and queue a connection on it
 * (net/unix.ts's unixConnect does the stream pairing). A non-blocking
 * connect returns EINPROGRESS as Linux does even on loopback; a refused one
 * then shows POLLERR and SO_ERROR ECONNREFUSED.
 */
export function inetConnect(k: Kernel, t: Task, s: UnixSock, addr: IpHex, port: number, nonblock: boolean, io: IoCtx): number {
  const i = inf(s);
  if (i.proto === IPPROTO_UDP) return udpConnect(k, s, addr, port);
  if (i.hostPending) {
    // A connect through the host still waits for the host's answer.
    if (nonblock) return -EALREADY;
    io.wait = s.wq;
    return -EAGAIN;
  }
  if ((i.ndUntil ?? 0) > 0) {
    // Neighbour discovery still runs (neighConnect): Linux's SS_CONNECTING in SYN_SENT. A blocking
    // connect made again (after EINTR) waits for the same end; a non-blocking one is EALREADY.
    if (nonblock) return -EALREADY;
    io.wait = s.wq;
    return -EAGAIN;
  }
  if (i.connecting) {
    i.connecting = false;
    if (s.state === "connected") return 0;
    const e = s.err;
    s.err = 0;
    return e ? -e : -ECONNABORTED;
  }
  if (s.state === "connected") return -EISCONN;
  if (s.state === "listening") return -EISCONN;
  const d = route(k, s, addr);
  if (typeof d === "number") return d;
  const r = autobind(k, s);
  if (r < 0) return r;
  const src = sourceFor(k, i, d);
  if (onLink(k, d)) return neighConnect(k, s, src, d, port, nonblock, io);
  if (viaHost(k, d)) return hostConnect(k, s, src, d, port, nonblock, io);
  const l = port === 0 ? null : lookup(k, IPPROTO_TCP, d, port, src, i.lport, true);
  if (!l) {
    if (nonblock) { s.err = ECONNREFUSED; i.connecting = true; wakeUp(k, s.wq); return -EINPROGRESS; }
    return -ECONNREFUSED;
  }
  const c = unixConnect(k, t, s, l, io);
  if (c < 0) return c; // -EAGAIN with io.wait: the backlog is full
  const n = s.peer!;
  i.laddr = src;
  i.raddr = d;
  i.rport = port;
  const li = l.inet!;
  n.inet = {
    ...newInetInfo(li.family, IPPROTO_TCP), laddr: d, lport: li.lport, raddr: src, rport: i.lport, sndbuf: li.sndbuf, rcvbuf: li.rcvbuf,
    v6only: li.v6only, opts: { ...li.opts },
  };
  s.err = 0;
  if (!nonblock) return 0;
  i.connecting = true;
  return -EINPROGRESS;
}

/** connect(2) for UDP: a default destination and a filter on what is received; AF_UNSPEC (addr null) dissolves it. */
export function udpConnect(k: Kernel, s: UnixSock, addr: IpHex | null, port: number): number {
  const i = inf(s);
  if (addr === null) {
    if (i.hostUdp && s.state === "connected") k.host.net?.udpConnect(i.hostUdp, !isV4(i.raddr), null, 0);
    i.raddr = i.family === AF_INET ? ANY4 : ANY6;
    i.rport = 0;
    s.state = "unconnected";
    return 0;
  }
  const d = route(k, s, addr);
  if (typeof d === "number") return d;
  const r = autobind(k, s);
  if (r < 0) return r;
  if (isAny(i.laddr)) i.laddr = sourceFor(k, i, d);
  i.raddr = d;
  i.rport = port;
  s.state = "connected";
  s.err = 0;
  // Through the host: connect the host socket too, so that the host's ICMP errors come back (ECONNREFUSED).
  if (viaHost(k, d) && !(isDns(d) && port === 53) && k.host.net) k.host.net.udpConnect(hostUdpId(k, s), !isV4(d), hostAddr(d), port);
  return 0;
}

/** The destination of a datagram (sendto's address, or the connected one). */
export interface InetDest { addr: IpHex; port: number }

/**
 * Send on an inet socket. TCP goes through unixSend (the address is ignored,
 * as Linux's TCP does), with TCP's own view of a closed peer: the first
 * write after the peer closed succeeds (its reset comes back), later ones
 * fail with EPIPE. UDP delivers the datagram to the socket bound to the
 * destination, or drops it; on a connected socket a closed port is
 * remembered as ECONNREFUSED for the next call, as Linux reports the ICMP
 * port unreachable.
 */
export function inetSend(k: Kernel, t: Task, s: UnixSock, data: Uint8Array, cred: UCred, to: InetDest | null, flags: number, io: IoCtx): number {
  const i = inf(s);
  if (i.proto === IPPROTO_TCP) {
    const pipe = (): number => {
      if (!(flags & MSG_NOSIGNAL)) sendSignalTask(k, t, { signo: SIGPIPE, code: 0, addr: 0, pid: t.tg.pid, uid: t.tg.creds.uid, status: 0 });
      return -EPIPE;
    };
    // Linux's sk_stream_wait_connect: a pending error first, then EPIPE (with SIGPIPE) on a socket that is not connected.
    if (s.state !== "connected") {
      if (s.err) { const e = s.err; s.err = 0; return -e; }
      // Still connecting (SYN_SENT: the host has not answered, or neighbour discovery runs): the write waits for
      // the connect's end, EAGAIN when non-blocking (sk_stream_wait_connect), then sends or fails with its error.
      if (i.hostPending || (i.ndUntil ?? 0) > 0) { io.wait = s.wq; return -EAGAIN; }
      return pipe();
    }
    const p = s.peer;
    if (p && p.dead && !(s.shut & SEND_SHUTDOWN) && !i.reset) {
      i.reset = true;
      s.shut = SHUTDOWN_MASK;
      return data.length;
    }
    if (i.reset) return pipe();
    const n = unixSend(k, t, s, data, [], cred, null, flags, io);
    if (n > 0 && p?.inet?.hostId) hostDrain(k, p);
    return n;
  }
  if (s.err) { const e = s.err; s.err = 0; return -e; }
  if (s.shut & SEND_SHUTDOWN) {
    if (!(flags & MSG_NOSIGNAL)) sendSignalTask(k, t, { signo: SIGPIPE, code: 0, addr: 0, pid: t.tg.pid, uid: t.tg.creds.uid, status: 0 });
    return -EPIPE;
  }
  let dest: InetDest;
  if (to) dest = to;
  else if (s.state === "connected") dest = { addr: i.raddr, port: i.rport };
  else return -EDESTADDRREQ;
  if (dest.port === 0) return -EINVAL;
  const d = route(k, s, dest.addr);
  // With no eth0 a link-local datagram has no link: it is lost, not an error.
  if (d === -EHOSTUNREACH) return data.length;
  if (typeof d === "number") return d;
  if (data.length > (isV4(d) ? UDP_MAX_V4 : UDP_MAX_V6)) return -EMSGSIZE;
  const r = autobind(k, s);
  if (r < 0) return r;
  const src = sourceFor(k, i, d);
  // To a link-local neighbour: Linux queues the datagram on the neighbour entry while discovery runs and drops
  // it when no one answers; the ICMPv6 "address unreachable" that follows is a soft error UDP does not report
  // (udpv6_err without IPV6_RECVERR). So the send succeeds and the datagram is lost, connected socket or not.
  if (onLink(k, d)) return data.length;
  if (viaHost(k, d)) return hostDatagram(k, s, d, dest.port, data);
  const o = lookup(k, IPPROTO_UDP, d, dest.port, src, i.lport, false);
  if (!o) {
    if (s.state === "connected" && d === i.raddr && dest.port === i.rport) { s.err = ECONNREFUSED; wakeUp(k, s.wq); }
    return data.length;
  }
  if (o.shut & RCV_SHUTDOWN) return data.length;
  // A full receive buffer drops the datagram (UDP does not wait for the reader).
  if (o.rqBytes + data.length > o.rcvbuf) { o.inet!.drops++; return data.length; }
  o.rq.push({ data: data.slice(), off: 0, fds: [], cred, from: null, fromAddr: `${src}:${i.lport}` });
  o.rqBytes += data.length;
  wakeUp(k, o.wq);
  return data.length;
}

/** recv on an inet socket: unixRecv, with TCP's ENOTCONN on a socket never connected. */
export function inetRecv(k: Kernel, s: UnixSock, buf: Uint8Array, flags: number, io: IoCtx): RecvResult {
  if (inf(s).proto === IPPROTO_TCP && s.state !== "connected") return { n: -ENOTCONN, full: 0, fds: [], cred: null, fromAddr: "" };
  const r = unixRecv(k, s, buf, flags, io);
  const p = s.peer;
  // Flow control from the host: a paused host connection reads again once the guest has drained half its buffer.
  if (r.n > 0 && p?.inet?.hostPaused && s.rqBytes <= s.rcvbuf >> 1) {
    p.inet.hostPaused = false;
    k.host.net?.resume(p.inet.hostId);
  }
  return r;
}

/** Decode a received datagram's source ("hex:port", see inetSend). */
export function parseFrom(from: string): InetDest | null {
  const c = from.indexOf(":");
  if (c !== 32) return null;
  return { addr: from.slice(0, 32), port: Number(from.slice(33)) };
}

export function inetShutdown(k: Kernel, s: UnixSock, how: number): number {
  if (how < 0 || how > 2) return -EINVAL;
  if (s.state === "unconnected") {
    s.shut |= how + 1; // Linux keeps the shutdown even as it says ENOTCONN (inet_shutdown)
    return -ENOTCONN;
  }
  const r = unixShutdown(k, s, how);
  const p = s.peer;
  // SHUT_WR reaches the host after the bytes still queued for it (hostDrain).
  if (r === 0 && p?.inet?.hostId && how !== 0) {
    if (p.inet.hostFin === 0) p.inet.hostFin = HOST_FIN_SHUTDOWN;
    hostDrain(k, p);
  }
  return r;
}

/** The last file of an inet socket closed. A TCP peer sees end of file (and may still write once: see inetSend), not a hangup. */
function inetRelease(k: Kernel, s: UnixSock): void {
  const p = s.inet?.proto === IPPROTO_TCP ? s.peer : null;
  const before = p ? p.shut : 0;
  const unread = s.rq.length > 0;
  if (p?.inet?.hostId) {
    if (unread) {
      // Unread data: Linux resets the connection; what was still queued for the host is dropped.
      k.host.net?.close(p.inet.hostId);
      k.net.hostConns.delete(p.inet.hostId);
    } else {
      // A close sends what the guest wrote, then FIN: at once, or when the host has taken the rest (hostDrain).
      p.inet.hostFin = HOST_FIN_CLOSE;
      hostDrain(k, p);
    }
    p.dead = true;
  }
  if (s.inet?.hostUdp) k.host.net?.close(s.inet.hostUdp);
  for (const [id, x] of k.net.hostConns) if (x === s) k.net.hostConns.delete(id); // DNS queries in flight, the UDP host socket
  unixRelease(k, s);
  if (p && !p.dead && !unread) p.shut = before | RCV_SHUTDOWN;
}

export const inetFops = defineFileOps(INET_FOPS, {
  read(k, _t, f, buf, _pos, io) {
    const s = f.info as UnixSock;
    if (buf.length === 0 && s.type === SOCK_STREAM) return 0;
    return inetRecv(k, s, buf, 0, io).n;
  },
  // TCP between two sockets of this machine copies straight to the reader (unix.ts); UDP, and connections through the host, keep inetRecv's path.
  readUser(k, t, f, iov, skip, want, io) {
    const s = f.info as UnixSock;
    return inetLocalStream(s) ? unixReadUserFile(k, t, f, s, iov, skip, want, io) : readViaBuffer(k, t, s, iov, skip, want, io, inetRecv);
  },
  // The same for writes to a live local peer; a closed peer (TCP's reset), UDP and the host go through inetSend.
  writeUser(k, t, f, iov, skip, want, io) {
    const s = f.info as UnixSock;
    if (inetDirectSend(s)) return unixWriteUserFile(k, t, f, s, iov, skip, want, io);
    const buf = new Uint8Array(want);
    if (copyFromIov(k, t, iov, skip, buf) < want) return -EFAULT;
    return inetSend(k, t, s, buf, { pid: t.tg.pid, uid: t.tg.creds.uid, gid: t.tg.creds.gid }, null, 0, io);
  },
  write(k, t, f, buf, _pos, io) {
    const s = f.info as UnixSock;
    return inetSend(k, t, s, buf, { pid: t.tg.pid, uid: t.tg.creds.uid, gid: t.tg.creds.gid }, null, 0, io);
  },
  poll(_k, _t, f, io) {
    const s = f.info as UnixSock;
    io.wait = s.wq;
    if (s.inet?.hostPending || (s.inet?.ndUntil ?? 0) > 0) return 0; // a connect not answered yet (SYN_SENT)
    let m = unixPoll(s);
    // A TCP socket never connected is writable-and-hung-up on Linux (TCP_CLOSE); a UDP socket is just writable.
    if (s.type === SOCK_DGRAM) m &= ~0x10 /* POLLHUP */;
    return m;
  },
  ioctl(k, t, f, cmd, arg) {
    if (cmd === FIONREAD) {
      const s = f.info as UnixSock;
      const n = s.type === SOCK_STREAM ? s.rqBytes : (s.rq[0]?.data.length ?? 0);
      return putUser32(k.mmctx, t.mm!, arg, n) < 0 ? -EFAULT : 0;
    }
    const r = netdevIoctl(k, t, cmd, arg);
    return r === null ? -ENOTTY : r;
  },
  release(k, f) {
    inetRelease(k, f.info as UnixSock);
  },
});

// --- neighbour discovery on eth0's link ---
//
// eth0's link has no other host, so a link-local destination other than
// eth0's own address never answers. Linux does not know that: the SYN waits
// on the neighbour entry while it sends its solicitations (3 of them, 1 s
// apart: MAX_MULTICAST_SOLICIT, RETRANS_TIMER), then the entry fails, the
// queued SYN draws an ICMPv6 "address unreachable" and the connect fails
// with EHOSTUNREACH - about 3 s after it began. Here the socket waits in
// that state (InetInfo.ndUntil) with a kernel timer for its end: a blocking
// connect sleeps on the socket and reruns (blocking is a state), a signal
// interrupts it as any sleep, a non-blocking one returns EINPROGRESS and
// polls neither readable nor writable until the timer has set SO_ERROR.
// Nothing reaches the host's network.

/** Neighbour solicitations before discovery gives up, and the time between them (ns). */
export const ND_PROBES = 3, ND_RETRANS_NS = 1_000_000_000;

/** connect(2) for TCP to a link-local neighbour on eth0: start discovery; the connect ends when it fails. */
function neighConnect(k: Kernel, s: UnixSock, src: IpHex, d: IpHex, port: number, nonblock: boolean, io: IoCtx): number {
  const i = inf(s);
  i.laddr = src; i.raddr = d; i.rport = port;
  i.connecting = true;
  s.err = 0;
  const at = nowNs(k) + ND_PROBES * ND_RETRANS_NS;
  i.ndUntil = at;
  addTimer(k, { at, kind: "neigh", sock: s });
  if (nonblock) return -EINPROGRESS;
  io.wait = s.wq;
  return -EAGAIN; // the syscall sleeps and reruns: the rerun reports how the connect ended
}

/**
 * The "neigh" timer (kernel/timers.ts): discovery for `s`'s connect gave up
 * at `at`. The connect fails with EHOSTUNREACH (the sleeper reruns and
 * returns it; a non-blocking one sees POLLERR and SO_ERROR). Stale when the
 * socket is gone or started another connect since.
 */
export function neighFail(k: Kernel, s: UnixSock, at: number): void {
  const i = s.inet;
  if (!i || s.dead || i.ndUntil !== at) return;
  i.ndUntil = 0;
  s.err = EHOSTUNREACH;
  wakeUp(k, s.wq);
}

// --- user-mode networking (tsix run --net user) ---
//
// A connection through the host pairs the guest's socket with a stand-in
// peer (a UnixSock with no file, InetInfo.hostId set): the guest's writes
// land in the stand-in's queue and are handed to k.host.net at once; what
// the host receives comes back as events (netUserPoll, between run slices)
// and is queued to the guest socket as if the stand-in had sent it. So the
// stream semantics are the same code as on lo. A virtio-net device would
// replace k.host.net with a driver that carries packets; route() and the
// eth0 row in net/netdev.ts stay.

const HOST_CRED: UCred = { pid: 0, uid: 0, gid: 0 };

/** The stand-in peer of host connection `id`, connected to guest socket `s`. */
function standIn(k: Kernel, s: UnixSock, id: number, laddr: IpHex, lport: number, raddr: IpHex, rport: number): UnixSock {
  const p = unixNewSock(k, HOST_CRED, SOCK_STREAM, -(++k.net.embryo));
  k.net.socks.delete(p.ino); // not a socket of this machine: /proc/net/tcp shows only the guest's end
  p.inet = { ...newInetInfo(AF_INET, IPPROTO_TCP), laddr, lport, raddr, rport, hostId: id };
  p.state = "connected";
  p.peer = s;
  k.net.hostConns.set(id, p);
  return p;
}

function hostConnect(k: Kernel, s: UnixSock, src: IpHex, d: IpHex, port: number, nonblock: boolean, io: IoCtx): number {
  const net = k.host.net;
  if (!net) return -ENETUNREACH;
  const i = inf(s);
  const id = k.net.nextHostConn++;
  const p = standIn(k, s, id, d, port, src, i.lport);
  s.peer = p;
  i.laddr = src; i.raddr = d; i.rport = port;
  i.hostPending = true;
  i.connecting = true;
  // The gateway is the host itself: connections to it go to the host's loopback, never to 10.0.2.2 on the host's network.
  net.connect(id, hostAddr(d), port);
  if (nonblock) return -EINPROGRESS;
  io.wait = s.wq;
  return -EAGAIN; // the syscall sleeps and reruns: the rerun reports how the connect ended
}

/**
 * Hand what the guest wrote to a stand-in to the host, as much as the host
 * connection takes now (HostNet.room): the rest stays queued on the
 * stand-in, charged to the guest socket's send buffer, so a guest that
 * writes faster than the host drains blocks (or gets EAGAIN) instead of
 * piling bytes up in the host adapter; the adapter's "writable" event calls
 * this again. Once everything went, a SHUT_WR or close the guest asked for
 * meanwhile is passed on.
 */
function hostDrain(k: Kernel, p: UnixSock): void {
  const net = k.host.net;
  const i = p.inet!;
  if (!net) return;
  if (p.rqBytes > 0) {
    const room = net.room(i.hostId);
    if (room <= 0) return;
    const buf = new Uint8Array(Math.min(p.rqBytes, room));
    const r = unixRecv(k, p, buf, 0, { wait: null });
    if (r.n > 0) net.send(i.hostId, r.n === buf.length ? buf : buf.slice(0, r.n));
    if (p.rqBytes > 0) return;
  }
  if (i.hostFin === HOST_FIN_SHUTDOWN) {
    i.hostFin = 0;
    net.shutdown(i.hostId);
  } else if (i.hostFin === HOST_FIN_CLOSE) {
    i.hostFin = 0;
    net.finish(i.hostId);
    k.net.hostConns.delete(i.hostId);
  }
}

/** The host's name for a destination: the gateway is the host's own loopback (never 10.0.2.2 on the host's network). */
function hostAddr(d: IpHex): string {
  return d === GATEWAY ? "127.0.0.1" : d === GATEWAY6 ? "::1" : dotted(d);
}

/** The guest's name for a host address a datagram came from: the host's 127.0.0.1 is the gateway. */
function guestAddr(a: string): IpHex {
  if (a === "127.0.0.1" || a === "::ffff:127.0.0.1") return GATEWAY;
  if (a === "::1") return GATEWAY6;
  if (a.includes(":") && !a.includes(".")) {
    // IPv6 text (node gives it compressed): expand the "::" and read the groups.
    const [head, tail] = a.split("::");
    const hs = head ? head.split(":") : [], ts = tail !== undefined && tail !== "" ? tail.split(":") : [];
    const gs = [...hs, ...new Array<string>(8 - hs.length - ts.length).fill("0"), ...ts];
    return gs.map((x) => x.padStart(4, "0")).join("").toLowerCase();
  }
  const m = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  return m ? v4Hex(Uint8Array.from(m.slice(1, 5).map(Number))) : GATEWAY;
}

/** The id of guest UDP socket s's host socket, made on first use. */
function hostUdpId(k: Kernel, s: UnixSock): number {
  const i = inf(s);
  if (i.hostUdp === 0) {
    i.hostUdp = k.net.nextHostConn++;
    k.net.hostConns.set(i.hostUdp, s);
  }
  return i.hostUdp;
}

/**
 * A datagram that leaves the machine: DNS to 10.0.2.3:53 or [fec0::3]:53
 * goes to the host's resolver (the answer comes back from the address the
 * query went to); any other goes out of the guest socket's own host UDP
 * socket (one per guest socket, so replies come back to it).
 */
function hostDatagram(k: Kernel, s: UnixSock, d: IpHex, port: number, data: Uint8Array): number {
  const net = k.host.net;
  if (!net) return -ENETUNREACH;
  if (isDns(d)) {
    if (port !== 53) return data.length; // nothing else listens at the DNS address: the datagram is lost, as QEMU's
    inf(s).dnsFrom = d;
    const id = k.net.nextHostConn++;
    k.net.hostConns.set(id, s);
    net.dns(id, data.slice());
    return data.length;
  }
  net.udpSend(hostUdpId(k, s), !isV4(d), hostAddr(d), port, data.slice());
  return data.length;
}

/** A datagram from the host for guest UDP socket s. */
function hostUdpIn(k: Kernel, s: UnixSock, data: Uint8Array, addr: string, port: number): void {
  const i = inf(s);
  if (s.dead || s.shut & RCV_SHUTDOWN) return;
  const src = guestAddr(addr);
  if (s.state === "connected" && (i.raddr !== src || i.rport !== port)) return; // a connected socket takes only its peer's
  if (s.rqBytes + data.length > s.rcvbuf) { i.drops++; return; }
  s.rq.push({ data, off: 0, fds: [], cred: HOST_CRED, from: null, fromAddr: `${src}:${port}` });
  s.rqBytes += data.length;
  wakeUp(k, s.wq);
}

/** Take the host's network events and apply them (called between run slices and when the system idles). */
/**
 * Bytes the guest closed a host connection on that the host has not taken
 * yet (hostDrain hands them over as the host's socket drains). The CLI
 * keeps the host's side going after the guest stops until this is 0, as
 * Linux keeps sending on an orphaned socket after its process exits.
 */
export function netUnsent(k: Kernel): number {
  let n = 0;
  for (const [id, p] of k.net.hostConns) if (p.inet?.hostId === id && p.inet.hostFin !== 0) n += p.rqBytes;
  return n;
}

export function netUserPoll(k: Kernel): number {
  const net = k.host.net;
  if (!net) return 0;
  const evs = net.takeEvents();
  for (const e of evs) {
    if (e.kind === "accept") { hostAccept(k, e.id, e.guestPort, e.peerPort); continue; }
    const p = k.net.hostConns.get(e.id);
    if (!p) { if (e.kind !== "dns" && e.kind !== "udp" && e.kind !== "udperror") net.close(e.id); continue; }
    if (e.kind === "udp") { hostUdpIn(k, p, e.data, e.addr, e.port); continue; }
    // The host took what it had: hand it more (and wake the guest's writer: unixRecv uncharges its send buffer).
    if (e.kind === "writable") { if (p.inet?.hostId === e.id) hostDrain(k, p); continue; }
    if (e.kind === "udperror") {
      // Linux reports an ICMP error only on a connected socket (without IP_RECVERR).
      if (!p.dead && p.state === "connected") { p.err = e.errno; wakeUp(k, p.wq); }
      continue;
    }
    if (e.kind === "dns") {
      k.net.hostConns.delete(e.id);
      if (p.dead || p.shut & RCV_SHUTDOWN) continue;
      p.rq.push({ data: e.data, off: 0, fds: [], cred: HOST_CRED, from: null, fromAddr: `${p.inet?.dnsFrom ?? DNS}:53` });
      p.rqBytes += e.data.length;
      wakeUp(k, p.wq);
      continue;
    }
    const s = p.peer;
    if (!s || s.dead) {
      // The guest closed and its last bytes are still going out: the host's half-close does not cut them off.
      if (e.kind === "eof" && p.inet?.hostFin === HOST_FIN_CLOSE) continue;
      net.close(e.id); k.net.hostConns.delete(e.id); continue;
    }
    const i = inf(s);
    switch (e.kind) {
      case "connected":
        if (i.hostPending) { i.hostPending = false; s.state = "connected"; }
        break;
      case "data":
        enqueue(k, s, p, e.data, [], HOST_CRED);
        // Flow control: a full receive queue pauses the host connection (resumed as the guest reads: inetRecv).
        if (s.rqBytes >= s.rcvbuf && !p.inet!.hostPaused) { p.inet!.hostPaused = true; net.pause(e.id); }
        break;
      case "eof":
        s.shut |= RCV_SHUTDOWN;
        p.shut |= SEND_SHUTDOWN;
        break;
      case "error":
        k.net.hostConns.delete(e.id);
        p.dead = true;
        if (i.hostPending) {
          i.hostPending = false;
          s.peer = null;
          s.state = "unconnected";
          s.err = e.errno;
        } else {
          s.err = e.errno;
          s.shut = SHUTDOWN_MASK;
        }
        break;
    }
    wakeUp(k, s.wq);
  }
  return evs.length;
}

/** --publish: a host client reached a published port; queue it on the guest's listener (or turn it away). */
function hostAccept(k: Kernel, id: number, guestPort: number, peerPort: number): void {
  const l = lookup(k, IPPROTO_TCP, ETH0, guestPort, GATEWAY, peerPort, true);
  if (!l || l.backlog.length > l.maxBacklog) { k.host.net?.close(id); return; }
  const li = l.inet!;
  const n = unixNewSock(k, l.cred, SOCK_STREAM, -(++k.net.embryo));
  n.inet = { ...newInetInfo(li.family, IPPROTO_TCP), laddr: ETH0, lport: guestPort, raddr: GATEWAY, rport: peerPort,
    sndbuf: li.sndbuf, rcvbuf: li.rcvbuf, opts: { ...li.opts } };
  n.sndbuf = l.sndbuf; n.rcvbuf = l.rcvbuf;
  n.state = "connected";
  n.peer = standIn(k, n, id, GATEWAY, peerPort, ETH0, guestPort);
  n.peercred = HOST_CRED;
  l.backlog.push(n);
  wakeUp(k, l.wq);
}
