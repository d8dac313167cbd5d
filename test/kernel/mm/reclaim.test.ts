// Reclaim with no swap (kernel/mm/reclaim.ts): a program maps an initramfs
// file larger than the machine's RAM and reads it three times. Clean
// page-cache pages are dropped (unmapped everywhere through the reverse
// map) and read again from the initramfs: every pass gives the same sum,
// which the host computes from the same bytes, the program is never
// OOM-killed, and /proc/vmstat's pgsteal, pgmajfault and
// workingset_refault_file move. /proc/zoneinfo shows the watermarks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { S_IFREG, S_IFDIR } from "../../../kernel/fs/cpio.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MEM = 16 * 1024 * 1024;
const SIZE = 20 * 1024 * 1024;

function bigFile(): Uint8Array {
  const b = new Uint8Array(SIZE);
  let x = 0x12345678;
  for (let i = 0; i < SIZE; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b[i] = x & 255; b[i + 1] = (x >>> 8) & 255; b[i + 2] = (x >>> 16) & 255; b[i + 3] = x >>> 24;
  }
  return b;
}

function hostSum(b: Uint8Array): bigint {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const mask = (1n << 64n) - 1n;
  let sum = 0n;
  for (let off = 0; off < b.length; off += 4096) {
    const a = dv.getBigUint64(off, true), c = dv.getBigUint64(off + 2048, true);
    sum = (sum + (a ^ ((c * 31n) & mask))) & mask;
  }
  return sum;
}

function field(out: string, name: string): number {
  const m = new RegExp(`^${name} (\\d+)$`, "m").exec(out);
  assert.ok(m, `${name} in\n${out}`);
  return Number(m[1]);
}

test("reclaim without swap: a file mapping larger than RAM is read three times; clean pages are dropped and read again, data intact", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const data = bigFile();
  const r = await run("mm_reclaim", {
    dir: PROGS, args: ["3"], memBytes: MEM, timeoutMs: 240_000,
    files: [
      { path: "data", mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 1700000000 },
      { path: "data/big", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 1700000000, data },
    ],
  });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^mm_reclaim: done$/m, explain(r));
  const want = hostSum(data).toString();
  const sums = [...r.out.matchAll(/^pass \d sum (\d+)$/gm)].map((m) => m[1]);
  assert.deepEqual(sums, [want, want, want], explain(r));
  assert.equal(field(r.out, "oom_kill"), 0);
  const steal = field(r.out, "pgsteal_kswapd") + field(r.out, "pgsteal_direct");
  // The file has 5120 pages and RAM 4096 frames: each pass after the first reads most of it again.
  assert.ok(steal >= 5120, `pages dropped: ${steal}`);
  assert.ok(field(r.out, "workingset_refault_file") >= 5120, explain(r));
  assert.ok(field(r.out, "pgmajfault") >= 5120 + field(r.out, "workingset_refault_file"), "every page read from the initramfs was a major fault");
  assert.ok(field(r.out, "pageoutrun") > 0, "kswapd ran");
  const [min, low, high] = ["min", "low", "high"].map((w) => Number(new RegExp(`^\\s+${w}\\s+(\\d+)$`, "m").exec(r.out)?.[1]));
  assert.equal(min, r.k.pm.minFree);
  assert.ok(min < low && low < high, `${min} ${low} ${high}`);
  // The counters the program read are the kernel's.
  assert.equal(r.k.mmctx.vm.counters.oomKill, 0);
});
