// Swap end to end with the default image (busybox and procps), several
// virtio disks, and `tsix run --swap`:
//  - busybox mkswap writes exactly the header tsix's own writer makes (the
//    UUID aside); swapon/free/swapoff work on the second disk /dev/vdb and on a
//    file in an ext2 file system on the first disk (1 KiB blocks), where
//    swap_demo then fills more than RAM and gets every byte back;
//  - --swap FILE:SIZE creates and formats FILE, attaches it as the next disk and
//    activates it before init runs; an existing swap file is used again;
//  - bad --swap input is one line on stderr and exit status 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, tsixAsync, explain } from "../harness.js";
import { makeSwapHeader, parseSwapHeader } from "../../../kernel/mm/swap_format.js";

const dir = mkdtempSync(join(tmpdir(), "tsix-swap-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const MIB = 1024 * 1024;

function run(args: string[], script: string): Promise<ReturnType<typeof tsix>> {
  return tsixAsync(["run", ...args, "--", "sh", "-lc", script], { timeout: 280_000 });
}

test("busybox mkswap on /dev/vdb writes tsix's header; swapon, free and swapoff work on a second disk", { timeout: 300_000 }, async () => {
  const e2 = join(dir, "e2.img"), blank = join(dir, "blank.img");
  assert.equal(tsix(["mkfs", e2, "32M"]).status, 0);
  writeFileSync(blank, new Uint8Array(16 * MIB));
  const r = await run(["--root", "initramfs", "--disk", e2, "--disk", blank],
    "cat /proc/partitions; mkswap /dev/vdb >/dev/null; swapon /dev/vdb; echo on=$?; cat /proc/swaps; free | grep Swap; " +
    "swapon /dev/vdb; echo again=$?; swapoff /dev/vdb; echo off=$?; cat /proc/swaps; free | grep Swap");
  assert.equal(r.status, 0, explain(r));
  // Two disks: vda (with its partition) and vdb.
  assert.match(r.stdout, /^ 254\s+0\s+32768 vda$/m, r.stdout);
  assert.match(r.stdout, /^ 254\s+16\s+16384 vdb$/m, r.stdout);
  assert.match(r.stdout, /^on=0$/m, explain(r));
  assert.ok(r.stdout.includes("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/vdb                                partition\t16380\t\t0\t\t-1\n"), r.stdout);
  assert.match(r.stdout, /^Swap:\s+16380\s+0\s+16380$/m, r.stdout);
  assert.match(r.stdout, /^again=1$/m);
  assert.match(r.stderr + r.stdout, /Device or resource busy/);
  assert.match(r.stdout, /^off=0$/m);
  assert.match(r.stdout, /^Swap:\s+0\s+0\s+0$/m, r.stdout);
  // mkswap's page 0 is the header tsix writes for the same size and UUID, byte for byte.
  const page0 = readFileSync(blank).subarray(0, 4096);
  const h = parseSwapHeader(page0, 4096);
  assert.ok(typeof h !== "string", String(h));
  assert.equal(h.pages, 4096);
  assert.ok(Buffer.from(makeSwapHeader(4096, page0.subarray(1036, 1052))).equals(Buffer.from(page0)), "mkswap's bytes differ from makeSwapHeader's");
});

test("a swap file on ext2 (1 KiB blocks): swapon, swap_demo fills more than RAM and reads it back, swapoff, umount", { timeout: 300_000 }, async () => {
  const e2 = join(dir, "e2f.img");
  assert.equal(tsix(["mkfs", e2, "48M"]).status, 0);
  const r = await run(["--root", "initramfs", "--mem", "24M", "--disk", e2],
    "mkdir -p /mnt; mount /dev/vda1 /mnt; dd if=/dev/zero of=/mnt/swapfile bs=1k count=24576 2>/dev/null; " +
    "truncate -s 4M /mnt/holes; mkswap /mnt/holes >/dev/null; swapon /mnt/holes; echo holes=$?; " +
    "mkswap /mnt/swapfile >/dev/null; swapon /mnt/swapfile; echo on=$?; grep swapfile /proc/swaps; swap_demo 28; " +
    "swapoff /mnt/swapfile; echo off=$?; umount /mnt; echo umount=$?");
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^holes=1$/m, "a file with holes is refused");
  assert.match(r.stdout, /^on=0$/m, explain(r));
  assert.match(r.stdout, /^\/mnt\/swapfile {27}file\t\t\d+\t\t0\t\t-1$/m, r.stdout);
  assert.match(r.stdout, /^pass 1: 0 bad words\npass 2: 0 bad words$/m, explain(r));
  assert.match(r.stdout, /^swap_demo: ok$/m, explain(r));
  assert.ok(Number(/^pswpout (\d+)$/m.exec(r.stdout)?.[1]) > 0, r.stdout);
  assert.match(r.stdout, /^off=0$/m);
  assert.match(r.stdout, /^umount=0$/m);
});

test("--swap FILE:SIZE creates and formats FILE, attaches it, and it is on before init runs; the file is used again", { timeout: 300_000 }, async () => {
  const f = join(dir, "sw.img");
  const r = await run(["--mem", "32M", "--swap", `${f}:48M`], "cat /proc/swaps; swap_demo 40; grep -E '^Swap(Total|Free)' /proc/meminfo");
  assert.equal(r.status, 0, explain(r));
  assert.equal(statSync(f).size, 48 * MIB);
  const h = parseSwapHeader(readFileSync(f).subarray(0, 4096), 48 * 256);
  assert.ok(typeof h !== "string" && h.pages === 48 * 256, String(h));
  // The first thing the command sees: the area is active already (no disk before it: /dev/vda).
  assert.ok(r.stdout.startsWith("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/vda                                partition\t49148\t\t0\t\t-1\n"), r.stdout);
  assert.match(r.stdout, /^swap_demo: ok$/m, explain(r));
  assert.match(r.stdout, /^SwapTotal:\s+49148 kB$/m);
  // Again, without a size: the existing file is used; after a --disk it is /dev/vdb.
  const e2 = join(dir, "e2s.img");
  assert.equal(tsix(["mkfs", e2, "8M"]).status, 0);
  const r2 = await run(["--root", "initramfs", "--disk", e2, "--swap", f], "cat /proc/swaps");
  assert.equal(r2.status, 0, explain(r2));
  assert.match(r2.stdout, /^\/dev\/vdb {32}partition\t49148\t\t0\t\t-1$/m, r2.stdout);
});

test("--swap bad input: one line on stderr with the remedy, exit status 2", () => {
  const notSwap = join(dir, "plain.img");
  writeFileSync(notSwap, new Uint8Array(MIB));
  const cases: [string, RegExp][] = [
    [join(dir, "no/such/dir/sw.img:64M"), /no such directory/],
    [`${join(dir, "small.img")}:32K`, /too small.*at least 10 pages \(40K\)/],
    [`${join(dir, "bad.img")}:64Q`, /bad size '64Q'/],
    [notSwap, /has no swap signature/],
    [join(dir, "missing.img"), /no such file \(give a size to create it/],
  ];
  for (const [v, re] of cases) {
    const r = tsix(["run", "--swap", v, "--", "true"]);
    assert.equal(r.status, 2, `${v}\n${explain(r)}`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], re, r.stderr);
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/, "no stack trace");
  }
  assert.ok(!existsSync(join(dir, "small.img")) && !existsSync(join(dir, "bad.img")), "nothing is created on bad input");
});
