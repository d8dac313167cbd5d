// /proc/PID and /proc/PID/task/TID: the process table as files, in the exact
// formats ps, top, free, pgrep, python and glibc parse (proc(5)): stat (52
// fields), status, statm, maps, cmdline, environ, the exe/cwd/root magic
// links, fd/ and fdinfo/, comm, oom_score(_adj), wchan, limits, mountinfo,
// sched and schedstat. Times are clock ticks (USER_HZ = 100) derived from
// retired instructions (1 instruction = 10 ns of CPU time).
// Other users' environ, fd/, maps and magic links need ptrace-level access
// (same ids, or root), as in Linux.
//
// Concepts: C21 (the PCB as /proc/PID/status), C22 (State), C23 (context
// switch counts), C02 (utime/stime), C20/C57 (maps), C33 (task/), C66 (fd/),
// C56 (oom_score, oom_score_adj), C29 (sched).
import { policyName } from "../../sched/core.js";
import { taskSchedFields } from "../../sched/debug.js";
import type { Kernel } from "../../kernel.js";
import type { Task, ThreadGroup } from "../../proc/task.js";
import { mayInspect } from "./access.js";
import type { Dentry, File, Mount } from "../vfs.js";
import type { MM, Vma } from "../../mm/mm.js";
import { MAP_SHARED, MAP_ANONYMOUS, PROT_READ, PROT_WRITE, PROT_EXEC } from "../../abi/mman.js";
import { forEachPte } from "../../mm/pagetable.js";
import { copyin } from "../../mm/uaccess.js";
import { oomScore } from "../../mm/oom.js";
import { budgetReport, REPLACEMENT_POLICIES } from "../../mm/replace.js";
import { backingInfo } from "../../mm/backing.js";
import { mountList, mountPath, mountOptions } from "../mount.js";
import { sopsOf, fopsOf } from "../../lib/fsops.js";
import { displayPath } from "../namei.js";
import { major, minor } from "../fstypes.js";
import { EACCES, EINVAL, ENOENT, ESRCH } from "../../abi/errno.js";
import {
  type PCtx, type PNode, type PEntry, type PDir, pfile, pfileOps, plink, pdir, staticDir,
} from "./node.js";
import { PROC_MEM_FOPS } from "./mem.js";
import { mapsLine, showSmaps, showSmapsRollup, pageTablePages, swapEntries, PAGEMAP_FOPS, PTWALK_FOPS } from "./mmview.js";
import {
  PAGE_SIZE,
} from "../../mm/phys.js";
import {
  RLIMIT_RSS, RLIMIT_SIGPENDING, RLIM_INFINITY,
} from "../../abi/resource.js";
import { vtToArray } from "../../mm/vma_tree.js";

const PAGE = PAGE_SIZE;
/** Clock ticks per second as user space sees them (AT_CLKTCK, sysconf(_SC_CLK_TCK)). */
export const USER_HZ = 100;
/** Instructions per clock tick: one instruction is 10 ns, a tick is 10 ms. */
export const INSNS_PER_TICK = 1_000_000;

export function ticksOfInsns(n: number): number { return Math.floor(n / INSNS_PER_TICK); }
export function ticksOfNs(ns: number): number { return Math.floor(ns / (1e9 / USER_HZ)); }

// ------------------------------------------------------------ helpers

interface AcctLike { utime: number; stime: number; minFlt: number; majFlt: number; nvcsw: number; nivcsw: number }

/** Usage of a process's already-exited threads and of its reaped children (when tracked). */
function acctOf(tg: ThreadGroup): { self: AcctLike | null; children: AcctLike | null } {
  const x = tg as unknown as { acct?: AcctLike; cacct?: AcctLike };
  return { self: x.acct ?? null, children: x.cacct ?? null };
}

export function ctxGroup(k: Kernel, c: PCtx): ThreadGroup | undefined {
  return k.groups.get(c.pid);
}

/** The thread a context names (the main thread for /proc/PID), if alive. */
export function ctxTask(k: Kernel, c: PCtx): Task | undefined {
  const tg = k.groups.get(c.pid);
  if (!tg) return undefined;
  const t = k.tasks.get(c.tid);
  if (t && t.tg === tg) return t;
  return c.tid === c.pid ? tg.threads[0] : undefined;
}

export { mayInspect };

const inspectOnly = (k: Kernel, c: PCtx, t: Task): number => {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  return mayInspect(t, tg) ? 0 : -EACCES;
};

/** The state letter of a thread (or a process: its main thread). */
function stateOf(tg: ThreadGroup, t: Task | undefined): string {
  if (tg.zombie) return "Z";
  if (!t) return "X";
  if (t.state === "T" || tg.stopped) return "T";
  return t.state;
}

const STATE_NAMES: Record<string, string> = {
  R: "R (running)", S: "S (sleeping)", D: "D (disk sleep)", T: "T (stopped)", t: "t (tracing stop)",
  Z: "Z (zombie)", X: "X (dead)", I: "I (idle)",
};

function hex16(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, "0");
}

