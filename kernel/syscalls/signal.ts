// Signal system calls: rt_sigaction, rt_sigprocmask, rt_sigpending,
// rt_sigsuspend, rt_sigtimedwait, sigaltstack, kill, tgkill, tkill,
// rt_sigqueueinfo, rt_tgsigqueueinfo, rt_sigreturn; and the interval timers
// (setitimer/getitimer; glibc's alarm() is setitimer(ITIMER_REAL)), whose
// expiry is a signal; pidfd_open and pidfd_send_signal (fs/pidfd.ts).
//
// Concepts: C44 (handlers, masks, pending sets, kill), C26 (kill to a
// process group), C12 (a timer raises SIGALRM).
import type { Kernel } from "../kernel.js";
import { addWakeTimer, addTimer } from "../time/timer.js";
import { nowNs } from "../time/clock.js";
import type { Task, ThreadGroup, ITimer } from "../proc/task.js";
import { type SyscallTable, argU, argInt } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { createWaitQueue, sleepOn } from "../sched/wait.js";
import { EINVAL, EFAULT, EPERM, ESRCH, EINTR, EAGAIN, EBADF, ERESTARTNOHAND, JUSTRETURN, RESTART_YIELD, isRestart } from "../abi/errno.js";
import {
  type SigInfo, sendSignalGroup, sendSignalTask, flushPending, sigIgnoredByAction, deliverable, dequeueFromSet, forceSignal,
} from "../signal/signal.js";
import {
  sigBit, UNBLOCKABLE, NSIG, SIGKILL, SIGSTOP, SIGCONT, SIGALRM, SIGVTALRM, SIGPROF, SI_USER, SI_TKILL, SI_KERNEL, SIGACTION, SIGSET, STACK_T, SIGINFO, SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK, SIGSEGV,
} from "../abi/signal.js";
import { restoreFrame, altStackFlags, setAltStack, writeSiginfo, readSiginfo } from "../signal/frame.js";
import { readTimespec, insnsToNs } from "./time.js";
import { REG_SP, getReg } from "../arch/regs.js";
import { fileAllocCheck } from "../fs/file_table.js";
import { installFd, fput } from "../fs/fdtable.js";
import { fdFileIO, nofile } from "./fs_util.js";
import { createPidFd, isPidFd, pidfdGroup } from "../fs/pidfd.js";
import { O_NONBLOCK } from "../abi/fs.js";
import { groupUsage } from "../proc/task.js";
import { ITIMER_REAL, ITIMER_VIRTUAL, ITIMERVAL, timevalOf } from "../abi/time.js";
import { pack, unpack, unpackBig } from "../abi/layout.js";

/** sa_flags bits the kernel keeps (others are cleared, so programs can probe support). */
const UAPI_SA_FLAGS = 0x1 | 0x2 | 0x4 | 0x08000000 | 0x10000000 | 0x40000000 | 0x80000000 | 0x800;

function validSig(sig: number): boolean {
  return sig >= 1 && sig <= NSIG;
}

/** Copy in a sigset_t. */
function readSigset(k: Kernel, t: Task, va: number): bigint | null {
  const b = new Uint8Array(SIGSET.size);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return null;
  return unpackBig(SIGSET, b, "sig");
}

/** Copy out a sigset_t. */
function writeSigset(k: Kernel, t: Task, va: number, v: bigint): number {
  return copyout(k.mmctx, t.mm!, va, pack(SIGSET, { sig: v })) < 0 ? -EFAULT : 0;
}

// ---- actions and masks ------------------------------------------------------

