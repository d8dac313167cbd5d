// read() into and write() from user buffers that are out on swap, on a disk
// that answers later (host/node/file_disk.ts "async", as `--disk-io async`):
// the copy meets a swapped PTE, the task sleeps in D on the swap read and
// the call restarts from where it stopped (mm/uaccess.ts, fs/read_write.ts,
// trap.ts). Before, such a read() failed with EFAULT. The program
// (progs/swap_rw.c) keeps a 16-frame budget (RLIMIT_RSS), so its 64-page
// buffers are mostly on swap when the call starts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { openFileDisk } from "../../../host/node/file_disk.js";
import { makeSwapHeader } from "../../../kernel/mm/swap_format.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MIB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), "tsix-swaprw-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

/** A swap disk image file of `mib` MiB. */
function swapImage(name: string, mib: number): string {
  const p = join(dir, name);
  const b = new Uint8Array(mib * MIB);
  b.set(makeSwapHeader((mib * MIB) / 4096, new Uint8Array(16).fill(9)), 0);
  writeFileSync(p, b);
  return p;
}

function line(out: string, name: string): Record<string, number> {
  const m = new RegExp(`^${name}=(-?\\d+)((?: \\w+=-?\\d+)*)$`, "m").exec(out);
  assert.ok(m, `${name} in\n${out}`);
  const o: Record<string, number> = { n: Number(m[1]) };
  for (const kv of m[2].trim().split(" ")) { const [k, v] = kv.split("="); o[k] = Number(v); }
  return o;
}

for (const io of ["async", "sync"] as const) {
  test(`read() into and write() from swapped-out buffers on a ${io} disk: full counts, every byte right`, { skip: skipNoCC, timeout: 240_000 }, async () => {
    const disk = openFileDisk(swapImage(`sw-${io}.img`, 8), { io });
    const r = await run("swap_rw", { dir: PROGS, args: ["/dev/vda"], memBytes: 16 * MIB, disk, clock: "host", timeoutMs: 200_000 });
    assert.equal(r.status, 0, explain(r));
    const rd = line(r.out, "read"), pr = line(r.out, "pread"), wr = line(r.out, "write");
    // The whole buffer: 64 pages, no EFAULT, and the file's bytes in every page.
    assert.deepEqual([rd.n, rd.errno, rd.bad], [64 * 4096, 0, 0], explain(r));
    assert.deepEqual([pr.n, pr.errno, pr.bad, pr.pos], [63 * 4096, 0, 0, 0], explain(r));
    assert.deepEqual([wr.n, wr.errno, wr.bad], [64 * 4096, 0, 0], explain(r));
    // The buffers were on swap: the calls themselves brought pages in (at least the 48 beyond the budget).
    assert.ok(rd.in >= 48 && pr.in >= 47 && wr.in >= 48, explain(r));
  });
}
