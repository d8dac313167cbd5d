// The data an AF_INET/AF_INET6 socket adds to a socket (net/unix.ts's
// UnixSock, whose queues, buffers, shutdown and readiness TCP and UDP reuse):
// its family and protocol, local and remote address and port, and the
// options it remembers. Types only, so net/unix.ts can name it without
// importing net/inet.ts (which builds on net/unix.ts).
//
// Concepts: C45 (sockets).

/**
 * An address as 32 hex digits of an IPv6 address; an IPv4 address is kept
 * IPv4-mapped (::ffff:a.b.c.d), so one comparison serves both families and
 * dual-stack (IPV6_V6ONLY off) sockets fall out of the same rules.
 */
export type IpHex = string;

export interface InetInfo {
  /** AF_INET or AF_INET6: the socket's own family (what its names look like). */
  family: number;
  /** IPPROTO_TCP or IPPROTO_UDP. */
  proto: number;
  laddr: IpHex;
  /** 0 while unbound. */
  lport: number;
  raddr: IpHex;
  rport: number;
  /** SO_SNDBUF/SO_RCVBUF as getsockopt reports them (Linux's TCP defaults differ from the flow-control limits). */
  sndbuf: number;
  rcvbuf: number;
  /** IPV6_V6ONLY (settable until bound). */
  v6only: boolean;
  /** Options set and read back (key "level:name"): SO_REUSEADDR, TCP_NODELAY, SO_KEEPALIVE ... */
  opts: Record<string, number>;
  /** TCP: the peer closed and our first write after that drew its reset (the next one fails with EPIPE). */
  reset: boolean;
  /** TCP: a non-blocking connect returned EINPROGRESS; the next connect reports how it ended (Linux's SS_CONNECTING). */
  connecting: boolean;
  /** UDP: datagrams dropped because the receive buffer was full (/proc/net/udp "drops"). */
  drops: number;
}