function sysRtSigaction(k: Kernel, t: Task): number {
  const sig = argInt(k, 0), actVa = argU(k, 1), oactVa = argU(k, 2), size = argU(k, 3);
  if (size !== 8 || !validSig(sig)) return -EINVAL;
  if (actVa && (sig === SIGKILL || sig === SIGSTOP)) return -EINVAL;
  let next: { handler: number; flags: number; mask: bigint } | null = null;
  if (actVa) {
    // struct sigaction on riscv64: handler, flags (unsigned long), mask (no sa_restorer).
    const b = new Uint8Array(SIGACTION.size);
    if (copyin(k.mmctx, t.mm!, actVa, b) < 0) return -EFAULT;
    next = {
      handler: Number(unpackBig(SIGACTION, b, "sa_handler")),
      // All known flags are in the low 32 bits; the high half is dropped like unknown bits.
      flags: (Number(unpackBig(SIGACTION, b, "sa_flags") & 0xffffffffn) & UAPI_SA_FLAGS) >>> 0,
      mask: unpackBig(SIGACTION, b, "sa_mask") & ~UNBLOCKABLE,
    };
  }
  const cur = t.tg.sighand.actions[sig];
  const old = { ...cur };
  if (next) {
    cur.handler = next.handler;
    cur.flags = next.flags;
    cur.mask = next.mask;
    cur.restorer = 0;
    // Setting a signal to be ignored discards its pending instances (POSIX).
    if (sigIgnoredByAction(t.tg, sig)) flushPending(t.tg, sigBit(sig));
  }
  if (oactVa) {
    const b = pack(SIGACTION, { sa_handler: old.handler, sa_flags: old.flags >>> 0, sa_mask: old.mask });
    if (copyout(k.mmctx, t.mm!, oactVa, b) < 0) return -EFAULT;
  }
  return 0;
}

function sysRtSigprocmask(k: Kernel, t: Task): number {
  const how = argInt(k, 0), setVa = argU(k, 1), osetVa = argU(k, 2), size = argU(k, 3);
  if (size !== 8) return -EINVAL;
  const old = t.sigmask;
  if (setVa) {
    const set = readSigset(k, t, setVa);
    if (set === null) return -EFAULT;
    let m: bigint;
    switch (how) {
      case SIG_BLOCK: m = old | set; break;
      case SIG_UNBLOCK: m = old & ~set; break;
      case SIG_SETMASK: m = set; break;
      default: return -EINVAL;
    }
    t.sigmask = BigInt.asUintN(64, m) & ~UNBLOCKABLE;
    // Newly unblocked pending signals are delivered on the way out of this call.
    if (deliverable(t) !== 0n) t.interrupted = true;
  }
  if (osetVa) return writeSigset(k, t, osetVa, old);
  return 0;
}

function sysRtSigpending(k: Kernel, t: Task): number {
  const size = argU(k, 1);
  if (size > 8) return -EINVAL;
  const pend = (t.pending | t.tg.sharedPending) & t.sigmask;
  return copyout(k.mmctx, t.mm!, argU(k, 0), pack(SIGSET, { sig: pend }).subarray(0, size)) < 0 ? -EFAULT : 0;
}

/**
 * Wait for a signal with a temporary mask. The mask is restored after the
 * handler runs (the frame saves t.savedSigmask). -ERESTARTNOHAND, asleep or
 * woken: the call ends with EINTR once a handler runs, and goes on waiting
 * when the signal had none (a stop and continue).
 */
function sysRtSigsuspend(k: Kernel, t: Task): number {
  if (argU(k, 1) !== 8) return -EINVAL;
  if (t.savedSigmask === null || t.restart?.kind !== "sigsuspend") {
    const m = readSigset(k, t, argU(k, 0));
    if (m === null) return -EFAULT;
    t.savedSigmask = t.sigmask;
    t.sigmask = m & ~UNBLOCKABLE;
    t.restart = { kind: "sigsuspend" };
  }
  if (deliverable(t) === 0n) sleepOn(t, createWaitQueue("sigsuspend"));
  return -ERESTARTNOHAND;
}

