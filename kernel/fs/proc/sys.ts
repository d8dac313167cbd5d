// /proc/sys: kernel tunables (sysctl). The policies of the kernel are switched
// here at run time: the scheduling policy (kernel/sched_policy, any name in
// POLICIES), the overcommit mode (vm/overcommit_memory 0/1/2, with
// vm/overcommit_ratio or vm/overcommit_kbytes). Every writable file is read
// by the mechanism it names; a setting with nothing to act on is not offered
// (ENOENT) rather than kept as a knob nothing reads (vm/swappiness is read
// by global reclaim, mm/reclaim.ts, to weigh anonymous against file pages). Values live where the subsystem that uses them reads
// them: the memory manager's settings in k.mmctx.vm (mm/vmstate.ts) and
// k.pm.minFree, the rest in one typed record, k.sysctl (Sysctl below, made
// at boot with Linux's defaults: fork reads threadsMax, pid allocation
// pidMax, mmap mmapMinAddr, open fileMax...); hostname and domainname are
// k.sysinfo.uts. Writes need root (the files are 0644 root), as in Linux.
//
// The scheduler's settings (k.schedSettings, kernel/sched/class.ts) are the
// kernel/sched_* files of SCHED_SYSCTLS below, with Linux's names where Linux
// has the setting and tsix names for the teaching policies; a bad value is
// EINVAL and changes nothing. `tsix run --sysctl NAME=VALUE` sets them at boot
// through writeSchedSysctl, which also takes vm.asid_max (the ASIDs the
// kernel hands out, mm/asid.ts) so a benchmark can compare with them off.
//
// Concepts: C07 (mechanism vs policy: policies switched through /proc/sys),
// C29 (scheduling policy), C56 (overcommit, OOM policy).
import type { Kernel } from "../../kernel.js";
import type { Task } from "../../proc/task.js";
import { POLICIES, defaultSchedSettings, type SchedSettings } from "../../sched/sched.js";
import { policyName, setPolicy } from "../../sched/core.js";
import { logInfo } from "../../log.js";
import { REPLACEMENT_POLICIES, replacementPolicyIndex } from "../../mm/replace.js";

import { NR_OPEN, DEFAULT_THREADS_MAX } from "../../proc/rlimit.js";
import { EINVAL, EPERM, ENOENT } from "../../abi/errno.js";
import { type PNode, type PCtx, pfile, staticDir } from "./node.js";
import { uts } from "./info.js";
import { syslogState } from "./kmsg.js";
import { DEFAULT_MMAP_MIN_ADDR } from "../../mm/mm.js";
import { fileMax, filesStat } from "../file_table.js";
import { inotifyState } from "../fsnotify.js";
import { randomBytes } from "../../lib/random.js";
import { PAGE_SIZE } from "../../mm/phys.js";
import { ASID_HW_MAX, asidSetMax } from "../../mm/asid.js";

/** The numeric sysctls: plain data in k.sysctl, one field per /proc/sys file that holds a number. */
export interface Sysctl {
  /** kernel.pid_max: new PIDs stay below it and wrap (proc/task.ts allocPid). */
  pidMax: number;
  /** kernel.threads_max: fork/clone fail with EAGAIN at this many tasks (proc/fork.ts). */
  threadsMax: number;
  /** kernel.dmesg_restrict: 1 = syslog(2) needs root (syscalls/tty.ts). */
  dmesgRestrict: number;
  /** vm.mmap_min_addr: MAP_FIXED below it needs root (syscalls/mm.ts). */
  mmapMinAddr: number;
  /** fs.file-max: open files beyond it fail with ENFILE for non-root (file.ts). */
  fileMax: number;
}

/** The settings of a fresh boot on a machine with `frames` pages of RAM (Linux's defaults). */
export function createSysctl(frames: number): Sysctl {
  return {
    pidMax: 4194304, threadsMax: DEFAULT_THREADS_MAX, dmesgRestrict: 0, mmapMinAddr: DEFAULT_MMAP_MIN_ADDR,
    // Linux's default: 10% of RAM at 1 KiB a file, at least 8192.
    fileMax: Math.max(8192, Math.floor((frames * (PAGE_SIZE / 1024)) / 10)),
  };
}