function sigMasks(tg: ThreadGroup): { ign: bigint; cgt: bigint } {
  let ign = 0n, cgt = 0n;
  for (let s = 1; s <= 64; s++) {
    const a = tg.sighand.actions[s];
    if (!a) continue;
    if (a.handler === 1) ign |= 1n << BigInt(s - 1);
    else if (a.handler > 1) cgt |= 1n << BigInt(s - 1);
  }
  return { ign, cgt };
}

/** Memory figures of an address space, from its VMAs and present PTEs (pages). */
export interface MemFigures {
  size: number; rss: number; anon: number; file: number; shmem: number;
  data: number; stack: number; exe: number; lib: number; pte: number; swap: number;
  startCode: number; endCode: number; startData: number; endData: number;
}

function isStack(v: Vma): boolean {
  return v.name === "[stack]" || (v.flags & 0x100) !== 0; // MAP_GROWSDOWN
}

export function memFigures(k: Kernel, mm: MM | null, exe: string): MemFigures {
  const f: MemFigures = {
    size: 0, rss: 0, anon: 0, file: 0, shmem: 0, data: 0, stack: 0, exe: 0, lib: 0, pte: 0, swap: 0,
    startCode: 0, endCode: 0, startData: 0, endData: 0,
  };
  if (!mm || !mm.root) return f;
  const bt = k.mmctx.vm.backings;
  for (const v of vtToArray(mm.vmaTree)) {
    const file = v.backing ? backingInfo(bt, v.backing) : null;
    const pages = (v.end - v.start) / PAGE;
    f.size += pages;
    const shared = (v.flags & MAP_SHARED) !== 0;
    if (isStack(v)) f.stack += pages;
    else if ((v.prot & PROT_WRITE) && !shared) f.data += pages;
    if ((v.prot & PROT_EXEC) && file) {
      if (file.path === exe) {
        f.exe += pages;
        if (!f.startCode) f.startCode = v.start;
        f.endCode = Math.max(f.endCode, v.end);
      } else {
        f.lib += pages;
      }
    }
    if (file && file.path === exe && (v.prot & PROT_WRITE) && !f.startData) { f.startData = v.start; f.endData = v.end; }
    let present = 0;
    forEachPte(k.pm, mm.root, v.start, v.end, () => { present++; });
    if (shared && (v.flags & MAP_ANONYMOUS || !file || file.ino === 0)) f.shmem += present;
    else if (file && !(v.flags & MAP_ANONYMOUS)) f.file += present;
    else f.anon += present;
  }
  f.rss = f.anon + f.file + f.shmem;
  // Every table page of the address space (root, level 1 and level 0), as Linux's mm_pgtables_bytes.
  f.pte = pageTablePages(k.pm, mm.root);
  f.swap = swapEntries(k.pm, mm);
  return f;
}

/** A user-memory range of a process ("arg_start..arg_end"), or null when unreadable. */
function readUserRange(k: Kernel, mm: MM | null, start: number, end: number, max = 1 << 20): Uint8Array | null {
  if (!mm || !mm.root || end <= start) return null;
  const len = Math.min(end - start, max);
  const b = new Uint8Array(len);
  return copyin(k.mmctx, mm, start, b) < 0 ? null : b;
}

function nulJoin(parts: string[]): string {
  return parts.length ? parts.join("\0") + "\0" : "";
}

/** Path of a dentry as `reader` sees it. */
export function readerPath(reader: Task, d: Dentry): string {
  if (!d.parent && d.name !== "/") return d.name; // pipe:[N], socket:[N], anon_inode:[...]
  const root = reader.fs?.root;
  if (root) return displayPath(d, root);
  const parts: string[] = [];
  let cur: Dentry | null = d;
  while (cur && cur.parent) { parts.unshift(cur.name); cur = cur.parent; }
  return "/" + parts.join("/");
}

/** What /proc/PID/fd/N shows for an open file. */
export function fileLinkText(reader: Task, f: File): string {
  const p = readerPath(reader, f.dentry);
  const S_IFMT = 0o170000, S_IFDIR = 0o040000;
  if (f.inode.nlink === 0 && (f.inode.mode & S_IFMT) !== S_IFDIR && f.dentry.parent) return p + " (deleted)";
  return p;
}

function threadsOf(tg: ThreadGroup, c: PCtx, k: Kernel): Task[] {
  if (c.tid !== c.pid || !tg) {
    const t = ctxTask(k, c);
    return t ? [t] : [];
  }
  return tg.threads;
}

/** CPU usage in instructions: the context's thread, or the whole process. */
function cpuInsns(k: Kernel, tg: ThreadGroup, c: PCtx): { utime: number; stime: number; minflt: number; majflt: number; nvcsw: number; nivcsw: number } {
  const r = { utime: 0, stime: 0, minflt: 0, majflt: 0, nvcsw: 0, nivcsw: 0 };
  const whole = c.tid === c.pid && !c.fd && isProcessCtx(c);
  for (const t of whole ? tg.threads : threadsOf(tg, c, k)) {
    r.utime += t.utime; r.stime += t.stime; r.minflt += t.minFlt; r.majflt += t.majFlt;
    r.nvcsw += t.nvcsw; r.nivcsw += t.nivcsw;
  }
  const a = acctOf(tg).self;
  if (whole && a) {
    r.utime += a.utime; r.stime += a.stime; r.minflt += a.minFlt; r.majflt += a.majFlt;
    r.nvcsw += a.nvcsw; r.nivcsw += a.nivcsw;
  }
  return r;
}

