// POSIX message queues (kernel/ipc/mqueue.ts). posix_mq.c prints one line
// per check; its output on tsix must equal its output under qemu-riscv64 on
// the host's Linux kernel (names, attributes, priorities, O_NONBLOCK,
// timeouts, blocking across processes, EINTR and SA_RESTART, poll/select/
// epoll, unlink). mq_more.c covers what qemu cannot show (mq_notify, which
// qemu-user 7.2 answers with ENOSYS; O_ACCMODE, whose flags qemu rewrites;
// the /dev/mqueue file system, the /proc/sys/fs/mqueue limits and
// RLIMIT_MSGQUEUE, which would change the host): its expected lines follow
// Linux's ipc/mqueue.c. Both outputs are spelled out in full.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC } from "../fs/harness.js";
import { PROGS, onLinux } from "./qemu.js";


const MQ = [
  "no slash: -1 EINVAL",
  "inner slash: -1 EACCES",
  "only slash: -1 ENOENT",
  "dot: -1 EACCES",
  "too long: -1 ENAMETOOLONG",
  "missing: -1 ENOENT",
  "maxmsg 0: -1 EINVAL",
  "msgsize -1: -1 EINVAL",
  "create: ok cloexec=1",
  "excl again: -1 EEXIST",
  "attr: flags=0 maxmsg=4 msgsize=64 curmsgs=0",
  "default attr: flags=0 maxmsg=10 msgsize=8192 curmsgs=0",
  "four queued: flags=0 maxmsg=4 msgsize=64 curmsgs=4",
  "full nonblocking? (blocking fd, timeout past): -1 ETIMEDOUT",
  "first: 4 prio=5 text=high",
  "second: 3 prio=3 text=mid",
  "third: 5 prio=1 text=low-a",
  "fourth: 5 prio=1 text=low-b",
  "too big: -1 EMSGSIZE",
  "buffer too small: -1 EMSGSIZE",
  "prio 32768: -1 EINVAL",
  "prio 32767: 0",
  "max prio: 1 prio=32767 text=p",
  "empty message: 0",
  "empty: 0 prio=0 text=",
  "setattr: 0",
  "old flags: 0",
  "nonblocking: flags=O_NONBLOCK maxmsg=4 msgsize=64 curmsgs=0",
  "empty nonblocking: -1 EAGAIN",
  "full nonblocking: -1 EAGAIN",
  "setattr other flags: -1 EINVAL",
  "full, 50 ms: -1 ETIMEDOUT",
  "bad timespec: -1 EINVAL",
  "bad timespec, not full: -1 EINVAL",
  "empty, 50 ms: -1 ETIMEDOUT",
  "send on O_RDONLY: -1 EBADF",
  "receive on O_WRONLY: -1 EBADF",
  "send on stdin: -1 EBADF",
  "getattr on stdin: -1 EBADF",
  "blocked receive: 10 prio=2 text=from child",
  "blocked send: 0",
  "after blocked send: 4 prio=9 text=last",
  "interrupted: -1 EINTR",
  "restarted: 12 prio=0 text=after signal",
  "poll empty: in=0 out=1",
  "poll full: in=1 out=0",
  "select woke: 1 readable=1",
  "epoll woke: 1 in=1",
  "unlink: 0",
  "open after unlink: -1 ENOENT",
  "unlink again: -1 ENOENT",
  "still usable: 2 prio=0 text=ep",
  "posix_mq: done",
  "",
].join("\n");

const MORE = [
  "create: 0",
  "accmode 3: -1 EINVAL",
  "notify: 0",
  "child notify: -1 EBUSY",
  "child unregister (not owner): 0",
  "still registered: -1 EBUSY",
  "signal: 1 code=SI_MESGQ value=4242 pid-ok=1",
  "second message, no signal: 1",
  "register again: 0",
  "non-empty queue, no signal: 1",
  "unregister: 0",
  "unregister again: 0",
  "SIGEV_NONE: 0",
  "busy: -1 EBUSY",
  "SIGEV_NONE fired and removed: 0",
  "bad sigev_notify: -1 EINVAL",
  "bad signal: -1 EINVAL",
  "SIGEV_THREAD (glibc): 0",
  "stat: mode=100640 size=80",
  "statfs magic: 19800202",
  "queue file: QSIZE:11         NOTIFY:0     SIGNO:0     NOTIFY_PID:0     ",
  "queue file with notify: QSIZE:0          NOTIFY:0     SIGNO:12    NOTIFY_PID:self  ",
  "open O_CREAT in /dev/mqueue: 0",
  "made by open: maxmsg=10 msgsize=8192",
  "mq_send on the open(2) descriptor: 0",
  "mkdir in /dev/mqueue: -1 EPERM",
  "rm is unlink: 0",
  "gone: -1 ENOENT",
  "mount -t mqueue: 0",
  "same queues in the new mount: 0",
  "write msg_max: 0",
  "write msg_max 0: -22 EINVAL",
  "write queues_max: 0",
  "user: maxmsg 21: -1 EINVAL",
  "user: maxmsg 20: 0",
  "user: msgsize 8193: -1 EINVAL",
  "user: third queue: 0",
  "user: fourth queue: -1 ENOSPC",
  "user: open root's 0640 queue for writing: -1 EACCES",
  "user: unlink root's queue: -1 EACCES",
  "rlimit: first: 0",
  "rlimit: second: 0",
  "rlimit: third: -1 EMFILE",
  "rlimit: freed by unlink and exit? not while open: -1 EMFILE",
  "rlimit: after the opener exited: 0",
  "mq_more: done",
  "",
].join("\n");

test("POSIX mq: names, attributes, priorities, O_NONBLOCK, timeouts, blocking across processes, EINTR/SA_RESTART, poll/select/epoll, unlink (same output as Linux)", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const r = await run("posix_mq", { dir: PROGS, timeoutMs: 120_000 });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, MQ, explain(r));
  const linux = onLinux("posix_mq");
  if (linux !== null) assert.equal(r.out, linux, "tsix and Linux (qemu-riscv64) print different lines");
});

test("POSIX mq: mq_notify (SIGEV_SIGNAL/NONE, EBUSY, SI_MESGQ), /dev/mqueue files, mount -t mqueue, fs.mqueue limits, RLIMIT_MSGQUEUE", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const r = await run("mq_more", { dir: PROGS, timeoutMs: 120_000 });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, MORE, explain(r));
});

test("POSIX mq: mq_notify SIGEV_THREAD: glibc runs the function in a new thread once per notification; the kernel sends the 32-byte cookie to the netlink socket (NOTIFY_WOKENUP, NOTIFY_REMOVED)", { skip: skipNoCC, timeout: 240_000 }, async () => {
  // qemu-user answers mq_notify with ENOSYS: the expectations are Linux's __do_notify / remove_notification and glibc's mq_notify.c.
  const r = await run("mq_thread", { dir: PROGS, timeoutMs: 200_000 });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^glibc SIGEV_THREAD: runs=2 value=78$/m, explain(r));
  assert.match(r.out, /^mq_thread: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});