type NumKey = Exclude<keyof Sysctl, "fileMax">;
type Num = { key: NumKey; min: number; max: number };

function rootOnly(t: Task): number {
  return t.tg.creds.euid === 0 ? 0 : -EPERM;
}

/** A number stored in k.sysctl[key], range-checked on write. */
function numFile(n: Num, onSet?: (k: Kernel, v: number) => void): PNode {
  return pfile(0o644, (k) => `${k.sysctl[n.key]}\n`, (k: Kernel, _c: PCtx, t: Task, text: string) => {
    const r = rootOnly(t);
    if (r) return r;
    const s = text.trim();
    if (!/^-?\d+$/.test(s)) return -EINVAL;
    const v = parseInt(s, 10);
    if (v < n.min || v > n.max) return -EINVAL;
    k.sysctl[n.key] = v;
    onSet?.(k, v);
    return 0;
  });
}

type VmNum = "overcommitMemory" | "overcommitRatio" | "overcommitKbytes" | "oomKillAllocatingTask" | "panicOnOom" | "maxMapCount" | "thrashThreshold";

/** A number in the memory manager's settings (k.mmctx.vm), range-checked on write. */
function vmFile(field: VmNum, min: number, max: number, onSet?: (k: Kernel, v: number) => void): PNode {
  return pfile(0o644, (k) => `${k.mmctx.vm[field]}\n`, (k: Kernel, _c: PCtx, t: Task, text: string) => {
    const r = rootOnly(t);
    if (r) return r;
    const s = text.trim();
    if (!/^-?\d+$/.test(s)) return -EINVAL;
    const v = parseInt(s, 10);
    if (v < min || v > max) return -EINVAL;
    k.mmctx.vm[field] = v;
    onSet?.(k, v);
    return 0;
  });
}

/** vm.asid_max's value from `text`: 0..ASID_HW_MAX, or -1 when it is not one. */
function parseAsidMax(text: string): number {
  const s = text.trim();
  if (!/^\d+$/.test(s)) return -1;
  const v = Number(s);
  return v > ASID_HW_MAX ? -1 : v;
}

/** vm.asid_max (tsix): a new value starts a new ASID generation (mm/asid.ts asidSetMax). */
const asidMax: PNode = pfile(0o644, (k) => `${k.mmctx.vm.asid.max}\n`, (k, _c, t, text) => {
  const r = rootOnly(t);
  if (r) return r;
  const v = parseAsidMax(text);
  if (v < 0) return -EINVAL;
  asidSetMax(k.mmctx.vm.asid, v);
  return 0;
});

/** The vm settings `--sysctl` also takes (the one that is the machine's business more than the scheduler's). */
const BOOT_VM_SYSCTLS = ["vm.asid_max"];
const isAsidMax = (name: string): boolean => name === "vm.asid_max" || name === "vm/asid_max";

/** vm.min_free_kbytes: the frames kernel objects may not take (mm/kmem.ts's reserve), in kB. */
const minFreeKbytes: PNode = pfile(0o644, (k) => `${k.pm.minFree * 4}\n`, (k, _c, t, text) => {
  const r = rootOnly(t);
  if (r) return r;
  const s = text.trim();
  if (!/^\d+$/.test(s)) return -EINVAL;
  const pages = Math.ceil(Number(s) / 4);
  // Linux caps it well below RAM; a reserve of all memory would stop every allocation.
  if (pages > Math.floor(k.pm.frames / 2)) return -EINVAL;
  k.pm.minFree = pages;
  return 0;
});

