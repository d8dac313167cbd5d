// Out of memory: when no frame can be found for a fault, the OOM killer picks
// a victim by badness (resident pages, adjusted by oom_score_adj) and kills it
// with SIGKILL, logging to the kernel log as Linux does.
//
// Concepts: C56 (OOM killer, badness score, SIGKILL, kernel log).
import type { Kernel } from "../kernel.js";
import type { Task, ThreadGroup } from "../proc/task.js";
import { logInfo } from "../log.js";
import { forceSignal, sendSignalGroup } from "../signal/signal.js";
import { SIGKILL } from "../abi/signal.js";

/** Linux-style badness: resident pages scaled to 0..1000 of RAM, plus oom_score_adj. */
export function oomBadness(k: Kernel, tg: ThreadGroup): number {
  const mm = tg.threads[0]?.mm;
  if (!mm || tg.pid === 1) return 0;
  const points = Math.round((mm.rss * 1000) / k.pm.frames) + tg.oomScoreAdj;
  return Math.max(0, Math.min(2000, points));
}

/** Kill the process with the highest badness; if it is not the faulting one, the fault retries. */
export function oomKill(k: Kernel, faulting: Task): void {
  let victim: ThreadGroup | null = null;
  let best = -1;
  for (const tg of k.groups.values()) {
    if (tg.zombie) continue;
    const b = oomBadness(k, tg);
    if (b > best) { best = b; victim = tg; }
  }
  if (!victim) victim = faulting.tg;
  logInfo(k, `Out of memory: Killed process ${victim.pid} (${victim.comm}) total-vm:${(victim.threads[0]?.mm?.rss ?? 0) * 4}kB, oom_score ${best}`);
  if (victim === faulting.tg) forceSignal(k, faulting, SIGKILL, 0, 0);
  else sendSignalGroup(k, victim, { signo: SIGKILL, code: 0x80, addr: 0, pid: 0, uid: 0, status: 0 });
}
