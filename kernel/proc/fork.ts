// fork, vfork and clone: making a new task (Linux kernel/fork.c).
// What the child shares with its parent is chosen by the clone flags:
//   the address space (CLONE_VM, else a copy-on-write copy: forkMM),
//   the fd table (CLONE_FILES, else a copy pointing at the same open files),
//   cwd/root/umask (CLONE_FS), the signal handlers (CLONE_SIGHAND),
//   the process itself (CLONE_THREAD: a new thread in the same thread group).
// The child starts as a copy of the parent's live registers with a0 = 0 and
// pc past the ecall; a thread gets its own stack (sp) and TLS (tp). With
// CLONE_VFORK the parent sleeps until the child execs or exits (the child
// borrows its memory meanwhile).
//
// Concepts: C24 (fork: child gets 0, parent the pid; a copy of the parent),
// C59 (copy-on-write), C33 (threads share code/data/heap, own PC/SP/stack).
import type { Kernel } from "../kernel.js";
import { allocPid, type Task, CTX_BYTES } from "./task.js";
import { makeRunnable, schedFork } from "../sched/core.js";
import { nowNs } from "../time/clock.js";
import { tracepoints, emit } from "../trace/tracepoint.js";
import { newThreadGroup, newTask, ctxSetReg, ctxSetPc } from "./spawn.js";
import { forkMM } from "../mm/mm.js";
import { putUser32 } from "../mm/uaccess.js";
import { forkFdTable } from "../fs/fdtable.js";
import type { FsContext } from "../fs/vfs.js";
import { createWaitQueue, sleepOn } from "../sched/wait.js";
import { sigBit, SIGKILL, NSIG, SS_DISABLE } from "../abi/signal.js";

import { RLIMIT_NPROC } from "../abi/resource.js";
import { KMEM_TASK, KMEM_FD_SLOT, kmemFits } from "../mm/kmem.js";

import { EAGAIN, EINVAL, ENOMEM, EPERM, ERESTARTNOINTR } from "../abi/errno.js";
import { REG_SP, REG_TP, REG_A0 } from "../arch/regs.js";
import {
  CSIGNAL, CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_PIDFD, CLONE_VFORK, CLONE_PARENT, CLONE_THREAD, CLONE_NEWNS, CLONE_SETTLS, CLONE_PARENT_SETTID, CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
} from "../abi/sched.js";

const NAMESPACE_FLAGS = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;

export interface CloneArgs {
  flags: number;
  /** Child's stack pointer (0 = same as the parent's). */
  stack: number;
  parentTid: number;
  childTid: number;
  tls: number;
}

/** Check the flag combinations Linux refuses (copy_process). Returns 0 or -errno. */
export function checkCloneFlags(t: Task, flags: number): number {
  if ((flags & (CLONE_NEWNS | CLONE_FS)) === (CLONE_NEWNS | CLONE_FS)) return -EINVAL;
  if ((flags & (CLONE_NEWUSER | CLONE_FS)) === (CLONE_NEWUSER | CLONE_FS)) return -EINVAL;
  if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) return -EINVAL;
  if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) return -EINVAL;
  // init cannot make siblings (it has no parent to share).
  if ((flags & CLONE_PARENT) && t.tg.pid === 1) return -EINVAL;
  if ((flags & CLONE_THREAD) && (flags & (CLONE_NEWUSER | CLONE_NEWPID))) return -EINVAL;
  if ((flags & CSIGNAL) > NSIG) return -EINVAL;
  // Namespaces and pidfds are not there yet.
  if (flags & NAMESPACE_FLAGS) return t.tg.creds.euid === 0 ? -EINVAL : -EPERM;
  if (flags & CLONE_PIDFD) return -EINVAL;
  return 0;
}

/**
 * RLIMIT_NPROC: a user (not root) may have at most this many tasks,
 * threads and unreaped zombies included, as Linux counts them per real uid.
 * This is what stops a fork bomb of an ordinary user.
 */
function threadsMax(k: Kernel): number {
  return k.sysctl.threadsMax;
}

function overNproc(k: Kernel, t: Task): boolean {
  const c = t.tg.creds;
  if (c.uid === 0 || c.euid === 0) return false;
  const limit = t.tg.rlimits[RLIMIT_NPROC]?.cur ?? Infinity;
  let n = 0;
  for (const x of k.tasks.values()) if (x.state !== "X" && x.tg.creds.uid === c.uid && ++n >= limit) return true;
  return false;
}

/**
 * Create the child task. The parent's registers are live in k.regs (we are
 * inside its clone syscall). Returns the child or -errno.
 */
