// inotify (issue 11: inotify_init1/add_watch/rm_watch were ENOSYS;
// kernel/fs/fsnotify.ts and inotify.ts). progs/inotify.c prints every event
// it reads - create, open, access, modify, attrib, close-write/nowrite,
// moved-from/to with a shared cookie, move-self, delete, delete-self,
// IN_IGNORED after rm_watch, deletion and IN_ONESHOT, IN_ISDIR - and the
// checks around them: IN_ONLYDIR, IN_MASK_ADD/IN_MASK_CREATE, the errnos,
// FIONREAD, poll/select/epoll readiness, EINVAL for a buffer too small,
// coalescing of identical events, IN_Q_OVERFLOW after max_queued_events, a
// blocking read woken by a child, IN_NONBLOCK/IN_CLOEXEC. The same binary
// runs under qemu-riscv64 (Linux): the outputs must be identical, on tmpfs,
// on ext2 and on a host directory (hostfs). The limits are checked in tsix only
// (under qemu they would change the host's /proc/sys/fs/inotify).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, type RunOpts } from "../fs/harness.js";
import { PROGS, onLinux } from "./qemu.js";
import { nodeHostFs } from "../../../host/node/hostfs.js";
import { mountHost } from "../../../kernel/fs/init.js";
import { createRamDisk } from "../../../kernel/block/ramdisk.js";
import { haveE2fs, mkfs } from "../fs/ext2/images.js";

const work = mkdtempSync(join(tmpdir(), "tsix-inotify-"));
after(() => rmSync(work, { recursive: true, force: true }));

const MUST = [
  "nonblock 1 cloexec 1", "empty read: -1 EAGAIN",
  "  wd=1 CREATE name=f len=16", "  wd=1 CLOSE_WRITE name=f len=16",
  "  wd=2 OPEN len=0", "  wd=1 ACCESS name=f len=16", "  wd=2 CLOSE_NOWRITE len=0",
  "read 8 bytes: -1 EINVAL", "FIONREAD 96", "poll: 1 revents 1", "select: 1", "epoll: 1 data 7", "poll when empty: 0",
  "  wd=1 MOVED_FROM cookie=new name=f len=16", "  wd=1 MOVED_TO cookie=same name=g len=16", "  wd=2 MOVE_SELF len=0",
  "  wd=2 DELETE_SELF len=0", "  wd=2 IGNORED len=0", "  wd=1 DELETE name=g len=16", "rm_watch of it: -1 EINVAL",
  "  wd=1 MOVED_TO|ISDIR cookie=same name=sub2 len=16", "  wd=1 DELETE|ISDIR name=sub2 len=16",
  "ONLYDIR on a file: -1 ENOTDIR", "MASK_CREATE on watched: -1 EEXIST", "same dir again: 1",
  "  wd=5 OPEN len=0", "  wd=5 IGNORED len=0", "5 writes in a row: 1 event",
  "events before overflow: max_queued_events, overflow events 1 wd -1", "blocking read: 32, name late",
  "  wd=6 DELETE_SELF len=0", "inotify: done",
];
let linux: string | null | undefined;

async function check(args: string[], setup?: RunOpts["setup"]): Promise<void> {
  const r = await run("inotify", { dir: PROGS, args, setup, timeoutMs: 240_000 });
  assert.equal(r.status, 0, explain(r));
  for (const line of MUST) assert.ok(r.out.split("\n").includes(line), `missing "${line}"\n${explain(r)}`);
  linux ??= onLinux("inotify");
  // Without FIFOs (hostfs has none) the two FIFO events are not in the stream.
  const want = linux === null ? null : args.includes("nofifo") ? linux.replace(/^ {2}wd=1 (CREATE|DELETE) name=fifo len=16\n/gm, "") : linux;
  if (want !== null) assert.equal(r.out, want, "tsix and Linux (qemu-riscv64) print different lines");
}

test("inotify on tmpfs: the same event stream as Linux", { skip: skipNoCC, timeout: 300_000 }, async () => {
  await check([]);
});

test("inotify on a host directory (hostfs): the guest's changes give the same events", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(work, "host-"));
  await check(["/host", "nofifo"], (k, t) => assert.equal(mountHost(k, t, "/host", nodeHostFs(dir), dir), 0));
  assert.deepEqual(readdirSync(dir), [], "the program removes its directory");
});

test("inotify on ext2 (a RAM disk mounted by the program): the same event stream as Linux", { skip: skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false), timeout: 300_000 }, async () => {
  const file = join(work, "ino.img");
  mkfs(file, { blockSize: 1024, inodeSize: 128, sizeMiB: 8 }, null);
  const img = new Uint8Array(readFileSync(file));
  await check(["/mnt", "ext2"], (k) => { createRamDisk(k, img.length); k.block.ramdisks[0].set(img); });
});

test("inotify limits: max_queued_events, max_user_watches, max_user_instances (sysctls)", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("inotify", { dir: PROGS, args: [".", "limits"] });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, `overflow at 8:
${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `  wd=1 CREATE name=q${i} len=16\n`).join("")}  wd=-1 Q_OVERFLOW len=0
watch 1: 1
watch 2: 2
watch 3: -1 ENOSPC
watch 1 again (an update): 1
after close, watch 1: 1
instance 4: -1 EMFILE
instance after a close: 3
negative sysctl: -1 EINVAL
inotify limits: done
`, explain(r));
});
