// Direct reclaim for allocations made by system calls (kernel/mm/alloc.ts):
// on a 16 MiB machine with swap, a process whose anonymous memory fills RAM
// write(2)s 8 MiB to a tmpfs file and to an ext2 file and reads both back,
// then reads an 8 MiB ext2 file no one has read yet, each read into a new
// mapping whose pages fault in inside read(2); last it writes 64 KiB into a
// pipe. Each frame those calls need (page-cache pages, the caller's pages,
// the pipe's buffer) comes from direct reclaim (anonymous pages go to swap)
// when RAM has no free frame, as Linux's allocator does before it fails:
// every byte is right, pages went to swap, nobody is OOM-killed, and the
// read of the 8 MiB file entered direct reclaim (it cached its pages instead
// of reading around a full page cache). Before, with RAM full, read(2)'s
// copy into a page not yet faulted in failed with EFAULT and the read of the
// ext2 file went uncached. progs/direct_reclaim.c.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC } from "../fs/harness.js";
import { openFileDisk } from "../../../host/node/file_disk.js";
import { haveE2fs, mkfs, fsck, cleanup } from "../fs/ext2/images.js";
import { PROGS, MIB, MEM, field, swapImage } from "./swap_harness.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const work = mkdtempSync(join(tmpdir(), "tsix-direct-"));
after(() => cleanup(work));

/** /big: 8 MiB of 32-bit words pat32(i), as progs/direct_reclaim.c checks them. */
function bigFile(): Uint8Array {
  const w = new Uint32Array((8 * MIB) / 4);
  for (let i = 0; i < w.length; i++) {
    let x = Math.imul(i, 2654435761) >>> 0;
    x = (x ^ (x >>> 15)) >>> 0;
    w[i] = Math.imul(x, 2246822519) >>> 0;
  }
  return new Uint8Array(w.buffer);
}

test("with RAM full of anonymous memory, write(2)/read(2) of tmpfs and ext2 files and a page-cache read reclaim (to swap) instead of failing", { skip, timeout: 600_000 }, async () => {
  const tree = join(work, "tree");
  mkdirSync(tree);
  writeFileSync(join(tree, "big"), bigFile());
  // mke2fs -d leaves zero blocks out (holes), and swapon refuses a swap file with holes: the slots hold non-zero bytes.
  const swap = swapImage(64, 9);
  swap.fill(0xa5, 4096);
  writeFileSync(join(tree, "swap"), swap);
  const img = join(work, "fs.img");
  mkfs(img, { blockSize: 4096, sizeMiB: 96 }, tree);
  const r = await run("direct_reclaim", { dir: PROGS, args: ["/dev/vda"], memBytes: MEM, disk: openFileDisk(img, { io: "sync" }), timeoutMs: 500_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^worker: ok$/m, explain(r));
  assert.ok(field(r.out, "anon_kb") >= 8 * 1024, explain(r));
  for (const f of ["tmpfs_write", "tmpfs_read", "tmpfs_bad", "ext2_write", "ext2_read", "ext2_bad", "big_read", "big_bad", "pipe_write", "anon_bad"]) assert.equal(field(r.out, f), 0, `${f}\n${explain(r)}`);
  assert.ok(field(r.out, "big_allocstall") > 0, explain(r));
  assert.ok(field(r.out, "pswpout") > 0, explain(r));
  assert.equal(field(r.out, "oom_kill"), 0, explain(r));
  assert.equal(r.k.mmctx.vm.counters.oomKill, 0, explain(r));
  const f = fsck(img);
  assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
});