function sysRtSigtimedwait(k: Kernel, t: Task): number {
  const setVa = argU(k, 0), infoVa = argU(k, 1), tsVa = argU(k, 2), size = argU(k, 3);
  if (size !== 8) return -EINVAL;
  const raw = readSigset(k, t, setVa);
  if (raw === null) return -EFAULT;
  const set = raw & ~UNBLOCKABLE;
  const rerun = t.restart?.kind === "sigtimedwait";
  let deadline = t.restart?.kind === "sigtimedwait" ? t.restart.deadline : 0;
  if (!rerun && tsVa) {
    const ns = readTimespec(k, t, tsVa);
    if (ns < 0) return ns;
    deadline = nowNs(k) + ns;
  }
  const done = (r: number): number => { t.sigwaitSet = 0n; t.restart = null; return r; };
  const info = dequeueFromSet(t, set);
  if (info) {
    if (infoVa) {
      const b = new Uint8Array(SIGINFO.size);
      writeSiginfo(b, 0, info);
      if (copyout(k.mmctx, t.mm!, infoVa, b) < 0) return done(-EFAULT);
    }
    return done(info.signo);
  }
  if (tsVa && (t.timedOut && rerun || nowNs(k) >= deadline)) return done(-EAGAIN);
  // Another signal is pending: this EINTR is final, as on Linux.
  if (deliverable(t) !== 0n) return done(-EINTR);
  t.sigwaitSet = set;
  t.restart = { kind: "sigtimedwait", deadline };
  sleepOn(t, createWaitQueue("sigtimedwait"), tsVa ? deadline : 0);
  if (tsVa) addWakeTimer(k, t, deadline);
  // Asleep: a handled signal ends the wait with EINTR; a stop and continue resumes it.
  return -ERESTARTNOHAND;
}

function sysSigaltstack(k: Kernel, t: Task): number {
  const ssVa = argU(k, 0), ossVa = argU(k, 1);
  const sp = getReg(k.regs, REG_SP);
  const old = { sp: t.altStack.sp, flags: altStackFlags(t, sp), size: t.altStack.size };
  if (ssVa) {
    const b = new Uint8Array(STACK_T.size);
    if (copyin(k.mmctx, t.mm!, ssVa, b) < 0) return -EFAULT;
    const ss = unpack(STACK_T, b);
    const r = setAltStack(t, sp, { sp: ss.ss_sp, flags: ss.ss_flags >>> 0, size: ss.ss_size });
    if (r < 0) return r;
  }
  if (ossVa) {
    const b = pack(STACK_T, { ss_sp: old.sp, ss_flags: old.flags, ss_size: old.size });
    if (copyout(k.mmctx, t.mm!, ossVa, b) < 0) return -EFAULT;
  }
  return 0;
}

// ---- sending -----------------------------------------------------------------------

/** Linux check_kill_permission: root, a matching real/saved uid, or SIGCONT within the session. */
export function mayKill(sender: ThreadGroup, target: ThreadGroup, sig: number): boolean {
  const c = sender.creds, tc = target.creds;
  if (c.euid === 0 || sender === target) return true;
  if (c.euid === tc.suid || c.euid === tc.uid || c.uid === tc.suid || c.uid === tc.uid) return true;
  return sig === SIGCONT && sender.sid === target.sid;
}

function userInfo(t: Task, sig: number, code: number): SigInfo {
  return { signo: sig, code, addr: 0, pid: t.tg.pid, uid: t.tg.creds.uid, status: 0 };
}

/** Signal every member of process group `pgid` (kill with pid 0 or < -1). */
function killPgrp(k: Kernel, t: Task, pgid: number, sig: number): number {
  let found = false, ok = false;
  for (const g of [...k.groups.values()]) {
    if (g.pgid !== pgid) continue;
    found = true;
    if (!mayKill(t.tg, g, sig)) continue;
    ok = true;
    if (sig) sendSignalGroup(k, g, userInfo(t, sig, SI_USER));
  }
  if (!found) return -ESRCH;
  return ok ? 0 : -EPERM;
}

function sysKill(k: Kernel, t: Task): number {
  const pid = argInt(k, 0), sig = argInt(k, 1);
  if (sig < 0 || sig > NSIG) return -EINVAL;
  if (pid > 0) {
    const g = k.groups.get(pid) ?? k.tasks.get(pid)?.tg;
    if (!g) return -ESRCH;
    if (!mayKill(t.tg, g, sig)) return -EPERM;
    if (sig) sendSignalGroup(k, g, userInfo(t, sig, SI_USER));
    return 0;
  }
  if (pid === 0) return killPgrp(k, t, t.tg.pgid, sig);
  if (pid === -1) {
    // Everyone we may signal except init and ourselves.
    let any = false, err = -ESRCH;
    for (const g of [...k.groups.values()]) {
      if (g.pid === 1 || g === t.tg || g.zombie) continue;
      if (!mayKill(t.tg, g, sig)) { if (!any) err = -EPERM; continue; }
      any = true;
      if (sig) sendSignalGroup(k, g, userInfo(t, sig, SI_USER));
    }
    return any ? 0 : err;
  }
  if (pid === -2147483648) return -ESRCH;
  return killPgrp(k, t, -pid, sig);
}

