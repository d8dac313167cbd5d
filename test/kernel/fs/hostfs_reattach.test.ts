// Re-attaching hostfs after a restore (kernel/index.ts hostfsReattach): a
// snapshot is restored in a new process, where the host descriptors kept
// in hostfs inodes and open files mean nothing. Simulated in process:
// progs/hostfs_reattach.c opens two host files and sleeps; meanwhile the
// test closes every descriptor of the share's adapter (the old process is
// gone), replaces swap.txt on the host, puts a fresh adapter for the same
// directory in k.host.hostDirs and calls hostfsReattach. Proves:
//   - reads through a descriptor opened before go on where they were;
//   - the file replaced on the host meanwhile fails with ESTALE through its
//     old descriptor (its identity changed), and is found anew by name;
//   - new lookups work;
//   - without hostfsReattach the same reads fail (EBADF): the test sees it;
//   - a share whose directory is gone is a one-line error for the caller.
//
// Concepts: C84 (snapshot and restore), C68, C66 (an open file refers to
// the object, not to its name).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, existsSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC } from "./harness.js";
import { nodeHostFs, type NodeHostFs } from "../../../host/node/hostfs.js";
import { mountHost } from "../../../kernel/fs/init.js";
import { hostfsReattach, type Kernel } from "../../../kernel/index.js";

async function scenario(reattach: boolean): Promise<{ out: string; err: string | null | undefined; k: Kernel; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "tsix-reattach-"));
  writeFileSync(join(dir, "keep.txt"), "headTAIL of keep");
  writeFileSync(join(dir, "swap.txt"), "old swap file");
  writeFileSync(join(dir, "other.txt"), "another file");
  let err: string | null | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  const r = await run("hostfs_reattach", {
    clock: "host", timeoutMs: 60_000,
    setup: (k, t) => {
      let share: NodeHostFs = nodeHostFs(dir);
      assert.equal(mountHost(k, t, "/host", share, dir), 0);
      // The guest has its files open: "restore" between two run slices (a timer runs only then).
      poll = setInterval(() => {
        if (!existsSync(join(dir, "ready"))) return;
        clearInterval(poll);
        share.closeAll();
        unlinkSync(join(dir, "swap.txt"));
        writeFileSync(join(dir, "swap.txt"), "new swap file");
        share = nodeHostFs(dir);
        k.host.hostDirs.set(dir, share);
        if (reattach) err = hostfsReattach(k);
      }, 5);
    },
  });
  clearInterval(poll);
  assert.equal(r.status, 0, explain(r));
  return { out: r.out, err, k: r.k, dir };
}

test("hostfsReattach: open files and lookups work again after the host descriptors were replaced", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const s = await scenario(true);
  try {
    assert.equal(s.err, null, `hostfsReattach said: ${s.err}`);
    assert.match(s.out, /keep head: 'head'/);
    assert.match(s.out, /^keep: 'TAIL of keep'$/m, s.out);
    assert.match(s.out, /^swap: error 116 \(Stale file handle\)$/m, s.out);
    assert.match(s.out, /^other: 'another file'$/m, s.out);
    assert.match(s.out, /^swap-by-name: 'new swap file'$/m, s.out);
    // A source directory that is gone: one line for the caller.
    const gone = mkdtempSync(join(tmpdir(), "tsix-gone-"));
    const fresh = nodeHostFs(gone);
    rmSync(gone, { recursive: true });
    s.k.host.hostDirs.set(s.dir, nodeHostFs(gone));
    fresh.closeAll();
    const e = hostfsReattach(s.k);
    assert.match(e ?? "", /^the host directory '.*' of --mount is gone \(ENOENT\)$/);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test("hostfsReattach: without it, the replaced descriptors are useless (the test above can fail)", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const s = await scenario(false);
  try {
    assert.match(s.out, /^keep: error 9 \(Bad file descriptor\)$/m, s.out);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});
