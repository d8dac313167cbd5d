// System V shared memory (kernel/ipc/shm.ts): a C program that prints one
// line per check runs on tsix, and the same binary under qemu-riscv64 on the
// host's Linux kernel: the outputs must be identical except for the one line
// where qemu-user itself differs from Linux (it chooses the address of
// shmat(id, NULL, SHM_REMAP) and passes SHM_REMAP on, so Linux never sees
// the NULL that makes it EINVAL; ipc/shm.c do_shmat says EINVAL). The whole
// expected output is also spelled out, so the test means something without qemu.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, program, explain, skipNoCC } from "../fs/harness.js";
import { PROGS, onLinux } from "./qemu.js";


const QEMU_DIFFERS = "remap without address: ";

const EXPECTED = [
  "size 0: -1 EINVAL",
  "size huge: -1 EINVAL",
  "create: ok",
  "excl again: -1 EEXIST",
  "bigger: -1 EINVAL",
  "smaller same id: 1",
  "size 0 same id: 1",
  "no key: -1 ENOENT",
  "stat: segsz=5000 mode=640 nattch=0 cpid-ok=1 lpid=0 atime=0 dtime=0 ctime-ok=1",
  "remap without address: -1 EINVAL",
  "attach: ok aligned=1",
  "after attach: nattch=1 lpid-ok=1 atime-ok=1",
  "zero filled: 0 0",
  "last page byte: 7",
  "maps: /SYSV<key> (deleted)",
  "second attach same memory: 1 nattch=2",
  "unaligned: -1 EINVAL",
  "occupied: -1 EINVAL",
  "rnd remap: 1 nattch=2",
  "shmdt inside: -1 EINVAL",
  "shmdt unaligned: -1 EINVAL",
  "shmdt not shm: -1 EINVAL",
  "shmdt: 0 nattch=1 dtime-ok=1",
  "shmdt again: -1 EINVAL",
  "split: nattch=3",
  "shmdt split: 0 nattch=1",
  "munmap: nattch=1",
  "rdonly read: shared",
  "rdonly mprotect: -1 EACCES",
  "rdonly write: SIGSEGV",
  "before fork: nattch=1",
  "child: nattch=2",
  "after child exit: nattch=1 lpid-is-child=1 text=from child",
  "by id: attached by id",
  "bad cmd: -1 EINVAL",
  "bad id: -1 EINVAL",
  "IPC_INFO: ok=1 shmmin=1 shmmni=4096 shmseg=4096 shmmax=18446744073692774399",
  "SHM_INFO: ok=1",
  "SHM_STAT finds it: 1",
  "IPC_SET: 0 mode=640",
  "SHM_LOCK: 0 mode=2640",
  "SHM_UNLOCK: 0 mode=640",
  "user attach rw: -1 EACCES",
  "user attach ro: from child",
  "user exec attach: -1 EACCES",
  "user get for write: -1 EACCES",
  "user rmid: -1 EPERM",
  "user set: -1 EPERM",
  "user lock: -1 EPERM",
  "rmid attached: 0",
  "dest: key=0 mode=1640 nattch=1",
  "key gone: -1 ENOENT",
  "key reused: ok new=1",
  "still readable: from child",
  "attach removed: ok",
  "child sees nattch: 2",
  "remap removed over itself: ok text=from child",
  "after last detach: -1 EINVAL",
  "rmid unattached: 0",
  "gone: -1 EINVAL",
  "sysv_shm: done",
  "",
].join("\n");

test("shared memory: shmget checks, shmat address rules and flags, shmdt, shmctl, IPC_RMID while attached, fork/exit, maps name (same output as Linux)", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const r = await run("sysv_shm", { dir: PROGS, timeoutMs: 120_000 });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, EXPECTED, explain(r));
  const linux = onLinux("sysv_shm");
  if (linux !== null) {
    const strip = (s: string): string => s.split("\n").filter((l) => !l.startsWith(QEMU_DIFFERS)).join("\n");
    assert.equal(strip(r.out), strip(linux), "tsix and Linux (qemu-riscv64) print different lines");
  }
});

test("the shm limits in /proc/sys/kernel (shmmax, shmall, shmmni) are enforced and root-only; commit is charged at shmget unless SHM_NORESERVE; exec detaches", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("shm_limits", { dir: PROGS });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, [
    "/proc/sys/kernel/shmmax = 18446744073692774399",
    "write shmmax: 0",
    "/proc/sys/kernel/shmmax = 8192",
    "8193 bytes: -1 EINVAL",
    "8192 bytes: ok",
    "write shmall: 0",
    "2 more pages: -1 ENOSPC",
    "1 more page: ok",
    "write shmmni: 0",
    "third segment: -1 ENOSPC",
    "bad value: -22",
    "/proc/sys/kernel/shmall = 18446744073692774399",
    "charged at shmget: 1024 kB, at shmat: 0 kB, after rmid: 0 kB",
    "noreserve charged: 0 kB",
    "larger than RAM: -1 ENOMEM",
    "larger than RAM, noreserve: ok",
    "mode 2, noreserve: -1 ENOMEM",
    "before exec: nattch=2",
    "after exec: nattch=1 lpid-is-me=1 dtime-set=1",
    "user write shmmax: -13",
    "/proc/sys/kernel/shmmax = 18446744073692774399",
    "shm_limits: done",
    "",
  ].join("\n"), explain(r));
});
