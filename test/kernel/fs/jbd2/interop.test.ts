// The journal is JBD2 as Debian's e2fsprogs knows it (C65 journaling), in
// both directions:
//  - a journal written by debugfs (journal_open/journal_write/journal_close:
//    committed transactions, a revoke, an uncommitted transaction and a
//    block that begins with the JBD2 magic, so its copy is escaped) is
//    replayed by tsix's mount exactly as `e2fsck -fy` replays it: the same
//    bytes in every block outside the superblock and the journal;
//  - a journal tsix wrote and did not checkpoint (a power cut in the middle
//    of a workload) is replayed by `e2fsck -fy` and by tsix to the same
//    files, and e2fsck -fn finds both results clean.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { haveE2fs, mkfs, debugfs } from "../ext2/images.js";
import { recordRamDisk, mountOnce, e2fsck, dumpFiles, tmpWork, differingBlocks, type DiskWrite } from "./crashlib.js";

const skip = !haveE2fs ? "e2fsprogs is not installed" : false;
const work = tmpWork("tsix-jbd-interop-");
after(() => rmSync(work, { recursive: true, force: true }));

/** Journal blocks (as fs block numbers) of an image, from debugfs's block map of inode 8. */
function journalBlocks(file: string): Set<number> {
  const out = new Set<number>();
  const s = debugfs(file, "stat <8>");
  for (const m of s.matchAll(/(?:\((?:\d+|IND|DIND)(?:-\d+)?\)):(\d+)(?:-(\d+))?/g)) {
    const a = Number(m[1]), b = m[2] ? Number(m[2]) : a;
    for (let x = a; x <= b; x++) out.add(x);
  }
  return out;
}

test("a journal written by debugfs (commits, a revoke, an escaped block, an uncommitted tail) is replayed by tsix as by e2fsck", { skip }, () => {
  const f = join(work, "dbg.img");
  mkfs(f, { blockSize: 1024, sizeMiB: 8, journal: true }, null);
  const data = new Uint8Array(4096);
  data.fill(0x58, 0, 1024); // X
  data.fill(0x59, 1024, 2048); // Y
  data.fill(0x4d, 2048, 3072); data.set([0xc0, 0x3b, 0x39, 0x98], 2048); // begins with the magic: logged escaped
  data.fill(0x5a, 3072, 4096); // Z
  writeFileSync(join(work, "jdata"), data);
  const cmds = [
    "jo",
    `jw -b 5000,5001,5002 ${join(work, "jdata")}`, // transaction 1
    `jw -r 5000 ${join(work, "jdata")}`, // transaction 2 revokes 5000: its copy in 1 must not be replayed
    `jw -b 5010,5011 ${join(work, "jdata")}`, // transaction 3: replayed
    `jw -b 5020 -c ${join(work, "jdata")}`, // transaction 4 has no commit block: ignored
    "jc",
  ];
  writeFileSync(join(work, "cmds"), cmds.join("\n") + "\n");
  const r = spawnSync("debugfs", ["-w", "-f", join(work, "cmds"), f], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(debugfs(f, "logdump"), /revoke table/);
  const before = new Uint8Array(readFileSync(f));
  // tsix replays at mount.
  const m = mountOnce(before);
  assert.equal(m.result, "mounted ro", m.log);
  assert.match(m.log, /JBD2: recovery complete on ram0: 3 transactions replayed, \d+ blocks written, 1 revoked/);
  // e2fsck replays its own way.
  const e = join(work, "dbg-e2fsck.img");
  writeFileSync(e, before);
  const fy = e2fsck(e, ["-fy"]);
  assert.ok(fy.status === 0 || fy.status === 1, fy.out);
  const byE2fsck = new Uint8Array(readFileSync(e));
  const blk = (img: Uint8Array, nr: number): Uint8Array => img.subarray(nr * 1024, nr * 1024 + 1024);
  for (const img of [m.img, byE2fsck]) {
    assert.ok(blk(img, 5000).every((b) => b === blk(before, 5000)[0]), "revoked block 5000 stays as it was");
    assert.ok(blk(img, 5001).every((b) => b === 0x59), "block 5001 replayed");
    assert.deepEqual([...blk(img, 5002).subarray(0, 6)], [0xc0, 0x3b, 0x39, 0x98, 0x4d, 0x4d], "escaped block restored with its magic");
    assert.ok(blk(img, 5010).every((b) => b === 0x58) && blk(img, 5011).every((b) => b === 0x59), "transaction 3 replayed");
    assert.deepEqual(blk(img, 5020), blk(before, 5020), "the uncommitted transaction is not replayed");
  }
  // Everything but the superblock (needs_recovery, counts) and the journal itself is the same bytes.
  const skipBlocks = journalBlocks(f);
  skipBlocks.add(1);
  const diff = differingBlocks(m.img, byE2fsck, 1024).filter((b) => !skipBlocks.has(b));
  assert.deepEqual(diff, []);
});

test("a journal tsix wrote and did not checkpoint is replayed by e2fsck -fy as by tsix: same files, both clean", { skip: skipNoCC || skip, timeout: 300_000 }, async () => {
  const f = join(work, "tsix.img");
  mkfs(f, { blockSize: 1024, sizeMiB: 8, journal: true }, null);
  const start = new Uint8Array(readFileSync(f));
  const log: DiskWrite[] = [];
  const r = await run("jbdwork", {
    dir: join(SRC_ROOT, "test/kernel/fs/jbd2/progs"), args: ["5", "60", "fsync"], memBytes: 64 << 20, timeoutMs: 300_000,
    setup: (k) => { recordRamDisk(k, start, log); recordRamDisk(k, new Uint8Array(256 << 10), log); },
  });
  assert.equal(r.status, 0, explain(r));
  // Cut right after the last marker (its fsync returned): the journal holds committed transactions not yet checkpointed.
  const lastMark = log.map((w) => w.disk).lastIndexOf(1);
  const img = start.slice();
  for (const w of log.slice(0, lastMark)) if (w.disk === 0) img.set(w.bytes, w.off);
  const cut = join(work, "cut.img");
  writeFileSync(cut, img);
  assert.match(spawnSync("dumpe2fs", ["-h", cut], { encoding: "utf8" }).stdout, /needs_recovery[\s\S]*Journal start:\s+[1-9]/);
  assert.match(debugfs(cut, "logdump"), /commit block/);
  const t = mountOnce(img);
  assert.equal(t.result, "mounted ro", t.log);
  assert.match(t.log, /recovery complete on ram0: [1-9]\d* transactions replayed/);
  const tf = join(work, "by-tsix.img");
  writeFileSync(tf, t.img);
  const ef = join(work, "by-e2fsck.img");
  writeFileSync(ef, img);
  const fy = e2fsck(ef, ["-fy"]);
  assert.ok(fy.status === 0 || fy.status === 1, fy.out);
  assert.doesNotMatch(fy.out, /Fix\?|Clear\?|Salvage\?/, `e2fsck had to repair more than the journal:\n${fy.out}`);
  for (const x of [tf, ef]) { const c = e2fsck(x, ["-fn"]); assert.equal(c.status, 0, `${x}: ${c.out}`); }
  const a = dumpFiles(tf, join(work, "da")), b = dumpFiles(ef, join(work, "db"));
  assert.ok(a.size > 5);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [p, bytes] of a) assert.deepEqual(bytes, b.get(p), p);
  const skipBlocks = journalBlocks(cut);
  skipBlocks.add(1);
  assert.deepEqual(differingBlocks(t.img, new Uint8Array(readFileSync(ef)), 1024).filter((x) => !skipBlocks.has(x)), []);
});
