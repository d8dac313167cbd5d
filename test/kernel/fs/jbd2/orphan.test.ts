// ext3's orphan list under power cuts (C65 journaling, C66 unlinked-but-open
// files). progs/orphwork.c unlinks files while they are open (each unlink
// committed by the next fsync), keeps some open, closes others; every disk
// write is recorded. For every cut point the image is mounted read-write in
// a kernel that is not booted (the journal replays, then the mount frees the
// inodes still on the orphan list, as Linux's ext3 does) and unmounted, then:
//   - `e2fsck -fn` is clean (without the orphan list an unlinked-but-open
//     inode is left with no links and no dtime: e2fsck reports it);
//   - every marked (fsynced) keep file is there with its content, and no
//     unlinked file came back;
//   - the cuts taken while orphans were listed did free them at mount
//     ("N orphan inodes deleted").
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { haveE2fs, mkfs } from "../ext2/images.js";
import { recordRamDisk, mountRwUnmount, e2fsck, dumpFiles, tmpWork, cutPoints, type DiskWrite } from "./crashlib.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const PROGS = join(SRC_ROOT, "test/kernel/fs/jbd2/progs");
const work = tmpWork("tsix-jbd-orphan-");
after(() => rmSync(work, { recursive: true, force: true }));

const NFILES = 12, SIZE = 40000;

test("unlinked-but-open files survive power cuts as orphans: the mount frees them, e2fsck -fn is clean, fsynced files intact", { skip, timeout: 600_000 }, async () => {
  const t0 = Date.now();
  const f = join(work, "start.img");
  mkfs(f, { blockSize: 1024, sizeMiB: 8, journal: true }, null);
  const start = new Uint8Array(readFileSync(f));
  const log: DiskWrite[] = [];
  const r = await run("orphwork", {
    dir: PROGS, args: [String(NFILES), String(SIZE)], timeoutMs: 300_000, memBytes: 64 << 20,
    setup: (k) => { recordRamDisk(k, start, log); recordRamDisk(k, new Uint8Array(64 << 10), log); },
  });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, new RegExp(`done: ${NFILES} files, ${NFILES} markers`), explain(r));
  const writes = log.filter((w) => w.disk === 0).length;
  const points = new Set(cutPoints(writes, 120, 5));
  const img = start.slice(), mk = new Uint8Array(64 << 10);
  let n = 0, total = 0, passed = 0, freedAtMount = 0;
  const failures: string[] = [];
  const dec = new TextDecoder();
  const check = (): void => {
    total++;
    const marks: string[] = [];
    for (let o = 0; o + 512 <= mk.length && mk[o] === 0x46; o += 512) marks.push(/^F (\S+)/.exec(dec.decode(mk.subarray(o, o + 64)))![1]);
    const tag = `cut after write ${n}/${writes} (${marks.length} marks)`;
    const m = mountRwUnmount(img.slice());
    if (m.result !== "mounted rw") { failures.push(`${tag}: ${m.result}\n${m.log}`); return; }
    if (/internal error|BUG|EXCEPTION|damaged/.test(m.log)) { failures.push(`${tag}: kernel log:\n${m.log}`); return; }
    if (/[1-9]\d* orphan inodes? deleted/.test(m.log)) freedAtMount++;
    const file = join(work, "cut.img");
    writeFileSync(file, m.img);
    const fk = e2fsck(file, ["-fn"]);
    if (fk.status !== 0) { failures.push(`${tag}: e2fsck -fn exit ${fk.status}:\n${fk.out}\n${m.log}`); return; }
    const files = dumpFiles(file, join(work, "dump"));
    for (const name of marks) {
      const got = files.get(name);
      if (!got || dec.decode(got) !== `/mnt/${name}`) { failures.push(`${tag}: fsynced ${name} is ${got ? "wrong" : "missing"}`); return; }
    }
    const back = [...files.keys()].filter((p) => p.startsWith("tmp"));
    if (back.length > 0 && marks.length > 0) {
      // Every tmpI with I < the number of marks had been unlinked (and committed) before its mark.
      const stale = back.filter((p) => Number(p.slice(3)) < marks.length);
      if (stale.length) { failures.push(`${tag}: unlinked files came back: ${stale.join(" ")}`); return; }
    }
    passed++;
  };
  if (points.has(0)) check();
  for (const w of log) {
    if (w.disk === 0) { img.set(w.bytes, w.off); n++; if (points.has(n)) check(); }
    else mk.set(w.bytes, w.off);
  }
  console.log(`# orphan crash test: ${passed}/${total} cut points passed over ${writes} disk writes (${freedAtMount} freed orphans at mount) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${total} cut points failed`);
  assert.ok(total >= 100, `only ${total} cut points`);
  assert.ok(freedAtMount >= total / 3, `only ${freedAtMount} of ${total} cuts had orphans to free: the workload does not exercise the list`);
});
