// /proc/net/{tcp,tcp6,udp,udp6} in Linux's exact formats (net/ipv4/tcp_ipv4.c's
// get_tcp4_sock, udp4_format_sock and their IPv6 twins), read from the
// kernel's live sockets (k.net.socks, net/inet.ts's data), so busybox
// `netstat -tuan` lists listeners, connections and UDP sockets.
//
// Concepts: C45 (sockets: the kernel's view of them), C47 (a server's many connections, visible).
import type { Kernel } from "../../kernel.js";
import type { UnixSock } from "../../net/unix.js";

const AF_INET6 = 10, IPPROTO_TCP = 6;
/** TCP states as /proc shows them (include/net/tcp_states.h). */
const TCP_ESTABLISHED = 1, TCP_SYN_SENT = 2, TCP_CLOSE = 7, TCP_CLOSE_WAIT = 8, TCP_LISTEN = 10;

const hex = (v: number, w: number): string => (v >>> 0).toString(16).toUpperCase().padStart(w, "0");

/** An address word by word as Linux prints a __be32 with %08X on a little-endian machine. */
function addrWords(a: string, v6: boolean): string {
  let out = "";
  for (let w = v6 ? 0 : 3; w < 4; w++) {
    const be = a.slice(w * 8, w * 8 + 8);
    out += (be.slice(6, 8) + be.slice(4, 6) + be.slice(2, 4) + be.slice(0, 2)).toUpperCase();
  }
  return out;
}

function sorted(k: Kernel, proto: number, v6: boolean): UnixSock[] {
  const out: UnixSock[] = [];
  for (const s of k.net.socks.values()) {
    const i = s.inet;
    if (!i || s.dead || i.proto !== proto || (i.family === AF_INET6) !== v6) continue;
    out.push(s);
  }
  // Listeners and bound sockets first by port, as a hash walk roughly does; the order is not an interface.
  return out.sort((a, b) => a.inet!.lport - b.inet!.lport || a.ino - b.ino);
}

function tcpState(s: UnixSock): number {
  if (s.state === "listening") return TCP_LISTEN;
  if (s.state === "connected") return s.shut & 1 ? TCP_CLOSE_WAIT : TCP_ESTABLISHED;
  // A connect waiting for the host's answer or for a link-local neighbour (net/inet.ts).
  if (s.inet?.hostPending || (s.inet?.ndUntil ?? 0) > 0) return TCP_SYN_SENT;
  return TCP_CLOSE;
}

export function showNetTcp(k: Kernel, v6: boolean): string {
  let out = v6
    ? "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    : "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode".padEnd(149) + "\n";
  let n = 0;
  for (const s of sorted(k, IPPROTO_TCP, v6)) {
    const i = s.inet!;
    const st = tcpState(s);
    if (st === TCP_CLOSE && i.lport === 0) continue; // a socket never bound is in no hash table
    const rx = st === TCP_LISTEN ? s.backlog.length : s.rqBytes;
    const tx = s.peer && !s.peer.dead ? s.peer.rqBytes : 0;
    const tail = st === TCP_LISTEN ? `100 0 0 10 ${s.maxBacklog}` : "20 4 30 10 -1";
    const line = `${String(n++).padStart(4)}: ${addrWords(i.laddr, v6)}:${hex(i.lport, 4)} ${addrWords(i.raddr, v6)}:${hex(i.rport, 4)} ` +
      `${hex(st, 2)} ${hex(tx, 8)}:${hex(rx, 8)} 00:00000000 00000000 ${String(s.cred.uid).padStart(5)} ${String(0).padStart(8)} ` +
      `${s.ino < 0 ? 0 : s.ino} 1 0000000000000000 ${tail}`;
    out += (v6 ? line : line.padEnd(149)) + "\n";
  }
  return out;
}

export function showNetUdp(k: Kernel, v6: boolean): string {
  let out = v6
    ? "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
    : "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops".padEnd(127) + "\n";
  for (const s of sorted(k, 17, v6)) {
    const i = s.inet!;
    if (i.lport === 0) continue;
    const st = s.state === "connected" ? TCP_ESTABLISHED : TCP_CLOSE;
    const line = `${String(i.lport & 0x7f).padStart(5)}: ${addrWords(i.laddr, v6)}:${hex(i.lport, 4)} ${addrWords(i.raddr, v6)}:${hex(i.rport, 4)} ` +
      `${hex(st, 2)} ${hex(0, 8)}:${hex(s.rqBytes, 8)} 00:00000000 00000000 ${String(s.cred.uid).padStart(5)} ${String(0).padStart(8)} ` +
      `${s.ino} 2 0000000000000000 ${i.drops}`;
    out += (v6 ? line : line.padEnd(127)) + "\n";
  }
  return out;
}
