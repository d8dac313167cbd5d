// User-mode networking's host side (`tsix run --net user`), the Node
// implementation of the kernel's HostNet (kernel/net/inet_types.ts): guest
// TCP connections become the host's own node:net connections (the gateway
// 10.0.2.2 is the host's 127.0.0.1: the kernel asks for 127.0.0.1, never
// 10.0.2.2 on the host's network), DNS queries to 10.0.2.3 are answered
// from the host's resolver (node:dns lookup: A records from an IPv4 lookup,
// AAAA records from an IPv6 one, both for ANY), and --publish
// HOSTPORT:GUESTPORT listens on the host's 127.0.0.1:HOSTPORT and hands each
// connection to the guest's listener. Everything the host learns is queued
// as events; `onEvent` tells the run loop to give them to the kernel
// (kernel/index.ts netUserPoll) between run slices.
//
// UDP: each guest UDP socket that sends out gets one host dgram socket of
// its own (so replies find it); the gateway is again the host's loopback.
// Flow control host -> guest: the kernel pauses a connection whose guest
// socket's receive queue is full and resumes it as the guest reads; this
// adapter also pauses a connection while more than ADAPTER_HIGH bytes of its
// data wait in the event queue for the kernel, so nothing here buffers
// without bound: the host's own socket buffers (and TCP's window) hold the
// rest, and the sender waits.
// Flow control guest -> host: the kernel hands a connection no more than
// room(id) bytes, what keeps node's write buffer for it at or under
// TX_HIGH; the rest stays queued in the guest, where it holds the guest's
// writer back. Node's "drain" comes back as a "writable" event. A guest
// close (finish) ends the connection after its queued bytes, never drops
// them. txQueuedMax() is the most any connection ever had waiting here
// (`tsix run --stats` prints it: the flow-control test asserts the bound).
//
// Concepts: C45 (sockets: a network to the host).
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { createSocket, type Socket as DgramSocket } from "node:dgram";
import { lookup } from "node:dns";
import type { HostNet, HostNetEvent } from "../../kernel/index.js";

const ECONNREFUSED = 111, ECONNRESET = 104, ETIMEDOUT = 110, EHOSTUNREACH = 113, ENETUNREACH = 101;

function errnoOf(e: NodeJS.ErrnoException): number {
  switch (e.code) {
    case "ECONNREFUSED": return ECONNREFUSED;
    case "ETIMEDOUT": return ETIMEDOUT;
    case "EHOSTUNREACH": return EHOSTUNREACH;
    case "ENETUNREACH": return ENETUNREACH;
    default: return ECONNRESET;
  }
}

export interface NodeHostNet extends HostNet {
  /** Called when events wait (from the event loop, never inside a run slice). */
  onEvent(f: () => void): void;
  /** Live connections and listeners (the run loop keeps waiting for them). */
  active(): boolean;
  /** Start the --publish listeners; resolves when they listen (rejects with the host's error). */
  publish(ports: { host: number; guest: number }[]): Promise<void>;
  shutdownAll(): void;
  /** Connections the guest closed that node is still writing out (their bytes, then FIN); onEvent's callback runs as each is done. */
  finishing(): { conns: number; bytes: number };
  /** The most bytes any connection ever had waiting in node's write buffer (never above TX_HIGH). */
  txQueuedMax(): number;
}

/** Bytes of guest data one connection may have waiting in node's write buffer (HostNet.room). */
export const TX_HIGH = 256 << 10;

/** room() of a connection with no socket (gone, or failed): its bytes are dropped, so it never holds the guest back. */
const NO_SOCKET_ROOM = 1 << 30;

/** Bytes of one connection's data that may wait in the event queue before the adapter stops reading it. */
const ADAPTER_HIGH = 256 << 10;

/** Publish connections' ids count down from here, apart from the kernel's (which count up from 1). */
const PUBLISH_ID_BASE = 0x40000000;

