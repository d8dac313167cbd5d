// hostfs: a host directory mounted in the guest (the --mount HOST:GUEST
// mechanism) through host/node/hostfs.ts; progs/fs_host.c works in it and
// the host checks what it left behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, rmSync, readdirSync, renameSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, assertFsHostResults } from "./harness.js";
import { tsixAsync, explain as explainRun } from "../harness.js";
import { nodeHostFs } from "../../../host/node/hostfs.js";
import { mountHost } from "../../../kernel/fs/init.js";

test("hostfs: read, create, rename, link, symlink, truncate, readdir, shared mmap through a host directory", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-hostfs-"));
  try {
    writeFileSync(join(dir, "in.txt"), "from host");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "deep.txt"), "deep");
    const r = await run("fs_host", {
      setup: (k, t) => assert.equal(mountHost(k, t, "/host", nodeHostFs(dir), dir), 0),
    });
    assert.equal(r.status, 0, explain(r));
    assert.match(r.out, /fs_host: ok/, explain(r));
    assertFsHostResults(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("hostfs: a read-only host mount refuses writes with EROFS", { skip: skipNoCC, timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-hostfs-ro-"));
  try {
    writeFileSync(join(dir, "in.txt"), "from host");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "deep.txt"), "deep");
    const r = await run("fs_host", {
      setup: (k, t) => assert.equal(mountHost(k, t, "/host", nodeHostFs(dir, { readOnly: true }), dir, true), 0),
    });
    assert.notEqual(r.status, 0);
    assert.match(r.out, /out\.txt.*errno 30/, explain(r));
    assert.ok(!existsSync(join(dir, "out.txt")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("hostfs: walking a tree of 2,000 entries (find) keeps tsix's host descriptors bounded", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-hostfs-walk-"));
  try {
    for (let d = 0; d < 20; d++) {
      mkdirSync(join(dir, "tree", `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) writeFileSync(join(dir, "tree", `d${d}`, `f${f}`), "");
    }
    let child: ChildProcess | undefined;
    const count = (): number => readdirSync(`/proc/${child!.pid}/fd`).length;
    const run = tsixAsync(["run", "--mount", `${dir}:/mnt`, "--", "sh", "-c",
      "touch /mnt/start; while [ ! -e /mnt/go ]; do sleep 0.05; done; find /mnt/tree | wc -l; ls -lR /mnt/tree | wc -l > /dev/null; " +
      "touch /mnt/walked; while [ ! -e /mnt/done ]; do sleep 0.05; done"], { timeout: 90_000, onSpawn: (p) => { child = p; } });
    const waitFile = async (name: string): Promise<void> => {
      const end = Date.now() + 60_000;
      while (!existsSync(join(dir, name)) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    };
    await waitFile("start");
    const before = count();
    writeFileSync(join(dir, "go"), "");
    await waitFile("walked");
    const after = count();
    writeFileSync(join(dir, "done"), "");
    const r = await run;
    assert.equal(r.status, 0, explainRun(r));
    assert.equal(r.stdout.trim(), "2021", explainRun(r));
    // Cached handles are bounded (64 per mount); one per inode would be thousands.
    assert.ok(after - before <= 80, `host descriptors grew from ${before} to ${after}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("hostfs: a working directory whose cached handle was dropped is found again, and never as another directory that took its name (ESTALE)", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-hostfs-rewalk-"));
  try {
    for (let d = 0; d < 4; d++) {
      mkdirSync(join(dir, "tree", `d${d}`), { recursive: true });
      for (let f = 0; f < 50; f++) writeFileSync(join(dir, "tree", `d${d}`, `f${f}`), "");
    }
    const deep = "deep/" + Array.from({ length: 300 }, (_, i) => `n${i}`).join("/");
    const waitFile = async (name: string): Promise<void> => {
      const end = Date.now() + 60_000;
      while (!existsSync(join(dir, name)) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    };
    // 200 lookups elsewhere push the 300 nested directories' handles out of the cache (64).
    const evict = "find /mnt/tree > /dev/null";
    const run = tsixAsync(["run", "--mount", `${dir}:/mnt`, "--", "sh", "-c",
      `mkdir -p /mnt/${deep} && cd /mnt/${deep} && ${evict} && echo one > f1 && cat f1 && ` +
      `mkdir /mnt/x && cd /mnt/x && touch /mnt/ready && while [ ! -e /mnt/swapped ]; do sleep 0.05; done; ${evict}; ` +
      `echo two > f2; echo "create=$?"; mkdir sub; echo "mkdir=$?"`], { timeout: 90_000 });
    await waitFile("ready");
    // The host moves the directory away and puts a new one under its name.
    renameSync(join(dir, "x"), join(dir, "x-moved"));
    mkdirSync(join(dir, "x"));
    writeFileSync(join(dir, "swapped"), "");
    const r = await run;
    assert.equal(r.status, 0, explainRun(r));
    assert.equal(readFileSync(join(dir, deep, "f1"), "utf8"), "one\n");
    assert.match(r.stdout, /^one\ncreate=1\nmkdir=1$/m, explainRun(r));
    assert.match(r.stderr, /can't create f2: Stale file handle/, explainRun(r));
    assert.match(r.stderr, /mkdir: can't create directory 'sub': Stale file handle/, explainRun(r));
    for (const d of ["x", "x-moved"]) assert.deepEqual(readdirSync(join(dir, d)), [], `${d} was changed`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
