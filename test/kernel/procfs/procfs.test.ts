// procfs and sysfs as programs see them: a static C program running as PID 1
// (and its children) reads /proc and /sys through the real syscalls, and
// the test checks the formats field by field against proc(5) - the ones ps,
// top, free, uptime, df and glibc parse - and that the numbers are the
// kernel's own (pids, parents, states, memory, mounts, policies).
// Concepts: C69, C21, C22, C20, C66, C56, C07/C29, C02, C10.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runProg, frames, lineValue, skipNoCc } from "./harness.js";
import { makedev } from "../../../kernel/fs/fstypes.js";
import { policyName } from "../../../kernel/sched/core.js";
import { DEFAULT_POLICY } from "../../../kernel/sched/sched.js";

const ENOENT = -2, EACCES = -13, EINVAL = -22, ESRCH = -3;

function body(f: Map<string, { body: string; result: number }>, key: string): string {
  const x = f.get(key);
  assert.ok(x, `no frame for ${key}`);
  assert.ok(x.result >= 0, `${key} failed: ${x.result}`);
  return x.body;
}

/** Split /proc/PID/stat the way procps does: the comm is between the first "(" and the last ")". */
function statFields(s: string): string[] {
  const open = s.indexOf("("), close = s.lastIndexOf(")");
  return [s.slice(0, open - 1), s.slice(open + 1, close), ...s.slice(close + 2).trim().split(" ")];
}

function statusMap(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of s.split("\n")) {
    const i = l.indexOf(":\t");
    if (i > 0) m.set(l.slice(0, i), l.slice(i + 2));
  }
  return m;
}

