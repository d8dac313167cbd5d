// User-mode networking (`tsix run --net user`, host/node/net.ts and the
// host-connection part of kernel/net/inet.ts): a guest's busybox wget
// fetches a file from an HTTP server this test starts on the host's
// 127.0.0.1, through the gateway address 10.0.2.2; nslookup asks 10.0.2.3,
// answered by the host's resolver; the host reaches a
// guest server through --publish; the guest sees eth0 10.0.2.15; bad option
// values are one-line usage errors (exit 2). Only the host's loopback is
// ever contacted.
// Concepts: C45.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer as httpServer } from "node:http";
import { createServer, connect, type AddressInfo } from "node:net";
import { tsix, tsixAsync, explain } from "../harness.js";

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