/** /proc/PID (whole process) vs /proc/PID/task/TID (one thread): the task dirs set fd = -1. */
function isProcessCtx(c: PCtx): boolean {
  return c.fd !== -1;
}

/** ",OPTIONS" of a mount's file system for mountinfo's super options, or "". */
function fsOptions(m: Mount): string {
  const o = sopsOf(m.sb).showOptions?.(m.sb);
  return o ? `,${o}` : "";
}

function ttyForegroundPgrp(k: Kernel, ttyId: number): number {
  if (!ttyId) return -1;
  const tty = k.tty.ttys.get(ttyId);
  return tty && tty.pgrp ? tty.pgrp : -1;
}

const U64_MAX = "18446744073709551615";

function u64(v: number): string {
  return v >= 2 ** 64 - 1 ? U64_MAX : String(Math.max(0, Math.floor(v)));
}

// ------------------------------------------------------------ files

/** /proc/PID/stat: 52 space-separated fields (proc(5)). */
export function showStat(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c) ?? tg.threads[0];
  const mm = t?.mm ?? null;
  const cpu = cpuInsns(k, tg, c);
  const acc = acctOf(tg).children;
  const mf = memFigures(k, mm, tg.exe);
  const { ign, cgt } = sigMasks(tg);
  const nice = t?.sched.nice ?? 0;
  const policy = t?.sched.policy ?? 0;
  const rtprio = t?.sched.rtPriority ?? 0;
  const priority = policy === 1 || policy === 2 ? -1 - rtprio : 20 + nice;
  const rsslim = tg.rlimits[RLIMIT_RSS]?.cur ?? RLIM_INFINITY;
  const exitCode = tg.zombie && tg.exitStatus !== null ? tg.exitStatus : 0;
  const pending = (t?.pending ?? 0n) | tg.sharedPending;
  const comm = (c.tid !== c.pid && t ? t.comm : tg.comm) || tg.comm;
  const f: (string | number)[] = [
    c.tid !== c.pid ? c.tid : tg.pid,         // 1 pid
    `(${comm})`,                              // 2 comm
    stateOf(tg, t),                           // 3 state
    tg.parent ? tg.parent.pid : 0,            // 4 ppid
    tg.pgid,                                  // 5 pgrp
    tg.sid,                                   // 6 session
    tg.tty,                                   // 7 tty_nr
    ttyForegroundPgrp(k, tg.tty),             // 8 tpgid
    tg.threads[0]?.kthread ? 0x208040 : 0x400000, // 9 flags (PF_KTHREAD | PF_NOFREEZE | PF_MEMALLOC for kswapd, else PF_RANDOMIZE)
    cpu.minflt,                               // 10 minflt
    acc?.minFlt ?? 0,                         // 11 cminflt
    cpu.majflt,                               // 12 majflt
    acc?.majFlt ?? 0,                         // 13 cmajflt
    ticksOfInsns(cpu.utime),                  // 14 utime
    ticksOfInsns(cpu.stime),                  // 15 stime
    ticksOfInsns(acc ? acc.utime : tg.cutime),// 16 cutime
    ticksOfInsns(acc ? acc.stime : tg.cstime),// 17 cstime
    priority,                                 // 18 priority
    nice,                                     // 19 nice
    Math.max(1, tg.threads.length),           // 20 num_threads
    0,                                        // 21 itrealvalue
    ticksOfNs(tg.startTime),               // 22 starttime (kernel time starts at 0)
    mf.size * PAGE,                           // 23 vsize (bytes)
    mf.rss,                                   // 24 rss (pages)
    u64(rsslim),                              // 25 rsslim
    mf.startCode,                             // 26 startcode
    mf.endCode,                               // 27 endcode
    mm?.stackTop ?? 0,                        // 28 startstack
    0,                                        // 29 kstkesp
    0,                                        // 30 kstkeip
    BigInt.asUintN(64, pending).toString(),   // 31 signal
    BigInt.asUintN(64, t?.sigmask ?? 0n).toString(), // 32 blocked
    ign.toString(),                           // 33 sigignore
    cgt.toString(),                           // 34 sigcatch
    t && t.state === "S" ? 1 : 0,             // 35 wchan
    0,                                        // 36 nswap
    0,                                        // 37 cnswap
    tg.exitSignal,                            // 38 exit_signal
    t ? (t.cpu >= 0 ? t.cpu : t.sched.lastCpu) : 0, // 39 processor: where it runs, else where it last ran (task_cpu)
    rtprio,                                   // 40 rt_priority
    policy,                                   // 41 policy
    0,                                        // 42 delayacct_blkio_ticks
    0,                                        // 43 guest_time
    0,                                        // 44 cguest_time
    mf.startData,                             // 45 start_data
    mf.endData,                               // 46 end_data
    mm?.brkStart ?? 0,                        // 47 start_brk
    mm?.argStart ?? 0,                        // 48 arg_start
    mm?.argEnd ?? 0,                          // 49 arg_end
    mm?.envStart ?? 0,                        // 50 env_start
    mm?.envEnd ?? 0,                          // 51 env_end
    exitCode,                                 // 52 exit_code
  ];
  return f.join(" ") + "\n";
}

