// User-mode networking (`tsix run --net user`, host/node/net.ts and the
// host-connection part of kernel/net/inet.ts): a guest's busybox wget
// fetches a file from an HTTP server this test starts on the host's
// 127.0.0.1, through the gateway address 10.0.2.2; nslookup asks 10.0.2.3,
// answered by the host's resolver; the host reaches a
// guest server through --publish; the guest sees eth0 10.0.2.15; bad option
// values are one-line usage errors (exit 2); /etc/resolv.conf (a link to /proc/net/pnp, in Linux's
// format: IPv4 nameservers only) names 10.0.2.3;
// UDP reaches a host echo server (progs/udp_host.c); a guest that reads
// slowly holds back a host sender (flow control). Only the host's loopback
// is ever contacted.
// Concepts: C45.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer as httpServer } from "node:http";
import { createServer, connect, type AddressInfo } from "node:net";
import { createSocket } from "node:dgram";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, tsixAsync, explain } from "../harness.js";
import { program, skipNoCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/net/progs");

test("--net user: guest wget fetches from a host server on 127.0.0.1 through 10.0.2.2; eth0 is 10.0.2.15", { timeout: 240_000 }, async () => {
  const paths: string[] = [];
  const srv = httpServer((req, res) => { paths.push(req.url ?? ""); res.end("hello from the host\n"); });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as AddressInfo).port;
  try {
    const r = await tsixAsync(["run", "--net", "user", "--", "sh", "-c", `wget -q -O - http://10.0.2.2:${port}/hello.txt; echo wget=$?; ifconfig eth0; nslookup localhost 10.0.2.3`], { timeout: 200_000 });
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stdout, /^hello from the host\nwget=0$/m, explain(r));
    assert.deepEqual(paths, ["/hello.txt"]);
    assert.match(r.stdout, /^eth0 +Link encap:Ethernet +HWaddr 52:54:00:12:34:56/m, explain(r));
    assert.match(r.stdout, /inet addr:10\.0\.2\.15 .*Mask:255\.255\.255\.0/, explain(r));
    // DNS at 10.0.2.3 answers from the host's resolver ("localhost" comes from the host's /etc/hosts: no network needed).
    assert.match(r.stdout, /^Name:\s+localhost\nAddress: 127\.0\.0\.1$/m, explain(r));
  } finally {
    srv.close();
  }
});

test("--net user --publish HOST:GUEST: the host's 127.0.0.1:HOST reaches a guest nc server", { timeout: 240_000 }, async () => {
  // A free host port: bind to 0, note it, release it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const hp = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  let got = "";
  const run = tsixAsync(["run", "--net", "user", "--publish", `${hp}:8080`, "--", "sh", "-c",
    "echo published-body | nc -l -p 8080; echo server-done"], { timeout: 200_000 });
  // Until the guest listens, the kernel turns connections away: try again.
  for (let i = 0; i < 400 && !got.includes("published-body"); i++) {
    got = await new Promise<string>((res) => {
      let buf = "";
      const c = connect(hp, "127.0.0.1");
      c.setEncoding("utf8");
      c.setTimeout(5000, () => c.destroy());
      c.on("data", (d) => { buf += d; if (buf.includes("\n")) c.end(); });
      c.on("close", () => res(buf));
      c.on("error", () => res(buf));
    });
    if (!got.includes("published-body")) await new Promise((r) => setTimeout(r, 250));
  }
  const r = await run;
  assert.equal(got, "published-body\n", explain(r));
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^server-done$/m, explain(r));
});

test("--net and --publish: bad values are one-line usage errors with exit 2", () => {
  for (const [args, msg] of [
    [["--net", "bridge"], /--net must be none or user/],
    [["--net", "user", "--publish", "70000:80"], /--publish needs HOSTPORT:GUESTPORT/],
    [["--net", "user", "--publish", "8080"], /--publish needs HOSTPORT:GUESTPORT/],
    [["--publish", "8080:80"], /--publish needs user-mode networking: add --net user/],
  ] as const) {
    const r = tsix(["run", ...args, "--", "true"]);
    assert.equal(r.status, 2, explain(r));
    assert.match(r.stderr, msg, explain(r));
    assert.equal(r.stderr.trim().split("\n").length, 1, explain(r));
  }
});