test("/proc/self: stat, status, statm, maps, cmdline, environ, links and fds of the caller", { skip: skipNoCc }, async () => {
  const r = await runProg("procfs_ops", [
    "cat:/proc/self/stat", "cat:/proc/self/status", "cat:/proc/self/statm", "cat:/proc/self/maps",
    "cat:/proc/self/cmdline", "cat:/proc/self/environ", "link:/proc/self/exe", "link:/proc/self/cwd",
    "link:/proc/self/root", "link:/proc/thread-self", "link:/proc/self", "ls:/proc/self/fd", "link:/proc/self/fd/1",
    "cat:/proc/self/fdinfo/1", "ls:/proc/self/task", "cat:/proc/self/task/1/stat", "cat:/proc/self/comm",
    "cat:/proc/self/limits", "cat:/proc/self/wchan", "cat:/proc/self/sched", "cat:/proc/1/oom_score_adj",
  ]);
  assert.equal(r.status, 0, r.out + r.log);
  const f = frames(r.out);

  // stat: 52 fields, in proc(5)'s order.
  const st = statFields(body(f, "cat /proc/self/stat").trim());
  assert.equal(st.length, 52, st.join(" "));
  assert.equal(st[0], "1", "pid");
  assert.equal(st[1], "procfs_ops", "comm");
  assert.equal(st[2], "R", "state");
  assert.equal(st[3], "0", "ppid");
  assert.equal(st[4], "1", "pgrp");
  assert.equal(st[5], "1", "session");
  assert.equal(st[6], "0", "tty_nr: /dev/console is never acquired by opening it");
  assert.equal(st[7], "-1", "tpgid");
  for (const i of [9, 10, 11, 12, 13, 14, 15, 16, 21, 22, 23]) assert.match(st[i], /^\d+$/, `field ${i + 1}`);
  assert.equal(st[17], "20", "priority = 20 + nice");
  assert.equal(st[18], "0", "nice");
  assert.equal(st[19], "1", "num_threads");
  assert.equal(st[24], "18446744073709551615", "rsslim RLIM_INFINITY");
  assert.equal(st[37], "17", "exit_signal SIGCHLD");
  assert.equal(st[38], "0", "processor");
  assert.ok(Number(st[25]) === 0x10000 && Number(st[26]) > Number(st[25]), "startcode/endcode of the text");

  // status: the fields ps -o and top read, in Linux's order.
  const statusText = body(f, "cat /proc/self/status");
  const s = statusMap(statusText);
  assert.equal(s.get("Name"), "procfs_ops");
  assert.equal(s.get("State"), "R (running)");
  assert.equal(s.get("Tgid"), "1");
  assert.equal(s.get("Pid"), "1");
  assert.equal(s.get("PPid"), "0");
  assert.equal(s.get("Uid"), "0\t0\t0\t0");
  assert.equal(s.get("Gid"), "0\t0\t0\t0");
  assert.equal(s.get("Groups"), "");
  assert.equal(s.get("Threads"), "1");
  assert.match(s.get("VmSize")!, /^ +\d+ kB$/);
  assert.match(s.get("VmRSS")!, /^ +\d+ kB$/);
  for (const k of ["SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt"]) assert.match(s.get(k)!, /^[0-9a-f]{16}$/, k);
  assert.match(s.get("voluntary_ctxt_switches")!, /^\d+$/);
  assert.match(s.get("nonvoluntary_ctxt_switches")!, /^\d+$/);
  const order = ["Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid", "TracerPid", "Uid", "Gid", "FDSize", "Groups",
    "VmPeak", "VmSize", "VmRSS", "Threads", "SigQ", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt", "CapEff",
    "Cpus_allowed_list", "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"];
  const keys = [...s.keys()];
  for (let i = 1; i < order.length; i++) assert.ok(keys.indexOf(order[i - 1]) < keys.indexOf(order[i]), `${order[i - 1]} before ${order[i]}`);

  // vsize and rss agree between stat, status and statm (read one after the
  // other: the resident set can only have grown in between).
  const statm = body(f, "cat /proc/self/statm").trim().split(" ").map(Number);
  assert.equal(statm.length, 7);
  assert.equal(statm[0] * 4096, Number(st[22]), "statm size = stat vsize");
  assert.equal(`${statm[0] * 4} kB`, s.get("VmSize")!.trim());
  const rssStat = Number(st[23]), rssStatus = parseInt(s.get("VmRSS")!, 10) / 4;
  assert.ok(rssStat > 0 && rssStat <= rssStatus && rssStatus <= statm[1], `rss ${rssStat} <= ${rssStatus} <= ${statm[1]}`);

  // maps: Linux's exact columns; the name starts at column 73.
  const maps = body(f, "cat /proc/self/maps").trimEnd().split("\n");
  let total = 0;
  for (const l of maps) {
    const m = /^([0-9a-f]{8,})-([0-9a-f]{8,}) [r-][w-][x-][ps] [0-9a-f]{8} [0-9a-f]{2}:[0-9a-f]{2} \d+ (.*)$/.exec(l);
    assert.ok(m, `maps line: ${JSON.stringify(l)}`);
    total += parseInt(m[2], 16) - parseInt(m[1], 16);
    if (m[3].trim() !== "") assert.equal(l.length - m[3].trimStart().length, 73, `name column: ${l}`);
  }
  assert.equal(total, Number(st[22]), "the mappings add up to vsize");
  assert.ok(maps.some((l) => l.endsWith(" [stack]")) && maps.some((l) => l.endsWith(" [heap]")));
  assert.ok(maps.some((l) => / r-xp .* \/bin\/procfs_ops$/.test(l)), "the text segment");

  // cmdline and environ: NUL separated (shown as ^@), as exec laid them out.
  assert.ok(body(f, "cat /proc/self/cmdline").startsWith("/bin/procfs_ops^@cat:/proc/self/stat^@"));
  assert.equal(body(f, "cat /proc/self/environ"), "PATH=/bin^@HOME=/^@TSIXTEST=yes^@");
  assert.equal(lineValue(r.out, ">> link /proc/self/exe="), "/bin/procfs_ops");
  assert.equal(lineValue(r.out, ">> link /proc/self/cwd="), "/");
  assert.equal(lineValue(r.out, ">> link /proc/self/root="), "/");
  assert.equal(lineValue(r.out, ">> link /proc/self="), "1");
  assert.equal(lineValue(r.out, ">> link /proc/thread-self="), "1/task/1");
  const fds = body(f, "ls /proc/self/fd").split("\n");
  for (const n of ["0", "1", "2"]) assert.ok(fds.includes(n), `fd ${n} listed`);
  assert.equal(lineValue(r.out, ">> link /proc/self/fd/1="), "/dev/console");
  assert.match(body(f, "cat /proc/self/fdinfo/1"), /^pos:\t\d+\nflags:\t0[0-7]*2\nmnt_id:\t\d+\nino:\t\d+\n$/);
  assert.equal(body(f, "ls /proc/self/task"), "1");
  assert.equal(statFields(body(f, "cat /proc/self/task/1/stat").trim()).length, 52);
  assert.equal(body(f, "cat /proc/self/comm"), "procfs_ops\n");
  const limits = body(f, "cat /proc/self/limits").split("\n");
  assert.equal(limits[0], "Limit                     Soft Limit           Hard Limit           Units     ");
  assert.equal(limits[4], "Max stack size            8388608              unlimited            bytes     ");
  assert.equal(body(f, "cat /proc/self/wchan"), "0", "running: no wait channel");
  assert.match(body(f, "cat /proc/self/sched"), /nr_voluntary_switches +: +\d+/);
  assert.equal(body(f, "cat /proc/1/oom_score_adj"), "0\n");
});