function kb(pages: number): string {
  return String(pages * 4).padStart(8) + " kB";
}

/** /proc/PID/status. */
export function showStatus(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c) ?? tg.threads[0];
  const cr = tg.creds;
  const mm = t?.mm ?? null;
  const st = stateOf(tg, t);
  const cpu = cpuInsns(k, tg, c);
  const { ign, cgt } = sigMasks(tg);
  const name = ((c.tid !== c.pid && t ? t.comm : tg.comm) || tg.comm).replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
  const fdSize = Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, t?.files?.fds.length ?? 0))));
  const pid = c.tid !== c.pid ? c.tid : tg.pid;
  const lines: string[] = [
    `Name:\t${name}`,
    `Umask:\t${(t?.fs?.umask ?? 0o22).toString(8).padStart(4, "0")}`,
    `State:\t${STATE_NAMES[st] ?? st}`,
    `Tgid:\t${tg.pid}`,
    `Ngid:\t0`,
    `Pid:\t${pid}`,
    `PPid:\t${tg.parent ? tg.parent.pid : 0}`,
    `TracerPid:\t${t?.ptrace?.tracer ?? 0}`, // the tracer of this thread (proc/ptrace.ts)
    `Uid:\t${cr.uid}\t${cr.euid}\t${cr.suid}\t${cr.fsuid}`,
    `Gid:\t${cr.gid}\t${cr.egid}\t${cr.sgid}\t${cr.fsgid}`,
    `FDSize:\t${fdSize}`,
    `Groups:\t${cr.groups.join(" ")}`,
    `NStgid:\t${tg.pid}`,
    `NSpid:\t${pid}`,
    `NSpgid:\t${tg.pgid}`,
    `NSsid:\t${tg.sid}`,
  ];
  if (mm && mm.root) {
    const mf = memFigures(k, mm, tg.exe);
    lines.push(
      `VmPeak:\t${kb(mf.size)}`, `VmSize:\t${kb(mf.size)}`, `VmLck:\t${kb(0)}`, `VmPin:\t${kb(0)}`,
      `VmHWM:\t${kb(mf.rss)}`, `VmRSS:\t${kb(mf.rss)}`, `RssAnon:\t${kb(mf.anon)}`, `RssFile:\t${kb(mf.file)}`,
      `RssShmem:\t${kb(mf.shmem)}`, `VmData:\t${kb(mf.data)}`, `VmStk:\t${kb(mf.stack)}`, `VmExe:\t${kb(mf.exe)}`,
      `VmLib:\t${kb(mf.lib)}`, `VmPTE:\t${kb(mf.pte)}`, `VmSwap:\t${kb(mf.swap)}`, `HugetlbPages:\t${kb(0)}`,
      `CoreDumping:\t0`, `THP_enabled:\t0`,
    );
  }
  const queued = (t ? (t as unknown as { sigq?: unknown[] }).sigq?.length ?? 0 : 0) +
    ((tg as unknown as { sigq?: unknown[] }).sigq?.length ?? 0);
  const root = cr.euid === 0;
  const caps = root ? "000001ffffffffff" : "0000000000000000";
  const ncpu = k.cpus.length;
  const aff = (t?.sched.affinity ?? 0xffffffff) & (ncpu >= 32 ? 0xffffffff : (1 << ncpu) - 1);
  lines.push(
    `Threads:\t${Math.max(tg.zombie ? 0 : 1, tg.threads.length)}`,
    `SigQ:\t${queued}/${tg.rlimits[RLIMIT_SIGPENDING]?.cur ?? 4096}`,
    `SigPnd:\t${hex16(t?.pending ?? 0n)}`,
    `ShdPnd:\t${hex16(tg.sharedPending)}`,
    `SigBlk:\t${hex16(t?.sigmask ?? 0n)}`,
    `SigIgn:\t${hex16(ign)}`,
    `SigCgt:\t${hex16(cgt)}`,
    `CapInh:\t0000000000000000`,
    `CapPrm:\t${caps}`,
    `CapEff:\t${caps}`,
    `CapBnd:\t000001ffffffffff`,
    `CapAmb:\t0000000000000000`,
    `NoNewPrivs:\t0`,
    `Seccomp:\t0`,
    `Seccomp_filters:\t0`,
    `Speculation_Store_Bypass:\tnot vulnerable`,
    `SpeculationIndirectBranch:\tunknown`,
    `Cpus_allowed:\t${(aff >>> 0).toString(16)}`,
    `Cpus_allowed_list:\t${affinityList(aff, ncpu)}`,
    `Mems_allowed:\t00000001`,
    `Mems_allowed_list:\t0`,
    `voluntary_ctxt_switches:\t${cpu.nvcsw}`,
    `nonvoluntary_ctxt_switches:\t${cpu.nivcsw}`,
  );
  return lines.join("\n") + "\n";
}

