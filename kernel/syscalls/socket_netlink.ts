// AF_NETLINK's part of the socket system calls: the SockFamily table
// syscalls/socket.ts dispatches to for a netlink socket (sockaddr_nl names,
// sends to the kernel or another port). The sockets are net/netlink.ts's.
//
// Concepts: C45 (sockets), C05 (the ABI).
import type { SockFamily, SockDest } from "./socket.js";
import { EOPNOTSUPP, ENOPROTOOPT } from "../abi/errno.js";
import {
  netlinkBind, netlinkConnect, netlinkName, netlinkFrom, netlinkDest, netlinkSend, netlinkRecv,
} from "../net/netlink.js";

export const netlinkFamily: SockFamily = {
  bind: (k, t, s, a) => netlinkBind(k, t, s, a),
  connect: (k, _t, _f, s, a) => netlinkConnect(k, s, a),
  listen: () => -EOPNOTSUPP,
  name: (s, peer) => netlinkName(s, peer),
  fromName: (_s, from) => netlinkFrom(from),
  dest: (_k, _t, _s, b): SockDest | number => netlinkDest(b),
  send: (k, t, s, data, _fds, _cred, to, _flags, _io) => netlinkSend(k, t, s, data, to as { addr: string; port: number } | null),
  recv: netlinkRecv,
  shutdown: () => -EOPNOTSUPP,
  // SOL_NETLINK options (NETLINK_EXT_ACK, NETLINK_ADD_MEMBERSHIP ...) are not served.
  getopt: () => -ENOPROTOOPT,
  setopt: () => -ENOPROTOOPT,
};
