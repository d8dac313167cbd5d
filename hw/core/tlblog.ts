// The TLB refill logs (layout.ts TLB_LOG): where one set's log is, whether it
// still knows every valid entry of its set, and where its j-th entry index
// lies. One place for the format that mmu.ts (fills and flushes) and jit.ts
// (the code-page scan) both read, so the two cannot drift apart.
//
// A log is a u32 state, then u16 entry indexes: state 0 = a set never
// emptied (fresh memory), 1 + n = n entries logged, TLB_LOG_LOST = it
// overflowed and the next flush clears the whole set.
//
// Concepts: C52 (the TLB: a flush costs what was filled).
import { TLB, TLB_PER_HART, TLB_LOG, TLB_LOG_SET, TLB_LOG_PER_HART, TLB_LOG_CAP } from "./layout";

/** The refill log of set `s` (a bank, or TLB_BANKS for the bare set) of the hart whose TLB is at `hart`. */
@inline export function logOf(hart: usize, s: usize): usize {
  return usize(TLB_LOG) + ((hart - usize(TLB)) / usize(TLB_PER_HART)) * usize(TLB_LOG_PER_HART) + s * usize(TLB_LOG_SET);
}

/** Whether a log in state `n` lists every valid entry of its set (false: never emptied, or overflowed). */
@inline export function logKnows(n: u32): bool {
  return n - 1 <= u32(TLB_LOG_CAP);
}

/** The address of the `j`-th logged entry index (a u16) of the log at `log`. */
@inline export function logSlot(log: usize, j: usize): usize {
  return log + 4 + (j << 1);
}
