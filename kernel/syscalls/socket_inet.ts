// AF_INET and AF_INET6's part of the socket system calls: socket(2)'s type
// and protocol checks, sockaddr_in / sockaddr_in6 decoding and encoding
// (Linux's length and family checks and errnos), and the IP-level socket
// options (IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6 and SOL_SOCKET's inet ones),
// as the SockFamily table syscalls/socket.ts dispatches to. The sockets
// themselves are net/inet.ts's.
//
// Concepts: C45 (sockets), C05 (the ABI).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File, IoCtx } from "../fs/vfs.js";
import type { SockFamily, SockDest } from "./socket.js";
import type { UnixSock } from "../net/unix.js";
import {
  AF_INET, AF_INET6, AF_UNSPEC, SOCK_STREAM, SOCK_DGRAM, SOCK_TYPE_MASK, SOL_SOCKET, SO_SNDBUF, SO_RCVBUF, SO_DOMAIN, SO_PROTOCOL,
  SK_BUF_MAX, SOCK_MIN_SNDBUF, SOCK_MIN_RCVBUF,
} from "../abi/socket.js";
import { EINVAL, EAFNOSUPPORT, EPROTONOSUPPORT, ENOPROTOOPT, ENOTCONN, EAGAIN, EOPNOTSUPP, ENODEV, EADDRNOTAVAIL } from "../abi/errno.js";
import { getU32 } from "../abi/le.js";
import { netDevices, linkLocal6, ETH0 } from "../net/netdev.js";
import { O_NONBLOCK } from "../abi/fs.js";
import { blockOn } from "../fs/poll.js";
import {
  inetSocket, inetBind, inetListen, inetConnect, udpConnect, inetSend, inetRecv, inetShutdown, parseFrom, v4Hex, v6Hex, hexBytes, isV4, isLinkLocal6,
  IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPV6,
} from "../net/inet.js";

const ESOCKTNOSUPPORT = 94;
/** sizeof(struct sockaddr_in); the RFC 2133 sockaddr_in6 without scope id, and the full one. */
const SIN_LEN = 16, SIN6_LEN_RFC2133 = 24, SIN6_LEN = 28;

/** socket(AF_INET/AF_INET6, type, protocol). */
export function inetCreate(k: Kernel, t: Task, domain: number, type: number, protocol: number): File | number {
  const ty = type & SOCK_TYPE_MASK;
  let proto: number;
  if (ty === SOCK_STREAM) proto = IPPROTO_TCP;
  else if (ty === SOCK_DGRAM) proto = IPPROTO_UDP;
  else return -ESOCKTNOSUPPORT;
  if (protocol !== 0 && protocol !== proto) return -EPROTONOSUPPORT;
  return inetSocket(k, t, domain, ty, proto, type);
}

/** Decode a sockaddr for socket `s`: the address (IPv4 mapped) and port, or -errno. */
function decode(k: Kernel, s: UnixSock, b: Uint8Array, what: "bind" | "connect"): { addr: string; port: number } | number {
  const fam = s.inet!.family;
  const family = b.length >= 2 ? b[0] | (b[1] << 8) : -1;
  const port = b.length >= 4 ? (b[2] << 8) | b[3] : 0; // network byte order
  if (fam === AF_INET) {
    if (b.length < SIN_LEN) return -EINVAL;
    const anyAddr = (b[4] | b[5] | b[6] | b[7]) === 0;
    // bind takes AF_UNSPEC only with INADDR_ANY (old programs' habit); Linux's inet_bind.
    if (family !== AF_INET && !(family === AF_UNSPEC && (what === "connect" || anyAddr))) return -EAFNOSUPPORT;
    return { addr: v4Hex(b.subarray(4, 8)), port };
  }
  if (family === AF_INET && what === "connect" && b.length >= SIN_LEN) {
    // An IPv6 socket may connect to an IPv4 address given as sockaddr_in (Linux's ipv6 connect does).
    return { addr: v4Hex(b.subarray(4, 8)), port };
  }
  if (b.length < SIN6_LEN_RFC2133) return -EINVAL;
  if (family !== AF_INET6) return -EAFNOSUPPORT;
  const addr = v6Hex(b.subarray(8, 24));
  if (isLinkLocal6(addr)) {
    const e = linkScope(k, s, b, what);
    if (e < 0) return e;
  }
  return { addr, port };
}

/**
 * A link-local address names its link by sin6_scope_id (the interface
 * index), as Linux's inet6_bind and ip6_datagram_connect/tcp_v6_connect
 * require: none (and no link-local address bound already) is EINVAL, an
 * index no interface has is ENODEV, and a bind to an address that is not
 * that interface's is EADDRNOTAVAIL. Returns 0 or -errno.
 */
