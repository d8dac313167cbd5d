// Hostile programs against the AF_INET/AF_INET6 sockets (net/inet.ts,
// syscalls/socket_inet.ts): bad sockaddr lengths and pointers get EINVAL or
// EFAULT and never crash the kernel; ports below 1024 need root (EACCES);
// floods of sockets, connections and datagrams stay bounded by
// RLIMIT_NOFILE, the listen backlog and the socket buffers; and without
// `--net user` a guest reaches nothing outside itself (a server on the
// host's 127.0.0.1 is not the guest's 127.0.0.1, and 10.0.2.2/10.0.2.3 do
// not route).
// Concepts: C45.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";

const PROGS = join(SRC_ROOT, "test/security/progs");

/** A host TCP server on 127.0.0.1 that counts connections (none may come from a guest without --net user). */
async function hostServer(): Promise<{ server: Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((c) => { hits++; c.destroy(); });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const addr = server.address();
  if (!addr || typeof addr === "string") throw new Error("no address");
  return { server, port: addr.port, hits: () => hits };
}

test("net: hostile sockaddrs, privileged ports (root may), floods bounded, no way out without --net user (as root)", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const h = await hostServer();
  try {
    const r = await run("net_hostile", { dir: PROGS, args: ["root", String(h.port)] });
    assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
    assert.match(r.out, /^net_hostile: ok \(0 failures\)$/m, explain(r));
    assert.equal(h.hits(), 0, "the guest reached the host");
  } finally {
    h.server.close();
  }
});

test("net: a non-root user cannot bind ports below 1024 (EACCES); the same hostile inputs fail cleanly", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const h = await hostServer();
  try {
    const r = await run("net_hostile", { dir: PROGS, args: ["user", String(h.port)], creds: { uid: 1000, euid: 1000, suid: 1000, fsuid: 1000, gid: 1000, egid: 1000, sgid: 1000, fsgid: 1000 } });
    assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
    assert.match(r.out, /^net_hostile: ok \(0 failures\)$/m, explain(r));
    assert.equal(h.hits(), 0, "the guest reached the host");
  } finally {
    h.server.close();
  }
});