/** vm.replacement_policy (tsix): a name of REPLACEMENT_POLICIES; EINVAL for any other. */
/** vm.swappiness: 0..200 (EINVAL outside), the anonymous share of global reclaim (mm/reclaim.ts shrink). */
const swappiness: PNode = pfile(0o644, (k) => `${k.mmctx.vm.swap.swappiness}\n`, (k, _c, t, text) => {
  const r = rootOnly(t);
  if (r) return r;
  const s = text.trim();
  if (!/^-?\d+$/.test(s)) return -EINVAL;
  const v = parseInt(s, 10);
  if (v < 0 || v > 200) return -EINVAL;
  k.mmctx.vm.swap.swappiness = v;
  return 0;
});

/** vm.page-cluster: 0..31 (EINVAL outside, as Linux since 6.1), the log2 of the swap readahead cluster (mm/swap.ts readAround). */
const pageCluster: PNode = pfile(0o644, (k) => `${k.mmctx.vm.swap.pageCluster}\n`, (k, _c, t, text) => {
  const r = rootOnly(t);
  if (r) return r;
  const s = text.trim();
  if (!/^-?\d+$/.test(s)) return -EINVAL;
  const v = parseInt(s, 10);
  if (v < 0 || v > 31) return -EINVAL;
  k.mmctx.vm.swap.pageCluster = v;
  return 0;
});

const replacementPolicy: PNode = pfile(0o644, (k) => `${REPLACEMENT_POLICIES[k.mmctx.vm.replacementPolicy]}\n`, (k, _c, t, text) => {
  const r = rootOnly(t);
  if (r) return r;
  const i = replacementPolicyIndex(text);
  if (i < 0) return -EINVAL;
  k.mmctx.vm.replacementPolicy = i;
  logInfo(k, `vm: replacement_policy = ${REPLACEMENT_POLICIES[i]}`);
  return 0;
});

const ro = (text: string | ((k: Kernel) => string)): PNode =>
  pfile(0o444, (k) => (typeof text === "string" ? text : text(k)));

function utsFile(field: "nodename" | "domainname"): PNode {
  return pfile(0o644, (k) => `${uts(k)[field]}\n`, (k, _c, t, text) => {
    const r = rootOnly(t);
    if (r) return r;
    const v = text.replace(/\n$/, "");
    if (v.length > 64) return -EINVAL; // a byte string: one char per byte
    k.sysinfo.uts[field] = v;
    return 0;
  });
}

/** kernel/sched_policy: the name of the scheduling policy; writing a name switches policy now. */
const schedPolicy: PNode = pfile(
  0o644,
  (k) => `${policyName(k)}\n`,
  (k, _c, t, text) => {
    const r = rootOnly(t);
    if (r) return r;
    const p = POLICIES.get(text.trim());
    if (!p) return -EINVAL;
    const old = policyName(k);
    if (p.name !== old) {
      setPolicy(k, p.name);
      logInfo(k, `sched: policy ${old} -> ${p.name}`);
    }
    return 0;
  },
);

/** A scheduler setting: how its file shows it and how a written text sets it (0, or -EINVAL leaving it unchanged). */
interface SchedSysctl {
  show(s: SchedSettings): string;
  set(s: SchedSettings, text: string): number;
}

/** A whole number in [min, max] of `unit` ns (ms files: 1e6; ns files: 1) kept in field `key`. */
function schedNum(key: "rrQuantumNs" | "sjfTau0Ns" | "mlfqBoostNs" | "latencyNs" | "minGranularityNs" | "wakeupGranularityNs" | "balanceIntervalNs" | "agingRate" | "mlfqLevels", unit: number, min: number, max: number): SchedSysctl {
  return {
    show: (s) => `${Math.round(s[key] / unit)}\n`,
    set(s, text) {
      const v = text.trim();
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) return -EINVAL;
      s[key] = Number(v) * unit;
      return 0;
    },
  };
}

const MAX_MLFQ_LEVELS = 8;

