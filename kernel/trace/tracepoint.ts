// Tracepoints: named points in the kernel (syscall exit, context switch, page
// fault, interrupt, signal, process life cycle, block I/O, tty signals) that
// subscribers - the strace-like printer, Gantt charts, dashboards, tests -
// can listen to. A tracepoint with no subscriber costs one property read and
// a null check at its call site:
//
//     const s = tracepoints(k).sched_switch;
//     if (s) emit(s, { cpu, prev, next, nowNs });
//
// Subscribers are per kernel (several machines may run in one process).
//
// Concepts: C04 (the syscall trace), C12/C29 (scheduler trace), C53 (page
// faults), C11 (interrupts); DESIGN.md "trace/".
import type { Kernel } from "../kernel.js";
import type { Task, TaskState } from "../proc/task.js";

/** The task states the sched_state tracepoint reports. */
export type SchedState = "new" | "ready" | "running" | "blocked" | "stopped" | "exit";
import { JUSTRETURN } from "../abi/errno.js";

/** The events and their payloads. */
export interface TraceEvents {
  /**
   * A system call finished: `raw` holds the six argument registers exactly
   * (64-bit), `args` the same as numbers (inexact above 2^53), `ret` the
   * handler's result; when that is JUSTRETURN (the handler set the registers
   * itself: execve, sched_yield, rt_sigreturn) `a0` is what the task sees.
   */
  sys_exit: { t: Task; nr: number; args: number[]; raw: bigint[]; ret: number; a0: bigint | null };
  /**
   * A hart switched tasks (null = idle). `prevState` is the state `prev` left
   * in ("R": preempted or yielded, still runnable; "S"/"D": blocked; "T":
   * stopped; "X": exited), null when the hart was idle - Linux's prev_state.
   */
  sched_switch: { cpu: number; prev: Task | null; next: Task | null; nowNs: number; prevState: TaskState | null };
  /** A sleeping (or new) task became runnable and was queued on hart `cpu`. */
  sched_wakeup: { t: Task; cpu: number; nowNs: number };
  /**
   * A task's scheduling state changed (C22's state diagram): "new" when it is
   * first made runnable, "ready" when it waits on a run queue, "running" on a
   * hart, "blocked" asleep (S or D), "stopped" by a signal, "exit" gone
   * (its process becomes a zombie when its last thread goes).
   */
  sched_state: { t: Task; state: SchedState; nowNs: number };
  /** A runnable task was queued on another hart than the one it last ran on. */
  sched_migrate: { t: Task; from: number; to: number; nowNs: number };
  /** A page fault was handled (result: the fault handler's code). */
  page_fault: { t: Task; addr: number; access: number; result: number };
  /**
   * A process with a frame budget referenced one of its budgeted pages and
   * the kernel saw it (mm/replace.ts): `fault` when the page was not
   * resident (first touch or refault), else a trap on a parked page
   * (lru-exact sees every change of page this way).
   */
  mm_page_ref: { pid: number; comm: string; va: number; fault: boolean };
  /** An external interrupt was handled. */
  irq: { irq: number; cpu: number };
  /** A signal was sent to a process or thread. */
  signal_generate: { sig: number; pid: number; tid: number };
  /** clone: `parent` (a pid) made task `child` (its tid); `thread`: it joined the parent's process (CLONE_THREAD). */
  process_fork: { parent: number; child: number; pid: number; thread: boolean; nowNs: number };
  process_exec: { pid: number; path: string };
  /**
   * A task (thread) `tid` of process `pid` exited; `thread` is true while
   * other threads of the process remain (false: the process is a zombie now,
   * `status` as wait4 will report it).
   */
  process_exit: { pid: number; tid: number; status: number; thread: boolean; nowNs: number };
  /** Block I/O submitted. */
  block_rq: { write: boolean; sector: number; bytes: number };
  /** A terminal sent a job-control signal to its foreground group (^C, ^Z, ^\). */
  tty_signal: { tty: string; sig: number; pgrp: number };
}

export type TraceName = keyof TraceEvents;
export type TraceFn<K extends TraceName> = (ev: TraceEvents[K]) => void;
/** Subscribers by event; an absent key means "nobody listens". */
export type Tracepoints = { [K in TraceName]?: TraceFn<K>[] };