test("/proc/PID of another process: state, parent, wait channel, listing, and gone after reaping", { skip: skipNoCc }, async () => {
  const r = await runProg("procfs_ops", [
    "child", "cat:/proc/%c/stat", "cat:/proc/%c/status", "cat:/proc/%c/wchan", "ls:/proc", "ls:/proc/%c/task",
    "write:/proc/%c/oom_score_adj:500", "cat:/proc/%c/oom_score_adj", "cat:/proc/%c/oom_score",
    "write:/proc/%c/oom_score_adj:1001", "reap", "open:/proc/%c/stat", "cat:/proc/self/status",
  ]);
  assert.equal(r.status, 0, r.out + r.log);
  const child = Number(/child=(\d+)/.exec(r.out)![1]);
  const f = frames(r.out);
  const st = statFields(body(f, `cat /proc/${child}/stat`).trim());
  assert.equal(st[0], String(child));
  assert.equal(st[2], "S", "blocked in read(): sleeping");
  assert.equal(st[3], "1", "parent is PID 1");
  assert.equal(st[34], "1", "wchan field: waiting");
  const s = statusMap(body(f, `cat /proc/${child}/status`));
  assert.equal(s.get("State"), "S (sleeping)");
  assert.equal(s.get("PPid"), "1");
  assert.notEqual(body(f, `cat /proc/${child}/wchan`), "0", "a wait channel is named");
  const pids = body(f, "ls /proc").split("\n").filter((x) => /^\d+$/.test(x));
  assert.deepEqual(pids, ["1", String(child)]);
  assert.equal(body(f, `ls /proc/${child}/task`), String(child));
  assert.equal(lineValue(r.out, `>> write /proc/${child}/oom_score_adj = `), "3");
  assert.equal(body(f, `cat /proc/${child}/oom_score_adj`), "500\n");
  assert.ok(Number(body(f, `cat /proc/${child}/oom_score`)) >= 500, "the badness includes the adjustment");
  assert.equal(lineValue(r.out, `>> write /proc/${child}/oom_score_adj = `.replace("= ", "= ")), "3");
  assert.ok(r.out.includes(`>> write /proc/${child}/oom_score_adj = ${EINVAL}`), "out of range");
  assert.equal(lineValue(r.out, `>> open /proc/${child}/stat = `), String(ENOENT), "a reaped process has no directory");
  assert.match(r.out, />> reaped \d+ status 7/);
  assert.ok(Number(statusMap(body(f, "cat /proc/self/status")).get("voluntary_ctxt_switches")) > 0, "PID 1 blocked in wait4");
});