function linkScope(k: Kernel, s: UnixSock, b: Uint8Array, what: "bind" | "connect"): number {
  const scope = b.length >= SIN6_LEN ? getU32(b, 24) : 0;
  if (scope === 0) return what === "connect" && isLinkLocal6(s.inet!.laddr) ? 0 : -EINVAL;
  const dev = netDevices(k).find((d) => d.index === scope);
  if (!dev) return -ENODEV;
  if (what === "bind" && v6Hex(b.subarray(8, 24)) !== v6Hex(Uint8Array.from(linkLocal6(dev.hwaddr)))) return -EADDRNOTAVAIL;
  return 0;
}

/** Encode an address and port as a sockaddr of socket `s`'s family. */
export function encode(fam: number, addr: string, port: number): Uint8Array {
  const a = hexBytes(addr);
  if (fam === AF_INET) {
    const b = new Uint8Array(SIN_LEN);
    b[0] = AF_INET;
    b[2] = port >>> 8; b[3] = port & 0xff;
    b.set(a.subarray(12), 4);
    return b;
  }
  const b = new Uint8Array(SIN6_LEN);
  b[0] = AF_INET6;
  b[2] = port >>> 8; b[3] = port & 0xff;
  b.set(a, 8);
  // A link-local address comes with its link: eth0's index (the only link that has one).
  if (isLinkLocal6(addr)) b[24] = ETH0.index;
  return b;
}

/** Is the option a boolean (Linux stores !!value)? key "level:name" -> default value. */
const OPTS: Record<string, { def: number; bool?: boolean; proto?: number; fam?: number }> = {
  [`${SOL_SOCKET}:2`]: { def: 0, bool: true }, // SO_REUSEADDR
  [`${SOL_SOCKET}:15`]: { def: 0, bool: true }, // SO_REUSEPORT
  [`${SOL_SOCKET}:9`]: { def: 0, bool: true }, // SO_KEEPALIVE
  [`${SOL_SOCKET}:6`]: { def: 0, bool: true }, // SO_BROADCAST
  [`${SOL_SOCKET}:10`]: { def: 0, bool: true }, // SO_OOBINLINE
  [`${SOL_SOCKET}:12`]: { def: 0 }, // SO_PRIORITY
  [`${SOL_SOCKET}:18`]: { def: 1 }, // SO_RCVLOWAT
  [`${IPPROTO_TCP}:1`]: { def: 0, bool: true, proto: IPPROTO_TCP }, // TCP_NODELAY
  [`${IPPROTO_TCP}:3`]: { def: 0, bool: true, proto: IPPROTO_TCP }, // TCP_CORK
  [`${IPPROTO_TCP}:4`]: { def: 7200, proto: IPPROTO_TCP }, // TCP_KEEPIDLE
  [`${IPPROTO_TCP}:5`]: { def: 75, proto: IPPROTO_TCP }, // TCP_KEEPINTVL
  [`${IPPROTO_TCP}:6`]: { def: 9, proto: IPPROTO_TCP }, // TCP_KEEPCNT
  [`${IPPROTO_TCP}:12`]: { def: 1, bool: true, proto: IPPROTO_TCP }, // TCP_QUICKACK
  [`${IPPROTO_IP}:1`]: { def: 0, fam: AF_INET }, // IP_TOS
  [`${IPPROTO_IP}:2`]: { def: 64, fam: AF_INET }, // IP_TTL
  [`${IPPROTO_IPV6}:16`]: { def: 64, fam: AF_INET6 }, // IPV6_UNICAST_HOPS
};
const TCP_MAXSEG = 2, IPV6_V6ONLY = 26, SO_LINGER = 13;

function optFor(s: UnixSock, level: number, name: number): { def: number; bool?: boolean } | null {
  const o = OPTS[`${level}:${name}`];
  if (!o) return null;
  const i = s.inet!;
  if (o.proto !== undefined && o.proto !== i.proto) return null;
  if (o.fam !== undefined && o.fam !== i.family) return null;
  return o;
}