export function nodeHostNet(): NodeHostNet {
  const socks = new Map<number, Socket>();
  const servers: Server[] = [];
  const events: HostNetEvent[] = [];
  let notify: (() => void) | null = null;
  let nextPublishId = PUBLISH_ID_BASE;
  let dnsPending = 0;
  /** UDP host sockets: the peer of a connected one ("host:port"), and what waits for node's connect to finish. */
  const udps = new Map<number, { s: DgramSocket; peer: string | null; waiting: Uint8Array[] | null }>();
  /** Data bytes per connection waiting in `events`; connections the kernel paused; connections this adapter paused. */
  const queued = new Map<number, number>();
  const kernelPaused = new Set<number>();
  const adapterPaused = new Set<number>();
  /** Connections the guest closed whose last bytes node is still writing. */
  const ending = new Set<number>();
  const push = (e: HostNetEvent): void => { events.push(e); notify?.(); };
  let txMax = 0;

  function attach(id: number, c: Socket): void {
    socks.set(id, c);
    c.on("data", (d: Buffer) => {
      push({ kind: "data", id, data: new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice() });
      const q = (queued.get(id) ?? 0) + d.byteLength;
      queued.set(id, q);
      if (q > ADAPTER_HIGH && !adapterPaused.has(id)) { adapterPaused.add(id); c.pause(); }
    });
    c.on("end", () => push({ kind: "eof", id }));
    c.on("drain", () => push({ kind: "writable", id }));
    c.on("error", (e: NodeJS.ErrnoException) => { socks.delete(id); push({ kind: "error", id, errno: errnoOf(e) }); });
    c.on("close", () => { if (ending.delete(id)) notify?.(); socks.delete(id); queued.delete(id); kernelPaused.delete(id); adapterPaused.delete(id); });
  }

  function udp(id: number, v6: boolean): DgramSocket {
    let u = udps.get(id);
    if (!u) {
      const s = createSocket(v6 ? "udp6" : "udp4");
      s.on("message", (m: Buffer, r) => push({ kind: "udp", id, data: new Uint8Array(m.buffer, m.byteOffset, m.byteLength).slice(), addr: r.address, port: r.port }));
      s.on("error", (e: NodeJS.ErrnoException) => push({ kind: "udperror", id, errno: errnoOf(e) }));
      u = { s, peer: null, waiting: null };
      udps.set(id, u);
    }
    return u.s;
  }

  return {
    connect(id, host, port) {
      const c = createConnection({ host, port, allowHalfOpen: true });
      c.once("connect", () => push({ kind: "connected", id }));
      attach(id, c);
    },
    send(id, data) {
      const c = socks.get(id);
      if (!c) return;
      c.write(data);
      if (c.writableLength > txMax) txMax = c.writableLength;
    },
    room(id) {
      const c = socks.get(id);
      return c && !c.destroyed ? TX_HIGH - c.writableLength : NO_SOCKET_ROOM;
    },
    finish(id) {
      const c = socks.get(id);
      if (!c) return;
      // FIN after what node still holds, then release the socket (node calls back once all of it is written).
      ending.add(id);
      c.end(() => c.destroy());
    },
    txQueuedMax() { return txMax; },
    finishing() {
      let bytes = 0;
      for (const id of ending) bytes += socks.get(id)?.writableLength ?? 0;
      return { conns: ending.size, bytes };
    },
    shutdown(id) { socks.get(id)?.end(); },
    close(id) {
      const c = socks.get(id); socks.delete(id); c?.destroy();
      const u = udps.get(id); udps.delete(id); u?.s.close();
    },
    udpSend(id, v6, host, port, data) {
      const s = udp(id, v6);
      const u = udps.get(id)!;
      try {
        if (u.peer === null) { s.send(data, port, host); return; }
        // A connected host socket sends only to its peer (node refuses an address); until node's connect is done, datagrams wait.
        if (u.peer !== `${host}:${port}`) return;
        if (u.waiting) u.waiting.push(data); else s.send(data);
      } catch { /* the host socket is gone or refused: the datagram is lost, as UDP's may be */ }
    },
    udpConnect(id, v6, host, port) {
      const s = udp(id, v6);
      const u = udps.get(id)!;
      try {
        if (u.peer !== null && !u.waiting) s.disconnect();
        u.peer = null; u.waiting = null;
        if (host === null) return;
        const w: Uint8Array[] = [];
        u.peer = `${host}:${port}`; u.waiting = w;
        s.connect(port, host, () => {
          if (u.waiting !== w) return;
          u.waiting = null;
          for (const d of w) s.send(d);
        });
      } catch { /* as above */ }
    },
    pause(id) { kernelPaused.add(id); socks.get(id)?.pause(); },
    resume(id) {
      kernelPaused.delete(id);
      if (!adapterPaused.has(id)) socks.get(id)?.resume();
    },
    dns(id, query) {
      const q = parseQuery(query);
      if (!q) return;
      // Both families are always looked up: a name with addresses of the
      // other family only exists, so its answer is an empty NOERROR (what a
      // resolver calls NODATA), not NXDOMAIN, which says the name is unknown.
      dnsPending++;
      let left = 2;
      const v4: string[] = [], v6: string[] = [];
      const done = (): void => {
        if (--left > 0) return;
        dnsPending--;
        push({ kind: "dns", id, data: answer(query, q, v4, v6) });
      };
      // A numeric name comes back as it is whatever family was asked ("::1"
      // from the IPv4 lookup too): each list keeps its own family only.
      lookup(q.name, { family: 4, all: true }, (err, addrs) => { if (!err) for (const a of addrs) if (a.family === 4) v4.push(a.address); done(); });
      lookup(q.name, { family: 6, all: true }, (err, addrs) => { if (!err) for (const a of addrs) if (a.family === 6) v6.push(a.address); done(); });
    },
    takeEvents() {
      // The kernel has the data now: connections this adapter paused read again (unless the kernel paused them too).
      queued.clear();
      for (const id of adapterPaused) if (!kernelPaused.has(id)) socks.get(id)?.resume();
      adapterPaused.clear();
      return events.splice(0);
    },
    onEvent(f) { notify = f; },
    active() { return socks.size > 0 || servers.length > 0 || dnsPending > 0 || udps.size > 0; },
    async publish(ports) {
      for (const { host, guest } of ports) {
        const srv = createServer({ allowHalfOpen: true }, (c) => {
          const id = nextPublishId++;
          attach(id, c);
          push({ kind: "accept", id, guestPort: guest, peerPort: c.remotePort ?? 0 });
        });
        await new Promise<void>((res, rej) => { srv.once("error", rej); srv.listen(host, "127.0.0.1", () => { srv.off("error", rej); res(); }); });
        servers.push(srv);
      }
    },
    shutdownAll() {
      for (const s of servers) s.close();
      servers.length = 0;
      for (const c of socks.values()) c.destroy();
      socks.clear();
      for (const u of udps.values()) u.s.close();
      udps.clear();
    },
  };
}