/** A CPU mask as a list ("0-3", "0,2"). */
export function affinityList(mask: number, ncpu: number): string {
  const ranges: string[] = [];
  for (let i = 0; i < ncpu; i++) {
    if (!(mask & (1 << i))) continue;
    let j = i;
    while (j + 1 < ncpu && (mask & (1 << (j + 1)))) j++;
    ranges.push(i === j ? `${i}` : `${i}-${j}`);
    i = j;
  }
  return ranges.join(",");
}

/** /proc/PID/statm: size resident shared text lib data dt (pages). */
function showStatm(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c) ?? tg.threads[0];
  const mf = memFigures(k, t?.mm ?? null, tg.exe);
  return `${mf.size} ${mf.rss} ${mf.file + mf.shmem} ${mf.exe} 0 ${mf.data + mf.stack} 0\n`;
}

/** /proc/PID/maps, in Linux's exact layout (name column at offset 73). */
export function showMaps(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c) ?? tg.threads[0];
  const mm = t?.mm;
  if (!mm) return "";
  return vtToArray(mm.vmaTree).map((v) => mapsLine(k, v)).join("");
}

/** /proc/PID/smaps and smaps_rollup (mmview.ts). */
function showSmapsOf(rollup: boolean) {
  return (k: Kernel, c: PCtx): string | number => {
    const tg = ctxGroup(k, c);
    if (!tg) return -ESRCH;
    const mm = (ctxTask(k, c) ?? tg.threads[0])?.mm ?? null;
    return rollup ? showSmapsRollup(k, mm) : showSmaps(k, mm);
  };
}

function showCmdline(k: Kernel, c: PCtx): string | Uint8Array | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  if (tg.zombie) return "";
  const mm = (ctxTask(k, c) ?? tg.threads[0])?.mm ?? null;
  const mem = mm ? readUserRange(k, mm, mm.argStart, mm.argEnd, 1 << 20) : null;
  return mem ?? nulJoin(tg.cmdline);
}

function showEnviron(k: Kernel, c: PCtx): string | Uint8Array | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  if (tg.zombie) return "";
  const mm = (ctxTask(k, c) ?? tg.threads[0])?.mm ?? null;
  const mem = mm ? readUserRange(k, mm, mm.envStart, mm.envEnd, 1 << 20) : null;
  return mem ?? nulJoin(tg.environ);
}

/** /proc/PID/auxv: the auxiliary vector exec gave the program (AT_ENTRY, AT_PHDR, ...: how gdb finds a PIE's load address). */
function showAuxv(k: Kernel, c: PCtx): Uint8Array | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const mm = (ctxTask(k, c) ?? tg.threads[0])?.mm ?? null;
  if (!mm || mm.auxvLen === 0) return new Uint8Array(0);
  return readUserRange(k, mm, mm.auxvStart, mm.auxvStart + mm.auxvLen, mm.auxvLen) ?? new Uint8Array(0);
}

function showComm(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c);
  return ((c.tid !== c.pid && t ? t.comm : tg.comm) || tg.comm) + "\n";
}

function storeComm(k: Kernel, c: PCtx, t: Task, text: string): number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  if (tg !== t.tg && t.tg.creds.euid !== 0) return -EINVAL;
  const name = text.replace(/\n$/, "").slice(0, 15);
  const target = ctxTask(k, c);
  if (target) target.comm = name;
  if (!target || tg.threads[0] === target) tg.comm = name;
  return 0;
}

function showOomScore(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  return `${oomScore(k, tg)}\n`;
}

/** /proc/PID/frame_budget (tsix): limit, policy, resident/kept budgeted pages, faults, evictions. */
function showFrameBudget(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const mm = (ctxTask(k, c) ?? tg.threads[0])?.mm ?? null;
  return budgetReport(mm, REPLACEMENT_POLICIES[k.mmctx.vm.replacementPolicy]);
}

function showOomAdj(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  return `${tg.oomScoreAdj}\n`;
}

function parseIntStrict(text: string): number | null {
  const s = text.trim();
  if (!/^[+-]?\d+$/.test(s)) return null;
  return parseInt(s, 10);
}

/**
 * Set oom_score_adj as Linux's __set_oom_adj: -1000..1000 (EINVAL
 * otherwise). Without CAP_SYS_RESOURCE (root here) a writer may not go below
 * oom_score_adj_min - the last value a privileged writer set, 0 at boot - nor,
 * through the legacy oom_adj, below the current value (EACCES). A privileged
 * write of oom_score_adj moves oom_score_adj_min with it.
 */
function setOomAdj(k: Kernel, c: PCtx, t: Task, v: number, legacy: boolean): number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const root = t.tg.creds.euid === 0;
  if (!root && !mayInspect(t, tg)) return -EACCES;
  if (!root && v < (legacy ? tg.oomScoreAdj : tg.oomScoreAdjMin)) return -EACCES;
  tg.oomScoreAdj = v;
  if (!legacy && root) tg.oomScoreAdjMin = v;
  return 0;
}

function storeOomAdj(k: Kernel, c: PCtx, t: Task, text: string): number {
  const v = parseIntStrict(text);
  if (v === null || v < -1000 || v > 1000) return -EINVAL;
  return setOomAdj(k, c, t, v, false);
}

