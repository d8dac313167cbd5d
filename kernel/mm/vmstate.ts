// The memory manager's own state beside the frame table: the vm.* settings
// it obeys (overcommit policy, OOM policy), commit accounting (Linux's
// vm_committed_as: how much anonymous memory processes were promised) and
// the event counters /proc/vmstat shows for reclaim and the OOM killer.
// Plain data, reached through the MmContext (k.mmctx.vm).
//
// Overcommit (Documentation/mm/overcommit-accounting.rst):
//   0 heuristic - refuse only a single request larger than RAM + swap;
//   1 always    - never refuse;
//   2 never     - refuse when Committed_AS would pass CommitLimit =
//                 swap + RAM * overcommit_ratio / 100 (or overcommit_kbytes
//                 when that is set); MAP_NORESERVE is ignored.
// What is charged (Linux's VM_ACCOUNT): private writable mappings (heap,
// stack, data, MAP_PRIVATE anonymous memory) and shared anonymous memory;
// read-only private mappings and shared file mappings are not (their pages
// can always be dropped and read back).
//
// Concepts: C56 (overcommit and the OOM killer), C07 (policy switched
// through /proc/sys, mechanism here), C15 (/proc/meminfo, /proc/vmstat).
import { type PhysMem } from "./phys.js";
import { type AsidState, createAsidState } from "./asid.js";
import { type BackingTables, createBackingTables } from "./backing.js";
import { type ReclaimState, createReclaimState } from "./reclaim.js";
import { type SwapState, createSwapState } from "./swap.js";

export const OVERCOMMIT_GUESS = 0;
export const OVERCOMMIT_ALWAYS = 1;
export const OVERCOMMIT_NEVER = 2;

export interface VmCounters {
  /** Times an allocation failed and reclaim was entered (Linux allocstall_normal). */
  allocstall: number;
  /** Frames reclaim looked at (pgscan_direct) and freed (pgsteal_direct). */
  pgscanDirect: number;
  pgstealDirect: number;
  /** Processes the OOM killer chose (oom_kill). */
  oomKill: number;
  /** Background reclaim (reclaim.ts kswapd): runs (pageoutrun), frames looked at and freed. */
  pageoutrun: number;
  pgscanKswapd: number;
  pgstealKswapd: number;
  /** File pages read from their backing bytes (reclaim.ts reclaimRegister), and faults that had to (pgmajfault). */
  pageIns: number;
  pgmajfault: number;
  /** File pages read again after reclaim dropped them (workingset_refault_file). */
  workingsetRefaultFile: number;
  /** Frames global reclaim freed by kind (pgsteal_anon: to swap; pgsteal_file: clean file pages dropped). */
  pgstealAnon: number;
  pgstealFile: number;
  /** Dirty file pages reclaim wrote back before dropping them (nr_vmscan_write; they count in pgsteal_file too). */
  nrVmscanWrite: number;
}

export interface VmState {
  /** vm.overcommit_memory: OVERCOMMIT_GUESS / ALWAYS / NEVER. */
  overcommitMemory: number;
  /** vm.overcommit_ratio (percent of RAM in CommitLimit). */
  overcommitRatio: number;
  /** vm.overcommit_kbytes (when nonzero, CommitLimit's RAM part instead of the ratio). */
  overcommitKbytes: number;
  /** vm.oom_kill_allocating_task: kill the task whose allocation failed instead of the worst one. */
  oomKillAllocatingTask: number;
  /** vm.panic_on_oom: 0 kill a process; 1 or 2 panic instead (the machine stops: oom.ts). */
  panicOnOom: number;
  /** vm.max_map_count: mmap fails with ENOMEM when an address space has more VMAs. */
  maxMapCount: number;
  /** Pid of the last process the OOM killer chose (no second victim while it is still dying). */
  oomVictim: number;
  /** Pages charged by VM_ACCOUNT mappings (Committed_AS). */
  committed: number;
  /** vm.replacement_policy (tsix): index into replace.ts REPLACEMENT_POLICIES, for processes with a frame budget. */
  replacementPolicy: number;
  /** vm.thrash_threshold (tsix): budget refaults per CPU second that count as thrashing (0: detector off). */
  thrashThreshold: number;
  /** Seed of the random policy's generator (each address space adds its id). */
  replacementSeed: number;
  /** Usable swap pages of the active areas (swap.ts): CommitLimit and the OOM killer's total count them. */
  swapPages: number;
  /** The swap areas, slot maps, swap cache and counters (swap.ts). */
  swap: SwapState;
  counters: VmCounters;
  /** The tables VMA backings point into (backing.ts). */
  backings: BackingTables;
  /** Reclaimable frames and the reclaimer's hand (reclaim.ts). */
  reclaim: ReclaimState;
  /** The ASID allocator (asid.ts). */
  asid: AsidState;
}

export function createVmState(): VmState {
  return {
    overcommitMemory: OVERCOMMIT_GUESS, overcommitRatio: 50, overcommitKbytes: 0, oomKillAllocatingTask: 0, panicOnOom: 0, maxMapCount: 65530, oomVictim: 0,
    committed: 0, swapPages: 0, replacementPolicy: 0, thrashThreshold: 20000, replacementSeed: 0x7a5e1d,
    counters: { allocstall: 0, pgscanDirect: 0, pgstealDirect: 0, oomKill: 0, pageoutrun: 0, pgscanKswapd: 0, pgstealKswapd: 0, pageIns: 0, pgmajfault: 0, workingsetRefaultFile: 0, pgstealAnon: 0, pgstealFile: 0, nrVmscanWrite: 0 },
    backings: createBackingTables(),
    swap: createSwapState(),
    reclaim: createReclaimState(),
    asid: createAsidState(),
  };
}

/** RAM pages the guest can have (what MemTotal shows). */
export function totalRamPages(pm: PhysMem): number {
  return pm.frames - pm.reserved;
}

/** CommitLimit in pages. */
export function commitLimit(pm: PhysMem, vm: VmState): number {
  const ram = vm.overcommitKbytes > 0 ? Math.floor(vm.overcommitKbytes / 4) : Math.floor((totalRamPages(pm) * vm.overcommitRatio) / 100);
  return ram + vm.swapPages;
}

/**
 * Linux's __vm_enough_memory: may `pages` more be promised? On yes the
 * pages are charged to Committed_AS (the caller gives them back with
 * vmUnacct when the mapping goes).
 */
export function vmAcct(pm: PhysMem, vm: VmState, pages: number): boolean {
  if (pages <= 0) return true;
  if (vm.overcommitMemory === OVERCOMMIT_GUESS && pages > totalRamPages(pm) + vm.swapPages) return false;
  // Linux charges first and keeps the charge while Committed_AS stays strictly
  // below the limit: the last page under CommitLimit is never granted. (Its
  // admin and user reserves - admin_reserve_kbytes, user_reserve_kbytes - are
  // not kept: tsix grants up to the limit itself.)
  if (vm.overcommitMemory === OVERCOMMIT_NEVER && vm.committed + pages >= commitLimit(pm, vm)) return false;
  vm.committed += pages;
  return true;
}

/** Charge without asking (a mapping that must exist, e.g. a stack the kernel already grew). */
export function vmAcctForce(vm: VmState, pages: number): void {
  vm.committed += pages;
}

export function vmUnacct(vm: VmState, pages: number): void {
  vm.committed = Math.max(0, vm.committed - pages);
}
