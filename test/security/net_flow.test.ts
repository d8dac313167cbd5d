// Guest -> host flow control under `tsix run --net user` (kernel/net/inet.ts
// hostDrain, host/node/net.ts room/finish): a guest that writes faster than
// a host socket drains is held back in the guest, so the host adapter never
// queues more than its bound however much the guest sends (before, every
// byte the guest wrote went into node's write buffer at once: a guest could
// grow the host's memory without limit). A host listener on 127.0.0.1 reads
// nothing for its first seconds, then slowly; the guest (progs/net_flood.c)
// writes 64 MiB with blocking writes, then 16 MiB with O_NONBLOCK writes;
// a third guest writes without waiting until its first EAGAIN, closes and
// exits while the host is still reading nothing.
//   - every byte arrives, in order (the host checks the pattern), and the
//     guest's close delivers its last queued bytes before the FIN;
//   - `--stats` net_tx_queued_max (the most bytes any connection ever had
//     waiting in the adapter) stays at or under net_tx_bound;
//   - the non-blocking sender sees EAGAIN (and poll's POLLOUT later);
//   - what a guest wrote before it closed and exited still reaches the host
//     after the guest has stopped (cli/run.ts netLinger: before, the bytes
//     still queued in the guest or in node's write buffer were dropped).
// Only the host's loopback is contacted.
// Concepts: C45 (sockets to the host), C40 (bounded buffer), C34 (waiting).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsixAsync, explain } from "../kernel/harness.js";
import { TX_HIGH } from "../../host/node/net.js";
import { program, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";

const PROGS = join(SRC_ROOT, "test/security/progs");

/** A host listener that reads nothing for `stallMs`, then 64 KiB pieces with a pause between them, checking net_flood's pattern. */
async function slowSink(stallMs: number): Promise<{ port: number; result: Promise<{ bytes: number; bad: number; ended: boolean }>; close: () => void }> {
  let done!: (r: { bytes: number; bad: number; ended: boolean }) => void;
  const result = new Promise<{ bytes: number; bad: number; ended: boolean }>((r) => { done = r; });
  const srv = createServer((c: Socket) => {
    let bytes = 0, bad = -1;
    c.pause();
    c.on("data", (d: Buffer) => {
      for (let i = 0; i < d.length; i++) {
        const o = bytes + i;
        if (bad < 0 && d[i] !== ((o * 131 + Math.floor(o / 65536)) & 0xff)) bad = o;
      }
      bytes += d.length;
      c.pause();
      setTimeout(() => c.resume(), 2);
    });
    c.on("end", () => { done({ bytes, bad, ended: true }); c.end(); });
    c.on("error", () => done({ bytes, bad, ended: false }));
    setTimeout(() => c.resume(), stallMs);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return { port: (srv.address() as AddressInfo).port, result, close: () => srv.close() };
}

for (const [mode, mib] of [["block", 64], ["nonblock", 16], ["burst", 64]] as const) {
  const what = mode === "burst" ? "a guest that writes until EAGAIN and exits before the host reads" : `a guest sending ${mib} MiB (${mode}) to a slow host reader is held back`;
  test(`--net user: ${what}; the adapter's queue stays bounded; every byte arrives in order`, { skip: skipNoCC, timeout: 400_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsix-netflow-"));
    writeFileSync(join(dir, "net_flood"), program("net_flood", PROGS), { mode: 0o755 });
    const sink = await slowSink(3000);
    try {
      const r = await tsixAsync(["run", "--net", "user", "--stats", "--mount", `${dir}:/mnt`, "--", "/mnt/net_flood", String(sink.port), String(mib), mode], { timeout: 380_000 });
      assert.equal(r.status, 0, explain(r));
      const m = /^sent (\d+) eagain (\d+)$/m.exec(r.stdout);
      assert.ok(m, explain(r));
      const total = mode === "burst" ? Number(m[1]) : mib << 20;
      assert.equal(Number(m[1]), total, explain(r));
      // The burst filled the guest's send buffer and the adapter's bound before its EAGAIN.
      if (mode === "burst") assert.ok(total > TX_HIGH && Number(m[2]) === 1, `the burst wrote ${total} bytes\n${explain(r)}`);
      assert.doesNotMatch(r.stderr, /dropped/, explain(r));
      assert.match(r.stdout, /^net_flood: ok$/m, explain(r));
      // Every byte, in order, then the guest's FIN (its close waited for its queued bytes to go).
      const got = await sink.result;
      assert.deepEqual(got, { bytes: total, bad: -1, ended: true }, explain(r));
      // The adapter held at most its bound at any time; it was used (the bound is not vacuous).
      const s = /net_tx_queued_max=(\d+) net_tx_bound=(\d+)/.exec(r.stderr);
      assert.ok(s, explain(r));
      const [max, bound] = [Number(s[1]), Number(s[2])];
      assert.ok(bound > 0 && bound <= 1 << 20, `bound ${bound}`);
      assert.ok(max > 0 && max <= bound, `the adapter queued up to ${max} bytes (bound ${bound})\n${explain(r)}`);
      // The host stalled for 3 s: a non-blocking sender met a full send buffer and waited in poll.
      if (mode !== "block") assert.ok(Number(m[2]) > 0, `no EAGAIN while the host stalled\n${explain(r)}`);
    } finally {
      sink.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
