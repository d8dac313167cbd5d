// Regular files on tmpfs, through the real syscall path (progs/fs_files.c).
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, explain, skipNoCC } from "./harness.js";
import { type CpioEntry, S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR, S_IFIFO } from "../../../kernel/fs/cpio.js";

test("files: create, read, write, seek, truncate, append, dup, unlink-while-open, sendfile", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("fs_files");
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /fs_files: ok/, explain(r));
});

test("dirs: mkdir/rmdir, getdents64, links, symlinks, rename, namei errors, cwd, utimensat, mknod", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("fs_dirs");
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /fs_dirs: ok/, explain(r));
});

test("permissions: rwx, search on walk, root bypass, sticky, chmod/chown, access real vs effective, umask, setgid dirs", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("fs_perm");
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /fs_perm: ok/, explain(r));
});

test("misc: /dev nodes, shared mappings = page cache, mounts (tmpfs size, EXDEV, EBUSY, ro remount, bind), chroot, close_range, cloexec, statx", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("fs_misc");
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /fs_misc: ok/, explain(r));
});

test("initramfs: modes, owners, times, symlinks, device nodes, FIFOs, hard links, archive data", { skip: skipNoCC, timeout: 60_000 }, async () => {
  const enc = new TextEncoder();
  const m = (path: string, mode: number, extra: Partial<CpioEntry> = {}): CpioEntry => ({ path, mode, uid: 0, gid: 0, mtime: 1600000000, ...extra });
  const r = await run("fs_init", {
    files: [
      m("data", S_IFDIR | 0o750, { uid: 1000, gid: 100, mtime: 1500000000 }),
      m("data/file", S_IFREG | 0o640, { data: enc.encode("archive data") }),
      m("data/hl1", S_IFREG | 0o644, { ino: 77, data: enc.encode("linkd") }),
      m("data/hl2", S_IFREG | 0o644, { ino: 77, data: enc.encode("linkd") }),
      m("data/sym", S_IFLNK | 0o777, { target: "file" }),
      m("data/null", S_IFCHR | 0o666, { rdevMajor: 1, rdevMinor: 3 }),
      m("data/fifo", S_IFIFO | 0o644),
      m("data/deep/er/still", S_IFREG | 0o644, { data: enc.encode("x") }),
    ],
  });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /fs_init: ok/, explain(r));
});
