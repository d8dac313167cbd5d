// vfat end to end through the CLI: `tsix mkfs --type vfat` makes an MBR disk
// (partition type 0x0c) whose partition 1 is a fsck.fat-clean FAT32; the
// guest mounts it from the virtio disk with busybox `mount -t vfat`, writes
// a long-named file, a directory and a 1.5 MiB program, lists them and sees
// the mount in /proc/mounts; afterwards fsck.fat finds the partition clean
// and mtools reads the same bytes back. Bad --type gives one line and exit 2.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { tsix, explain } from "../../harness.js";
import { cleanup } from "../ext2/images.js";
import { haveDosfs, fsckFat, MTOOLS_ENV } from "./images.js";

const skip = !haveDosfs ? "dosfstools or mtools is not installed" : false;
const work = mkdtempSync(join(tmpdir(), "tsix-vfat-cli-"));
after(() => cleanup(work));

test("tsix mkfs --type vfat; the guest mounts /dev/vda1 as vfat and writes; fsck.fat clean, mtools reads it", { skip, timeout: 600_000 }, () => {
  const disk = join(work, "v.img");
  let r = tsix(["mkfs", "--type", "vfat", disk, "40M"]);
  assert.equal(r.status, 0, explain(r));
  assert.equal(readFileSync(disk)[446 + 4], 0x0c);
  const p1 = `${disk}.p1`;
  writeFileSync(p1, readFileSync(disk).subarray(1 << 20));
  assert.equal(fsckFat(p1).status, 0);
  r = tsix(["run", "--disk", disk, "--", "sh", "-lc",
    "mkdir -p /mnt && mount -t vfat /dev/vda1 /mnt && echo 'Hello from tsix' > '/mnt/Long Name From Guest.txt' && mkdir /mnt/Dir && cp /bin/busybox /mnt/Dir/bb && " +
    "ls /mnt /mnt/Dir && cmp /bin/busybox /mnt/Dir/bb && grep ' /mnt ' /proc/mounts && umount /mnt && echo done"], { timeout: 500_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /Long Name From Guest\.txt/, explain(r));
  assert.match(r.stdout, /^\/dev\/vda1 \/mnt vfat rw,relatime,uid=0,gid=0,fmask=0022,dmask=0022 0 0$/m, explain(r));
  assert.match(r.stdout, /done/, explain(r));
  writeFileSync(p1, readFileSync(disk).subarray(1 << 20));
  const f = fsckFat(p1);
  assert.equal(f.status, 0, f.out);
  const m = spawnSync("mtype", ["-i", p1, "::/Long Name From Guest.txt"], { encoding: "utf8", env: MTOOLS_ENV });
  assert.equal(m.stdout, "Hello from tsix\n", m.stderr);
  const bb = join(work, "bb");
  spawnSync("mcopy", ["-n", "-i", p1, "::/Dir/bb", bb], { env: MTOOLS_ENV });
  const size = readFileSync(bb).length;
  assert.ok(size > 1 << 20, `busybox copied out has ${size} bytes`);
});

test("tsix mkfs --type with an unknown type gives one line with the choices and exit status 2", { skip }, () => {
  const r = tsix(["mkfs", "--type", "fat", join(work, "x.img"), "40M"]);
  assert.equal(r.status, 2, explain(r));
  assert.match(r.stderr, /^tsix: tsix mkfs: unknown type 'fat' \(ext2, ext3 or vfat\)\n$/);
  const s = tsix(["mkfs", "--type", "vfat", join(work, "y.img"), "8M"]);
  assert.equal(s.status, 2, explain(s));
  assert.match(s.stderr, /at least 36M/);
});