/** The legacy oom_adj (-17..15) is scaled to and from oom_score_adj (15 is 1000; C division truncates). */
function showLegacyOomAdj(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const a = tg.oomScoreAdj === 1000 ? 15 : Math.trunc((tg.oomScoreAdj * 17) / 1000);
  return `${a}\n`;
}

function storeLegacyOomAdj(k: Kernel, c: PCtx, t: Task, text: string): number {
  const v = parseIntStrict(text);
  if (v === null || v < -17 || v > 15) return -EINVAL;
  return setOomAdj(k, c, t, v === 15 ? 1000 : Math.trunc((v * 1000) / 17), true);
}

function showWchan(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c) ?? tg.threads[0];
  if (!t || t.state === "R") return "0";
  if (t.state === "T") return "do_signal_stop";
  return t.waitingOn?.name ?? (t.wakeAt ? "hrtimer_nanosleep" : "0");
}

const LIMITS: ReadonlyArray<readonly [string, string]> = [
  ["Max cpu time", "seconds"], ["Max file size", "bytes"], ["Max data size", "bytes"],
  ["Max stack size", "bytes"], ["Max core file size", "bytes"], ["Max resident set", "bytes"],
  ["Max processes", "processes"], ["Max open files", "files"], ["Max locked memory", "bytes"],
  ["Max address space", "bytes"], ["Max file locks", "locks"], ["Max pending signals", "signals"],
  ["Max msgqueue size", "bytes"], ["Max nice priority", ""], ["Max realtime priority", ""],
  ["Max realtime timeout", "us"],
];

function showLimits(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const lim = (v: number): string => (v >= 2 ** 64 - 1 ? "unlimited" : String(v));
  let out = `${"Limit".padEnd(25)} ${"Soft Limit".padEnd(20)} ${"Hard Limit".padEnd(20)} ${"Units".padEnd(10)}\n`;
  LIMITS.forEach(([name, unit], i) => {
    const r = tg.rlimits[i] ?? { cur: 2 ** 64 - 1, max: 2 ** 64 - 1 };
    out += `${name.padEnd(25)} ${lim(r.cur).padEnd(20)} ${lim(r.max).padEnd(20)} `;
    out += unit ? `${unit.padEnd(10)}\n` : "\n";
  });
  return out;
}

/** Escape spaces, tabs, newlines and backslashes as /proc/mounts does (octal). */
export function mangle(s: string): string {
  return s.replace(/[ \t\n\\]/g, (ch) => "\\" + ch.charCodeAt(0).toString(8).padStart(3, "0"));
}

function mounts(k: Kernel): readonly Mount[] {
  try { return mountList(k); } catch { return []; }
}

/** /proc/mounts and /proc/PID/mounts. */
export function showMounts(k: Kernel): string {
  let out = "";
  for (const m of mounts(k)) {
    out += `${mangle(m.source || m.sb.fsType)} ${mangle(mountPath(m))} ${m.sb.fsType} ${mountOptions(m)} 0 0\n`;
  }
  return out;
}

/** /proc/PID/mountinfo (proc(5)): id parent major:minor root mountpoint options - type source superoptions. */
export function showMountinfo(k: Kernel): string {
  let out = "";
  for (const m of mounts(k)) {
    const dev = m.sb.dev;
    out += `${m.id} ${m.parent ? m.parent.id : m.id} ${major(dev)}:${minor(dev)} / ${mangle(mountPath(m))} ` +
      `${mountOptions(m, false)} - ${m.sb.fsType} ${mangle(m.source || m.sb.fsType)} ${m.sb.readOnly ? "ro" : "rw"}` +
      `${fsOptions(m)}\n`;
  }
  return out;
}

function showCgroup(): string {
  return "0::/\n";
}

function showIo(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const io = (tg as unknown as { ioacct?: { rchar: number; wchar: number; syscr: number; syscw: number } }).ioacct;
  return `rchar: ${io?.rchar ?? 0}\nwchar: ${io?.wchar ?? 0}\nsyscr: ${io?.syscr ?? 0}\nsyscw: ${io?.syscw ?? 0}\n` +
    "read_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n";
}

/** /proc/PID/sched: the scheduler's view of a task (Linux's debug format, C29). */
function showSched(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c) ?? tg.threads[0];
  if (!t) return -ESRCH;
  const row = (name: string, v: string | number): string => `${name.padEnd(43)}:${String(v).padStart(21)}\n`;
  const head = `${t.comm} (${t.tid}, #threads: ${tg.threads.length})\n`;
  return head + "-".repeat(65) + "\n" + taskSchedFields(k, t).map(([n, v]) => row(n, v)).join("");
}

/** /proc/PID/schedstat: run time (ns), wait time (ns), time slices run. */
function showSchedstat(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c) ?? tg.threads[0];
  if (!t) return "0 0 0\n";
  return `${Math.round((t.utime + t.stime) * 10)} ${Math.round(t.sched.waitTime)} ${t.nvcsw + t.nivcsw}\n`;
}

// ------------------------------------------------------------ links

function exeTarget(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  if (!tg.exe || tg.zombie) return -ENOENT;
  return tg.exe;
}

function cwdDentry(k: Kernel, c: PCtx, which: "cwd" | "root"): Dentry | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c) ?? tg.threads[0];
  const d = t?.fs?.[which];
  return d ?? -ENOENT;
}