/** The scheduler's settings files under /proc/sys/kernel (also what --sysctl accepts). */
const SCHED_SYSCTLS: Record<string, SchedSysctl> = {
  // Linux: the SCHED_RR quantum; here also the quantum of the rr and prio policies and of SCHED_IDLE.
  sched_rr_timeslice_ms: schedNum("rrQuantumNs", 1e6, 1, 10_000),
  sched_latency_ns: schedNum("latencyNs", 1, 100_000, 1_000_000_000),
  sched_min_granularity_ns: schedNum("minGranularityNs", 1, 100_000, 1_000_000_000),
  sched_wakeup_granularity_ns: schedNum("wakeupGranularityNs", 1, 0, 1_000_000_000),
  sched_balance_interval_ms: schedNum("balanceIntervalNs", 1e6, 1, 10_000),
  sched_sjf_tau0_ms: schedNum("sjfTau0Ns", 1e6, 0, 100_000),
  sched_aging_rate: schedNum("agingRate", 1, 0, 1_000_000),
  sched_mlfq_boost_ms: schedNum("mlfqBoostNs", 1e6, 0, 1_000_000),
  // α as a decimal fraction from 0 to 1.
  sched_sjf_alpha: {
    show: (s) => `${s.sjfAlpha}\n`,
    set(s, text) {
      const v = text.trim();
      if (!/^(0|1)(\.\d+)?$|^\.\d+$/.test(v) || Number(v) > 1) return -EINVAL;
      s.sjfAlpha = Number(v);
      return 0;
    },
  },
  // More levels repeat the last quantum doubled; fewer drop the lowest.
  sched_mlfq_levels: {
    show: (s) => `${s.mlfqLevels}\n`,
    set(s, text) {
      const v = text.trim();
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_MLFQ_LEVELS) return -EINVAL;
      const n = Number(v);
      const q = s.mlfqQuantaNs.slice(0, n);
      while (q.length < n) q.push(q[q.length - 1] * 2);
      s.mlfqLevels = n;
      s.mlfqQuantaNs = q;
      return 0;
    },
  },
  // One quantum per level, top level first (ms, separated by spaces or commas); sets the number of levels too.
  sched_mlfq_quanta_ms: {
    show: (s) => s.mlfqQuantaNs.map((q) => Math.round(q / 1e6)).join(" ") + "\n",
    set(s, text) {
      const parts = text.trim().split(/[\s,]+/);
      if (parts.length < 1 || parts.length > MAX_MLFQ_LEVELS) return -EINVAL;
      if (!parts.every((x) => /^\d+$/.test(x) && Number(x) >= 1 && Number(x) <= 10_000)) return -EINVAL;
      s.mlfqQuantaNs = parts.map((x) => Number(x) * 1e6);
      s.mlfqLevels = parts.length;
      return 0;
    },
  },
};

/** The names `--sysctl` accepts (without the kernel. prefix). */
export function schedSysctlNames(): string[] {
  return Object.keys(SCHED_SYSCTLS);
}

/** Every scheduler setting as its /proc/sys/kernel file reads (name -> text without the newline). */
export function readSchedSysctls(k: Kernel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(SCHED_SYSCTLS)) out[name] = f.show(k.schedSettings).trimEnd();
  return out;
}

/**
 * Set scheduler setting `name` (`sched_rr_timeslice_ms`, also spelled
 * `kernel.sched_...` or `kernel/sched_...`) from `text`, as a root write to
 * its /proc/sys file would: 0, -ENOENT for no such setting, -EINVAL for a
 * bad value (nothing changes).
 */
export function writeSchedSysctl(k: Kernel, name: string, text: string): number {
  if (isAsidMax(name)) {
    const v = parseAsidMax(text);
    if (v < 0) return -EINVAL;
    asidSetMax(k.mmctx.vm.asid, v);
    return 0;
  }
  const key = name.replace(/^kernel[./]/, "");
  if (key === "sched_policy") return POLICIES.has(text.trim()) ? (setPolicy(k, text.trim()), 0) : -EINVAL;
  const f = Object.hasOwn(SCHED_SYSCTLS, key) ? SCHED_SYSCTLS[key] : undefined;
  if (!f) return -ENOENT;
  return f.set(k.schedSettings, text);
}

/**
 * Check a `--sysctl NAME=VALUE` before boot: null when a kernel would take
 * it, else a one-line reason with the remedy (for the CLI's usage error).
 */