test("system files: meminfo, stat, uptime, loadavg, cpuinfo, mounts, mountinfo, filesystems, version, interrupts", { skip: skipNoCc }, async () => {
  const r = await runProg("procfs_ops", [
    "spin:30", "cat:/proc/meminfo", "cat:/proc/stat", "cat:/proc/uptime", "cat:/proc/loadavg", "cat:/proc/cpuinfo",
    "cat:/proc/mounts", "cat:/proc/self/mountinfo", "cat:/proc/filesystems", "cat:/proc/version", "cat:/proc/interrupts",
    "cat:/proc/vmstat", "cat:/proc/tty/drivers", "link:/proc/mounts", "cat:/proc/tsix/runqueue",
  ], { cpus: 2 });
  assert.equal(r.status, 0, r.out + r.log);
  const f = frames(r.out);
  const mem = body(f, "cat /proc/meminfo").trimEnd().split("\n");
  const memv = new Map<string, number>();
  for (const l of mem) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)( kB)?$/.exec(l);
    assert.ok(m, `meminfo line ${JSON.stringify(l)}`);
    memv.set(m[1], Number(m[2]));
  }
  assert.ok(mem[0].startsWith("MemTotal:        ") && /^MemTotal: +\d+ kB$/.test(mem[0]), "label padded to 16, value to 8");
  assert.deepEqual(mem.slice(0, 5).map((l) => l.split(":")[0]), ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached"]);
  assert.ok(memv.get("MemTotal")! <= 65536 && memv.get("MemTotal")! > 60000);
  assert.ok(memv.get("MemFree")! < memv.get("MemTotal")!);
  assert.ok(memv.has("SwapTotal") && memv.has("SwapFree") && memv.has("Shmem") && memv.has("SReclaimable"));

  const stat = body(f, "cat /proc/stat").trimEnd().split("\n");
  assert.match(stat[0], /^cpu  \d+ 0 \d+ \d+ 0 0 0 0 0 0$/, "the aggregate line has two spaces and 10 fields");
  assert.match(stat[1], /^cpu0 \d+ 0 \d+ \d+ 0 0 0 0 0 0$/);
  assert.match(stat[2], /^cpu1 /, "one line per CPU");
  const user = Number(stat[0].split(/ +/)[1]);
  assert.ok(user >= 2, `30M instructions of user time are >= 2 ticks (got ${user})`);
  const keys = stat.map((l) => l.split(" ")[0]);
  for (const k of ["intr", "ctxt", "btime", "processes", "procs_running", "procs_blocked"]) assert.ok(keys.includes(k), k);
  assert.ok(Number(stat.find((l) => l.startsWith("ctxt "))!.split(" ")[1]) >= 1);
  assert.match(body(f, "cat /proc/uptime"), /^\d+\.\d\d \d+\.\d\d\n$/);
  assert.match(body(f, "cat /proc/loadavg"), /^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+\n$/);
  const cpuinfo = body(f, "cat /proc/cpuinfo");
  assert.equal((cpuinfo.match(/^processor\t: \d+$/gm) ?? []).length, 2);
  assert.match(cpuinfo, /^isa\t\t: rv64imafdc/m);
  assert.match(cpuinfo, /^mmu\t\t: sv39$/m);
  const mounts = body(f, "cat /proc/mounts");
  assert.match(mounts, /^proc \/proc proc rw,nosuid,nodev,noexec,relatime 0 0$/m);
  assert.match(mounts, /^sysfs \/sys sysfs rw,nosuid,nodev,noexec,relatime 0 0$/m);
  assert.match(mounts, /^\S+ \/ \S+ rw\S* 0 0$/m, "the root");
  assert.equal(lineValue(r.out, ">> link /proc/mounts="), "self/mounts");
  for (const l of body(f, "cat /proc/self/mountinfo").trimEnd().split("\n")) {
    assert.match(l, /^\d+ \d+ \d+:\d+ \/\S* \/\S* [a-z,]+ - \S+ \S+ r[ow](,[a-z_]+=\w+)*$/, `mountinfo: ${l}`);
  }
  const fsl = body(f, "cat /proc/filesystems");
  assert.match(fsl, /^nodev\tproc$/m);
  assert.match(fsl, /^nodev\tsysfs$/m);
  assert.match(body(f, "cat /proc/version"), /^Linux version \S+ /);
  const intr = body(f, "cat /proc/interrupts").split("\n");
  assert.match(intr[0], /^ +CPU0 +CPU1 *$/);
  assert.ok(intr.some((l) => /riscv-timer/.test(l)));
  assert.match(body(f, "cat /proc/vmstat"), /^pgfault \d+$/m);
  assert.match(body(f, "cat /proc/tty/drivers"), /^serial +\/dev\/ttyS +4 64-67 serial$/m);
  assert.match(body(f, "cat /proc/tsix/runqueue"), new RegExp(`^policy ${DEFAULT_POLICY} preemptive$`, "m"));
});