function fdFile(k: Kernel, c: PCtx): File | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c) ?? tg.threads[0];
  const e = t?.files?.fds[c.fd];
  return e ? e.file : -ENOENT;
}

const fdLink = plink(
  (k, c, t) => {
    const f = fdFile(k, c);
    return typeof f === "number" ? f : fileLinkText(t, f);
  },
  (k, c) => {
    const f = fdFile(k, c);
    return typeof f === "number" ? f : f.dentry;
  },
  0o700,
  inspectOnly,
);

/** An fd link is r-x for a file open for reading, -wx for writing, rwx for both (Linux proc_fd_link). */
fdLink.permOf = (k, c) => {
  const f = fdFile(k, c);
  if (typeof f === "number") return 0o700;
  const acc = f.flags & 3;
  return (acc !== 1 ? 0o500 : 0) | (acc !== 0 ? 0o300 : 0);
};

function fdList(k: Kernel, c: PCtx): { fd: number; file: File }[] {
  const tg = ctxGroup(k, c);
  const t = tg ? ctxTask(k, c) ?? tg.threads[0] : undefined;
  const out: { fd: number; file: File }[] = [];
  t?.files?.fds.forEach((e, fd) => { if (e) out.push({ fd, file: e.file }); });
  return out;
}

function parseFdName(name: string): number {
  return /^(0|[1-9]\d{0,8})$/.test(name) ? parseInt(name, 10) : -1;
}

const fdInfo = pfile(0o444, (k, c) => {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const t = ctxTask(k, c) ?? tg.threads[0];
  const e = t?.files?.fds[c.fd];
  if (!e) return -ENOENT;
  const f = e.file;
  const flags = f.flags | (e.cloexec ? 0o2000000 : 0);
  const extra = fopsOf(f).fdinfo?.(k, f) ?? "";
  return `pos:\t${f.pos}\nflags:\t0${flags.toString(8)}\nmnt_id:\t${f.dentry.mount?.id ?? 0}\nino:\t${f.inode.ino}\n${extra}`;
}, undefined, inspectOnly);

function fdDir(fdNode: PNode): PDir {
  return pdir(
    0o500,
    // Positions are fd + 3: a program that closes descriptors while it reads the
    // directory (python's subprocess with close_fds, 300 bytes at a time)
    // must not skip the entries after them.
    (k, c) => fdList(k, c).map(({ fd }) => ({ name: String(fd), node: fdNode, ctx: { pid: c.pid, tid: c.tid, fd }, off: fd + 3 })),
    (k, c, name) => {
      const fd = parseFdName(name);
      if (fd < 0) return null;
      const tg = ctxGroup(k, c);
      const t = tg ? ctxTask(k, c) ?? tg.threads[0] : undefined;
      if (!t?.files?.fds[fd]) return null;
      return { name, node: fdNode, ctx: { pid: c.pid, tid: c.tid, fd } };
    },
    inspectOnly,
    { child: fdNode },
  );
}

// ------------------------------------------------------------ directories

/**
 * /proc/PID/timers: the process's POSIX timers, one block each as Linux's
 * show_timer prints them (the notify kind and target, the signal and
 * sigev_value, the clock; a CPU-time clock shows as 2 or 3).
 */
function showTimers(k: Kernel, c: PCtx): string | number {
  const tg = ctxGroup(k, c);
  if (!tg) return -ESRCH;
  const nstr = ["signal", "none", "thread"];
  let out = "";
  for (const pt of tg.posixTimers) {
    const clock = pt.timer.clockid < 0 ? (pt.timer.clockid & 4 ? 3 : 2) : pt.timer.clockid;
    const byTid = (pt.notify & 4) !== 0; // SIGEV_THREAD_ID
    out += `ID: ${pt.id}\nsignal: ${pt.signo}/${pt.sigval.toString(16).padStart(16, "0")}\n` +
      `notify: ${nstr[pt.notify & ~4]}/${byTid ? "tid" : "pid"}.${byTid ? pt.tid : tg.pid}\nClockID: ${clock}\n`;
  }
  return out;
}

const ro = (show: (k: Kernel, c: PCtx, t: Task) => string | Uint8Array | number): PNode => pfile(0o444, show);