function sendToThread(k: Kernel, t: Task, tgid: number, tid: number, info: SigInfo): number {
  if (tid <= 0) return -EINVAL;
  const sig = info.signo;
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const target = k.tasks.get(tid);
  if (!target || (tgid > 0 && target.tg.pid !== tgid)) return -ESRCH;
  if (!mayKill(t.tg, target.tg, sig)) return -EPERM;
  if (sig) sendSignalTask(k, target, info);
  return 0;
}

function sysTgkill(k: Kernel, t: Task): number {
  const tgid = argInt(k, 0);
  if (tgid <= 0) return -EINVAL;
  return sendToThread(k, t, tgid, argInt(k, 1), userInfo(t, argInt(k, 2), SI_TKILL));
}

function sysTkill(k: Kernel, t: Task): number {
  return sendToThread(k, t, 0, argInt(k, 0), userInfo(t, argInt(k, 1), SI_TKILL));
}

/** Read a user siginfo for sigqueue; a process may not pretend to be the kernel or kill(). */
function queuedInfo(k: Kernel, t: Task, targetPid: number, sig: number, va: number): SigInfo | number {
  const b = new Uint8Array(SIGINFO.size);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  const info = readSiginfo(b);
  info.signo = sig;
  if ((info.code >= 0 || info.code === SI_TKILL) && targetPid !== t.tg.pid) return -EPERM;
  return info;
}

function sysRtSigqueueinfo(k: Kernel, t: Task): number {
  const pid = argInt(k, 0), sig = argInt(k, 1);
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const info = queuedInfo(k, t, pid, sig, argU(k, 2));
  if (typeof info === "number") return info;
  const g = k.groups.get(pid) ?? k.tasks.get(pid)?.tg;
  if (!g) return -ESRCH;
  if (!mayKill(t.tg, g, sig)) return -EPERM;
  if (sig) sendSignalGroup(k, g, info);
  return 0;
}

function sysRtTgsigqueueinfo(k: Kernel, t: Task): number {
  const tgid = argInt(k, 0), tid = argInt(k, 1), sig = argInt(k, 2);
  if (tgid <= 0 || tid <= 0) return -EINVAL;
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const info = queuedInfo(k, t, tgid, sig, argU(k, 3));
  if (typeof info === "number") return info;
  return sendToThread(k, t, tgid, tid, info);
}

// ---- interval timers ---------------------------------------------------------------

const ITIMER_SIGNAL = [SIGALRM, SIGVTALRM, SIGPROF];

/** CPU time of a process in ns: user time (VIRTUAL) or user + system (PROF). */
function processCpuNs(tg: ThreadGroup, which: number): number {
  const u = groupUsage(tg);
  return insnsToNs(which === ITIMER_VIRTUAL ? u.utime : u.utime + u.stime);
}

/** Now in the timer's own clock: kernel time for REAL, process CPU time for the others. */
function timerNow(k: Kernel, tg: ThreadGroup, which: number): number {
  return which === ITIMER_REAL ? nowNs(k) : processCpuNs(tg, which);
}

/**
 * Arm a kernel timer that checks `which` of `tg`. REAL fires at its
 * deadline; the CPU-time timers are checked after at least the CPU time
 * still missing has passed in kernel time (CPU time never runs faster).
 */
function armCheck(k: Kernel, tg: ThreadGroup, which: number): void {
  const it = tg.itimers[which];
  if (it.value === 0) return;
  const gen = it.gen;
  const wait = Math.max(0, it.value - timerNow(k, tg, which));
  addTimer(k, { at: nowNs(k) + Math.max(wait, which === ITIMER_REAL ? 0 : 1_000_000), kind: "itimer", tgid: tg.pid, which, gen });
}

