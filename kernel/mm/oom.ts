// Out of memory: when no frame can be found for a fault (and reclaim freed
// nothing), the OOM killer picks a victim as Linux's mm/oom_kill.c does and
// logs it to the kernel log in Linux's words. It only chooses: the caller
// above (trap/trap.ts) sends the SIGKILL, so mm/ never reaches up into
// signal delivery.
//
//   badness   = rss + swap entries + page-table pages
//               + oom_score_adj * (totalpages / 1000)       (oom_badness)
//               where totalpages = RAM + swap pages; init, zombies and
//               oom_score_adj = -1000 are never chosen. The highest badness
//               dies (a tie goes to the later process, as Linux's scan).
//   oom_score = (1000 + badness * 1000 / totalpages) * 2 / 3, 0 when
//               unkillable (/proc/PID/oom_score, proc_oom_score).
//   vm.oom_kill_allocating_task = 1: the task whose fault failed dies, if
//               it may be killed at all.
//   vm.panic_on_oom = 1 or 2: no victim; the kernel panics (Linux halts;
//               tsix stops the machine with "Kernel panic - not syncing:
//               Out of memory: ... panic_on_oom is enabled" and a nonzero
//               status). With no killable process at all it panics too
//               ("System is deadlocked on memory"), as Linux.
// Before the choice the log gets Linux's dump_header and dump_tasks lines:
// "<comm> invoked oom-killer: ...", the task table ("[  pid  ]   uid  tgid
// total_vm      rss pgtables_bytes swapents oom_score_adj name" and one row
// per killable process), then "Out of memory: Killed process N (comm)
// total-vm:..kB, anon-rss:..kB, file-rss:..kB, shmem-rss:..kB, UID:..
// pgtables:..kB oom_score_adj:..".
//
// Concepts: C56 (OOM killer, badness score, SIGKILL, kernel log).
import type { Kernel } from "../kernel.js";
import type { Task, ThreadGroup } from "../proc/task.js";
import type { MM } from "./mm.js";
import { logInfo } from "../log.js";
import { FRAME_ANON, FRAME_SHMEM, PAGE_SIZE, RAM_BASE } from "./phys.js";
import { forEachPte, ptePa } from "./pagetable.js";
import { pageTablePages, swapEntries } from "./pgwalk.js";
import { totalRamPages } from "./vmstate.js";
import { vtToArray } from "./vma_tree.js";

/** RAM plus swap, in pages: what badness is measured against (CONSTRAINT_NONE). */
export function oomTotalPages(k: Kernel): number {
  return totalRamPages(k.pm) + k.mmctx.vm.swapPages;
}

function mmOf(tg: ThreadGroup): MM | null {
  const mm = tg.threads.find((t) => t.mm && t.mm.root)?.mm;
  return mm ?? null;
}

/** Linux's oom_badness: null when the process may never be chosen (init, a zombie, no memory, oom_score_adj -1000). */
export function oomBadness(k: Kernel, tg: ThreadGroup): number | null {
  if (tg.pid === 1 || tg.zombie) return null;
  const mm = mmOf(tg);
  if (!mm || tg.oomScoreAdj === -1000) return null;
  const points = mm.rss + swapEntries(k.pm, mm) + pageTablePages(k.pm, mm.root);
  return points + tg.oomScoreAdj * Math.floor(oomTotalPages(k) / 1000);
}

/** /proc/PID/oom_score: badness scaled to 0..2000 (0 when the process is never chosen). */
export function oomScore(k: Kernel, tg: ThreadGroup): number {
  const b = oomBadness(k, tg);
  if (b === null) return 0;
  return Math.max(0, Math.trunc(((1000 + Math.trunc((b * 1000) / oomTotalPages(k))) * 2) / 3));
}

/** An address space's resident pages by kind (MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES) and its size. */
function mmCounters(k: Kernel, mm: MM): { totalVm: number; anon: number; file: number; shmem: number } {
  const c = { totalVm: 0, anon: 0, file: 0, shmem: 0 };
  const pm = k.pm;
  for (const v of vtToArray(mm.vmaTree)) {
    c.totalVm += (v.end - v.start) / PAGE_SIZE;
    forEachPte(pm, mm.root, v.start, v.end, (_va, _a, pte) => {
      const own = pm.owner[(ptePa(pte) - RAM_BASE) / PAGE_SIZE];
      if (own === FRAME_ANON) c.anon++;
      else if (own === FRAME_SHMEM) c.shmem++;
      else c.file++;
    });
  }
  return c;
}

