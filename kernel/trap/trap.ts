// Trap entry from U-mode: what scause says happened decides the handler.
//   interrupts: timer (scause 5, preemption), external (9, PLIC -> drivers);
//   ecall from U (8): the system call table;
//   page faults (12, 13, 15): the mm fault handler, else SIGSEGV/SIGBUS;
//   illegal instruction (2): SIGILL (a privileged instruction in U-mode, C03);
//   breakpoint (3): SIGTRAP; misaligned AMO (4, 6): SIGBUS; access faults: SIGSEGV.
// Afterwards the task either resumes (pc = sepc, or sepc + 4 after a syscall),
// or the CPU switches to another task because this one blocked, exited or
// used up its slice. Pending signals are delivered on the way back to user
// mode.
//
// Concepts: C04 (trap -> table -> handler -> a0), C06 (bad pointers are
// EFAULT, never a kernel crash), C11 (interrupt dispatch), C12 (preemption),
// C44 (signals delivered on return to user mode), C53 (page faults).
import * as L from "../../hw/core/layout.js";
import type { Kernel, Cpu } from "../kernel.js";
import { schedule, armSlice, schedTick, nrQueued } from "../sched/core.js";
import { psiMemstall, psiTick, psiWaitQueue } from "../sched/psi.js";
import { wakeUp } from "../sched/wait.js";
import { logInfo } from "../log.js";
import type { Task } from "../proc/task.js";
import { getField, setPc, setReg, REG_A0, REG_A7 } from "../arch/regs.js";
import { WORK_BUDGET_INSNS, workInsns } from "../sched/budget.js";
import { JUSTRETURN, RESTART_YIELD, ENOSYS, ERESTARTSYS, ERESTARTNOINTR, isRestart } from "../abi/errno.js";
import { hostfsEnd } from "../fs/hostfs/hostfs.js";
import { SYSCALL_NAMES } from "../abi/sysno.js";
import { handleFault, ACCESS_READ, ACCESS_WRITE, ACCESS_EXEC, FAULT_OK, FAULT_BUS, FAULT_OOM, FAULT_SEGV_ACCERR, FAULT_RETRY } from "../mm/fault.js";
import { exitBySignal } from "../proc/exit.js";
import { forceSignal, sendSignalGroup, deliverSignals, NO_FATAL_SIGNAL } from "../signal/signal.js";
import {
  SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGKILL, SI_KERNEL, SEGV_MAPERR, SEGV_ACCERR, BUS_ADRALN, BUS_ADRERR, ILL_ILLOPC, TRAP_BRKPT,
} from "../abi/signal.js";
import { handleExternalInterrupt } from "../drivers/irq.js";
import { oomSelect, oomVictimDying } from "../mm/oom.js";
import { reclaimRetry } from "../mm/alloc.js";
import { wakeKswapd } from "../proc/kthread.js";
import { budgetSync, budgetThrashCheck, REPLACEMENT_POLICIES } from "../mm/replace.js";
import { insnsToNs } from "../syscalls/time.js";
import { tracepoints, emit } from "../trace/tracepoint.js";
import { RLIMIT_RSS } from "../abi/resource.js";
import { watchTrap, watchSyscall, WATCH_BUSY } from "./watch.js";
import { ptraceSyscallEntry, ptraceSyscallDone, ptraceVforkWait } from "../proc/ptrace.js";

/**
 * Handle the trap the active hart took. Returns true when a syscall yielded
 * after a budget of work (RESTART_YIELD): the run loop then lets timers and the
 * host run before this hart goes on.
 */
export function handleTrap(k: Kernel, cpu: Cpu): boolean {
  const r = k.regs;
  const t = cpu.current!;
  const cause = r.w[L.SCAUSE / 4];
  const isInterrupt = (r.w[L.SCAUSE / 4 + 1] & 0x80000000) !== 0;
  const sepc = getField(r, L.SEPC);
  const w = k.host.watch;
  if (w !== null) watchTrap(w, t.tid, cause, isInterrupt);
  let preempt = false;
  let yielded = false;
  if (isInterrupt) {
    k.stats.interrupts++;
    setPc(r, sepc);
    if (cause === 5) preempt = timerInterrupt(k, cpu, t);
    else if (cause === 9) handleExternalInterrupt(k, cpu.id);
  } else if (cause === 8) {
    yielded = syscall(k, t, sepc);
    if (yielded) preempt = yieldResched(k, cpu, t);
  } else {
    setPc(r, sepc);
    preempt = userException(k, t, cause, getField(r, L.STVAL), sepc);
  }
  // sret: back to U-mode (a context switch below loads another task's registers instead).
  r.w[L.PRIV / 4] = 0;
  // A wake-up during the trap may have asked for this hart (the class's check_preempt_curr).
  if (cpu.needResched) preempt = true;
  if (cpu.current === t && (t.state !== "R" || preempt)) schedule(k, cpu, preempt && t.state === "R");
  returnToUser(k, cpu);
  if (w !== null) w[WATCH_BUSY] = 0;
  return yielded;
}

