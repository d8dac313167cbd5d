// hostfs: a host directory mounted in the guest (the --mount HOST:GUEST
// mechanism) through host/node/hostfs.ts; progs/fs_host.c works in it and
// the host checks what it left behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, statSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC } from "./harness.js";
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
    assert.equal(readFileSync(join(dir, "out.txt"), "utf8"), "Grom guest\nmore\n");
    assert.equal(statSync(join(dir, "out.txt")).mode & 0o777, 0o640);
    assert.equal(readFileSync(join(dir, "renamed", "b"), "utf8"), "aa");
    assert.equal(statSync(join(dir, "renamed", "b")).mode & 0o777, 0o600);
    assert.equal(readlinkSync(join(dir, "renamed", "l")), "b");
    assert.ok(!existsSync(join(dir, "renamed", "c")));
    assert.ok(!existsSync(join(dir, "newdir")));
    const map = readFileSync(join(dir, "map.bin"));
    assert.equal(map.length, 8192);
    assert.equal(map.subarray(0, 5).toString(), "WRITE");
    assert.equal(map.subarray(4096, 4102).toString(), "mapped");
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
