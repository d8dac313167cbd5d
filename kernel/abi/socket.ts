// Socket ABI constants and struct layouts (Linux riscv64, LP64): address
// families, socket types, MSG_* flags, SOL_SOCKET options, control-message
// types, struct msghdr / cmsghdr / ucred / sockaddr_un.
//
// Concepts: C05 (the ABI), C45 (sockets).
import { layout } from "./layout.js";

export const AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;
export const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_SEQPACKET = 5;
export const SOCK_TYPE_MASK = 0xf;
/** socket(2)'s type flags: the same bits as O_NONBLOCK and O_CLOEXEC. */
export const SOCK_NONBLOCK = 0o4000, SOCK_CLOEXEC = 0o2000000;

export const MSG_OOB = 0x1, MSG_PEEK = 0x2, MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_EOR = 0x80,
  MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;

export const SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;

export const SOL_SOCKET = 1;
export const SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_PASSCRED = 16, SO_PEERCRED = 17,
  SO_ACCEPTCONN = 30, SO_PROTOCOL = 38, SO_DOMAIN = 39;

export const SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
/** Most descriptors one SCM_RIGHTS message may carry (Linux's SCM_MAX_FD). */
export const SCM_MAX_FD = 253;

/** Default and largest socket buffer (net.core.wmem_default/rmem_default, wmem_max/rmem_max). */
export const SK_BUF_DEFAULT = 212992, SK_BUF_MAX = 212992;
/** Smallest buffers setsockopt leaves (SOCK_MIN_SNDBUF / SOCK_MIN_RCVBUF on 64-bit Linux). */
export const SOCK_MIN_SNDBUF = 4608, SOCK_MIN_RCVBUF = 2304;
/**
 * net.core.somaxconn: the cap on a listen backlog; net.unix.max_dgram_qlen:
 * datagrams a unix socket queues (beyond it a connected sender waits), 10
 * as Linux's default (af_unix.c unix_net_init).
 */
export const SOMAXCONN = 4096, UNIX_MAX_DGRAM_QLEN = 10;

/** sizeof(struct sockaddr_un): sun_family (2) + sun_path[108]. */
export const SOCKADDR_UN_SIZE = 110;
export const UNIX_PATH_MAX = 108;

export const MSGHDR = layout(56, {
  name: [0, "u64"], namelen: [8, "u32"], iov: [16, "u64"], iovlen: [24, "u64"],
  control: [32, "u64"], controllen: [40, "u64"], flags: [48, "i32"],
});
/** struct cmsghdr: cmsg_len is a size_t; data starts at 16 (CMSG_ALIGN(sizeof(cmsghdr))). */
export const CMSGHDR = layout(16, { len: [0, "u64"], level: [8, "i32"], type: [12, "i32"] });
export const CMSG_HDR_LEN = 16;
export const cmsgAlign = (n: number): number => (n + 7) & ~7;
export const UCRED = layout(12, { pid: [0, "i32"], uid: [4, "u32"], gid: [8, "u32"] });
