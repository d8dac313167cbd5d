// ext2 write side: a randomized workload (progs/ext2work.c, fixed seeds)
// inside tsix on an empty mke2fs image, checked three ways: against the
// program's own model (after the workload and after a remount), by e2fsck
// -fn on the image afterwards (clean: bitmaps, free counts, link counts,
// block maps, directories all consistent), and by the host: debugfs dumps
// the files and their hashes, modes and link targets must match what tsix
// listed. Then a second boot reads the same image (persistence), and a small
// image filled up gives ENOSPC for blocks and for inodes and stays clean.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, readdirSync, lstatSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { createRamDisk } from "../../../../kernel/block/ramdisk.js";
import { haveE2fs, mkfs, fsck, cleanup, type MkfsOpts } from "./images.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const PROGS = join(SRC_ROOT, "test/kernel/fs/ext2/progs");
const work = mkdtempSync(join(tmpdir(), "tsix-ext2-write-"));
after(() => cleanup(work));

/** Boot, put `img` on ram0, run PROG with ARGS; returns the run and the disk afterwards. */
export async function onDisk(prog: string, img: Uint8Array, args: string[]): Promise<{ r: Awaited<ReturnType<typeof run>>; disk: Uint8Array }> {
  let disk: Uint8Array = new Uint8Array(0);
  const r = await run(prog, {
    dir: PROGS, args, timeoutMs: 300_000,
    setup: (k) => { createRamDisk(k, img.length); k.block.ramdisks[0].set(img); disk = k.block.ramdisks[0]; },
  });
  return { r, disk };
}

function fnv(b: Uint8Array): string {
  let h = 1469598103934665603n;
  for (const x of b) { h ^= BigInt(x); h = (h * 1099511628211n) & 0xffffffffffffffffn; }
  return h.toString(16).padStart(16, "0");
}

/** The "L ..." lines ext2work prints, made on the host from a debugfs rdump of the image. */
function hostListing(img: string): string[] {
  const out = mkdtempSync(join(work, "dump-"));
  const r = spawnSync("debugfs", ["-R", `rdump / ${out}`, img], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const lines: string[] = [];
  const walk = (p: string, shown: string): void => {
    for (const n of readdirSync(p)) {
      if (shown === "" && n === "lost+found") continue;
      const q = join(p, n), s = `${shown}/${n}`;
      const st = lstatSync(q);
      if (st.isDirectory()) { lines.push(`L ${s} dir ${(st.mode & 0o7777).toString(8)}`); walk(q, s); }
      else if (st.isSymbolicLink()) lines.push(`L ${s} link ${readlinkSync(q)}`);
      else lines.push(`L ${s} file ${(st.mode & 0o7777).toString(8)} ${st.uid} ${st.gid} ${st.size} ${fnv(readFileSync(q))}`);
    }
  };
  walk(out, "");
  return lines.sort();
}

const workloads: [string, MkfsOpts, number][] = [
  ["1 KiB blocks", { blockSize: 1024, sizeMiB: 64 }, 1],
  ["4 KiB blocks", { blockSize: 4096, sizeMiB: 64 }, 2],
];

for (const [name, o, seed] of workloads) {
  test(`randomized workload (${name}, seed ${seed}): model holds, e2fsck clean, debugfs sees the same files, a second boot too`, { skip, timeout: 600_000 }, async () => {
    const file = join(work, `work-${seed}.img`);
    mkfs(file, o, null);
    const { r, disk } = await onDisk("ext2work", new Uint8Array(readFileSync(file)), [String(seed), "250"]);
    assert.equal(r.status, 0, explain(r));
    assert.match(r.out, /after the workload: model ok \(\d+ names\)/, explain(r));
    assert.match(r.out, /after a remount: model ok \(\d+ names\)/, explain(r));
    const after = join(work, `work-${seed}-after.img`);
    writeFileSync(after, disk);
    const f = fsck(after);
    assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
    const tsixLines = r.out.split("\n").filter((l) => l.startsWith("L ")).sort();
    assert.ok(tsixLines.length > 20, explain(r));
    assert.deepEqual(tsixLines, hostListing(after));
    // Persistence: a second boot mounts the image the first one left and finds the same files.
    const again = await onDisk("ext2work", new Uint8Array(disk), ["list"]);
    assert.equal(again.r.status, 0, explain(again.r));
    assert.deepEqual(again.r.out.split("\n").filter((l) => l.startsWith("L ")).sort(), tsixLines);
  });
}

test("a full disk gives ENOSPC (blocks, then inodes) and stays e2fsck-clean", { skip, timeout: 300_000 }, async () => {
  const file = join(work, "fill.img");
  mkfs(file, { blockSize: 1024, sizeMiB: 2, inodes: 64 }, null);
  const { r, disk } = await onDisk("ext2work", new Uint8Array(readFileSync(file)), ["fill"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /filled \d+ bytes, then No space left on device/);
  assert.match(r.out, /made \d+ files, then No space left on device/);
  const after = join(work, "fill-after.img");
  writeFileSync(after, disk);
  const f = fsck(after);
  assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
});