export function checkSchedSysctl(name: string, text: string): string | null {
  if (isAsidMax(name)) return parseAsidMax(text) < 0 ? `bad value '${text}' for vm.asid_max (0 to ${ASID_HW_MAX}; 0 turns ASIDs off)` : null;
  const key = name.replace(/^kernel[./]/, "");
  const names = ["sched_policy", ...Object.keys(SCHED_SYSCTLS), ...BOOT_VM_SYSCTLS];
  if (!names.includes(key)) return `unknown setting '${name}' (settable: ${names.join(", ")})`;
  if (key === "sched_policy") return POLICIES.has(text.trim()) ? null : `unknown policy '${text}' (choose ${[...POLICIES.keys()].join(", ")})`;
  return SCHED_SYSCTLS[key].set(defaultSchedSettings(), text) === 0 ? null : `bad value '${text}' for ${key} (see docs/scheduling.md for its range)`;
}

function schedFiles(): Record<string, PNode> {
  const out: Record<string, PNode> = {};
  for (const [name, f] of Object.entries(SCHED_SYSCTLS)) {
    out[name] = pfile(0o644, (k) => f.show(k.schedSettings), (k, _c, t, text) => rootOnly(t) || f.set(k.schedSettings, text));
  }
  return out;
}

/** kernel/sched_policies: the policies one can switch to. */
const schedPolicies: PNode = ro(() => [...POLICIES.keys()].join(" ") + "\n");

