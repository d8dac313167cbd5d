// Host-side helpers for the journaling tests: record every write a workload
// makes to its RAM disks (in order, across disks), rebuild the disk as it
// was after the first N writes (a power cut: a RAM disk has no volatile
// cache, so what was written is what survives), mount such an image in a
// kernel that is created but not booted (the mount replays the journal, the
// same code a boot runs), and read files back with debugfs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { loadCore } from "../../../../host/node/core.js";
import { createVm } from "../../../../vmm/vmm.js";
import { createRamDisk } from "../../../../kernel/block/ramdisk.js";
import { ext2Mount, registerExt2 } from "../../../../kernel/fs/ext2/ops.js";
import { blockNodesChanged } from "../../../../kernel/fs/blockdev.js";
import { lookupFsType } from "../../../../kernel/fs/fstypes.js";
import type { Kernel } from "../../../../kernel/index.js";

/** One write request a RAM disk carried out: which disk, where, what. */
export interface DiskWrite { disk: number; off: number; bytes: Uint8Array }

/** A RAM disk's bytes that log every write (the driver writes with set()). */
export class RecordingDisk extends Uint8Array {
  log: DiskWrite[] = [];
  unit = 0;
  override set(src: ArrayLike<number>, off = 0): void {
    this.log.push({ disk: this.unit, off, bytes: Uint8Array.from(src) });
    super.set(src, off);
  }
}

/** Put `img` into RAM disk `unit` of a kernel, recording its writes into `log`. */
export function recordRamDisk(k: Kernel, img: Uint8Array, log: DiskWrite[]): void {
  const d = createRamDisk(k, img.length);
  const rd = new RecordingDisk(img);
  rd.log = log;
  rd.unit = d.driverUnit;
  k.block.ramdisks[d.driverUnit] = rd;
  blockNodesChanged(k);
}

let core: ReturnType<typeof loadCore> | null = null;

/** Mount `img` (ext3) read-only in a kernel that is not booted: the journal is replayed into the image as at boot. */
export function mountOnce(img: Uint8Array, flags = 1): { img: Uint8Array; log: string; result: string } {
  core ??= loadCore();
  const logs: string[] = [];
  const vm = createVm(core, { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 << 20, logEcho: (l) => logs.push(l) });
  const k = vm.kernel;
  createRamDisk(k, img.length);
  k.block.ramdisks[0].set(img);
  let result: string;
  try {
    const r = ext2Mount(k, "/dev/ram0", flags, "ext3");
    result = typeof r === "number" ? `errno ${r}` : r.sb.readOnly ? "mounted ro" : "mounted rw";
  } catch (e) {
    result = `EXCEPTION ${e instanceof Error ? e.stack : String(e)}`;
  }
  return { img: k.block.ramdisks[0], log: logs.join("\n"), result };
}

/**
 * Mount `img` (ext3) read-write in a kernel that is not booted - the journal
 * replays and the orphan list is cleaned up, as at a boot - then unmount it
 * (commit, checkpoint, needs_recovery cleared); the image afterwards.
 */
export function mountRwUnmount(img: Uint8Array): { img: Uint8Array; log: string; result: string } {
  core ??= loadCore();
  const logs: string[] = [];
  const vm = createVm(core, { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 << 20, logEcho: (l) => logs.push(l) });
  const k = vm.kernel;
  createRamDisk(k, img.length);
  k.block.ramdisks[0].set(img);
  let result: string;
  try {
    const r = ext2Mount(k, "/dev/ram0", 0, "ext3");
    if (typeof r === "number") result = `errno ${r}`;
    else {
      result = r.sb.readOnly ? "mounted ro" : "mounted rw";
      registerExt2(k); // a kernel that is not booted has no file system types registered yet
      const unmount = lookupFsType(k, "ext3")?.unmount;
      if (!unmount) throw new Error("ext3 has no unmount");
      unmount(k, r.sb);
    }
  } catch (e) {
    result = `EXCEPTION ${e instanceof Error ? e.stack : String(e)}`;
  }
  return { img: k.block.ramdisks[0], log: logs.join("\n"), result };
}

export const tmpWork = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** e2fsck with `args` on a file: status and output. */
export function e2fsck(file: string, args: string[]): { status: number; out: string } {
  const r = spawnSync("e2fsck", [...args, file], { encoding: "utf8" });
  return { status: r.status ?? -1, out: (r.stdout ?? "") + (r.stderr ?? "") };
}

/** The regular files under / of an ext2 image, dumped with debugfs rdump: path -> bytes. */
export function dumpFiles(file: string, dir: string): Map<string, Uint8Array> {
  rmSync(dir, { recursive: true, force: true });
  spawnSync("mkdir", ["-p", dir]);
  spawnSync("debugfs", ["-R", `rdump / ${dir}`, file], { encoding: "utf8" });
  const out = new Map<string, Uint8Array>();
  const walk = (p: string, rel: string): void => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const full = join(p, e.name), r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(full, r);
      else if (e.isFile()) out.set(r, readFileSync(full));
    }
  };
  walk(dir, "");
  return out;
}

/** Cut points: every write near the start and end, and evenly spread (plus seeded jitter) between. */
export function cutPoints(total: number, want: number, seed: number): number[] {
  const set = new Set<number>([0, 1, 2, total - 1, total]);
  let x = seed;
  for (let i = 0; set.size < Math.min(want, total + 1); i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const base = Math.floor((i % want) * total / want);
    set.add(Math.min(total, base + (x % Math.max(1, Math.floor(total / want)))));
  }
  return [...set].sort((a, b) => a - b);
}

export { writeFileSync };

/** Blocks of `bs` bytes at which two images differ. */
export function differingBlocks(a: Uint8Array, b: Uint8Array, bs: number): number[] {
  const out: number[] = [];
  for (let o = 0; o < a.length; o += bs) {
    for (let i = o; i < o + bs; i++) if (a[i] !== b[i]) { out.push(o / bs); break; }
  }
  return out;
}