const EMPTY: Tracepoints = Object.freeze({}) as Tracepoints;

/** The subscriber lists of kernel `k` (read-only view; empty when tracing was never used). */
export function tracepoints(k: Kernel): Tracepoints {
  return k.host.tracepoints ?? EMPTY;
}

/** Call every subscriber (a throwing subscriber is dropped, never the kernel). */
export function emit<K extends TraceName>(subs: TraceFn<K>[], ev: TraceEvents[K]): void {
  for (let i = 0; i < subs.length; i++) {
    try {
      subs[i](ev);
    } catch {
      subs.splice(i--, 1);
    }
  }
}

/** Fire `name` if anyone listens (convenience for call sites that already built the event). */
export function trace<K extends TraceName>(k: Kernel, name: K, ev: TraceEvents[K]): void {
  const s = tracepoints(k)[name] as TraceFn<K>[] | undefined;
  if (s) emit(s, ev);
}

/** Subscribe to `name`; returns the function that unsubscribes. */
export function subscribe<K extends TraceName>(k: Kernel, name: K, fn: TraceFn<K>): () => void {
  let tp = k.host.tracepoints;
  if (!tp) { tp = {}; k.host.tracepoints = tp; }
  const list = ((tp[name] as TraceFn<K>[] | undefined) ?? []).concat([fn]);
  (tp as Record<string, unknown>)[name] = list;
  if (name === "sys_exit" && !k.host.traceSyscall) installSyscallHook(k);
  return () => {
    const cur = k.host.tracepoints;
    const l = cur?.[name] as TraceFn<K>[] | undefined;
    if (!cur || !l) return;
    const rest = l.filter((f) => f !== fn);
    if (rest.length) (cur as Record<string, unknown>)[name] = rest;
    else {
      delete (cur as Record<string, unknown>)[name];
      if (name === "sys_exit") k.host.traceSyscall = null;
    }
  };
}

/**
 * The trap path calls k.host.traceSyscall after every syscall when it is set; it
 * is installed while sys_exit has subscribers and feeds them.
 */
function installSyscallHook(k: Kernel): void {
  k.host.traceSyscall = (t, nr, args, ret) => {
    const s = tracepoints(k).sys_exit;
    if (!s) return;
    const regs = taskRegs(k, t);
    emit(s, { t, nr, args, raw: exactArgs(t, regs, args, ret), ret, a0: ret === JUSTRETURN && regs ? reg(regs, 10) : null });
  };
}

/** Bytes of a saved user context (proc/task.ts CTX_BYTES): x0-x31 first. */
const CTX_WORDS = 536 / 4;

/**
 * The task's user registers as 32-bit words: live on the hart when it is the
 * one running there, else the context saved when it was switched out (a
 * handler such as sched_yield may already have scheduled another task).
 */
function taskRegs(k: Kernel, t: Task): Uint32Array | null {
  if (t.state === "Z" || t.state === "X") return null;
  if (k.cpus[k.active]?.current === t) return k.regs.w;
  return new Uint32Array(t.ctx.buffer, t.ctx.byteOffset, CTX_WORDS);
}

function reg(w: Uint32Array, n: number): bigint {
  return (BigInt(w[n * 2 + 1]) << 32n) | BigInt(w[n * 2]);
}

/**
 * The argument registers exactly. The hook runs right after the handler,
 * before a0 is overwritten with the result: a1-a5 are still in the task's
 * registers and a0 was saved at entry (t.sysA0Lo/Hi). After execve or
 * sigreturn (JUSTRETURN) the registers belong to the new context, so the
 * numbers passed in are used instead.
 */
function exactArgs(t: Task, regs: Uint32Array | null, args: number[], ret: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < 6; i++) {
    if (i === 0) out.push((BigInt(t.sysA0Hi >>> 0) << 32n) | BigInt(t.sysA0Lo >>> 0));
    else if (regs && ret !== JUSTRETURN) out.push(reg(regs, 10 + i));
    else out.push(BigInt.asUintN(64, BigInt(Math.trunc(args[i] ?? 0))));
  }
  return out;
}
