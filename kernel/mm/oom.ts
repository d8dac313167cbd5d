// Out of memory: when no frame can be found for a fault (and reclaim freed
// nothing), the OOM killer picks a victim by badness (resident pages,
// adjusted by oom_score_adj) and logs it to the kernel log as Linux does.
// It only chooses: the caller above (trap/trap.ts) sends the SIGKILL, so mm/
// never reaches up into signal delivery.
//
// Concepts: C56 (OOM killer, badness score, SIGKILL, kernel log).
import type { Kernel } from "../kernel.js";
import type { Task, ThreadGroup } from "../proc/task.js";
import { logInfo } from "../log.js";

/** Linux-style badness: resident pages scaled to 0..1000 of RAM, plus oom_score_adj. */
export function oomBadness(k: Kernel, tg: ThreadGroup): number {
  const mm = tg.threads[0]?.mm;
  if (!mm || tg.pid === 1) return 0;
  const points = Math.round((mm.rss * 1000) / k.pm.frames) + tg.oomScoreAdj;
  return Math.max(0, Math.min(2000, points));
}

/**
 * Choose the process to kill: the one with the highest badness, or the
 * faulting one under vm.oom_kill_allocating_task. Logs the choice (dmesg's
 * "Out of memory: Killed process ...") and counts it (oom_kill in
 * /proc/vmstat). Returns null while the last victim is still dying (the
 * caller lets it run). If the victim is not the faulting task, the fault
 * retries once the victim's memory is freed.
 */
export function oomSelect(k: Kernel, faulting: Task): ThreadGroup | null {
  const vm = k.mmctx.vm;
  // A victim chosen before is still dying: wait for its memory rather than
  // kill a second process (Linux's oom_victims / tsk_is_oom_victim check).
  const dying = vm.oomVictim !== 0 ? k.groups.get(vm.oomVictim) : undefined;
  if (dying && !dying.zombie && dying !== faulting.tg) return null;
  let victim: ThreadGroup | null = null;
  let best = -1;
  if (k.mmctx.vm.oomKillAllocatingTask && faulting.tg.pid !== 1) {
    victim = faulting.tg;
    best = oomBadness(k, victim);
  } else {
    for (const tg of k.groups.values()) {
      if (tg.zombie) continue;
      const b = oomBadness(k, tg);
      if (b > best) { best = b; victim = tg; }
    }
  }
  if (!victim) victim = faulting.tg;
  vm.oomVictim = victim.pid;
  vm.counters.oomKill++;
  logInfo(k, `Out of memory: Killed process ${victim.pid} (${victim.comm}) total-vm:${(victim.threads[0]?.mm?.rss ?? 0) * 4}kB, oom_score ${best}`);
  return victim;
}