interface Query { name: string; type: number; end: number }

/** The question of a DNS query: its name, type and where it ends; null for anything malformed. */
function parseQuery(b: Uint8Array): Query | null {
  if (b.length < 12 || ((b[4] << 8) | b[5]) !== 1) return null;
  const labels: string[] = [];
  let at = 12;
  while (at < b.length && b[at] !== 0) {
    const n = b[at];
    if (n > 63 || at + 1 + n > b.length) return null;
    labels.push(String.fromCharCode(...b.subarray(at + 1, at + 1 + n)));
    at += 1 + n;
  }
  if (at + 5 > b.length) return null;
  return { name: labels.join("."), type: (b[at + 1] << 8) | b[at + 2], end: at + 5 };
}

/** A DNS response: the query's header and question, with A records for `v4`
 *  if it asked for A or ANY and AAAA records for `v6` if it asked for AAAA or
 *  ANY; NXDOMAIN when the name has no address of either family. */
function answer(query: Uint8Array, q: Query, v4: string[], v6: string[]): Uint8Array {
  const as = q.type === 1 || q.type === 255 ? v4 : [];
  const aaaas = q.type === 28 || q.type === 255 ? v6 : [];
  const out = new Uint8Array(q.end + as.length * 16 + aaaas.length * 28);
  out.set(query.subarray(0, q.end));
  out[2] = 0x81 | (query[2] & 0x01); // QR, RD copied, opcode 0
  out[3] = 0x80 | (v4.length + v6.length === 0 ? 3 : 0); // RA; NXDOMAIN when the name has no address at all
  const n = as.length + aaaas.length;
  out[6] = n >> 8; out[7] = n & 0xff; out[8] = out[9] = out[10] = out[11] = 0;
  let at = q.end;
  for (const a of as) {
    out.set([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4], at); // name pointer to the question, A, IN, TTL 60, 4 bytes
    out.set(a.split(".").map(Number), at + 12);
    at += 16;
  }
  for (const a of aaaas) {
    out.set([0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16], at); // AAAA, IN, TTL 60, 16 bytes
    out.set(ipv6Bytes(a), at + 12);
    at += 28;
  }
  return out;
}

/** The 16 bytes of an IPv6 address in text form ("::1", "fe80::1%eth0", "::ffff:1.2.3.4"). */
function ipv6Bytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let s = text.split("%")[0];
  // A trailing dotted IPv4 part stands for the last two groups.
  const dot = s.lastIndexOf(".");
  if (dot >= 0) {
    const colon = s.lastIndexOf(":");
    const v4 = s.slice(colon + 1).split(".").map(Number);
    s = s.slice(0, colon + 1) + ((v4[0] << 8) | v4[1]).toString(16) + ":" + ((v4[2] << 8) | v4[3]).toString(16);
  }
  const [head, tail] = s.includes("::") ? s.split("::") : [s, null];
  const hs = head ? head.split(":") : [];
  const ts = tail ? tail.split(":") : [];
  const groups = tail === null ? hs : [...hs, ...new Array<string>(8 - hs.length - ts.length).fill("0"), ...ts];
  for (let i = 0; i < 8 && i < groups.length; i++) {
    const g = parseInt(groups[i], 16) || 0;
    out[2 * i] = g >> 8; out[2 * i + 1] = g & 0xff;
  }
  return out;
}