function randomUuid(k: Kernel): string {
  const b = new Uint8Array(16);
  randomBytes(k.entropy, b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function bootId(k: Kernel): string {
  return (k.sysinfo.bootId ??= randomUuid(k));
}

const printk: PNode = pfile(0o644, (k) => `${syslogState(k).consoleLevel}\t4\t1\t7\n`, (k, _c, t, text) => {
  const r = rootOnly(t);
  if (r) return r;
  const v = parseInt(text.trim().split(/\s+/)[0], 10);
  if (!(v >= 1 && v <= 8)) return -EINVAL;
  syslogState(k).consoleLevel = v;
  return 0;
});

/**
 * kernel.shmmax (bytes) and kernel.shmall (pages): u64 limits read by shmget
 * (kernel/ipc/shm.ts), kept exact as bigints. Root may write 0..ULONG_MAX.
 */
function shmLimit(field: "shmmax" | "shmall"): PNode {
  return pfile(0o644, (k) => `${k.ipc.sysv.limits[field]}\n`, (k, _c, t, text) => {
    const r = rootOnly(t);
    if (r) return r;
    const s = text.trim();
    if (!/^\d+$/.test(s) || BigInt(s) > 0xffffffffffffffffn) return -EINVAL;
    k.ipc.sysv.limits[field] = BigInt(s);
    return 0;
  });
}

/**
 * kernel.msgmax, msgmnb, msgmni: System V message-queue limits, kept in
 * k.ipc.sysv.limits and read by msgget/msgsnd/msgctl (kernel/ipc/msg.ts);
 * kernel.shmmni, the most shared memory segments (kernel/ipc/shm.ts).
 * Root may write them (0..INT_MAX, as Linux's proc_dointvec_minmax).
 */
function ipcLimit(field: "msgmax" | "msgmnb" | "msgmni" | "shmmni"): PNode {
  return pfile(0o644, (k) => `${k.ipc.sysv.limits[field]}\n`, (k, _c, t, text) => {
    const r = rootOnly(t);
    if (r) return r;
    const s = text.trim();
    if (!/^\d+$/.test(s) || Number(s) > 0x7fffffff) return -EINVAL;
    k.ipc.sysv.limits[field] = Number(s);
    return 0;
  });
}

/**
 * fs.mqueue.*: POSIX message queue limits, kept in k.ipc.mq.limits and read
 * by mq_open (kernel/ipc/mqueue.ts). Root may write them within Linux's
 * bounds (ipc/mq_sysctl.c: msg 1..HARD_MSGMAX, msgsize 128..HARD_MSGSIZEMAX).
 */
function mqLimit(field: "msgMax" | "msgsizeMax" | "queuesMax" | "msgDefault" | "msgsizeDefault", min: number, max: number): PNode {
  return pfile(0o644, (k) => `${k.ipc.mq.limits[field]}\n`, (k, _c, t, text) => {
    const r = rootOnly(t);
    if (r) return r;
    const s = text.trim();
    if (!/^-?\d+$/.test(s) || Number(s) < min || Number(s) > max) return -EINVAL;
    k.ipc.mq.limits[field] = Number(s);
    return 0;
  });
}

/** fs.inotify.*: the limits fs/inotify.ts enforces (max_queued_events is taken by each new instance), 0..INT_MAX. */
function inotifyLimit(field: "maxWatches" | "maxInstances" | "maxQueued"): PNode {
  return pfile(0o644, (k) => `${inotifyState(k)[field]}\n`, (k, _c, t, text) => {
    const r = rootOnly(t);
    if (r) return r;
    const s = text.trim();
    if (!/^-?\d+$/.test(s) || Number(s) < 0 || Number(s) > 0x7fffffff) return -EINVAL;
    inotifyState(k)[field] = Number(s);
    return 0;
  });
}

/** kernel.sem: "SEMMSL SEMMNS SEMOPM SEMMNI", read by semget/semop (kernel/ipc/sem.ts). */
const semLimits: PNode = pfile(0o644, (k) => {
  const L = k.ipc.sysv.limits;
  return `${L.semmsl}\t${L.semmns}\t${L.semopm}\t${L.semmni}\n`;
}, (k, _c, t, text) => {
  const r = rootOnly(t);
  if (r) return r;
  const v = text.trim().split(/\s+/);
  if (v.length !== 4 || !v.every((x) => /^\d+$/.test(x) && Number(x) <= 0x7fffffff)) return -EINVAL;
  const [semmsl, semmns, semopm, semmni] = v.map(Number);
  if (semmni > 32768) return -EINVAL; // Linux: at most IPCMNI sets
  Object.assign(k.ipc.sysv.limits, { semmsl, semmns, semopm, semmni });
  return 0;
});

/** kernel/ctrl-alt-del: what reboot(2)'s CAD_ON / CAD_OFF set (Linux's C_A_D; 1 = reboot at once). */
const ctrlAltDel: PNode = pfile(0o644, (k) => `${k.cadReboot ? 1 : 0}\n`, (k, _c, t, text) => {
  const r = rootOnly(t);
  if (r) return r;
  const v = text.trim();
  if (!/^-?\d+$/.test(v)) return -EINVAL;
  k.cadReboot = Number(v) !== 0;
  return 0;
});

/** The /proc/sys tree. */
export const sysDir = staticDir({
  kernel: staticDir({
    hostname: utsFile("nodename"),
    domainname: utsFile("domainname"),
    ostype: ro((k) => `${uts(k).sysname}\n`),
    osrelease: ro((k) => `${uts(k).release}\n`),
    version: ro((k) => `${uts(k).version}\n`),
    pid_max: numFile({ key: "pidMax", min: 301, max: 4194304 }),
    threads_max: numFile({ key: "threadsMax", min: 20, max: 0x3fffffff }),
    sched_policy: schedPolicy,
    sched_policies: schedPolicies,
    ...schedFiles(),
    shmmax: shmLimit("shmmax"),
    shmall: shmLimit("shmall"),
    shmmni: ipcLimit("shmmni"),
    msgmax: ipcLimit("msgmax"),
    msgmnb: ipcLimit("msgmnb"),
    msgmni: ipcLimit("msgmni"),
    sem: semLimits,
    ngroups_max: ro("65536\n"),
    cap_last_cap: ro("40\n"),
    dmesg_restrict: numFile({ key: "dmesgRestrict", min: 0, max: 1 }),
    printk,
    "ctrl-alt-del": ctrlAltDel,
    tainted: ro("0\n"),
    overflowuid: ro("65534\n"),
    overflowgid: ro("65534\n"),
    random: staticDir({
      boot_id: ro((k) => bootId(k) + "\n"),
      uuid: ro((k) => randomUuid(k) + "\n"),
      entropy_avail: ro("256\n"),
      poolsize: ro("256\n"),
    }),
  }),
  vm: staticDir({
    // mmap/brk/mprotect/mremap/fork and stack growth obey it (mm/vmstate.ts vmAcct).
    overcommit_memory: vmFile("overcommitMemory", 0, 2, (k, v) => logInfo(k, `vm: overcommit_memory = ${v}`)),
    // CommitLimit's RAM part: a percentage, or kilobytes; setting one clears the other (as Linux).
    overcommit_ratio: vmFile("overcommitRatio", 0, 0x7fffffff, (k) => { k.mmctx.vm.overcommitKbytes = 0; }),
    overcommit_kbytes: vmFile("overcommitKbytes", 0, Number.MAX_SAFE_INTEGER, (k) => { k.mmctx.vm.overcommitRatio = 0; }),
    // mmap fails with ENOMEM past this many VMAs (mm/mm.ts mapRegion).
    max_map_count: vmFile("maxMapCount", 0, 0x7fffffff),
    min_free_kbytes: minFreeKbytes,
    // MAP_FIXED below it needs root (kernel/mm/mm.ts checkMmapAddr).
    mmap_min_addr: numFile({ key: "mmapMinAddr", min: 0, max: 0x7fffffff }),
    // The OOM killer takes the task whose fault failed instead of the worst one (mm/oom.ts).
    oom_kill_allocating_task: vmFile("oomKillAllocatingTask", 0, 1),
    // tsix addition: the page replacement policy of processes with a frame budget (mm/replace.ts).
    replacement_policy: replacementPolicy,
    swappiness,
    "page-cluster": pageCluster,
    // tsix addition: budget refaults per CPU second that the thrashing detector logs (0: off; mm/replace.ts).
    thrash_threshold: vmFile("thrashThreshold", 0, 0x7fffffff),
    // Out of memory stops the machine with a kernel panic instead of killing (mm/oom.ts).
    panic_on_oom: vmFile("panicOnOom", 0, 2),
    // tsix addition: ASIDs the allocator hands out (mm/asid.ts; 0: off, every switch flushes the TLB).
    asid_max: asidMax,
  }),
  fs: staticDir({
    // Open files in the system: the live count, 0 free, the limit (root may go past it; see file.ts).
    "file-max": pfile(0o644, (k) => `${fileMax(k)}\n`, (k, _c, t, text) => {
      const r = rootOnly(t);
      if (r) return r;
      const s = text.trim();
      if (!/^\d+$/.test(s)) return -EINVAL;
      k.sysctl.fileMax = Math.min(Number(s), Number.MAX_SAFE_INTEGER);
      return 0;
    }),
    "file-nr": ro((k) => `${filesStat(k).nr}\t0\t${fileMax(k)}\n`),
    nr_open: ro(`${NR_OPEN}\n`),
    "pipe-max-size": ro("1048576\n"),
    "pipe-user-pages-soft": ro("16384\n"),
    protected_symlinks: ro("1\n"),
    protected_hardlinks: ro("1\n"),
    mqueue: staticDir({
      msg_max: mqLimit("msgMax", 1, 65536),
      msgsize_max: mqLimit("msgsizeMax", 128, 16777216),
      queues_max: mqLimit("queuesMax", 0, 0x7fffffff),
      msg_default: mqLimit("msgDefault", 1, 65536),
      msgsize_default: mqLimit("msgsizeDefault", 128, 16777216),
    }),
    inotify: staticDir({
      max_user_watches: inotifyLimit("maxWatches"),
      max_user_instances: inotifyLimit("maxInstances"),
      max_queued_events: inotifyLimit("maxQueued"),
    }),
  }),
  net: staticDir({
    core: staticDir({ somaxconn: ro("4096\n") }),
    ipv4: staticDir({ ip_local_port_range: ro("32768\t60999\n") }),
  }),
});
