// Swap (kernel/mm/swap.ts, syscalls/swap.ts, block/swapio.ts): a program
// fills more private anonymous memory than the machine has RAM and reads it
// back twice; with a swap area on /dev/vda every word comes back, and the
// swap counters move. Without swap the same program is OOM-killed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { memoryDisk } from "../../../hw/disk.js";
import { makeSwapHeader } from "../../../kernel/mm/swap_format.js";

const USERLAND = join(SRC_ROOT, "userland/src");
const MEM = 16 * 1024 * 1024;

/** A disk of `mib` MiB formatted as swap (the bytes mkswap writes, with a fixed UUID). */
export function swapDisk(mib: number): ReturnType<typeof memoryDisk> {
  const d = memoryDisk(mib * 1024 * 1024);
  d.bytes.set(makeSwapHeader((mib * 1024 * 1024) / 4096, new Uint8Array(16).fill(7)), 0);
  return d;
}

function field(out: string, name: string): number {
  const m = new RegExp(`^${name} (-?\\d+)$`, "m").exec(out);
  assert.ok(m, `${name} in\n${out}`);
  return Number(m[1]);
}

test("swap: 24 MiB of anonymous memory on a 16 MiB machine with 32 MiB of swap comes back intact, twice", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const r = await run("swap_demo", { dir: USERLAND, args: ["-s", "/dev/vda", "24"], memBytes: MEM, disk: swapDisk(32), timeoutMs: 240_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^pass 1: 0 bad words$/m, explain(r));
  assert.match(r.out, /^pass 2: 0 bad words$/m, explain(r));
  assert.match(r.out, /^swap_demo: ok$/m, explain(r));
  // More than RAM was filled: at least the excess went out, and each pass read it back.
  const out = field(r.out, "pswpout"), inn = field(r.out, "pswpin");
  assert.ok(out >= (24 - 16) * 256, `pswpout ${out}`);
  assert.ok(inn >= (24 - 16) * 256, `pswpin ${inn}`);
  assert.ok(field(r.out, "pgmajfault") >= inn, explain(r));
});
