// The machine's network interfaces, their addresses and the routing table:
// the loopback interface `lo` (127.0.0.1/8, ::1), and with `tsix run --net
// user` eth0 (QEMU's user-networking addresses, and the fe80:: link-local
// address made from its MAC). One table serves every view
// of it: the SIOCGIF* ioctls (net/netdev.ts, busybox ifconfig), rtnetlink's
// link, address and route dumps (net/netlink.ts, busybox `ip`) and
// /proc/net/{route,if_inet6}. Addresses and routes are derived from the
// interface rows, never kept twice. It sits in lib/ so that /proc (fs/) and
// the sockets (net/) can both read it. A virtio-net device would add a row.
//
// Concepts: C45 (sockets: the interfaces and routes behind inet addresses).
import type { Kernel } from "../kernel.js";

const AF_INET = 2, AF_INET6 = 10;

export interface NetDev {
  name: string;
  index: number;
  /** IFF_* flags. */
  flags: number;
  mtu: number;
  /** IPv4 address and netmask, 4 bytes each in network order. */
  addr: readonly number[];
  mask: readonly number[];
  /** ARPHRD_* hardware type and its address. */
  hwtype: number;
  hwaddr: readonly number[];
  txqlen: number;
  /** An IPv6 address (16 bytes) and its prefix length, besides the link's; lo's ::1 is implied by IFF_LOOPBACK. */
  addr6?: readonly number[];
  prefix6?: number;
}

export const IFF_UP = 0x1, IFF_LOOPBACK = 0x8, IFF_RUNNING = 0x40;
const ARPHRD_LOOPBACK = 772;

export const LOOPBACK: NetDev = Object.freeze({
  name: "lo", index: 1, flags: IFF_UP | IFF_LOOPBACK | IFF_RUNNING, mtu: 65536, addr: [127, 0, 0, 1], mask: [255, 0, 0, 0],
  hwtype: ARPHRD_LOOPBACK, hwaddr: [0, 0, 0, 0, 0, 0], txqlen: 1000,
});

const IFF_BROADCAST = 0x2, IFF_MULTICAST = 0x1000, ARPHRD_ETHER = 1;

/** `tsix run --net user`'s interface (QEMU's user-networking addresses; net/inet.ts routes through the host). */
export const ETH0: NetDev = Object.freeze({
  name: "eth0", index: 2, flags: IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST, mtu: 1500, addr: [10, 0, 2, 15], mask: [255, 255, 255, 0],
  hwtype: ARPHRD_ETHER, hwaddr: [0x52, 0x54, 0x00, 0x12, 0x34, 0x56], txqlen: 1000,
  addr6: [0xfe, 0xc0, ...new Array<number>(13).fill(0), 0x15], prefix6: 64,
});

/**
 * An Ethernet interface's IPv6 link-local address, fe80::/64 with the
 * interface identifier made from its MAC (modified EUI-64, RFC 4291 2.5.1):
 * the MAC's halves around ff:fe, the universal/local bit flipped - as the
 * kernel's addrconf gives every Ethernet link (eth0: fe80::5054:ff:fe12:3456).
 */
export function linkLocal6(hw: readonly number[]): number[] {
  return [0xfe, 0x80, 0, 0, 0, 0, 0, 0, hw[0] ^ 0x02, hw[1], hw[2], 0xff, 0xfe, hw[3], hw[4], hw[5]];
}

/** The interfaces of this kernel: lo, and eth0 with --net user. */
export function netDevices(k: Kernel): readonly NetDev[] {
  return k.net.user ? [LOOPBACK, ETH0] : [LOOPBACK];
}

/** An interface address as rtnetlink and /proc/net/if_inet6 show it. */
export interface NetAddr {
  index: number;
  label: string;
  family: number;
  /** 4 or 16 bytes, network order. */
  addr: readonly number[];
  prefix: number;
  /** RT_SCOPE_*: host (254), link (253), universe (0). */
  scope: number;
  /** The IPv4 broadcast address, or null. */
  brd: readonly number[] | null;
}

export const RT_SCOPE_UNIVERSE = 0, RT_SCOPE_SITE = 200, RT_SCOPE_LINK = 253, RT_SCOPE_HOST = 254;

