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
  /** A host connection's stand-in peer (user-mode networking): the host connection id, 0 for every other socket. */
  hostId: number;
  /** TCP through the host: the host's connect has not answered yet. */
  hostPending: boolean;
  /**
   * TCP to a link-local neighbour on eth0 (net/inet.ts neighConnect): the
   * kernel time at which neighbour discovery gives up (its "neigh" timer,
   * kernel/timers.ts), 0 when no discovery runs. Optional: sockets of an
   * older snapshot have none.
   */
  ndUntil?: number;
  /** UDP: datagrams dropped because the receive buffer was full (/proc/net/udp "drops"). */
  drops: number;
  /** UDP through the host (--net user): the id of this socket's host socket, 0 while it has none. */
  hostUdp: number;
  /** TCP through the host, on a stand-in: the host connection is paused because the guest's receive queue is full. */
  hostPaused: boolean;
  /**
   * TCP through the host, on a stand-in: what the guest asked for once its
   * queued bytes have gone to the host (guest -> host flow control keeps
   * them here while the host's buffer is full): HOST_FIN_SHUTDOWN (SHUT_WR)
   * or HOST_FIN_CLOSE (the guest closed), else 0.
   */
  hostFin: number;
  /** The DNS address (10.0.2.3 or fec0::3) this socket's last query went to: its answers come from there. */
  dnsFrom?: IpHex;
}

export const HOST_FIN_SHUTDOWN = 1, HOST_FIN_CLOSE = 2;

/** What the host's network adapter reports (host/node/net.ts), reaped by net/inet.ts's netUserPoll. */
export type HostNetEvent =
  | { kind: "connected"; id: number }
  | { kind: "data"; id: number; data: Uint8Array }
  | { kind: "eof"; id: number }
  | { kind: "error"; id: number; errno: number }
  /** --publish: a host client connected to a published port; the guest listener on guestPort takes it. */
  | { kind: "accept"; id: number; guestPort: number; peerPort: number }
  /** A DNS answer (a whole UDP payload) to a query a guest socket sent to 10.0.2.3:53. */
  | { kind: "dns"; id: number; data: Uint8Array }
  /** A datagram for the guest UDP socket whose host socket is `id`, from the host's `addr` ("127.0.0.1", "::1", ...) and port. */
  | { kind: "udp"; id: number; data: Uint8Array; addr: string; port: number }
  /** The host reported an error on a UDP host socket (ECONNREFUSED: an ICMP port unreachable on a connected one). */
  | { kind: "udperror"; id: number; errno: number }
  /** Guest -> host flow control: connection `id`'s host buffer has drained, so it takes data again (HostNet.room). */
  | { kind: "writable"; id: number };

/**
 * User-mode networking's host side (`tsix run --net user`; k.host.net): TCP
 * connections on the host's own sockets and DNS through the host's
 * resolver. Calls return at once; results come back as events.
 */
export interface HostNet {
  /** Connect to host:port ("127.0.0.1" for the gateway 10.0.2.2); the id names the connection in events. */
  connect(id: number, host: string, port: number): void;
  /** Hand the host bytes for connection `id`; the kernel sends no more than room(id) allows. */
  send(id: number, data: Uint8Array): void;
  /**
   * Guest -> host flow control: bytes connection `id` takes now before its
   * host-side buffer reaches its bound (0: full; a "writable" event comes
   * when it has drained). What the kernel cannot hand over stays queued in
   * the guest, charged to the sender's send buffer, so the sender blocks.
   */
  room(id: number): number;
  /** The guest closed connection `id` (nothing unread): send what is queued, then FIN, then release it. */
  finish(id: number): void;
  /** No more data from the guest (SHUT_WR). */
  shutdown(id: number): void;
  close(id: number): void;
  /** Resolve a DNS query (a UDP payload); the answer comes as a "dns" event with the same id. */
  dns(id: number, query: Uint8Array): void;
  /** Send a datagram from UDP host socket `id` (made on first use; v6 picks udp6) to host:port; replies come as "udp" events. */
  udpSend(id: number, v6: boolean, host: string, port: number, data: Uint8Array): void;
  /** Connect UDP host socket `id` to host:port (null: dissolve), so the host reports ICMP errors ("udperror"). */
  udpConnect(id: number, v6: boolean, host: string | null, port: number): void;
  /** Flow control: stop reading host connection `id` (the guest's receive queue is full), and start again. */
  pause(id: number): void;
  resume(id: number): void;
  takeEvents(): HostNetEvent[];
}

/** An AF_NETLINK socket's own data (net/netlink.ts), on UnixSock.nl. */
export interface NlInfo {
  /** NETLINK_ROUTE (0) is the only one served. */
  protocol: number;
  /** SOCK_RAW or SOCK_DGRAM as socket(2) asked (SO_TYPE); the queue works as a datagram socket's either way. */
  type: number;
  /** Its port id (nl_pid): 0 until bound or autobound. */
  portid: number;
  /** Multicast groups joined at bind (kept and reported; no events are sent, as nothing here changes). */
  groups: number;
  /** connect(2)'s default destination port (0: the kernel). */
  dstPortid: number;
}