export const inetFamily: SockFamily = {
  bind(k, t, s, b) {
    const a = decode(k, s, b, "bind");
    return typeof a === "number" ? a : inetBind(k, t, s, a.addr, a.port);
  },
  connect(k, t, f: File, s, b) {
    if (b.length >= 2 && (b[0] | (b[1] << 8)) === AF_UNSPEC && s.inet!.proto === IPPROTO_UDP) return udpConnect(k, s, null, 0);
    const a = decode(k, s, b, "connect");
    if (typeof a === "number") return a;
    const io: IoCtx = { wait: null };
    const nb = (f.flags & O_NONBLOCK) !== 0;
    const r = inetConnect(k, t, s, a.addr, a.port, nb, io);
    if (r === -EAGAIN && io.wait && !nb) return blockOn(k, t, io.wait);
    return r;
  },
  listen: inetListen,
  name(s, peer) {
    const i = s.inet!;
    if (!peer) return encode(i.family, i.laddr, i.lport);
    if (s.state !== "connected") return -ENOTCONN;
    return encode(i.family, i.raddr, i.rport);
  },
  fromName(s, from) {
    const d = parseFrom(from);
    return d ? encode(s.inet!.family, d.addr, d.port) : null; // TCP gives no source address (length 0)
  },
  dest(k, _t, s, b): SockDest | number {
    if (s.inet!.proto === IPPROTO_TCP) return null; // TCP ignores sendto's address
    const a = decode(k, s, b, "connect");
    if (typeof a === "number") return a;
    if (s.inet!.family === AF_INET && !isV4(a.addr)) return -EAFNOSUPPORT;
    return a;
  },
  send(k, t, s, data, _fds, cred, to, flags, io) {
    return inetSend(k, t, s, data, cred, to as { addr: string; port: number } | null, flags, io);
  },
  recv: inetRecv,
  shutdown: inetShutdown,
  getopt(s, level, name) {
    const i = s.inet!;
    if (level === SOL_SOCKET) {
      if (name === SO_SNDBUF) return i.sndbuf;
      if (name === SO_RCVBUF) return i.rcvbuf;
      if (name === SO_DOMAIN) return i.family;
      if (name === SO_PROTOCOL) return i.proto;
      if (name === SO_LINGER) {
        const b = new Uint8Array(8);
        const v = i.opts[`${SOL_SOCKET}:${SO_LINGER}`] ?? -1;
        if (v >= 0) { b[0] = 1; b[4] = v; b[5] = v >>> 8; b[6] = v >>> 16; b[7] = v >>> 24; }
        return b;
      }
    }
    if (level === IPPROTO_TCP && name === TCP_MAXSEG && i.proto === IPPROTO_TCP) return s.state === "connected" ? 65483 : 536;
    if (level === IPPROTO_IPV6 && name === IPV6_V6ONLY && i.family === AF_INET6) return i.v6only ? 1 : 0;
    const o = optFor(s, level, name);
    if (!o) {
      // Linux's getsockopt: a level this socket does not have is EOPNOTSUPP (ip_getsockopt), an unknown name ENOPROTOOPT.
      const levels = [SOL_SOCKET, i.family === AF_INET ? IPPROTO_IP : IPPROTO_IPV6, i.proto];
      return levels.includes(level) ? -ENOPROTOOPT : -EOPNOTSUPP;
    }
    return i.opts[`${level}:${name}`] ?? o.def;
  },
  setopt(_k, s, level, name, v, len) {
    const i = s.inet!;
    if (level === SOL_SOCKET && (name === SO_SNDBUF || name === SO_RCVBUF)) {
      // Linux doubles the asked size (room for its bookkeeping) within [min, 2 * max].
      const min = name === SO_SNDBUF ? SOCK_MIN_SNDBUF : SOCK_MIN_RCVBUF;
      const size = Math.max(min, Math.min(Math.max(v, 0), SK_BUF_MAX) * 2);
      if (name === SO_SNDBUF) { i.sndbuf = size; s.sndbuf = size; } else { i.rcvbuf = size; s.rcvbuf = size; }
      return 0;
    }
    if (level === SOL_SOCKET && name === SO_LINGER) {
      if (len < 8) return -EINVAL;
      i.opts[`${SOL_SOCKET}:${SO_LINGER}`] = v; // the linger time (syscalls/socket.ts read the struct), -1 when off
      return 0;
    }
    if (level === IPPROTO_TCP && name === TCP_MAXSEG && i.proto === IPPROTO_TCP) return v < 88 || v > 32767 ? -EINVAL : 0;
    if (level === IPPROTO_IPV6 && name === IPV6_V6ONLY && i.family === AF_INET6) {
      if (i.lport !== 0) return -EINVAL; // only before the socket is bound
      i.v6only = v !== 0;
      return 0;
    }
    const o = optFor(s, level, name);
    if (!o) return -ENOPROTOOPT;
    i.opts[`${level}:${name}`] = o.bool ? (v !== 0 ? 1 : 0) : v;
    return 0;
  },
};