/** An itimer timer is due (dispatched by kernel/timers.ts): signal the process if its timer really expired, and re-arm. */
export function itimerFire(k: Kernel, tgid: number, which: number, gen: number): void {
  const tg = k.groups.get(tgid);
  if (!tg) return;
  const it = tg.itimers[which];
  if (tg.zombie || it.gen !== gen || it.value === 0) return;
  const now = timerNow(k, tg, which);
  if (now < it.value) { armCheck(k, tg, which); return; }
  sendSignalGroup(k, tg, { signo: ITIMER_SIGNAL[which], code: SI_KERNEL, addr: 0, pid: 0, uid: 0, status: 0 });
  if (it.interval > 0) {
    it.value += it.interval;
    if (it.value <= now) it.value = now + it.interval;
    armCheck(k, tg, which);
  } else {
    it.value = 0;
  }
}

function itimervalBytes(it: ITimer, remaining: number): Uint8Array {
  const b = new Uint8Array(ITIMERVAL.size);
  timevalOf(it.interval, b, ITIMERVAL.fields.it_interval_sec[0]);
  timevalOf(remaining, b, ITIMERVAL.fields.it_value_sec[0]);
  return b;
}

function remainingOf(k: Kernel, tg: ThreadGroup, which: number): number {
  const it = tg.itimers[which];
  if (it.value === 0) return 0;
  // An armed timer never reports 0 left (that would read as "disarmed").
  return Math.max(1000, it.value - timerNow(k, tg, which));
}

function sysGetitimer(k: Kernel, t: Task): number {
  const which = argInt(k, 0);
  if (which < 0 || which > 2) return -EINVAL;
  const b = itimervalBytes(t.tg.itimers[which], remainingOf(k, t.tg, which));
  return copyout(k.mmctx, t.mm!, argU(k, 1), b) < 0 ? -EFAULT : 0;
}

function sysSetitimer(k: Kernel, t: Task): number {
  const which = argInt(k, 0), newVa = argU(k, 1), oldVa = argU(k, 2);
  if (which < 0 || which > 2) return -EINVAL;
  const tg = t.tg;
  const it = tg.itimers[which];
  let interval = 0, value = 0;
  if (newVa) {
    const b = new Uint8Array(ITIMERVAL.size);
    if (copyin(k.mmctx, t.mm!, newVa, b) < 0) return -EFAULT;
    const v = unpack(ITIMERVAL, b);
    const f = [v.it_interval_sec, v.it_interval_usec, v.it_value_sec, v.it_value_usec];
    if (f[0] < 0 || f[2] < 0 || f[1] < 0 || f[1] >= 1e6 || f[3] < 0 || f[3] >= 1e6) return -EINVAL;
    interval = f[0] * 1e9 + f[1] * 1000;
    value = f[2] * 1e9 + f[3] * 1000;
  }
  if (oldVa) {
    if (copyout(k.mmctx, t.mm!, oldVa, itimervalBytes(it, remainingOf(k, tg, which))) < 0) return -EFAULT;
  }
  if (!newVa) return 0;
  it.gen++;
  it.interval = interval;
  it.value = value > 0 ? timerNow(k, tg, which) + value : 0;
  armCheck(k, tg, which);
  return 0;
}

/** rt_sigreturn: back from a handler to the context its frame saved; a bad frame is SIGSEGV. */
function sysRtSigreturn(k: Kernel, t: Task): number {
  if (!restoreFrame(k, t)) forceSignal(k, t, SIGSEGV, SI_KERNEL, 0);
  return JUSTRETURN;
}

// ---- pidfds ------------------------------------------------------------------------

/**
 * pidfd_open(pid, flags): a close-on-exec pidfd for the process `pid`. As on
 * Linux: flags other than PIDFD_NONBLOCK (O_NONBLOCK) and pid <= 0 are
 * EINVAL, no such pid ESRCH, a thread that is not its process's leader
 * EINVAL; a zombie may still be named.
 */
