// ext3 mount options through busybox mount (C68 mounts, C65 journaling),
// as Linux's ext4 driver treats them for an ext3 file system:
//  - data=ordered mounts; data=journal and data=writeback are EINVAL with a
//    kernel log line naming the mode; unknown options and bad values EINVAL;
//  - noload/norecovery only read-only; /proc/mounts shows the options that
//    differ from the defaults; remount changes commit=/errors= and refuses
//    a data mode change;
//  - commit=N is the jbd2 timer's interval: with commit=1 an unsynced write
//    is committed within 2 s, with the default 5 s it is not;
//  - errors=: at a detected inconsistency (a directory whose block pointer
//    is past the end of the file system) continue stays read-write,
//    remount-ro goes read-only (EROFS, ro in /proc/mounts), panic stops the
//    machine with Linux's panic line.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { tsix, explain } from "../../harness.js";
import { haveE2fs, mkfs } from "./images.js";
import { diskWithPartition } from "../../block/mbr.js";
import { tmpWork } from "../jbd2/crashlib.js";

const skip = !haveE2fs ? "e2fsprogs is not installed" : false;
const work = tmpWork("tsix-ext3-opts-");
after(() => rmSync(work, { recursive: true, force: true }));

/** An MBR disk whose partition 1 is a fresh 8 MiB ext3 (with /d/f when `tree`), optionally changed by debugfs -w commands. */
function disk(name: string, debugfsCmds: string[] = []): string {
  const tree = join(work, `tree-${name}`);
  mkdirSync(join(tree, "d"), { recursive: true });
  writeFileSync(join(tree, "d", "f"), "hello\n");
  const fsImg = join(work, `${name}.fs`);
  mkfs(fsImg, { blockSize: 1024, sizeMiB: 8, journal: true }, tree);
  for (const c of debugfsCmds) {
    const r = spawnSync("debugfs", ["-w", "-R", c, fsImg], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
  const out = join(work, `${name}.img`);
  writeFileSync(out, diskWithPartition(new Uint8Array(readFileSync(fsImg))));
  return out;
}

const runOn = (img: string, script: string) => tsix(["run", "--disk", img, "--root", "initramfs", "--", "sh", "-c", `exec 2>&1; ${script}`], { timeout: 180_000 });

test("ext3 mount options: data=ordered only, errors=, noload only ro, barrier, commit=, unknown EINVAL; /proc/mounts and remount", { skip, timeout: 300_000 }, () => {
  const img = disk("opts");
  const tries = ["data=ordered", "data=journal", "data=writeback", "errors=remount-ro,commit=7,nobarrier", "barrier=0", "barrier,errors=continue",
    "bogus", "commit=x", "errors=sometimes", "data=", "noload", "ro,norecovery", "errors=panic", "commit=0"];
  const script = tries.map((o) => `echo "== ${o}"; mount -t ext3 -o ${o} /dev/vda1 /mnt && { grep vda1 /proc/mounts; umount /mnt; }`).join("; ") +
    "; echo '== remount'; mount -t ext3 /dev/vda1 /mnt; mount -o remount,commit=9,errors=remount-ro /mnt; grep vda1 /proc/mounts" +
    "; mount -o remount,data=journal /mnt || echo refused; mount -o remount,bogus /mnt || echo refused; grep vda1 /proc/mounts" +
    "; mount -o remount,ro /mnt; grep vda1 /proc/mounts; umount /mnt; dmesg | grep 'EXT2-fs (vda1)' | grep -v 'mounted with its journal' | sed 's/^\\[[^]]*\\] //'";
  const r = runOn(img, script);
  assert.equal(r.status, 0, explain(r));
  const fail = "mount: mounting /dev/vda1 on /mnt failed: Invalid argument";
  const want = [
    "== data=ordered", "/dev/vda1 /mnt ext3 rw,relatime 0 0",
    "== data=journal", fail,
    "== data=writeback", fail,
    "== errors=remount-ro,commit=7,nobarrier", "/dev/vda1 /mnt ext3 rw,relatime,errors=remount-ro,nobarrier,commit=7 0 0",
    "== barrier=0", "/dev/vda1 /mnt ext3 rw,relatime,nobarrier 0 0",
    "== barrier,errors=continue", "/dev/vda1 /mnt ext3 rw,relatime 0 0",
    "== bogus", fail, "== commit=x", fail, "== errors=sometimes", fail, "== data=", fail,
    "== noload", fail,
    "== ro,norecovery", "/dev/vda1 /mnt ext3 ro,relatime,norecovery 0 0",
    "== errors=panic", "/dev/vda1 /mnt ext3 rw,relatime,errors=panic 0 0",
    "== commit=0", "/dev/vda1 /mnt ext3 rw,relatime 0 0",
    "== remount", "/dev/vda1 /mnt ext3 rw,relatime,errors=remount-ro,commit=9 0 0",
    fail, "refused", fail, "refused", "/dev/vda1 /mnt ext3 rw,relatime,errors=remount-ro,commit=9 0 0",
    "/dev/vda1 /mnt ext3 ro,relatime,errors=remount-ro,commit=9 0 0",
    "EXT2-fs (vda1): data=journal is not supported (only data=ordered is built); not mounted",
    "EXT2-fs (vda1): data=writeback is not supported (only data=ordered is built); not mounted",
    'EXT2-fs (vda1): Unrecognized mount option "bogus" or missing value; not mounted',
    'EXT2-fs (vda1): Unrecognized mount option "commit=x" or missing value; not mounted',
    'EXT2-fs (vda1): Unrecognized mount option "errors=sometimes" or missing value; not mounted',
    'EXT2-fs (vda1): Unrecognized mount option "data=" or missing value; not mounted',
    "EXT2-fs (vda1): norecovery/noload needs a read-only mount (-o ro); not mounted",
    "EXT2-fs (vda1): journal not loaded (norecovery)",
    "EXT2-fs (vda1): has a journal (ext3): mounted read-only, the journal is not used",
    "EXT2-fs (vda1): Cannot change data mode on remount; not remounted",
    'EXT2-fs (vda1): Unrecognized mount option "bogus" or missing value; not remounted',
  ];
  assert.deepEqual(r.stdout.trim().split("\n"), want, explain(r));
});

test("commit=N is the journal timer's interval: commit=1 commits an unsynced write within 2 s, the default 5 s does not", { skip, timeout: 300_000 }, () => {
  const img = disk("commit");
  const step = (o: string): string => `mount -t ext3 ${o} /dev/vda1 /mnt; echo x > /mnt/x-${o.length}; sleep 2; echo "${o || "default"}: $(head -1 /proc/fs/jbd2/vda1-8/info)"; umount /mnt`;
  const r = runOn(img, `${step("-o commit=1")}; ${step("")}`);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^-o commit=1: [1-9]\d* transactions/m, explain(r));
  assert.match(r.stdout, /^default: 0 transactions/m, explain(r));
});

test("errors=continue|remount-ro|panic: what a directory pointing past the end of the file system does", { skip, timeout: 300_000 }, () => {
  // /d's first block pointer past the end: reading the directory is a detected inconsistency (EIO).
  const img = disk("errors", ["sif /d block[0] 7000000"]);
  const probe = (o: string): string => `mount -t ext3 -o ${o} /dev/vda1 /mnt; cat /mnt/d/f; echo "cat: $?"; grep vda1 /proc/mounts; touch /mnt/new && echo touched; umount /mnt`;
  const r = runOn(img, `${probe("errors=continue")}; ${probe("errors=remount-ro")}`);
  assert.equal(r.status, 0, explain(r));
  const out = r.stdout + r.stderr;
  assert.match(out, /cat: 1\n\/dev\/vda1 \/mnt ext3 rw,relatime 0 0\ntouched/, explain(r));
  assert.match(out, /cat: 1\n\/dev\/vda1 \/mnt ext3 ro,relatime,errors=remount-ro 0 0\n[^]*touch: \/mnt\/new: Read-only file system/, explain(r));
  const p = runOn(img, `mount -t ext3 -o errors=panic /dev/vda1 /mnt; cat /mnt/d/f; echo "still running"`);
  assert.doesNotMatch(p.stdout, /still running/, explain(p));
  assert.match(p.stdout + p.stderr, /Kernel panic - not syncing: EXT2-fs \(device vda1\): panic forced after error/, explain(p));
  assert.notEqual(p.status, 0, explain(p));
});