/** Linux's dump_header and dump_tasks: who asked, then one row per process the killer could choose. */
function dumpHeader(k: Kernel, faulting: Task): void {
  logInfo(k, `${faulting.tg.comm} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=${faulting.tg.oomScoreAdj}`);
  logInfo(k, "Tasks state (memory values in pages):");
  logInfo(k, "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
  for (const tg of k.groups.values()) {
    if (tg.pid === 1 || tg.zombie) continue;
    const mm = mmOf(tg);
    if (!mm) continue;
    const c = mmCounters(k, mm);
    const row = `[${String(tg.pid).padStart(7)}] ${String(tg.creds.uid).padStart(5)} ${String(tg.pid).padStart(5)} ` +
      `${String(c.totalVm).padStart(8)} ${String(mm.rss).padStart(8)} ${String(pageTablePages(k.pm, mm.root) * PAGE_SIZE).padStart(8)} ` +
      `${String(swapEntries(k.pm, mm)).padStart(8)}         ${String(tg.oomScoreAdj).padStart(5)} ${tg.comm}`;
    logInfo(k, row);
  }
}

/** Stop the machine as Linux's panic() does (the vmm sees halted; the CLI reports the log's panic line). */
function oomPanic(k: Kernel, why: string): void {
  logInfo(k, `Kernel panic - not syncing: ${why}`);
  k.exitStatus = 1;
  k.halted = true;
}

/**
 * Whether a victim the OOM killer chose before (not the faulting task's
 * process) is still dying: its memory is on the way, so the faulting task
 * should wait for it rather than reclaim or kill again.
 */
export function oomVictimDying(k: Kernel, faulting: Task): boolean {
  const vm = k.mmctx.vm;
  const dying = vm.oomVictim !== 0 ? k.groups.get(vm.oomVictim) : undefined;
  return dying !== undefined && !dying.zombie && dying !== faulting.tg;
}

/**
 * Choose the process to kill (Linux's out_of_memory): the highest badness,
 * or the faulting one under vm.oom_kill_allocating_task; none under
 * vm.panic_on_oom (the kernel panics). Logs the header, the task table and
 * the kill, and counts it (oom_kill in /proc/vmstat). Returns null while the
 * last victim is still dying (the caller lets it run) and after a panic.
 */
export function oomSelect(k: Kernel, faulting: Task): ThreadGroup | null {
  const vm = k.mmctx.vm;
  // A victim chosen before is still dying: wait for its memory rather than
  // kill a second process (Linux's oom_victims / tsk_is_oom_victim check).
  if (oomVictimDying(k, faulting)) return null;
  if (vm.panicOnOom !== 0) {
    dumpHeader(k, faulting);
    oomPanic(k, `Out of memory: ${vm.panicOnOom === 2 ? "compulsory" : "system-wide"} panic_on_oom is enabled`);
    return null;
  }
  let victim: ThreadGroup | null = null;
  let message = "Out of memory";
  if (vm.oomKillAllocatingTask && oomBadness(k, faulting.tg) !== null) {
    victim = faulting.tg;
    message = "Out of memory (oom_kill_allocating_task)";
  } else {
    let best = -Infinity;
    for (const tg of k.groups.values()) {
      const b = oomBadness(k, tg);
      if (b === null || b < best) continue;
      best = b;
      victim = tg;
    }
  }
  dumpHeader(k, faulting);
  if (!victim) {
    logInfo(k, "Out of memory and no killable processes...");
    oomPanic(k, "System is deadlocked on memory");
    return null;
  }
  const mm = mmOf(victim)!;
  const c = mmCounters(k, mm);
  logInfo(k, `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=${victim.comm},pid=${victim.pid},uid=${victim.creds.uid}`);
  logInfo(k, `${message}: Killed process ${victim.pid} (${victim.comm}) total-vm:${c.totalVm * 4}kB, anon-rss:${c.anon * 4}kB, ` +
    `file-rss:${c.file * 4}kB, shmem-rss:${c.shmem * 4}kB, UID:${victim.creds.uid} pgtables:${pageTablePages(k.pm, mm.root) * 4}kB ` +
    `oom_score_adj:${victim.oomScoreAdj}`);
  vm.oomVictim = victim.pid;
  vm.counters.oomKill++;
  return victim;
}
