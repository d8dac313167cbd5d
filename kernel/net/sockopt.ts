// The SOL_SOCKET options every socket has, whatever its family (Linux's
// sk_setsockopt/sk_getsockopt in net/core/sock.c), for AF_UNIX sockets:
// SO_REUSEADDR, SO_KEEPALIVE, SO_BROADCAST, SO_OOBINLINE, SO_DEBUG,
// SO_DONTROUTE, SO_PRIORITY and SO_RCVLOWAT are stored and read back, as
// Linux does for any socket, instead of ENOPROTOOPT (stress-ng --epoll sets
// SO_REUSEADDR on its AF_UNIX listener and gave up). AF_INET/AF_INET6 keep
// their own table (syscalls/socket_inet.ts). The values live in the socket's
// plain `solOpts` record.
// Concepts: C45 (sockets).
import type { UnixSock } from "./unix.js";
import { EINVAL, EOPNOTSUPP, EPERM } from "../abi/errno.js";

const SO_DEBUG = 1, SO_REUSEADDR = 2, SO_DONTROUTE = 5, SO_BROADCAST = 6, SO_KEEPALIVE = 9, SO_OOBINLINE = 10,
  SO_PRIORITY = 12, SO_REUSEPORT = 15, SO_RCVLOWAT = 18;

/** Generic options: name -> whether Linux stores it as a boolean (!!value). */
const GENERIC: Record<number, boolean> = {
  [SO_DEBUG]: true, [SO_REUSEADDR]: true, [SO_DONTROUTE]: true, [SO_BROADCAST]: true, [SO_KEEPALIVE]: true,
  [SO_OOBINLINE]: true, [SO_PRIORITY]: false, [SO_RCVLOWAT]: false,
};

/** Is `name` a SOL_SOCKET option this module answers for an AF_UNIX socket? */
export function isGenericSolOpt(name: number): boolean {
  return name in GENERIC || name === SO_REUSEPORT;
}

/** setsockopt(SOL_SOCKET, name, v) on an AF_UNIX socket: 0 or -errno. `admin`: the caller has CAP_NET_ADMIN. */
export function setGenericSolOpt(s: UnixSock, name: number, v: number, admin: boolean): number {
  // Linux 6.5+ (sk_setsockopt): SO_REUSEPORT is for inet sockets only.
  if (name === SO_REUSEPORT) return v !== 0 ? -EOPNOTSUPP : 0;
  if (name === SO_PRIORITY && (v < 0 || v > 6) && !admin) return -EPERM;
  if (name === SO_RCVLOWAT && v < 0) return -EINVAL;
  const opts = (s.solOpts ??= {});
  opts[name] = GENERIC[name] ? (v !== 0 ? 1 : 0) : name === SO_RCVLOWAT && v === 0 ? 1 : v;
  return 0;
}

/** getsockopt(SOL_SOCKET, name) on an AF_UNIX socket. */
export function getGenericSolOpt(s: UnixSock, name: number): number {
  if (name === SO_REUSEPORT) return 0;
  return s.solOpts?.[name] ?? (name === SO_RCVLOWAT ? 1 : 0);
}
