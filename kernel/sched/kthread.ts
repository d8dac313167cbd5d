// Kernel threads' bodies. A kernel thread (proc/kthread.ts makes them) is a
// task with no address space and no user context whose work is a kernel
// function; the function is named by a tag in the task (Task.kthread), not
// held as a closure, so the task stays plain data that a snapshot copies.
// When the scheduler picks one (sched/core.ts), kthreadBody runs its work in
// kernel context on that hart, puts it back to sleep on its wait queue, and
// returns the kernel time the work took, which the scheduler charges to the
// thread as system time (and, on the instret clock, moves the clock by).
//
// The work itself takes no instructions in tsix (the kernel is TypeScript
// outside the machine), so its time is a cost model: for kswapd0,
// KSWAPD_RUN_NS per run and KSWAPD_SCAN_NS per frame scanned (Linux's
// shrink_folio_list takes a few hundred ns a page on current hardware).
//
// Concepts: C54 (kswapd: background page replacement in its own thread),
// C21/C22 (a kernel thread is a PCB in the process table, asleep (S) on a
// wait queue until woken), C02 (its time is system time).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { WaitQueue } from "./wait.js";
import { kswapdRun } from "../mm/reclaim.js";

/** Task.kthread: kswapd0, background reclaim (mm/reclaim.ts). */
export const KTHREAD_KSWAPD = 1;

/** Kernel time a kswapd run costs, plus KSWAPD_SCAN_NS for every frame it scans. */
export const KSWAPD_RUN_NS = 2_000;
export const KSWAPD_SCAN_NS = 500;

/** `t` goes to sleep (S) on `wq` with no deadline (sleepOn, without the import cycle through core.ts). */
function sleepOnQueue(t: Task, wq: WaitQueue): void {
  if (!wq.waiters.includes(t)) wq.waiters.push(t);
  t.waitingOn = wq;
  t.wakeAt = 0;
  t.timedOut = false;
  t.interrupted = false;
  t.state = "S";
}

/** Run kernel thread `t`'s work once, leave it asleep, and return the kernel time (ns) the work took. */
export function kthreadBody(k: Kernel, t: Task): number {
  switch (t.kthread) {
    case KTHREAD_KSWAPD: {
      const scanned = kswapdRun(k.mmctx);
      const wq = k.mmctx.vm.reclaim.kswapdWait;
      if (wq) sleepOnQueue(t, wq); else t.state = "S";
      return KSWAPD_RUN_NS + scanned * KSWAPD_SCAN_NS;
    }
    default:
      // A tag this kernel does not know (from a newer snapshot): the thread sleeps for good.
      t.state = "S";
      return 0;
  }
}