export function copyProcess(k: Kernel, t: Task, a: CloneArgs): Task | number {
  const flags = a.flags;
  const err = checkCloneFlags(t, flags);
  if (err) return err;
  if (!t.mm) return -EINVAL;
  // A dying process makes no children (it leaves at the end of this syscall).
  if (t.tg.exiting || ((t.pending | t.tg.sharedPending) & sigBit(SIGKILL))) return -EAGAIN;
  if (overNproc(k, t)) return -EAGAIN;
  // kernel.threads-max bounds the task table; RAM bounds it too, through the task's charge (kmem.ts).
  if (k.tasks.size >= threadsMax(k)) return -EAGAIN;
  // The child's PCB and, unless shared, its copy of the fd table are kernel memory charged to RAM.
  if (!kmemFits(k.mmctx, KMEM_TASK + (flags & CLONE_FILES ? 0 : t.files.charged * KMEM_FD_SLOT))) return -ENOMEM;
  // The address space.
  let mm = t.mm;
  if (flags & CLONE_VM) mm.users++;
  else {
    const copy = forkMM(k.mmctx, t.mm);
    if (!copy) return -ENOMEM;
    mm = copy;
  }
  // Files and fs context.
  let files = t.files;
  if (flags & CLONE_FILES) files.refs++;
  else files = forkFdTable(t.files, k.mmctx);
  let fs: FsContext = t.fs;
  if (flags & CLONE_FS) fs.refs++;
  else fs = { root: t.fs.root, cwd: t.fs.cwd, umask: t.fs.umask, refs: 1 };

  const tid = allocPid(k);
  let tg = t.tg;
  if (!(flags & CLONE_THREAD)) {
    const parentTg = flags & CLONE_PARENT ? (t.tg.parent ?? t.tg) : t.tg;
    tg = newThreadGroup(k, tid, parentTg);
    // newThreadGroup copied the parent's identity; fix what belongs to the caller.
    tg.creds = { ...t.tg.creds, groups: [...t.tg.creds.groups] };
    tg.rlimits = t.tg.rlimits.map((r) => ({ ...r }));
    tg.comm = t.tg.comm; tg.exe = t.tg.exe; tg.cmdline = t.tg.cmdline; tg.environ = t.tg.environ; tg.personality = t.tg.personality;
    tg.pgid = t.tg.pgid; tg.sid = t.tg.sid; tg.tty = t.tg.tty; tg.oomScoreAdj = t.tg.oomScoreAdj; tg.oomScoreAdjMin = t.tg.oomScoreAdjMin;
    tg.exitSignal = flags & CLONE_PARENT ? t.tg.exitSignal : flags & CSIGNAL;
    if (flags & CLONE_SIGHAND) tg.sighand = t.tg.sighand;
    else tg.sighand = { actions: t.tg.sighand.actions.map((x) => ({ ...x })) };
  }
  const c = newTask(k, tid, tg, files, fs);
  c.mm = mm;
  c.comm = t.comm;
  c.sigmask = t.sigmask;
  c.sched = {
    ...t.sched, vruntime: t.sched.vruntime, waitTime: 0, lastBurst: 0, enqueuedAt: 0, sliceEnd: 0, rrLeft: 0, rq: -1,
  };
  schedFork(k, t, c);
  // A thread sharing the address space must not inherit the alternate signal stack (it is someone else's stack).
  if ((flags & (CLONE_VM | CLONE_VFORK)) === CLONE_VM) c.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
  else c.altStack = { ...t.altStack };

  // Registers: a copy of the parent's, returning 0 from clone.
  c.ctx.set(k.regs.b.subarray(0, CTX_BYTES));
  ctxSetReg(c.ctx, REG_A0, 0);
  ctxSetPc(c.ctx, t.sysPc + 4);
  if (a.stack) ctxSetReg(c.ctx, REG_SP, a.stack);
  if (flags & CLONE_SETTLS) ctxSetReg(c.ctx, REG_TP, a.tls);

  if (flags & CLONE_CHILD_CLEARTID) c.clearChildTid = a.childTid;
  if (flags & CLONE_CHILD_SETTID) putUser32(k.mmctx, mm, a.childTid, tid);
  if (flags & CLONE_PARENT_SETTID) putUser32(k.mmctx, t.mm, a.parentTid, tid);
  const f = tracepoints(k).process_fork;
  if (f) emit(f, { parent: t.tg.pid, child: tid, pid: tg.pid, thread: (flags & CLONE_THREAD) !== 0, nowNs: nowNs(k) });
  makeRunnable(k, c);
  return c;
}

/**
 * clone(2) with its restart protocol: a vfork parent sleeps (killable only)
 * until the child releases its memory, then the rerun syscall returns the
 * child's pid. Returns the pid, -errno or -ERESTARTNOINTR (the fork has
 * happened: a signal must never undo it with EINTR).
 */
export function doClone(k: Kernel, t: Task, a: CloneArgs): number {
  const waiting = t.restart?.kind === "vfork" ? t.restart.child : undefined;
  if (waiting !== undefined) {
    const c = k.tasks.get(waiting);
    const killed = ((t.pending | t.tg.sharedPending) & sigBit(SIGKILL)) !== 0n;
    if (c && c.vforkDone && !killed) return vforkWait(t, c);
    t.restart = null;
    t.killable = false;
    return waiting;
  }
  const c = copyProcess(k, t, a);
  if (typeof c === "number") return c;
  if (a.flags & CLONE_VFORK) {
    c.vforkDone = createWaitQueue("vfork");
    t.restart = { kind: "vfork", child: c.tid };
    return vforkWait(t, c);
  }
  return c.tid;
}

function vforkWait(t: Task, c: Task): number {
  sleepOn(t, c.vforkDone!);
  t.state = "D";
  t.killable = true;
  return -ERESTARTNOINTR;
}
