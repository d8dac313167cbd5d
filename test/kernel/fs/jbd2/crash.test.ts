// Power cuts on ext3 (C65 journaling). One boot runs a seeded workload on an
// ext3 RAM disk (progs/jbdwork.c: fsync'ed write-once files among unsynced
// churn) and every write to the disks is recorded in order. A power cut
// after write N is then the start image plus the first N writes (a RAM disk
// has no volatile cache, so that is exactly what a cut leaves). For each of
// at least 200 cut points spread over the whole run, the image is mounted
// in a kernel that is not booted - the mount replays the journal, the same
// code as at boot - and then:
//   1. `e2fsck -fn` finds the file system clean;
//   2. every file whose fsync (fdatasync, sync) had returned before the cut
//      (its marker on /dev/ram1 precedes write N) is there, byte for byte.
// The test prints how many cut points passed.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { haveE2fs, mkfs, pattern } from "../ext2/images.js";
import { recordRamDisk, mountOnce, e2fsck, dumpFiles, tmpWork, cutPoints, type DiskWrite } from "./crashlib.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const PROGS = join(SRC_ROOT, "test/kernel/fs/jbd2/progs");
const work = tmpWork("tsix-jbd-crash-");
after(() => rmSync(work, { recursive: true, force: true }));

interface Marker { path: string; len: number; seed: number }

/** The fsync markers on the marker disk's bytes (512-byte records "F path len seed"). */
function markers(disk: Uint8Array): Marker[] {
  const out: Marker[] = [];
  const dec = new TextDecoder();
  for (let o = 0; o + 512 <= disk.length && disk[o] === 0x46; o += 512) {
    const m = /^F (\S+) (\d+) (\d+)\n/.exec(dec.decode(disk.subarray(o, o + 512)));
    if (m) out.push({ path: m[1], len: Number(m[2]), seed: Number(m[3]) });
  }
  return out;
}

/** Run the workload once; returns the start image and every write in order. */
async function record(seed: number, nops: number, mode: "fsync" | "sync"): Promise<{ start: Uint8Array; log: DiskWrite[] }> {
  const f = join(work, `start-${seed}.img`);
  mkfs(f, { blockSize: 1024, sizeMiB: 8, journal: true }, null);
  const start = new Uint8Array(readFileSync(f));
  const log: DiskWrite[] = [];
  const r = await run("jbdwork", {
    dir: PROGS, args: [String(seed), String(nops), mode], timeoutMs: 300_000, memBytes: 64 << 20,
    setup: (k) => { recordRamDisk(k, start, log); recordRamDisk(k, new Uint8Array(256 << 10), log); },
  });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /done: \d+ ops, [1-9]\d* synced files/, explain(r));
  return { start, log };
}

/** Check the image a cut after the first `n` writes to disk 0 leaves; returns a failure description or null. */
function checkCut(img: Uint8Array, marks: Marker[], tag: string, replays: { n: number }): string | null {
  const m = mountOnce(img);
  if (/recovery complete on ram0: [1-9]/.test(m.log)) replays.n++;
  if (m.result !== "mounted ro") return `${tag}: mount: ${m.result}\n${m.log}`;
  if (/internal error|BUG|EXCEPTION/.test(m.log)) return `${tag}: kernel log:\n${m.log}`;
  const file = join(work, "cut.img");
  writeFileSync(file, m.img);
  const f = e2fsck(file, ["-fn"]);
  if (f.status !== 0) return `${tag}: e2fsck -fn exit ${f.status}:\n${f.out}\n${m.log}`;
  const files = dumpFiles(file, join(work, "dump"));
  for (const mk of marks) {
    const got = files.get(mk.path);
    if (!got) return `${tag}: fsynced ${mk.path} is missing`;
    const want = pattern(mk.len, mk.seed);
    if (got.length !== want.length || !got.every((b, i) => b === want[i])) return `${tag}: fsynced ${mk.path} has the wrong content (${got.length} bytes, want ${mk.len})`;
  }
  return null;
}

async function crashRun(seed: number, nops: number, mode: "fsync" | "sync", cuts: number): Promise<{ passed: number; total: number; withMarks: number; replayed: number }> {
  const { start, log } = await record(seed, nops, mode);
  const writes0 = log.filter((w) => w.disk === 0).length;
  const points = new Set(cutPoints(writes0, cuts, seed));
  const img = start.slice();
  const mk = new Uint8Array(256 << 10);
  let n = 0, passed = 0, total = 0, withMarks = 0;
  const replays = { n: 0 };
  const failures: string[] = [];
  const check = (): void => {
    const marks = markers(mk);
    if (marks.length) withMarks++;
    total++;
    const bad = checkCut(img.slice(), marks, `seed ${seed} cut after write ${n}/${writes0} (${marks.length} fsynced files)`, replays);
    if (bad) failures.push(bad); else passed++;
  };
  if (points.has(0)) check();
  for (const w of log) {
    if (w.disk === 0) {
      img.set(w.bytes, w.off);
      n++;
      if (points.has(n)) check();
    } else mk.set(w.bytes, w.off);
  }
  assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${total} cut points failed`);
  return { passed, total, withMarks, replayed: replays.n };
}

test("power cuts at 200+ points of an fsync workload on ext3: the journal replays, e2fsck -fn is clean, every fsynced file is intact", { skip, timeout: 600_000 }, async () => {
  const t0 = Date.now();
  // 450 operations write more than the 1024-block journal holds: the log wraps and commits checkpoint to make room.
  const a = await crashRun(11, 450, "fsync", 170);
  const b = await crashRun(23, 60, "sync", 50);
  const passed = a.passed + b.passed, total = a.total + b.total;
  const replayed = a.replayed + b.replayed;
  console.log(`# crash test: ${passed}/${total} cut points passed (${a.withMarks + b.withMarks} with fsynced files to check, ${replayed} needed a journal replay) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.ok(total >= 200, `only ${total} cut points`);
  assert.ok(replayed >= total / 2, `only ${replayed} of ${total} cuts replayed a journal: the workload does not exercise recovery`);
  assert.equal(passed, total);
});