test("/proc/sys: switching the scheduling policy and overcommit mode at run time; root only", { skip: skipNoCc }, async () => {
  const r = await runProg("procfs_ops", [
    "cat:/proc/sys/kernel/sched_policy", "cat:/proc/sys/kernel/sched_policies", "write:/proc/sys/kernel/sched_policy:fcfs",
    "cat:/proc/sys/kernel/sched_policy", "write:/proc/sys/kernel/sched_policy:nosuch",
    "write:/proc/sys/vm/overcommit_memory:2", "cat:/proc/sys/vm/overcommit_memory", "write:/proc/sys/vm/overcommit_memory:3",
    "write:/proc/sys/kernel/hostname:box", "cat:/proc/sys/kernel/hostname", "cat:/proc/sys/kernel/pid_max",
    "cat:/proc/sys/kernel/osrelease", "ls:/proc/sys/vm",
    "setuid:1000", "write:/proc/sys/vm/overcommit_memory:1", "write:/proc/sys/kernel/sched_policy:rr",
  ]);
  assert.equal(r.status, 0, r.out + r.log);
  const f = frames(r.out);
  assert.equal(body(f, "cat /proc/sys/kernel/sched_policy"), "fcfs\n", "the last read (after the switch)");
  assert.match(body(f, "cat /proc/sys/kernel/sched_policies"), /\brr\b.*\bfcfs\b/);
  assert.equal(policyName(r.k), "fcfs", "the run queues use the new policy");
  assert.ok(r.k.cpus.every((c) => c.rq.cls === "fcfs"), "every hart's queue");
  assert.ok(r.log.includes(`sched: policy ${DEFAULT_POLICY} -> fcfs`), r.log);
  assert.ok(r.out.includes(`>> write /proc/sys/kernel/sched_policy = ${EINVAL}`));
  assert.equal(r.k.mmctx.vm.overcommitMemory, 2, "the memory manager reads the mode from its own settings");
  assert.equal(body(f, "cat /proc/sys/vm/overcommit_memory"), "2\n");
  assert.ok(r.out.includes(`>> write /proc/sys/vm/overcommit_memory = ${EINVAL}`), "3 is out of range");
  assert.equal(body(f, "cat /proc/sys/kernel/hostname"), "box\n");
  assert.equal(body(f, "cat /proc/sys/kernel/pid_max"), "4194304\n");
  const vmFiles = body(f, "ls /proc/sys/vm").split("\n");
  assert.ok(vmFiles.includes("overcommit_ratio") && vmFiles.includes("min_free_kbytes"), vmFiles.join(" "));
  // Knobs with no mechanism behind them are not offered (swap readahead is not done);
  // panic_on_oom has one now (mm/oom.ts), and swappiness (global reclaim weighs anon against file pages by it).
  for (const gone of ["page_cluster", "drop_caches"]) assert.ok(!vmFiles.includes(gone), gone);
  assert.ok(vmFiles.includes("panic_on_oom") && vmFiles.includes("swappiness"));
  // After setuid(1000): the 0644 root files refuse writes.
  assert.ok(r.out.includes(`>> write /proc/sys/vm/overcommit_memory = ${EACCES}`), r.out);
  assert.ok(r.out.includes(`>> write /proc/sys/kernel/sched_policy = ${EACCES}`));
  assert.equal(policyName(r.k), "fcfs");
});

test("permissions: other users' environ, fd/ and exe are not readable; oom_score_adj may not go below its floor (oom_score_adj_min, 0 unless root set it)", { skip: skipNoCc }, async () => {
  const r = await runProg("procfs_ops", [
    "child", "setuid:1000", "cat:/proc/%c/environ", "ls:/proc/%c/fd", "link:/proc/%c/exe", "cat:/proc/%c/status",
    "cat:/proc/%c/cmdline", "write:/proc/%c/oom_score_adj:100", "write:/proc/self/oom_score_adj:300",
    "write:/proc/self/oom_score_adj:-100", "cat:/proc/self/oom_score_adj", "cat:/proc/self/environ", "reap",
  ]);
  assert.equal(r.status, 0, r.out + r.log);
  const child = Number(/child=(\d+)/.exec(r.out)![1]);
  const f = frames(r.out);
  assert.equal(f.get(`cat /proc/${child}/environ`)?.result, EACCES);
  assert.equal(f.get(`ls /proc/${child}/fd`)?.result, EACCES);
  assert.equal(lineValue(r.out, `>> link /proc/${child}/exe=`), String(EACCES));
  assert.ok(body(f, `cat /proc/${child}/status`).includes("Uid:\t0\t0\t0\t0"), "status stays readable");
  assert.ok(body(f, `cat /proc/${child}/cmdline`).startsWith("/bin/procfs_ops^@"), "cmdline stays readable");
  assert.ok(r.out.includes(`>> write /proc/${child}/oom_score_adj = ${EACCES}`));
  assert.equal(lineValue(r.out, ">> write /proc/self/oom_score_adj = "), "3");
  assert.ok(r.out.includes(`>> write /proc/self/oom_score_adj = ${EACCES}`), "lowering below oom_score_adj_min needs CAP_SYS_RESOURCE (Linux's __set_oom_adj)");
  assert.equal(body(f, "cat /proc/self/oom_score_adj"), "300\n");
  assert.equal(body(f, "cat /proc/self/environ"), "PATH=/bin^@HOME=/^@TSIXTEST=yes^@", "one's own environ is fine");
});