function prefixOf(mask: readonly number[]): number {
  let n = 0;
  for (const b of mask) for (let x = b; x & 0x80; x = (x << 1) & 0xff) n++;
  return n;
}

/** Every address of every interface: each row's IPv4 address, lo's ::1, eth0's fec0::15 and its fe80:: link-local address. */
export function netAddrs(k: Kernel): NetAddr[] {
  const out: NetAddr[] = [];
  for (const d of netDevices(k)) {
    const lo = (d.flags & IFF_LOOPBACK) !== 0;
    const prefix = prefixOf(d.mask);
    out.push({
      index: d.index, label: d.name, family: AF_INET, addr: d.addr, prefix, scope: lo ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE,
      brd: lo ? null : d.addr.map((b, i) => (b & d.mask[i]) | (~d.mask[i] & 0xff)),
    });
  }
  for (const d of netDevices(k)) {
    if (d.flags & IFF_LOOPBACK) {
      out.push({ index: d.index, label: d.name, family: AF_INET6, addr: [...new Array<number>(15).fill(0), 1], prefix: 128, scope: RT_SCOPE_HOST, brd: null });
    } else {
      if (d.addr6) out.push({ index: d.index, label: d.name, family: AF_INET6, addr: d.addr6, prefix: d.prefix6 ?? 64, scope: RT_SCOPE_SITE, brd: null });
      // Every Ethernet link has its link-local address too (after the others, as `ip -6 addr` lists them).
      if (d.hwtype === ARPHRD_ETHER) out.push({ index: d.index, label: d.name, family: AF_INET6, addr: linkLocal6(d.hwaddr), prefix: 64, scope: RT_SCOPE_LINK, brd: null });
    }
  }
  return out;
}

/** An address with only its first `prefix` bits kept (a route's destination). */
function masked(a: readonly number[], prefix: number): number[] {
  return a.map((b, i) => b & (0xff << (8 - Math.min(8, Math.max(0, prefix - i * 8)))) & 0xff);
}

/** A route as rtnetlink shows it (struct rtmsg and its attributes). */
export interface NetRoute {
  family: number;
  /** RT_TABLE_MAIN (254) or RT_TABLE_LOCAL (255). */
  table: number;
  /** RTN_UNICAST (1) or RTN_LOCAL (2). */
  type: number;
  dst: readonly number[];
  dstLen: number;
  gateway: readonly number[] | null;
  oif: number;
  scope: number;
  /** RTPROT_KERNEL (2) for what an address implies, RTPROT_BOOT (3) for the default route. */
  protocol: number;
  prefsrc: readonly number[] | null;
}

export const RT_TABLE_MAIN = 254, RT_TABLE_LOCAL = 255, RTN_UNICAST = 1, RTN_LOCAL = 2, RTPROT_KERNEL = 2, RTPROT_BOOT = 3;

/** The gateway of --net user's default route (QEMU's 10.0.2.2: the host). */
export const GATEWAY4: readonly number[] = [10, 0, 2, 2];
/** The IPv6 gateway (QEMU's fec0::2: the host's ::1). */
export const GATEWAY6: readonly number[] = [0xfe, 0xc0, ...new Array<number>(13).fill(0), 2];

/**
 * The routing table, derived from the addresses: each IPv4 address's subnet
 * (main table, except lo's, which Linux keeps in the local table) and the
 * address itself (local table), lo's ::1, and with eth0 the default route
 * through the gateway.
 */
