// Swap (kernel/mm/swap.ts, syscalls/swap.ts, block/swapio.ts, mm/anon_reclaim.ts),
// run in-process on the deterministic instret clock with a swap disk as /dev/vda:
//  - userland/src/swap_demo fills twice the machine's RAM with a pattern and
//    reads it back twice: every word comes back, pswpout/pswpin/pgmajfault move;
//    without swap (the control) its mapping is refused (the heuristic counts RAM + swap);
//  - swapon/swapoff refusals (EINVAL for bad headers, tmpfs files, char devices;
//    EBUSY; EPERM for a user) and /proc/swaps in Linux's format with a priority;
//  - the swap cache: a page read back and evicted again while clean is not written
//    again (pswpout stays), a page written again is;
//  - fork shares swapped pages, writes stay private, munmap frees every slot;
//  - full swap: the hog is OOM-killed, the parent's swapped pages are intact and
//    the system still runs programs;
//  - vm.swappiness 0 vs 200 moves global reclaim from file pages to anonymous ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { memoryDisk } from "../../../hw/disk.js";
import { makeSwapHeader } from "../../../kernel/mm/swap_format.js";
import { S_IFREG, S_IFDIR } from "../../../kernel/fs/cpio.js";

const USERLAND = join(SRC_ROOT, "userland/src");
const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MIB = 1024 * 1024;
const MEM = 16 * MIB;

/** A disk of `mib` MiB, formatted as swap (the bytes mkswap writes, with a fixed UUID) unless `blank`. */
function swapDisk(mib: number, blank = false): ReturnType<typeof memoryDisk> {
  const d = memoryDisk(mib * MIB);
  if (!blank) d.bytes.set(makeSwapHeader((mib * MIB) / 4096, new Uint8Array(16).fill(7)), 0);
  return d;
}

function field(out: string, name: string): number {
  const m = new RegExp(`^${name} (-?\\d+)$`, "m").exec(out);
  assert.ok(m, `${name} in\n${out}`);
  return Number(m[1]);
}

test("swap: twice the RAM of anonymous memory comes back intact, twice; pswpout, pswpin and pgmajfault move", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const r = await run("swap_demo", { dir: USERLAND, args: ["-s", "/dev/vda", "32"], memBytes: MEM, disk: swapDisk(40), timeoutMs: 240_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^pass 1: 0 bad words\npass 2: 0 bad words$/m, explain(r));
  assert.match(r.out, /^swap_demo: ok$/m, explain(r));
  // 32 MiB on a 16 MiB machine: at least the 16 MiB excess went out, and each pass read at least that back.
  const out = field(r.out, "pswpout"), inn = field(r.out, "pswpin");
  assert.ok(out >= 16 * 256, `pswpout ${out}`);
  assert.ok(inn >= 2 * 16 * 256, `pswpin ${inn}`);
  // Each major fault reads its page and at most the 7 others of its cluster (vm.page-cluster 3: readahead).
  assert.ok(field(r.out, "pgmajfault") * 8 >= inn, explain(r));
  // Every slot went back when the program's memory did (only init remains, with nothing swapped).
  const a = r.k.mmctx.vm.swap.areas[0]!;
  assert.equal(r.k.mmctx.vm.counters.oomKill, 0);
  assert.ok(a.inuse <= 64, `slots still in use: ${a.inuse}`);
  // The control: without swap the same mapping is refused (the overcommit heuristic counts RAM + swap).
  const r0 = await run("swap_demo", { dir: USERLAND, args: ["32"], memBytes: MEM, timeoutMs: 240_000 });
  assert.equal(r0.status, 1, explain(r0));
  assert.match(r0.out, /^swap_demo: mmap: Cannot allocate memory$/m, explain(r0));
});

test("swapon/swapoff: refusals with Linux's errnos, EBUSY, EPERM for a user, /proc/swaps with the priority", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("swap_ops", { dir: PROGS, args: ["errors", "/dev/vda"], memBytes: MEM, disk: swapDisk(4, true) });
  assert.equal(r.status, 0, explain(r));
  const want: [string, number][] = [
    ["zeros", 22], ["swapoff_inactive", 22], ["last_page_0", 22], ["last_page_huge", 22], ["version_2", 22],
    ["nr_badpages_huge", 22], ["badpage_past_end", 22], ["no_magic", 22], ["chardev", 22], ["missing", 2],
    ["tmpfs_file", 22], ["flags_unknown", 22], ["good", 0], ["again", 16], ["user_swapon", 1], ["user_swapoff", 1],
    ["swapoff", 0], ["swapoff_again", 22],
  ];
  for (const [name, errno] of want) assert.match(r.out, new RegExp(`^${name}=${errno}$`, "m"), `${name}\n${explain(r)}`);
  // last_page 100 with bad page 5: 101 slots less the header and one bad page = 99 pages = 396 KiB; SWAP_FLAG_PREFER | 5.
  assert.ok(r.out.includes("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/vda                                partition\t396\t\t0\t\t5\n"), r.out);
  // After swapoff: the header line only.
  assert.ok(r.out.endsWith("swapoff_again=22\nFilename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"), r.out);
  assert.equal(r.k.mmctx.vm.swapPages, 0);
});