/**
 * The last step before the task on `cpu` runs user code (Linux's
 * exit_to_user_mode_loop): deliver its pending, unblocked signals. Delivery
 * may stop the task (a stop signal, a ptrace signal-delivery-stop) or end it;
 * then another task is picked, and that one is about to return to user mode
 * too, so the loop goes on until the task that holds the hart has nothing
 * left to take (or the hart is idle). Every switch-in reaches here: the
 * schedule() at the end of a trap, and the run loop's pick for a hart that
 * was idle or must reschedule (vmm/run.ts calls this before each turn, which
 * also stands for Linux's kick_process IPI: a signal sent from another hart
 * to a task running on this one is taken before this hart runs it again).
 * A task woken on its ecall reruns its syscall first (deliverSignals knows),
 * so a sleeping call still sees the signal and returns its restart code.
 */
export function returnToUser(k: Kernel, cpu: Cpu): void {
  for (;;) {
    const cur = cpu.current;
    if (cur === null || (cur.pending === 0n && cur.tg.sharedPending === 0n && !cur.interrupted)) return;
    const fatal = deliverSignals(k, cur);
    // The signal ends the process (a tracee with PTRACE_O_TRACEEXIT stops once first, PTRACE_EVENT_EXIT).
    if (fatal !== NO_FATAL_SIGNAL) exitBySignal(k, cur, fatal);
    if (cur.state === "R" && cpu.current === cur) return;
    // It stopped or died on its way out: whoever is picked next returns to user mode in its place.
    if (cpu.current === cur) schedule(k, cpu, false);
  }
}

/**
 * A syscall gave the CPU up after a budget of work: bring the clock up to
 * date (the host's, or the instret clock charged with the work done) and
 * preempt the task if its time slice is over and another task is waiting,
 * exactly as the timer interrupt would (Linux's cond_resched).
 */
function yieldResched(k: Kernel, cpu: Cpu, t: Task): boolean {
  if (k.clock === "instret") k.machine.tickClock(WORK_BUDGET_INSNS);
  else k.machine.syncClock();
  return schedTick(k, cpu, t);
}

/** The timer interrupt (a slice may have ended, a timer may be due): preempt if the class says so. */
function timerInterrupt(k: Kernel, cpu: Cpu, t: Task): boolean {
  k.stats.timerTicks++;
  // A PSI trigger fired (sched/psi.ts): its pollers look again.
  if (k.psi !== undefined && psiTick(k)) wakeUp(k, psiWaitQueue(k));
  if (schedTick(k, cpu, t)) return true;
  armSlice(k, t);
  return false;
}

