// The timer dispatcher: fires every due kernel timer by its kind. Timers are
// tagged records (kernel/time/timer.ts) rather than closures, so the one
// place that knows what each kind does is this switch, at the kernel-loop
// level of the layer chain where it may call any subsystem without an upward
// import. A new kind of timer is one more variant of KTimer and one more case
// here.
//
// Concepts: C12 (the timer interrupt wakes sleepers and drives alarm()), C22
// (a timed sleep ends by a wake-up), C44 (itimers raise SIGALRM/SIGVTALRM/SIGPROF), C45 (a link-local
// connect's neighbour discovery gives up).
import type { Kernel } from "./kernel.js";
import type { KTimer } from "./time/timer.js";
import { nowNs } from "./time/clock.js";
import { wakeTask } from "./sched/wait.js";
import { itimerFire } from "./syscalls/signal.js";
import { sampleLoad } from "./fs/proc/loadavg.js";
import { writebackTick } from "./fs/hostfs/hostfs.js";
import { blockWritebackTick } from "./block/buffer.js";
import { ext3CommitTimer } from "./fs/ext2/journal.js";
import { timerfdFire } from "./fs/timerfd.js";
import { posixTimerFire } from "./syscalls/posix_timers.js";
import { neighFail } from "./net/inet.js";

/** Do what timer `tm` is for (its deadline has passed; `now` is kernel time). */
function fire(k: Kernel, tm: KTimer, now: number): void {
  switch (tm.kind) {
    case "wake": {
      // Only if the task still sleeps towards a deadline that has passed (it may have woken and slept again since).
      const t = tm.task;
      if ((t.state === "S" || t.state === "D") && t.wakeAt !== 0 && t.wakeAt <= now) {
        t.timedOut = true;
        wakeTask(k, t);
      }
      return;
    }
    case "itimer": itimerFire(k, tm.tgid, tm.which, tm.gen); return;
    case "timerfd": timerfdFire(k, tm.tfd, tm.gen); return;
    case "posixTimer": posixTimerFire(k, tm.tgid, tm.id, tm.gen); return;
    case "loadavg": sampleLoad(k); return;
    case "writeback": writebackTick(k); return;
    case "blockWriteback": blockWritebackTick(k); return;
    case "jbd2": ext3CommitTimer(k, tm.sb); return;
    case "neigh": neighFail(k, tm.sock, tm.at); return;
    default: {
      const never: never = tm;
      throw new Error(`timer of unknown kind ${(never as { kind: string }).kind}`);
    }
  }
}

/** Fire every timer whose deadline has passed (deferrable ones first). */
export function runTimers(k: Kernel): void {
  const now = nowNs(k);
  while (k.deferred.length && k.deferred[0].at <= now) fire(k, k.deferred.shift()!, now);
  while (k.timers.length && k.timers[0].at <= now) fire(k, k.timers.shift()!, now);
}

/**
 * At halt: fire the journals' commit timers now, whatever their deadline.
 * The halt loop waits for the disks, not for time, and an ext3 unmount or
 * final sync on a disk that answers later is finished by these timers
 * (fs/ext2/journal.ts).
 */
export function flushJournalTimers(k: Kernel): void {
  if (!k.timers.some((t) => t.kind === "jbd2")) return;
  const due = k.timers.filter((t) => t.kind === "jbd2");
  k.timers = k.timers.filter((t) => t.kind !== "jbd2");
  const now = nowNs(k);
  for (const t of due) fire(k, t, now);
}