test("swap cache: pages read back and evicted again while clean are not written again; written ones are; swapoff reads the rest back", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("swap_ops", { dir: PROGS, args: ["cache", "/dev/vda"], memBytes: MEM, disk: swapDisk(4) });
  assert.equal(r.status, 0, explain(r));
  // 64 pages under a 16-frame budget: filling writes 48 out.
  assert.equal(field(r.out, "fill_out"), 48, explain(r));
  // First read pass: 64 pages come in; the 16 still resident from the fill are dirty and go out once.
  assert.equal(field(r.out, "read1_in"), 64, explain(r));
  assert.equal(field(r.out, "read1_out"), 16, explain(r));
  // Second read pass: every page is clean and keeps its slot: 64 in, nothing written.
  assert.equal(field(r.out, "read2_in"), 64, explain(r));
  assert.equal(field(r.out, "read2_out"), 0, explain(r));
  // Writing them all again dirties them: evictions write again.
  assert.equal(field(r.out, "write_out"), 48, explain(r));
  assert.equal(field(r.out, "bad"), 0);
  // swapoff brings the 48 swapped pages back in (with the budget lifted), and they are right.
  assert.equal(field(r.out, "swapoff"), 0, explain(r));
  assert.equal(field(r.out, "swapoff_in"), 48, explain(r));
  assert.equal(field(r.out, "bad_after_swapoff"), 0, explain(r));
  assert.equal(r.k.mmctx.vm.swapPages, 0);
});

test("fork shares swapped pages: the child reads the parent's data, its writes stay private, munmap frees every slot", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("swap_ops", { dir: PROGS, args: ["fork", "/dev/vda"], memBytes: MEM, disk: swapDisk(4) });
  assert.equal(r.status, 0, explain(r));
  assert.ok(field(r.out, "used_before_fork") >= 24 * 4, explain(r)); // 32 pages, 8 frames: 24 or more on swap
  assert.match(r.out, /^child_bad 0 0$/m, explain(r));
  assert.equal(field(r.out, "child_status"), 0, explain(r));
  assert.equal(field(r.out, "parent_bad"), 0, explain(r));
  assert.equal(field(r.out, "used_after_munmap"), 0, explain(r));
});

test("full swap: the hog is OOM-killed, the parent's swapped pages are intact, the system runs programs after", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("swap_ops", { dir: PROGS, args: ["full", "/dev/vda"], memBytes: MEM, disk: swapDisk(1) });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^hog signal 9$/m, explain(r));
  assert.equal(field(r.out, "parent_bad"), 0, explain(r));
  assert.equal(field(r.out, "oom_kill"), 1, explain(r));
  assert.equal(field(r.out, "after"), 0, explain(r));
});

function bigFile(size: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = 0x2468ace1;
  for (let i = 0; i < size; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; b[i] = x & 255; }
  return b;
}

async function split(swappiness: number): Promise<{ anon: number; file: number }> {
  const r = await run("swap_ops", {
    dir: PROGS, args: ["split", "/dev/vda", String(swappiness), "/data/big"], memBytes: MEM, disk: swapDisk(16), timeoutMs: 240_000,
    files: [
      { path: "data", mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 1700000000 },
      { path: "data/big", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 1700000000, data: bigFile(6 * MIB) },
    ],
  });
  assert.equal(r.status, 0, explain(r));
  assert.equal(field(r.out, "bad"), 0, explain(r));
  return { anon: field(r.out, "pgsteal_anon"), file: field(r.out, "pgsteal_file") };
}

test("vm.swappiness: 0 reclaims file pages first, 200 anonymous pages first (pgsteal_anon / pgsteal_file)", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const low = await split(0), high = await split(200);
  // Both runs needed reclaim; the anonymous share of what was freed rises with swappiness.
  assert.ok(low.anon + low.file > 0 && high.anon + high.file > 0, JSON.stringify({ low, high }));
  const share = (x: { anon: number; file: number }): number => x.anon / (x.anon + x.file);
  assert.ok(share(high) > share(low), JSON.stringify({ low, high }));
  assert.ok(low.file > low.anon, `swappiness 0 takes file pages first: ${JSON.stringify(low)}`);
  assert.ok(high.anon > high.file, `swappiness 200 takes anonymous pages first: ${JSON.stringify(high)}`);
});