function sysPidfdOpen(k: Kernel, t: Task): number {
  const pid = argInt(k, 0), flags = argInt(k, 1);
  if (flags & ~O_NONBLOCK || pid <= 0) return -EINVAL;
  const g = k.groups.get(pid);
  if (!g) return k.tasks.has(pid) ? -EINVAL : -ESRCH;
  const e = fileAllocCheck(k, t);
  if (e < 0) return e;
  const f = createPidFd(k, g, flags);
  const fd = installFd(t.files, f, true, 0, nofile(t), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

/**
 * pidfd_send_signal(pidfd, sig, info, flags): kill() aimed through a pidfd.
 * Linux's order: flags EINVAL, not a pidfd EBADF, the siginfo (EFAULT; its
 * signo must be sig, and only to itself may a process send one that claims
 * to come from the kernel or kill(): EPERM), the process reaped ESRCH, a
 * bad signal EINVAL, no permission EPERM. Signal 0 only checks.
 */
function sysPidfdSendSignal(k: Kernel, t: Task): number {
  const sig = argInt(k, 1), va = argU(k, 2);
  if (argU(k, 3) !== 0) return -EINVAL;
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  if (!isPidFd(f)) return -EBADF;
  const g = pidfdGroup(k, f);
  let info: SigInfo | number = userInfo(t, sig, SI_USER);
  if (va !== 0) {
    const b = new Uint8Array(SIGINFO.size);
    if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
    const u = readSiginfo(b);
    if (u.signo !== sig) return -EINVAL;
    info = queuedInfo(k, t, g ? g.pid : -1, sig, va);
    if (typeof info === "number") return info;
  }
  if (!g) return -ESRCH;
  if (sig < 0 || sig > NSIG) return -EINVAL;
  if (!mayKill(t.tg, g, sig)) return -EPERM;
  if (sig) sendSignalGroup(k, g, info);
  return 0;
}

/**
 * restart_syscall(2): continue the call a signal interrupted, from its
 * restart block. The kernel makes this call itself - signal.ts turns a7 into
 * __NR_restart_syscall when an ERESTART_RESTARTBLOCK call (nanosleep, a
 * relative clock_nanosleep, a timed futex wait) restarts with no handler run
 * - so the call's handler runs again with its registers as they were and
 * finds its progress in t.restart (the deadline, so only the time left is
 * slept). With nothing to continue it fails with EINTR, as Linux's
 * do_no_restart_syscall.
 */
function sysRestartSyscall(k: Kernel, t: Task): number {
  const nr = t.restartNr;
  const h = nr > 0 && nr !== N.SYS_restart_syscall && t.restart !== null ? k.syscalls[nr] : undefined;
  if (h === undefined) { t.restartNr = 0; return -EINTR; }
  const r = h(k, t);
  if (!isRestart(r) && r !== RESTART_YIELD) t.restartNr = 0; // done (asleep or interrupted again, it keeps its block)
  return r;
}

export function registerSignalSyscalls(table: SyscallTable): void {
  table[N.SYS_restart_syscall] = sysRestartSyscall;
  table[N.SYS_pidfd_open] = sysPidfdOpen;
  table[N.SYS_pidfd_send_signal] = sysPidfdSendSignal;
  table[N.SYS_rt_sigaction] = sysRtSigaction;
  table[N.SYS_rt_sigprocmask] = sysRtSigprocmask;
  table[N.SYS_rt_sigpending] = sysRtSigpending;
  table[N.SYS_rt_sigsuspend] = sysRtSigsuspend;
  table[N.SYS_rt_sigtimedwait] = sysRtSigtimedwait;
  table[N.SYS_sigaltstack] = sysSigaltstack;
  table[N.SYS_kill] = sysKill;
  table[N.SYS_tgkill] = sysTgkill;
  table[N.SYS_tkill] = sysTkill;
  table[N.SYS_rt_sigqueueinfo] = sysRtSigqueueinfo;
  table[N.SYS_rt_tgsigqueueinfo] = sysRtTgsigqueueinfo;
  table[N.SYS_rt_sigreturn] = sysRtSigreturn;
  table[N.SYS_getitimer] = sysGetitimer;
  table[N.SYS_setitimer] = sysSetitimer;
}