/** The entries shared by /proc/PID and /proc/PID/task/TID. */
function commonEntries(): Record<string, PNode> {
  return {
    stat: ro(showStat),
    status: ro(showStatus),
    statm: ro(showStatm),
    maps: pfile(0o444, showMaps, undefined, inspectOnly),
    smaps: pfile(0o444, showSmapsOf(false), undefined, inspectOnly),
    smaps_rollup: pfile(0o444, showSmapsOf(true), undefined, inspectOnly),
    pagemap: pfileOps(0o400, PAGEMAP_FOPS, inspectOnly),
    // tsix addition: the Sv39 walk of an address (userland's pagewalk; mmview.ts).
    ptwalk: pfileOps(0o400, PTWALK_FOPS, inspectOnly),
    cmdline: ro(showCmdline),
    environ: pfile(0o400, showEnviron, undefined, inspectOnly),
    comm: pfile(0o644, showComm, storeComm),
    exe: plink((k, c) => exeTarget(k, c), undefined, 0o777, inspectOnly),
    cwd: plink(
      (k, c, t) => { const d = cwdDentry(k, c, "cwd"); return typeof d === "number" ? d : readerPath(t, d); },
      (k, c) => cwdDentry(k, c, "cwd"), 0o777, inspectOnly,
    ),
    root: plink(
      (k, c, t) => { const d = cwdDentry(k, c, "root"); return typeof d === "number" ? d : readerPath(t, d); },
      (k, c) => cwdDentry(k, c, "root"), 0o777, inspectOnly,
    ),
    fd: fdDir(fdLink),
    fdinfo: fdDir(fdInfo),
    oom_score: ro(showOomScore),
    // tsix addition: the frame budget (RLIMIT_RSS) and its replacement counters (mm/replace.ts).
    frame_budget: ro(showFrameBudget),
    oom_score_adj: pfile(0o644, showOomAdj, storeOomAdj),
    oom_adj: pfile(0o644, showLegacyOomAdj, storeLegacyOomAdj),
    wchan: ro(showWchan),
    limits: ro(showLimits),
    timers: pfile(0o444, showTimers, undefined, inspectOnly),
    mounts: ro((k) => showMounts(k)),
    mountinfo: ro((k) => showMountinfo(k)),
    cgroup: ro(showCgroup),
    io: pfile(0o400, showIo, undefined, inspectOnly),
    sched: ro(showSched),
    schedstat: ro(showSchedstat),
    loginuid: ro(() => "4294967295"),
    sessionid: ro(() => "4294967295"),
    personality: pfile(0o400, (k, c) => { const tg = ctxGroup(k, c); return tg ? ((tg.personality ?? 0) >>> 0).toString(16).padStart(8, "0") + "\n" : -ESRCH; }, undefined, inspectOnly),
    coredump_filter: pfile(0o644, () => "00000033\n", (_k, _c, _t, text) => (/^\s*(0x)?[0-9a-fA-F]+\s*$/.test(text) ? 0 : -EINVAL)),
    timerslack_ns: pfile(0o666, () => "50000\n", (_k, _c, _t, text) => (parseIntStrict(text) !== null ? 0 : -EINVAL)),
    uid_map: ro(() => "         0          0 4294967295\n"),
    gid_map: ro(() => "         0          0 4294967295\n"),
    setgroups: ro(() => "allow\n"),
    auxv: pfile(0o400, showAuxv, undefined, inspectOnly),
    // Another process's memory at its addresses (ptrace access; proc/mem.ts): how gdb reads and pokes.
    mem: pfileOps(0o600, PROC_MEM_FOPS, inspectOnly),
    stack: pfile(0o400, () => "", undefined, (_k, _c, t) => (t.tg.creds.euid === 0 ? 0 : -EACCES)),
    syscall: pfile(0o400, (k, c) => {
      const t = ctxTask(k, c);
      if (!t) return -ESRCH;
      return t.state === "R" ? "running\n" : `${t.sysNr} 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0\n`;
    }, undefined, inspectOnly),
  };
}

/** /proc/PID/task/TID. */
const threadDir: PDir = staticDir(commonEntries());

/** /proc/PID/task: one directory per thread. */
const taskDir: PDir = pdir(
  0o555,
  (k, c) => {
    const tg = ctxGroup(k, c);
    return (tg?.threads ?? []).map((t) => ({ name: String(t.tid), node: threadDir, ctx: { pid: c.pid, tid: t.tid, fd: -1 } }));
  },
  (k, c, name) => {
    const tid = parseFdName(name);
    const t = k.tasks.get(tid);
    if (!t || t.tg.pid !== c.pid) return null;
    return { name, node: threadDir, ctx: { pid: c.pid, tid, fd: -1 } };
  },
  undefined,
  { child: threadDir },
);

/** /proc/PID. */
export const pidDir: PDir = staticDir({ ...commonEntries(), task: taskDir });

/** The /proc entry of a thread group (and of any thread id, which Linux also resolves). */
export function lookupPid(k: Kernel, name: string): PEntry | null {
  const id = parseFdName(name);
  if (id <= 0) return null;
  const tg = k.groups.get(id);
  if (tg) return { name, node: pidDir, ctx: { pid: id, tid: id, fd: 0 } };
  const t = k.tasks.get(id);
  if (t) return { name, node: pidDir, ctx: { pid: t.tg.pid, tid: id, fd: 0 } };
  return null;
}

/** Every process, as /proc lists it. */
export function listPids(k: Kernel): PEntry[] {
  return [...k.groups.keys()].sort((a, b) => a - b)
    .map((pid) => ({ name: String(pid), node: pidDir, ctx: { pid, tid: pid, fd: 0 } }));
}

/** Owner of /proc/PID nodes: the process's effective ids (root for everything else). */
export function procOwner(k: Kernel, c: PCtx): { uid: number; gid: number } {
  if (!c.pid) return { uid: 0, gid: 0 };
  const tg = k.groups.get(c.pid);
  return tg ? { uid: tg.creds.euid, gid: tg.creds.egid } : { uid: 0, gid: 0 };
}
