// timerfd and POSIX timers (issue 11's compatibility gaps): progs/timers.c
// prints results and errnos only, never times, so its output is exact on
// tsix's deterministic clock; the same program runs under qemu-riscv64 on
// the host's Linux so that what is expected is what Linux does. The lines
// that qemu-user cannot show (clock_settime against TFD_TIMER_CANCEL_ON_SET,
// si_timerid, /proc/self/timers, exec deleting timers) are checked in tsix
// only, against Linux's documented behaviour.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, program, skipNoCC, haveCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/time/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

/** What Linux prints (confirmed under qemu-riscv64 by the second test). */
const COMMON = `tfd create cputime: EINVAL
tfd create badflags: EINVAL
tfd create alarm: ok-as-root
tfd cloexec: 1
tfd read idle: -11
tfd read 4 bytes: EINVAL
tfd gettime idle: 0 0
tfd settime nsec=1e9: EINVAL
tfd settime negative: EINVAL
tfd settime badflags: EINVAL
tfd settime NULL: EFAULT
tfd settime badfd: EBADF
tfd settime pipe: EINVAL
tfd gettime pipe: EINVAL
tfd poll before: 0
tfd gettime armed: 1
tfd poll wait: 1 revents 0x1
tfd read one-shot: 1
tfd read again: -11
tfd gettime expired: 0
fdinfo clockid: 1
fdinfo ticks: 0
fdinfo settime flags: 00
fdinfo it_interval: (0, 100000000)
tfd read periodic: 3
tfd old interval: 0.100000000 value<=100ms: 1
tfd read disarmed: -11
tfd settime abs past: ok
tfd blocking read abs: 1
tfd blocking read rel: 1
tfd epoll idle: 0
tfd epoll: 1 data 77 events 0x1
tfd read after epoll: 1
tfd child read: 0
pt create badclock: EINVAL
pt create badnotify: EINVAL
pt create signo 0: EINVAL
pt create signo 65: EINVAL
pt create bad tid: EINVAL
pt settime badid: EINVAL
pt delete badid: EINVAL
pt create: ok
pt gettime idle: 0
pt settime: ok
pt sigwaitinfo: sig+1 code -2 value 42 overrun 4 getoverrun 4
`;
const TSIX_TIMERID = "pt si_timerid matches: 1\n";
const MIDDLE = `pt nothing else queued: EAGAIN
pt gettime periodic: interval 100000000 value ok 1
pt old interval: 100000000
pt gettime disarmed: 0
pt settime negative: EINVAL
pt settime NULL: EINVAL
`;
// Linux's show_timer: the signal and sigev_value (42), the target, the clock.
const TSIX_PROC = `proc timers signal: 35/000000000000002a
proc timers notify: signal/pid.1
proc timers ClockID: 1
`;
const FORK = "pt fork child has none: 1\n";
const TSIX_EXEC = "pt exec deletes: 1\n";
const REST = `pt delete: ok
pt delete again: EINVAL
pt create thread_id: ok
pt handler: sig 10 code -2 value 7
pt none gettime: value ok 1
pt create SIGEV_THREAD: ok
pt SIGEV_THREAD ran: ok value 99
pt cpu clock 0 create: ok
pt cpu clock 0 fired
pt cpu clock 1 create: ok
pt cpu clock 1 fired
pt cpu clock 2 create: ok
pt cpu clock 2 fired
pt flood: bounded 1, then EAGAIN
`;
const TSIX_CANCEL = `cancel read before: -11
cancel clock_settime: ok
cancel poll: 1
cancel read: -125 (ECANCELED=-125)
cancel read again: -11
cancel moved abs timer fires: 1
`;

test("timerfd and POSIX timers on tsix's deterministic clock: exact expiry counts, errnos, overruns, siginfo, fdinfo, /proc/PID/timers, fork and exec, cancel-on-set", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("timers", { dir: PROGS, cpus: 2, args: ["tsix"] });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, COMMON + TSIX_TIMERID + MIDDLE + TSIX_PROC + FORK + TSIX_EXEC + REST + TSIX_CANCEL + "timers: done\n", explain(r));
});

test("timers.c prints the same under qemu-riscv64 on Linux", { skip: !haveCC ? "riscv64-linux-gnu-gcc is not installed" : !haveQemu ? "qemu-riscv64 is not installed" : false, timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-timers-"));
  try {
    const bin = join(dir, "timers");
    writeFileSync(bin, program("timers", PROGS));
    chmodSync(bin, 0o755);
    const q = spawnSync("qemu-riscv64", [bin], { cwd: dir, encoding: "utf8", timeout: 100_000 });
    assert.equal(q.status, 0, `${q.stdout}${q.stderr}`);
    // The alarm clock line depends on who runs the test (CAP_WAKE_ALARM): root gets a timer, a user EPERM.
    const expected = (COMMON + MIDDLE + FORK + REST + "timers: done\n").replace("ok-as-root", process.getuid?.() === 0 ? "ok-as-root" : "EPERM-as-user");
    assert.equal(q.stdout, expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
