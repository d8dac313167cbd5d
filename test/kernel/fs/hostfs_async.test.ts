// hostfs on a host that answers later (host/hostfs.ts, the Node adapter's
// async mode, kernel/fs/hostfs/hostfs.ts "Host answers that come later"):
//   - in process: progs/fs_host.c (read, create, rename, link, symlink,
//     truncate, readdir, a shared mmap written back) passes on an async
//     share and leaves the same files as on a synchronous one;
//   - another task runs while one waits: progs/hostfs_wait.c's child reads
//     a file from a slow host (answers 300 ms late) while its parent counts;
//     the count moves during the child's read(2) on the slow async host and
//     stays still on the synchronous one (one hart: a synchronous host call
//     runs inside the syscall);
//   - end to end (`tsix run --mount-io async`): busybox ls, cat, cp, mkdir,
//     rm, `echo x > f`, and a C program that mmaps a host file, give the
//     same output and leave the same files as with the default (sync);
//   - bad --mount-io input is one line and status 2.
//
// Concepts: C68, C22 (a task blocked on I/O; others run), C13.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, readdirSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, program, assertFsHostResults } from "./harness.js";
import { tsix, explain as explainRun } from "../harness.js";
import { nodeHostFs } from "../../../host/node/hostfs.js";
import type { HostFs } from "../../../host/hostfs.js";
import { mountHost } from "../../../kernel/fs/init.js";
import { hostComplete, hostRequestsInFlight, type Kernel } from "../../../kernel/index.js";

/** A share whose answers the kernel gets through hostComplete, as the CLI wires it. */
function asyncShare(k: Kernel, dir: string, delayMs = 0): HostFs {
  const h = nodeHostFs(dir, { io: "async", delayMs });
  h.onCompletion!(() => hostComplete(k));
  return h;
}

async function drained(h: HostFs): Promise<void> {
  for (let i = 0; i < 5000 && (h.inFlight?.() ?? 0) > 0; i++) await new Promise((r) => setTimeout(r, 1));
}

test("hostfs async: fs_host.c passes on a share that answers later, with the same results on the host", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-hostfs-async-"));
  try {
    writeFileSync(join(dir, "in.txt"), "from host");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "deep.txt"), "deep");
    let share: HostFs | undefined;
    let waits = 0;
    const r = await run("fs_host", {
      clock: "host", timeoutMs: 60_000,
      setup: (k, t) => {
        share = asyncShare(k, dir);
        const orig = share.takeCompleted!.bind(share);
        share.takeCompleted = () => { const c = orig(); waits += c.length; return c; };
        assert.equal(mountHost(k, t, "/host", share, dir), 0);
      },
    });
    assert.equal(r.status, 0, explain(r));
    assert.match(r.out, /fs_host: ok/, explain(r));
    assert.ok(waits > 100, `the share answered later ${waits} times: the async path must have been taken`);
    // The write-back at halt does not wait (background): once the host has answered, nothing is left.
    await drained(share!);
    assert.equal(hostRequestsInFlight(r.k), 0, "nothing may be left in flight in the kernel's books");
    assertFsHostResults(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("hostfs async: another task runs while one waits for a slow host", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-hostfs-wait-"));
  try {
    writeFileSync(join(dir, "slow.txt"), "slow answer");
    const counted = async (mk: (k: Kernel) => HostFs): Promise<number> => {
      const r = await run("hostfs_wait", { clock: "host", timeoutMs: 60_000, setup: (k, t) => assert.equal(mountHost(k, t, "/host", mk(k), dir), 0) });
      assert.equal(r.status, 0, explain(r));
      const m = /child: read 11 bytes 'slow answer' while the parent counted (\d+)/.exec(r.out);
      assert.ok(m, explain(r));
      return Number(m[1]);
    };
    const slow = await counted((k) => asyncShare(k, dir, 300));
    assert.ok(slow > 1000, `on a slow async host the parent must run during the child's read (counted ${slow})`);
    const sync = await counted(() => nodeHostFs(dir));
    assert.equal(sync, 0, "on a synchronous host nothing else runs during the read");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Run `script` with a fresh copy of `seed` mounted at /mnt, in the given mode; the output and the tree left behind. */
function e2e(seed: string, script: string, io: "sync" | "async"): { out: string; tree: string } {
  const dir = mkdtempSync(join(tmpdir(), `tsix-hostfs-${io}-`));
  try {
    cpSync(seed, dir, { recursive: true });
    const r = tsix(["run", "--mount", `${dir}:/mnt`, "--mount-io", io, "--", "sh", "-c", script]);
    assert.equal(r.status, 0, `${io}: ${explainRun(r)}`);
    const tree: string[] = [];
    const walk = (d: string, rel: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const p = join(d, e.name), q = `${rel}${e.name}`;
        if (e.isDirectory()) { tree.push(`${q}/`); walk(p, `${q}/`); } else tree.push(`${q} ${readFileSync(p).toString("base64")}`);
      }
    };
    walk(dir, "");
    return { out: r.stdout, tree: tree.join("\n") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("hostfs async end to end: busybox and an mmap of a host file give the same results as sync", { skip: skipNoCC, timeout: 300_000 }, () => {
  const seed = mkdtempSync(join(tmpdir(), "tsix-hostfs-seed-"));
  try {
    writeFileSync(join(seed, "a.txt"), "alpha\nbeta\n");
    mkdirSync(join(seed, "sub"));
    writeFileSync(join(seed, "sub", "big.bin"), Buffer.alloc(3 * 4096 + 100, 7));
    writeFileSync(join(seed, "mapcat"), program("hostfs_mapcat"), { mode: 0o755 });
    const script = [
      "ls /mnt /mnt/sub", "cat /mnt/a.txt", "cp /mnt/a.txt /mnt/copy.txt", "mkdir /mnt/newdir /mnt/gone",
      "cp /mnt/sub/big.bin /mnt/newdir/big2.bin", "rm -r /mnt/gone", "echo x > /mnt/f", "echo y >> /mnt/f",
      "cat /mnt/f", "wc -c /mnt/newdir/big2.bin", "/mnt/mapcat /mnt/a.txt", "/mnt/mapcat /mnt/sub/big.bin | wc -c",
      "ls -R /mnt",
    ].join(" && ");
    const s = e2e(seed, script, "sync");
    const a = e2e(seed, script, "async");
    assert.match(s.out, /alpha\nbeta\n/);
    assert.match(s.out, /mapped 11 bytes: alpha/);
    assert.equal(a.out, s.out, "the output differs between --mount-io sync and async");
    assert.equal(a.tree, s.tree, "the host tree left behind differs between --mount-io sync and async");
  } finally {
    rmSync(seed, { recursive: true, force: true });
  }
});

test("hostfs async: bad --mount-io input is one line and exit status 2", () => {
  for (const [args, re] of [
    [["--mount-io", "later"], /--mount-io must be sync or async/],
    [["--mount-io", "async", "--deterministic"], /--mount-io async cannot be --deterministic/],
    [["--mount-io", "async", "--clock", "instret"], /--mount-io async needs the host clock/],
  ] as const) {
    const r = tsix(["run", ...args, "--", "true"]);
    assert.equal(r.status, 2, explainRun(r));
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
});