test("--net user: /etc/resolv.conf names 10.0.2.3 (from /proc/net/pnp, Linux's format: no IPv6 server) and a resolver that reads it gets the host's answer; without --net user there is none", { timeout: 240_000 }, () => {
  // busybox nslookup without a server argument asks the nameserver of /etc/resolv.conf; 10.0.2.3 forwards to the host's
  // resolver, which answers "localhost" from the host's own hosts file (no network).
  const r = tsix(["run", "--net", "user", "--", "sh", "-c", "cat /etc/resolv.conf; nslookup localhost; echo ns=$?"], { timeout: 200_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^#PROTO: DHCP\nnameserver 10\.0\.2\.3\nbootserver 10\.0\.2\.2\n/, explain(r));
  assert.match(r.stdout, /^Server:\s+10\.0\.2\.3$/m, explain(r));
  assert.match(r.stdout, /^Name:\s+localhost\nAddress: 127\.0\.0\.1$/m, explain(r));
  assert.match(r.stdout, /^ns=0$/m, explain(r));
  const off = tsix(["run", "--", "sh", "-c", "cat /etc/resolv.conf; echo cat=$?; ls /proc/net | grep -c pnp"], { timeout: 200_000 });
  assert.match(off.stdout, /^cat=1\n0$/m, explain(off));
  assert.match(off.stderr + off.stdout, /can't open '\/etc\/resolv\.conf': No such file or directory/, explain(off));
});

/** A static test program in a fresh host directory, for --mount DIR:/mnt. */
function progDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tsix-usernet-"));
  writeFileSync(join(dir, name), program(name, PROGS), { mode: 0o755 });
  return dir;
}

/** A UDP echo server on the host's loopback ("echo:" + each datagram), and a port where nothing listens. */
async function udpEcho(type: "udp4" | "udp6", host: string): Promise<{ port: number; closed: number; seen: string[]; close: () => void }> {
  const seen: string[] = [];
  const s = createSocket(type);
  s.on("message", (m, r) => { seen.push(`${r.address}:${m.toString()}`); s.send(Buffer.concat([Buffer.from("echo:"), m]), r.port, r.address); });
  await new Promise<void>((res) => s.bind(0, host, res));
  const probe = createSocket(type);
  await new Promise<void>((res) => probe.bind(0, host, res));
  const closed = probe.address().port;
  await new Promise<void>((res) => probe.close(() => res()));
  return { port: s.address().port, closed, seen, close: () => s.close() };
}

test("--net user: UDP to the host's 127.0.0.1 through 10.0.2.2 (sendto, connected send, ECONNREFUSED from a closed port)", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const echo = await udpEcho("udp4", "127.0.0.1");
  const dir = progDir("udp_host");
  try {
    const r = await tsixAsync(["run", "--net", "user", "--mount", `${dir}:/mnt`, "--", "/mnt/udp_host", String(echo.port), String(echo.closed), "10.0.2.2"], { timeout: 200_000 });
    assert.doesNotMatch(r.stdout, /^FAIL/m, explain(r));
    assert.match(r.stdout, /^unconnected: echo:ping from 10\.0\.2\.2:\d+$/m, explain(r));
    assert.match(r.stdout, /^closed port: Connection refused$/m, explain(r));
    assert.match(r.stdout, /^udp_host: ok \(0 failures\)$/m, explain(r));
    assert.equal(r.status, 0, explain(r));
    // The datagrams reached the host's loopback server from the host's 127.0.0.1.
    assert.deepEqual(echo.seen.slice(0, 2), ["127.0.0.1:ping", "127.0.0.1:two"]);
  } finally {
    echo.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--net user: flow control from the host: a guest that does not read pauses the host connection; every byte arrives in order", { timeout: 300_000 }, async () => {
  const TOTAL = 16 << 20;
  const data = Buffer.alloc(TOTAL);
  for (let i = 0; i < TOTAL; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
  const md5 = createHash("md5").update(data).digest("hex");
  let written = 0, writtenWhileStalled = -1;
  // allowHalfOpen: the guest's nc shuts its sending side at once (its stdin is empty); the server keeps sending.
  const srv = createServer({ allowHalfOpen: true }, (c) => {
    // Write in 64 KiB pieces, each after the last was taken by the host's socket (node's backpressure).
    let at = 0;
    const more = (): void => {
      while (at < TOTAL) {
        const piece = data.subarray(at, at + (64 << 10));
        at += piece.length;
        if (!c.write(piece, () => { written += piece.length; })) { c.once("drain", more); return; }
      }
      c.end();
    };
    more();
    // The guest reads nothing for its first 6 seconds: what the host could hand over by then is what was buffered.
    setTimeout(() => { writtenWhileStalled = written; }, 4000);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as AddressInfo).port;
  try {
    const r = await tsixAsync(["run", "--net", "user", "--", "sh", "-c",
      `nc 10.0.2.2 ${port} | (sleep 6; grep -i ':${port.toString(16).padStart(4, "0").toUpperCase()} ' /proc/net/tcp; md5sum)`], { timeout: 280_000 });
    assert.equal(r.status, 0, explain(r));
    // Every byte, in order.
    assert.match(r.stdout, new RegExp(`^${md5}  -$`, "m"), explain(r));
    // While the guest did not read, its socket held at most its receive buffer and what was in flight (not the 16 MiB).
    const row = /^\s*\d+: [0-9A-F]{8}:[0-9A-F]{4} 0202000A:[0-9A-F]{4} 01 ([0-9A-F]{8}):([0-9A-F]{8})/m.exec(r.stdout);
    assert.ok(row, explain(r));
    const rxQueue = parseInt(row[2], 16);
    assert.ok(rxQueue > 0 && rxQueue <= 1 << 20, `guest rx_queue ${rxQueue} while stalled\n${explain(r)}`);
    // And the host's sender was held back: it could not hand over all of it while the guest stalled.
    assert.ok(writtenWhileStalled >= 0 && writtenWhileStalled < TOTAL / 2, `host wrote ${writtenWhileStalled} of ${TOTAL} while the guest stalled`);
  } finally {
    srv.close();
  }
});

test("--net user IPv6: eth0 has fec0::15/64 and a default route via fec0::2; TCP (wget) and UDP reach servers on the host's ::1", { skip: skipNoCC, timeout: 240_000 }, async () => {
  // No skip when the host lacks ::1: listening there must work, or this test fails saying so.
  const paths: string[] = [];
  const srv = httpServer((req, res) => { paths.push(`${req.socket.remoteAddress} ${req.url}`); res.end("hello over ipv6\n"); });
  await new Promise<void>((res, rej) => { srv.once("error", (e) => rej(new Error(`this host has no usable ::1 (${(e as NodeJS.ErrnoException).code}): the IPv6 test needs one`))); srv.listen(0, "::1", res); });
  const port = (srv.address() as AddressInfo).port;
  const echo = await udpEcho("udp6", "::1");
  const dir = progDir("udp_host");
  try {
    const r = await tsixAsync(["run", "--net", "user", "--mount", `${dir}:/mnt`, "--", "sh", "-c",
      `ip -6 addr; ip -6 route; wget -q -O - "http://[fec0::2]:${port}/six.txt"; echo wget=$?; /mnt/udp_host ${echo.port} ${echo.closed} fec0::2`], { timeout: 200_000 });
    assert.match(r.stdout, /^ {4}inet6 fec0::15\/64 scope site/m, explain(r));
    assert.match(r.stdout, /^default via fec0::2 dev eth0/m, explain(r));
    assert.match(r.stdout, /^hello over ipv6\nwget=0$/m, explain(r));
    assert.deepEqual(paths, ["::1 /six.txt"]);
    assert.doesNotMatch(r.stdout, /^FAIL/m, explain(r));
    assert.match(r.stdout, /^unconnected: echo:ping from fec0::2:\d+$/m, explain(r));
    assert.match(r.stdout, /^udp_host: ok \(0 failures\)$/m, explain(r));
    assert.equal(r.status, 0, explain(r));
    assert.deepEqual(echo.seen.slice(0, 2), ["::1:ping", "::1:two"]);
  } finally {
    srv.close();
    echo.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