/** Run the syscall in a7; returns true when it yielded (RESTART_YIELD). */
function syscall(k: Kernel, t: Task, sepc: number): boolean {
  const r = k.regs;
  const nr = r.w[REG_A7 * 2] + r.w[REG_A7 * 2 + 1] * 4294967296;
  k.stats.syscalls++;
  t.sysNr = nr;
  t.sysPc = sepc;
  t.sysA0Lo = r.w[REG_A0 * 2];
  t.sysA0Hi = r.w[REG_A0 * 2 + 1];
  const watch = k.host.watch;
  if (watch !== null) watchSyscall(k, watch, nr);
  // A traced process may stop here (syscall-entry stop): the ecall runs again when it is resumed.
  const pt = t.ptrace ?? null;
  if (pt !== null && ptraceSyscallEntry(k, t, pt, nr)) { setPc(r, sepc); return false; }
  const h = nr < k.syscalls.length ? k.syscalls[nr] : undefined;
  let ret: number;
  if (h === undefined) {
    ret = -ENOSYS;
    if (!k.enosysSeen.has(nr)) {
      k.enosysSeen.add(nr);
      logInfo(k, `${t.tg.comm}[${t.tg.pid}]: unimplemented syscall ${nr}${SYSCALL_NAMES[nr] ? ` (${SYSCALL_NAMES[nr]})` : ""}: ENOSYS`);
    }
  } else {
    const trace = k.host.traceSyscall;
    const args = trace ? [0, 1, 2, 3, 4, 5].map((i) => r.w[(REG_A0 + i) * 2] + r.w[(REG_A0 + i) * 2 + 1] * 4294967296) : null;
    try {
      if (nr === k.oopsSyscall) throw new Error(`test hook: oops in syscall ${nr}`);
      if (nr === k.hangSyscall) for (;;) { /* test hook: a hung kernel, for the host's watchdog to catch */ }
      k.vfs.hostfs.caller = t.tid;
      k.mmctx.vm.swap.uaccessTid = t.tid;
      ret = h(k, t);
      k.vfs.hostfs.caller = 0;
      k.mmctx.vm.swap.uaccessTid = 0;
    } catch (e) {
      k.vfs.hostfs.caller = 0;
      k.mmctx.vm.swap.uaccessTid = 0;
      k.mmctx.vm.swap.uaccessWait = false;
      k.cpus[k.active].workBytes = 0;
      oops(k, t, nr, e);
      return false;
    }
    // The kernel's copying takes virtual time on the instret clock (sched/budget.ts); a yield's budget tick pays for its own.
    const c = k.cpus[k.active];
    if (c.workBytes > 0) {
      if (k.clock === "instret" && ret !== RESTART_YIELD) k.machine.tickClock(workInsns(c.workBytes));
      c.workBytes = 0;
    }
    // A host answer that comes later (kernel/fs/hostfs/hostfs.ts): the syscall reruns once it has come.
    // (JUSTRETURN: the handler set the registers itself - execve's new program - and is done.)
    if (k.vfs.hostfs.journals.size !== 0 && hostfsEnd(k, t, ret < 0 && ret !== JUSTRETURN)) ret = -ERESTARTNOINTR;
    // A copyin/copyout met a swapped page the disk answers later (mm/uaccess.ts): the task sleeps in D
    // and its EFAULT was only that wait, so the call runs again once the page is in. A count stands (the
    // task returns it when it wakes).
    if (k.mmctx.vm.swap.uaccessWait) {
      k.mmctx.vm.swap.uaccessWait = false;
      if (ret < 0 && ret !== JUSTRETURN && !isRestart(ret) && ret !== RESTART_YIELD) ret = -ERESTARTNOINTR;
    }
    if (trace && args && !isRestart(ret) && ret !== RESTART_YIELD) trace(t, nr, args, ret);
  }
  if (ret < 0 && (isRestart(ret) || ret === RESTART_YIELD)) {
    // Asleep, interrupted, or gave the CPU up: leave pc on the ecall (and a0
    // as it was) so the syscall reruns when the task runs again; the restart
    // code tells signal delivery what a handler does to it.
    setPc(r, sepc);
    t.sysRestart = ret === RESTART_YIELD ? ERESTARTSYS : -ret;
    t.sysSlept = t.state !== "R";
    // A vfork parent waits for its child: a traced one has the child traced first.
    if (pt !== null && t.restart?.kind === "vfork") ptraceVforkWait(k, t, pt, nr, t.restart.child);
    return ret === RESTART_YIELD;
  }
  t.sysNr = -1;
  t.sysRestart = 0;
  if (ret === JUSTRETURN) {
    if (pt !== null) ptraceSyscallDone(k, t, pt, nr, 0, true);
    return false;
  }
  setReg(r, REG_A0, ret);
  setPc(r, sepc + 4);
  if (pt !== null) ptraceSyscallDone(k, t, pt, nr, ret, false);
  return false;
}

/**
 * A TypeScript exception inside a syscall handler is an oops: the kernel
 * logs it with its stack and kills the calling process; the system goes on.
 */
function oops(k: Kernel, t: Task, nr: number, e: unknown): void {
  const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
  logInfo(k, `oops: ${t.tg.comm}[${t.tg.pid}] in syscall ${nr} (${SYSCALL_NAMES[nr] ?? "?"}): ${msg.split("\n").slice(0, 6).join(" | ")}`);
  setPc(k.regs, getField(k.regs, L.SEPC) + 4);
  forceSignal(k, t, SIGKILL, 0, 0);
}

/**
 * A page fault found no frame, even after direct reclaim (userException):
 * the OOM killer chooses and we kill. A victim other than
 * the faulting task dies by a group SIGKILL marked as sent by the kernel;
 * the faulting task gives up the CPU (returns true: reschedule) so that the
 * victim runs, dies and frees its memory, and retries its access after -
 * without that, on the instret clock, the retried fault would spin with no
 * time passing and the victim would never run.
 */
function outOfMemory(k: Kernel, t: Task): boolean {
  const victim = oomSelect(k, t);
  if (victim === t.tg) { forceSignal(k, t, SIGKILL, 0, 0); return false; }
  if (victim) sendSignalGroup(k, victim, { signo: SIGKILL, code: SI_KERNEL, addr: 0, pid: 0, uid: 0, status: 0 });
  return true;
}

