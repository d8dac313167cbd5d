// The SIOCGIF* ioctls on any socket (what busybox ifconfig and friends
// use), answered from the interface table in lib/netif.ts (lo, and eth0
// with --net user), the same table rtnetlink (net/netlink.ts) and
// /proc/net read.
//
// Concepts: C45 (sockets: the interfaces behind inet addresses).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { EFAULT, ENODEV, EINVAL } from "../abi/errno.js";
import { AF_INET } from "../abi/socket.js";
import { getI32, getU64, putU32 } from "../abi/le.js";
import { type NetDev, netDevices } from "../lib/netif.js";

export { type NetDev, netDevices, linkLocal6, LOOPBACK, ETH0, IFF_UP, IFF_LOOPBACK, IFF_RUNNING } from "../lib/netif.js";


export const SIOCGIFNAME = 0x8910, SIOCGIFCONF = 0x8912, SIOCGIFFLAGS = 0x8913, SIOCGIFADDR = 0x8915, SIOCGIFBRDADDR = 0x8919,
  SIOCGIFNETMASK = 0x891b, SIOCGIFMETRIC = 0x891d, SIOCGIFMTU = 0x8921, SIOCGIFHWADDR = 0x8927, SIOCGIFINDEX = 0x8933,
  SIOCGIFTXQLEN = 0x8942, SIOCGIFMAP = 0x8970;

/** struct ifreq: ifr_name[16] and a 24-byte union; struct ifconf: int len, (pad), pointer. */
const IFREQ = 40, IFNAMSIZ = 16;

function sockaddrIn(b: Uint8Array, at: number, ip: readonly number[]): void {
  b.fill(0, at, at + 16);
  b[at] = AF_INET;
  b.set(ip, at + 4);
}

/** The SIOCGIF* ioctls, or null when `cmd` is none of them (the caller answers ENOTTY). */
export function netdevIoctl(k: Kernel, t: Task, cmd: number, arg: number): number | null {
  const devs = netDevices(k);
  if (cmd === SIOCGIFCONF) {
    const hdr = new Uint8Array(16);
    if (copyin(k.mmctx, t.mm!, arg, hdr) < 0) return -EFAULT;
    const len = getI32(hdr, 0), buf = getU64(hdr, 8);
    if (len < 0) return -EINVAL;
    let used = 0;
    if (buf === 0) used = devs.length * IFREQ; // a NULL buffer asks for the size needed
    else {
      for (const d of devs) {
        if (used + IFREQ > len) break;
        const r = new Uint8Array(IFREQ);
        r.set(new TextEncoder().encode(d.name));
        sockaddrIn(r, IFNAMSIZ, d.addr);
        if (copyout(k.mmctx, t.mm!, buf + used, r) < 0) return -EFAULT;
        used += IFREQ;
      }
    }
    putU32(hdr, 0, used);
    return copyout(k.mmctx, t.mm!, arg, hdr.subarray(0, 4)) < 0 ? -EFAULT : 0;
  }
  const known = [SIOCGIFNAME, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFBRDADDR, SIOCGIFNETMASK, SIOCGIFMETRIC, SIOCGIFMTU, SIOCGIFHWADDR,
    SIOCGIFINDEX, SIOCGIFTXQLEN, SIOCGIFMAP];
  if (!known.includes(cmd)) return null;
  const r = new Uint8Array(IFREQ);
  if (copyin(k.mmctx, t.mm!, arg, r) < 0) return -EFAULT;
  let d: NetDev | undefined;
  if (cmd === SIOCGIFNAME) d = devs.find((x) => x.index === getI32(r, IFNAMSIZ));
  else {
    let end = 0;
    while (end < IFNAMSIZ && r[end] !== 0) end++;
    const name = new TextDecoder().decode(r.subarray(0, end));
    d = devs.find((x) => x.name === name);
  }
  if (!d) return -ENODEV;
  const u = IFNAMSIZ;
  r.fill(0, u);
  switch (cmd) {
    case SIOCGIFNAME: r.fill(0, 0, IFNAMSIZ); r.set(new TextEncoder().encode(d.name)); putU32(r, u, d.index); break;
    case SIOCGIFFLAGS: r[u] = d.flags; r[u + 1] = d.flags >>> 8; break;
    case SIOCGIFADDR: sockaddrIn(r, u, d.addr); break;
    case SIOCGIFBRDADDR: sockaddrIn(r, u, [0, 0, 0, 0]); break;
    case SIOCGIFNETMASK: sockaddrIn(r, u, d.mask); break;
    case SIOCGIFMETRIC: putU32(r, u, 0); break;
    case SIOCGIFMTU: putU32(r, u, d.mtu); break;
    case SIOCGIFHWADDR: r[u] = d.hwtype; r[u + 1] = d.hwtype >>> 8; r.set(d.hwaddr, u + 2); break;
    case SIOCGIFINDEX: putU32(r, u, d.index); break;
    case SIOCGIFTXQLEN: putU32(r, u, d.txqlen); break;
    case SIOCGIFMAP: break; // no memory window, irq or dma
  }
  return copyout(k.mmctx, t.mm!, arg, r) < 0 ? -EFAULT : 0;
}

