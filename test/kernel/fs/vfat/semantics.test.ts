// vfat semantics inside tsix, as Linux's vfat gives them (progs/fatsem.c;
// the expected lines are Linux's behaviour: fs/fat's setattr rules, no
// link/symlink/mknod operations, 2-second mtimes, case-insensitive lookup
// by long name and short alias, trailing "."/".." entries). Then fsck.fat
// finds the image clean, which also checks the ".." entries after the move.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { explain, skipNoCC } from "../harness.js";
import { cleanup } from "../ext2/images.js";
import { haveDosfs, mkfsVfat, fsckFat, onFat } from "./images.js";

const skip = skipNoCC || (!haveDosfs ? "dosfstools or mtools is not installed" : false);
const work = mkdtempSync(join(tmpdir(), "tsix-vfat-sem-"));
after(() => cleanup(work));

const EXPECTED = `f_type: 4d44
create: ok
file: mode=100644 uid=1000 gid=100 size=6 nlink=1
mkdir: ok
dir: mode=40755 uid=1000 gid=100 size=512 nlink=2
root: mode=40755 uid=1000 gid=100 size=512 nlink=3
link: Operation not permitted
symlink: Operation not permitted
mkfifo: Operation not permitted
mknod: Operation not permitted
chown other: Operation not permitted
chown same: ok
chmod 0600 (r/x bits differ): Operation not permitted
chmod 0444 (read-only): ok
after chmod 0444: mode=100444 uid=1000 gid=100 size=6 nlink=1
chmod 0644: ok
after chmod 0644: mode=100644 uid=1000 gid=100 size=6 nlink=1
utimensat: ok
mtime: 1700000000.000000000
open HELLO.TXT: ok
create Hello.Txt (exists): File exists
long name: ok
open by alias ALONGF~1.TEX: ok
name with ':': Invalid argument
256-character name: File name too long
255-character name: ok
mkdir a: ok
mkdir a/b: ok
put a/b/f: ok
a/b/.. is a: 1
a/.. is root: 1
rmdir a (not empty): Directory not empty
unlink a (a directory): Is a directory
rmdir hello.txt (not a directory): Not a directory
rename a/b to Sub Dir/b: ok
Sub Dir/b/.. is Sub Dir: 1
a after the move: mode=40755 uid=1000 gid=100 size=512 nlink=2
Sub Dir after the move: mode=40755 uid=1000 gid=100 size=512 nlink=3
read Sub Dir/b/f: ok
rmdir a: ok
dot entries: 2
read after mmap store: MAPPED
truncate up zeros: 1 size=3000
umount: ok
after remount: MAPPED
default owner and modes: mode=100755 uid=0 gid=0 size=6 nlink=1
create on ro: Read-only file system
umount: ok
`;

test("vfat behaves as Linux's: owners and modes from options, chmod/chown rules, EPERM for links, times, names, dot entries, mmap", { skip, timeout: 300_000 }, async () => {
  const file = join(work, "sem.img");
  mkfsVfat(file, 64, null);
  const { r, disk } = await onFat("fatsem", new Uint8Array(readFileSync(file)), []);
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, EXPECTED, explain(r));
  writeFileSync(file, disk);
  const f = fsckFat(file);
  assert.equal(f.status, 0, f.out);
});