/** A synchronous exception from user mode; returns true when the task should give up the CPU. */
function userException(k: Kernel, t: Task, cause: number, stval: number, sepc: number): boolean {
  switch (cause) {
    case 12: case 13: case 15: {
      const access = cause === 12 ? ACCESS_EXEC : cause === 13 ? ACCESS_READ : ACCESS_WRITE;
      if (!t.mm) { forceSignal(k, t, SIGSEGV, SEGV_MAPERR, stval); return false; }
      k.stats.pageFaults++;
      const cow = t.mm.stats.cowFaults;
      k.vfs.hostfs.caller = t.tid;
      // The frame budget follows RLIMIT_RSS and the replacement policy (mm/replace.ts).
      budgetSync(k.mmctx, t.mm, t.tg.rlimits[RLIMIT_RSS].cur);
      const bud = t.mm.budget;
      const budFaults = bud === null ? 0 : bud.faults, budRefs = bud === null ? 0 : bud.refs;
      // What makes a memory stall (PSI, sched/psi.ts): refaults of file and budget pages, swap-ins, direct reclaim.
      const vc = k.mmctx.vm.counters;
      const stall0 = vc.workingsetRefaultFile + vc.allocstall, swapIn0 = k.mmctx.vm.swap.pswpin, budRefaults0 = bud === null ? 0 : bud.refaults;
      let res = handleFault(k.mmctx, t.mm, stval, access, t);
      // Direct reclaim, as inside Linux's page allocator: what it frees goes
      // to this very fault. Returning to the user first would let the retried
      // instruction's fetch take the frame, and a reclaimed code page and the
      // page its store needs could take turns for ever, with no progress.
      if (res === FAULT_OOM && !oomVictimDying(k, t) && reclaimRetry(k.mmctx)) res = handleFault(k.mmctx, t.mm, stval, access, t);
      k.vfs.hostfs.caller = 0;
      const swapIns = k.mmctx.vm.swap.pswpin - swapIn0, budRefaults = bud === null ? 0 : bud.refaults - budRefaults0;
      const stalls = vc.workingsetRefaultFile + vc.allocstall - stall0 + (swapIns > budRefaults ? swapIns : budRefaults);
      if (stalls > 0) {
        const ns = psiMemstall(k, stalls, nrQueued(k));
        // The stall is not the task's CPU time: a hart charged by the clock skips it.
        if (k.clock === "instret") k.cpus[k.active].acctNs += ns;
      }
      if (bud !== null && bud.refs !== budRefs) {
        const tp = tracepoints(k).mm_page_ref;
        if (tp) emit(tp, { pid: t.tg.pid, comm: t.tg.comm, va: Math.floor(stval / 4096) * 4096, fault: bud.faults !== budFaults });
        if (bud.faults !== budFaults) {
          const rate = budgetThrashCheck(bud, insnsToNs(t.utime + t.stime), k.mmctx.vm.thrashThreshold);
          if (rate >= 0) logInfo(k, `thrashing: pid ${t.tg.pid} (${t.tg.comm}): ${rate} refaults per CPU second, budget ${bud.limit} frames, policy ${REPLACEMENT_POLICIES[bud.policy]}`);
        }
      }
      if (t.mm.stats.cowFaults !== cow) k.stats.cowFaults++;
      // A page of a host file whose bytes the host has not sent yet: the task sleeps, the access reruns.
      if (k.vfs.hostfs.journals.size !== 0 && hostfsEnd(k, t, true)) return true;
      // A swap read the disk answers later: the task sleeps in D (swap.ts); the access reruns when it wakes.
      if (res === FAULT_RETRY) { t.majFlt++; return true; }
      if (res === FAULT_OK) { t.minFlt++; wakeKswapd(k); return false; }
      if (res === FAULT_BUS) { forceSignal(k, t, SIGBUS, BUS_ADRERR, stval); return false; }
      if (res === FAULT_OOM) return outOfMemory(k, t);
      forceSignal(k, t, SIGSEGV, res === FAULT_SEGV_ACCERR ? SEGV_ACCERR : SEGV_MAPERR, stval);
      return false;
    }
    case 2: {
      // riscv Linux reports every illegal instruction, privileged ones included, as ILL_ILLOPC.
      forceSignal(k, t, SIGILL, ILL_ILLOPC, sepc);
      return false;
    }
    case 3: forceSignal(k, t, SIGTRAP, TRAP_BRKPT, sepc); return false;
    case 0: case 4: case 6: forceSignal(k, t, SIGBUS, BUS_ADRALN, stval); return false;
    default: forceSignal(k, t, SIGSEGV, SEGV_ACCERR, stval); return false;
  }
}
