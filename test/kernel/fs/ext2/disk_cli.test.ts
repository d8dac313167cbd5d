// The ext2 host commands end to end: tsix mkfs (MBR + partition 1 ext2/ext3
// at 1 MiB, e2fsck-clean), tsix fsck (its exit status is e2fsck's), one-line
// errors with a remedy for bad input, and tsix image build -o FILE.img: the
// default image's tree in an ext2 partition (owners and modes right, checked
// with debugfs) that `tsix run --disk` boots as its root (root=/dev/vda1),
// whose changes persist across boots, and that is clean after each boot.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { tsix, explain } from "../../harness.js";
import { haveE2fs, isRoot, cleanup, debugfs } from "./images.js";

const skip = !haveE2fs ? "e2fsprogs is not installed" : false;
const work = mkdtempSync(join(tmpdir(), "tsix-ext2-cli-"));
after(() => cleanup(work));

/** Partition 1 of a disk made by tsix (at 1 MiB) copied out, for debugfs. */
function part1(disk: string): string {
  const out = `${disk}.p1`;
  writeFileSync(out, readFileSync(disk).subarray(1 << 20));
  return out;
}

test("tsix mkfs makes an MBR disk with an e2fsck-clean ext2 (or ext3) partition 1; tsix fsck reports it", { skip }, () => {
  const a = join(work, "a.img");
  let r = tsix(["mkfs", a, "16M"]);
  assert.equal(r.status, 0, explain(r));
  const mbr = readFileSync(a).subarray(0, 512);
  assert.equal(mbr[510], 0x55); assert.equal(mbr[511], 0xaa);
  assert.equal(mbr[446 + 4], 0x83);
  assert.equal(mbr.readUInt32LE(446 + 8), 2048);
  r = tsix(["fsck", a]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /Pass 5/);
  assert.doesNotMatch(debugfs(part1(a), "features"), /has_journal/);
  const j = join(work, "j.img");
  assert.equal(tsix(["mkfs", "--journal", j, "16M"]).status, 0);
  assert.match(debugfs(part1(j), "features"), /has_journal/);
  // A damaged file system: fsck says so with e2fsck's status.
  const img = readFileSync(a);
  img.fill(0xff, (1 << 20) + 1024 * 4, (1 << 20) + 1024 * 12); // over the group descriptors / bitmaps
  writeFileSync(a, img);
  r = tsix(["fsck", a]);
  assert.notEqual(r.status, 0, explain(r));
});

test("bad input to mkfs, fsck and run --root gives one line with a remedy and exit status 2", { skip }, () => {
  const cases: [string[], RegExp][] = [
    [["mkfs", join(work, "x.img")], /^tsix: usage: tsix mkfs/],
    [["mkfs", join(work, "x.img"), "lots"], /bad size 'lots'/],
    [["fsck", join(work, "missing.img")], /no such file \(make one with tsix mkfs/],
    [["run", "--disk", join(work, "missing.img"), "--root", "/dev/vda1", "--", "true"], /no such file/],
    [["run", "--root", "/dev/vda1", "--", "true"], /needs a disk: add --disk FILE.img/],
  ];
  const blank = join(work, "blank.img");
  writeFileSync(blank, new Uint8Array(1 << 20));
  cases.push([["fsck", blank], /no MBR .*tsix mkfs or tsix image build/]);
  cases.push([["run", "--disk", blank, "--root", "/dev/vda1", "--", "true"], /no MBR .*tsix image build -o/]);
  for (const [args, re] of cases) {
    const r = tsix(args);
    assert.equal(r.status, 2, `${args.join(" ")}\n${explain(r)}`);
    assert.match(r.stderr, re, args.join(" "));
    assert.equal(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
  }
});

test("tsix image build -o FILE.img boots as the root with tsix run --disk; changes persist; clean after each boot", { skip: skip || (!isRoot ? "needs root (device nodes, owners)" : false), timeout: 600_000 }, () => {
  const disk = join(work, "root.img");
  let r = tsix(["image", "build", "--size", "96M", "-o", disk], { timeout: 500_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stderr, /image: staged \d+\/\d+/);
  const p = part1(disk);
  assert.match(debugfs(p, "stat /tmp"), /Mode:\s+01777/);
  assert.match(debugfs(p, "stat /bin/busybox"), /User:\s+0\s+Group:\s+0/);
  assert.match(debugfs(p, "features"), /has_journal/);
  r = tsix(["run", "--disk", disk, "--", "sh", "-c", "grep -E ' (/|/dev/mqueue) ' /proc/mounts; cat /proc/cmdline; echo kept > /root/note; mkdir /newdir; ln -s note /root/ln"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^\/dev\/vda1 \/ ext3 rw/m); // image build makes ext3: the root is mounted with its journal
  assert.match(r.stdout, /^mqueue \/dev\/mqueue mqueue rw/m, "the disk root mounts /dev/mqueue as the initramfs boot does");
  assert.match(r.stdout, /root=\/dev\/vda1/);
  r = tsix(["fsck", disk]);
  assert.equal(r.status, 0, explain(r));
  r = tsix(["run", "--disk", disk, "--", "sh", "-c", "cat /root/ln; ls -d /newdir"]);
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout, "kept\n/newdir\n");
  assert.match(debugfs(part1(disk), "stats"), /Filesystem state:\s+clean/);
  // --root initramfs: the disk is attached but / is the initramfs again.
  r = tsix(["run", "--disk", disk, "--root", "initramfs", "--", "sh", "-c", "test -e /root/note && echo disk || echo initramfs"]);
  assert.equal(r.stdout, "initramfs\n", explain(r));
  void spawnSync;
});