export function netRoutes(k: Kernel): NetRoute[] {
  const main: NetRoute[] = [], local: NetRoute[] = [];
  for (const a of netAddrs(k)) {
    if (a.family === AF_INET) {
      const net = a.addr.map((b, i) => b & (0xff << (8 - Math.min(8, Math.max(0, a.prefix - i * 8)))) & 0xff);
      const subnet: NetRoute = {
        family: AF_INET, table: a.scope === RT_SCOPE_HOST ? RT_TABLE_LOCAL : RT_TABLE_MAIN, type: a.scope === RT_SCOPE_HOST ? RTN_LOCAL : RTN_UNICAST,
        dst: net, dstLen: a.prefix, gateway: null, oif: a.index, scope: a.scope === RT_SCOPE_HOST ? RT_SCOPE_HOST : RT_SCOPE_LINK,
        protocol: RTPROT_KERNEL, prefsrc: a.addr,
      };
      (subnet.table === RT_TABLE_MAIN ? main : local).push(subnet);
      local.push({ family: AF_INET, table: RT_TABLE_LOCAL, type: RTN_LOCAL, dst: a.addr, dstLen: 32, gateway: null, oif: a.index, scope: RT_SCOPE_HOST,
        protocol: RTPROT_KERNEL, prefsrc: a.addr });
    } else {
      main.push({ family: a.family, table: RT_TABLE_MAIN, type: RTN_UNICAST, dst: masked(a.addr, a.prefix), dstLen: a.prefix, gateway: null, oif: a.index,
        scope: RT_SCOPE_UNIVERSE, protocol: RTPROT_KERNEL, prefsrc: null });
    }
  }
  if (k.net.user) {
    main.push({ family: AF_INET6, table: RT_TABLE_MAIN, type: RTN_UNICAST, dst: new Array<number>(16).fill(0), dstLen: 0, gateway: GATEWAY6, oif: ETH0.index,
      scope: RT_SCOPE_UNIVERSE, protocol: RTPROT_BOOT, prefsrc: null });
    main.unshift({ family: AF_INET, table: RT_TABLE_MAIN, type: RTN_UNICAST, dst: [0, 0, 0, 0], dstLen: 0, gateway: GATEWAY4, oif: ETH0.index,
      scope: RT_SCOPE_UNIVERSE, protocol: RTPROT_BOOT, prefsrc: null });
  }
  return [...main, ...local];
}

const hex2 = (b: number): string => b.toString(16).padStart(2, "0");
/** A 4-byte address as Linux prints a __be32 with %08X on a little-endian machine. */
const le32 = (a: readonly number[]): string => [3, 2, 1, 0].map((i) => hex2(a[i])).join("").toUpperCase();

/** /proc/net/route: the main table's IPv4 routes (net/ipv4/fib_trie.c's fib_route_seq_show, lines padded to 127). */
export function showNetRoute(k: Kernel): string {
  let out = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT".padEnd(127) + "\n";
  const devs = netDevices(k);
  for (const r of netRoutes(k)) {
    if (r.family !== AF_INET || r.table !== RT_TABLE_MAIN) continue;
    const mask = [0, 1, 2, 3].map((i) => (0xff << (8 - Math.min(8, Math.max(0, r.dstLen - i * 8)))) & 0xff);
    const flags = 0x1 | (r.gateway ? 0x2 : 0) | (r.dstLen === 32 ? 0x4 : 0); // RTF_UP, RTF_GATEWAY, RTF_HOST
    const name = devs.find((d) => d.index === r.oif)?.name ?? "*";
    const line = `${name}\t${le32(r.dst)}\t${le32(r.gateway ?? [0, 0, 0, 0])}\t${flags.toString(16).toUpperCase().padStart(4, "0")}\t0\t0\t0\t${le32(mask)}\t0\t0\t0`;
    out += line.padEnd(127) + "\n";
  }
  return out;
}

/** /proc/net/if_inet6: every IPv6 address (address, index, prefix, scope, flags IFA_F_PERMANENT, name). */
export function showIfInet6(k: Kernel): string {
  let out = "";
  for (const a of netAddrs(k)) {
    if (a.family !== AF_INET6) continue;
    // Linux prints the IPv6 scope as its own bits (0x10 host, 0x20 link, 0x00 global), not the RT_SCOPE value.
    const scope = a.scope === RT_SCOPE_HOST ? 0x10 : a.scope === RT_SCOPE_LINK ? 0x20 : a.scope === RT_SCOPE_SITE ? 0x40 : 0;
    out += `${a.addr.map(hex2).join("")} ${hex2(a.index)} ${hex2(a.prefix)} ${hex2(scope)} 80 ${a.label.padStart(8)}\n`;
  }
  return out;
}
