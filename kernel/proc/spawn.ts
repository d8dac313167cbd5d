// Creating the first process (PID 1) from an executable, and the data
// structures every new task and thread group start with.
//
// Concepts: C21 (a new PCB), C25 (init is PID 1).
import { KMEM_TASK, kmemForceCharge, kmemUncharge } from "../mm/kmem.js";
import type { Kernel } from "../kernel.js";
import { allocPid, type Task, type ThreadGroup, type SchedEntity, CTX_BYTES, rootCreds, emptyAcct } from "./task.js";
import { makeRunnable } from "../sched/core.js";
import { nowNs } from "../time/clock.js";
import { createWaitQueue } from "../sched/wait.js";
import { createFdTable } from "../fs/fdtable.js";
import type { FdTable, FsContext } from "../fs/vfs.js";
import { defaultRlimits } from "./rlimit.js";
import { loadProgram, readElf, type ExecFile } from "./exec.js";
import * as L from "../../hw/core/layout.js";
import { vdsoFile } from "../signal/frame.js";
import { randomBytes } from "../lib/random.js";
import { putU64 } from "../abi/le.js";

export function defaultSched(): SchedEntity {
  return {
    policy: 0, nice: 0, rtPriority: 0, resetOnFork: 0, sliceEnd: 0, rrLeft: 0, vruntime: 0, enqueuedAt: 0, waitTime: 0,
    sumExec: 0, execStart: 0, prevSumExec: 0, burstRun: 0, lastBurst: 0, burstEstimate: -1, mlfqLevel: 0, mlfqPeriod: 0,
    nrMigrations: 0, isNew: 1, affinity: 0xffffffff, rq: -1, lastCpu: 0, arrivalNs: -1, firstRunNs: -1, completionNs: -1,
  };
}

export function newThreadGroup(k: Kernel, pid: number, parent: ThreadGroup | null): ThreadGroup {
  const tg: ThreadGroup = {
    pid, parent, children: new Set(), threads: [], pgid: pid, sid: pid,
    creds: parent ? { ...parent.creds, groups: [...parent.creds.groups] } : rootCreds(),
    sighand: { actions: Array.from({ length: 65 }, () => ({ handler: 0, flags: 0, mask: 0n, restorer: 0 })) },
    sharedPending: 0n,
    rlimits: parent ? parent.rlimits.map((r) => ({ ...r })) : defaultRlimits(),
    comm: parent?.comm ?? "init", exe: parent?.exe ?? "", cmdline: parent?.cmdline ?? [], environ: parent?.environ ?? [],
    exitStatus: null, zombie: false, stopped: false, stopSignal: 0, stopReported: true, continuedReported: true,
    exitSignal: 17, cutime: 0, cstime: 0, startTime: nowNs(k), tty: parent?.tty ?? 0, pdeathSig: 0,
    childWait: createWaitQueue("wait4"), oomScoreAdj: parent?.oomScoreAdj ?? 0, oomScoreAdjMin: parent?.oomScoreAdjMin ?? 0,
    sigq: [], didExec: false, exiting: false, execer: null, threadExit: createWaitQueue("de_thread"),
    itimers: [0, 1, 2].map(() => ({ value: 0, interval: 0, gen: 0 })),
    posixTimers: [], posixTimerNext: 0,
    acct: emptyAcct(), cacct: emptyAcct(),
  };
  if (parent) { tg.pgid = parent.pgid; tg.sid = parent.sid; }
  k.groups.set(pid, tg);
  parent?.children.add(tg);
  return tg;
}

export function newTask(k: Kernel, tid: number, tg: ThreadGroup, files: FdTable, fs: FsContext): Task {
  const t: Task = {
    tid, tg, mm: null, files, fs, state: "R", ctx: new Uint8Array(CTX_BYTES), cpu: -1,
    sigmask: 0n, pending: 0n, savedSigmask: null, altStack: { sp: 0, size: 0, flags: 2 },
    waitingOn: null, wakeAt: 0, timedOut: false, interrupted: false, clearChildTid: 0, robustList: 0,
    utime: 0, stime: 0, nvcsw: 0, nivcsw: 0, minFlt: 0, majFlt: 0, sched: defaultSched(), restart: null, io: null,
    vforkDone: null, comm: tg.comm, sysNr: -1, sysPc: 0, sysA0Lo: 0, sysA0Hi: 0, sysRestart: 0, sysSlept: false, restartNr: 0,
    sigq: [], sigwaitSet: 0n, futex: null, killable: false, inMemstall: false, psiFlags: 0,
  };
  tg.threads.push(t);
  k.tasks.set(tid, t);
  // The PCB, its saved registers and signal state live on the host: charged to RAM until the task is gone.
  kmemForceCharge(k.pm, KMEM_TASK);
  return t;
}

/** Take a finished task out of the task table (and give back its charge). */
export function forgetTask(k: Kernel, t: Task): void {
  if (k.tasks.get(t.tid) !== t) return;
  k.tasks.delete(t.tid);
  kmemUncharge(k.pm, KMEM_TASK);
}

/** Write a register into a saved context. */
export function ctxSetReg(ctx: Uint8Array, n: number, v: number): void {
  putU64(ctx, L.X + n * 8, v);
}

export function ctxSetPc(ctx: Uint8Array, pc: number): void {
  putU64(ctx, L.PC, pc);
}

/** Start PID 1 from an executable (and its interpreter, if dynamic). Returns the task or -errno. */
export function spawnInit(
  k: Kernel, exe: ExecFile, interp: ExecFile | null, path: string, argv: string[], envp: string[], fs: FsContext,
  files: FdTable = createFdTable(),
): Task | number {
  const elf = readElf(exe);
  if (typeof elf === "number") return elf;
  const pid = allocPid(k);
  const tg = newThreadGroup(k, pid, null);
  tg.comm = path.split("/").pop()!.slice(0, 15);
  tg.exe = path;
  tg.cmdline = argv;
  tg.environ = envp;
  const random = new Uint8Array(16);
  randomBytes(k.entropy, random);
  const r = loadProgram(k.mmctx, exe, elf, interp, { argv, envp, execfn: path, creds: tg.creds, random, vdso: vdsoFile(k) });
  if (typeof r === "number") { k.groups.delete(pid); return r; }
  const t = newTask(k, pid, tg, files, fs);
  t.mm = r.mm;
  t.comm = tg.comm;
  ctxSetPc(t.ctx, r.entry);
  ctxSetReg(t.ctx, 2, r.sp);
  makeRunnable(k, t);
  return t;
}
