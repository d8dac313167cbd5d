// Kernel threads: making them at boot and waking them. A kernel thread is a
// task of its own thread group with no mm, no user context, PPID 0 and
// session/group 0, and an empty command line (so `ps` shows its name in
// brackets, `[kswapd0]`); signals are not delivered to it (signal.ts), as
// Linux's kernel threads ignore them. Its body is a tag (Task.kthread) that
// sched/kthread.ts turns into kernel work when the scheduler picks it.
//
// kswapd0 (Linux's per-node reclaim thread): it sleeps (S) on the reclaim
// state's wait queue; after a page fault that leaves free frames below the
// low watermark, wakeKswapd wakes it (R); the scheduler runs it on a hart
// when its turn comes, it reclaims up to the high watermark and sleeps
// again. Its time shows as stime in /proc/PID/stat, its work as
// pgscan_kswapd/pgsteal_kswapd/pageoutrun in /proc/vmstat. Direct reclaim
// (an allocation that found no frame at all) stays in the faulting task.
//
// Concepts: C54 (kswapd), C21 (a kernel thread in the process table), C22
// (S while idle, R when woken).
import type { Kernel } from "../kernel.js";
import type { FsContext } from "../fs/vfs.js";
import type { Task } from "./task.js";
import { allocPid } from "./task.js";
import { newThreadGroup, newTask } from "./spawn.js";
import { createFdTable } from "../fs/fdtable.js";
import { createWaitQueue, wakeUp } from "../sched/wait.js";
import { KTHREAD_KSWAPD } from "../sched/kthread.js";
import { kswapd, kswapdWanted } from "../mm/reclaim.js";

/** Make kernel thread `name` with body `body`, asleep on `wq`. */
function spawnKthread(k: Kernel, name: string, body: number, fs: FsContext): Task {
  const pid = allocPid(k);
  const tg = newThreadGroup(k, pid, null);
  tg.comm = name;
  tg.cmdline = [];
  tg.exe = "";
  tg.pgid = 0;
  tg.sid = 0;
  const t = newTask(k, pid, tg, createFdTable(), fs);
  t.comm = name;
  t.kthread = body;
  t.state = "S";
  t.sched.isNew = 0;
  t.sched.arrivalNs = -1;
  return t;
}

/** Boot: start kswapd0 (asleep until memory runs low). */
export function startKthreads(k: Kernel, fs: FsContext): void {
  const rs = k.mmctx.vm.reclaim;
  const wq = createWaitQueue("kswapd");
  const t = spawnKthread(k, "kswapd0", KTHREAD_KSWAPD, fs);
  t.waitingOn = wq;
  wq.waiters.push(t);
  rs.kswapdWait = wq;
  rs.kswapdTid = t.tid;
}

/**
 * After a page fault: wake kswapd0 when free frames are below the low
 * watermark (and its pace allows). A kernel without the thread reclaims
 * inline. Allocation-free; cheap when memory is plentiful.
 */
export function wakeKswapd(k: Kernel): void {
  if (!kswapdWanted(k.mmctx)) return;
  const rs = k.mmctx.vm.reclaim;
  const wq = rs.kswapdWait;
  if (!rs.kswapdTid || !wq) { kswapd(k.mmctx); return; }
  if (wq.waiters.length !== 0) wakeUp(k, wq);
}
