// futex(2) operations and flags of the Linux ABI (uapi/linux/futex.h).
//
// Concepts: C05 (the ABI), C34 (futexes).

import { layout } from "./layout.js";

export const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
  FUTEX_WAKE_OP = 5, FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9,
  FUTEX_WAKE_BITSET = 10, FUTEX_WAIT_REQUEUE_PI = 11, FUTEX_CMP_REQUEUE_PI = 12, FUTEX_LOCK_PI2 = 13;

export const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
export const FUTEX_BITSET_MATCH_ANY = 0xffffffff;
export const FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
/**
 * struct robust_list_head (set_robust_list): the list (its first entry's
 * address, bit 0 a PI flag), the offset from an entry to its futex word, and
 * the entry a lock operation is in the middle of.
 */
export const ROBUST_LIST_HEAD = layout(24, { list_next: [0, "u64"], futex_offset: [8, "i64"], list_op_pending: [16, "u64"] });
/** struct robust_list: one entry, the address of the next. */
export const ROBUST_LIST = layout(8, { next: [0, "u64"] });