test("magic links: /proc/self/fd/N reopens the same file; /proc/self/exe opens the program", { skip: skipNoCc }, async () => {
  const r = await runProg("procfs_ops", ["fdwrite:1:through-proc-fd\n", "open:/proc/self/exe", "open:/proc/self/fd/9"]);
  assert.equal(r.status, 0, r.out + r.log);
  assert.ok(r.out.includes("through-proc-fd"), r.out);
  assert.ok(Number(lineValue(r.out, ">> open /proc/self/exe = ")) >= 3);
  assert.equal(lineValue(r.out, ">> open /proc/self/fd/9 = "), String(ENOENT));
});

test("sysfs: CPU topology for os.cpu_count and nproc; the cgroup mount point", { skip: skipNoCc }, async () => {
  const r = await runProg("procfs_ops", [
    "cat:/sys/devices/system/cpu/online", "cat:/sys/devices/system/cpu/possible", "cat:/sys/devices/system/cpu/present",
    "ls:/sys/devices/system/cpu", "cat:/sys/devices/system/cpu/cpu2/online", "ls:/sys/fs/cgroup",
    "cat:/sys/devices/system/clocksource/clocksource0/current_clocksource", "ls:/sys/class/tty", "cat:/sys/class/tty/ttyS0/dev",
    "open:/sys/devices/system/cpu/cpu4",
  ], { cpus: 3 });
  assert.equal(r.status, 0, r.out + r.log);
  const f = frames(r.out);
  for (const n of ["online", "possible", "present"]) assert.equal(body(f, `cat /sys/devices/system/cpu/${n}`), "0-2\n");
  const cpus = body(f, "ls /sys/devices/system/cpu").split("\n");
  for (const c of ["cpu0", "cpu1", "cpu2", "online"]) assert.ok(cpus.includes(c), c);
  assert.equal(body(f, "cat /sys/devices/system/cpu/cpu2/online"), "1\n");
  assert.equal(f.get("ls /sys/fs/cgroup")?.result, 0, "an empty directory");
  assert.ok(body(f, "ls /sys/class/tty").split("\n").includes("ttyS0"));
  assert.equal(body(f, "cat /sys/class/tty/ttyS0/dev"), "4:64\n");
  assert.equal(lineValue(r.out, ">> open /sys/devices/system/cpu/cpu4 = "), String(ENOENT));
  void makedev;
});

test("dmesg: syslog(2) READ_ALL returns the kernel log, CLEAR empties it; /proc/kmsg is root's stream", { skip: skipNoCc }, async () => {
  const r = await runProg("procfs_ops", ["dmesg", "kmsg-nb", "kmsg-nb", "dmesg-clear", "dmesg", "setuid:1000", "dmesg-clear", "kmsg-nb"]);
  assert.equal(r.status, 0, r.out + r.log);
  const dm = [...r.out.matchAll(/>> dmesg (\d+)\n([\s\S]*?)\n?<< (-?\d+)\n/g)];
  assert.equal(dm.length, 2);
  assert.ok(Number(dm[0][1]) >= 4096, "SIZE_BUFFER");
  assert.match(dm[0][2], /^<6>\[ +\d+\.\d{6}\] vfs: unpacked \d+ initramfs entries$/m);
  assert.equal(dm[1][3], "0", "nothing after CLEAR");
  const km = [...r.out.matchAll(/>> kmsg-nb\n([\s\S]*?)\n?<< (-?\d+)\n/g)];
  assert.match(km[0][1], /vfs: unpacked/, "the first read returns the log");
  assert.equal(km[1][2], "-11", "then EAGAIN for a non-blocking reader");
  assert.equal(km[2][2], String(EACCES), "not for other users");
  assert.ok(r.out.includes(">> dmesg-clear = 0") && r.out.includes(">> dmesg-clear = -1"), "CLEAR needs root (EPERM)");
  void ESRCH;
});
